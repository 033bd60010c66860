"""The adaptation suite: the grade of an answer to a curveball or a 10x stretch vs a human's.

Each case is one answer to the requirement change a problem gets mid-interview (its first
modifier, as the interviewer brings it in) or to a "ten times" stretch question, graded 1-4 by
hand on the rubric in `simulator.grading.adaptation`. The answer is read by the same reader the
interviewer uses, then graded; QWK, exact and adjacent agreement are reported overall and on the
held-out split the grader was never tuned on.
"""

from __future__ import annotations

from pathlib import Path

from simulator.evals.datasets import AdaptationCase, load_jsonl
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite
from simulator.grading.adaptation import grade_adaptation
from simulator.grading.metrics import agreement, quadratic_weighted_kappa
from simulator.reading.turn import read_turn


class AdaptationSuite(Suite[AdaptationCase]):
    name = "adaptation"
    description = "grader vs human gold on answers to curveballs and 10x stretch questions"
    dataset_file = "adaptation.jsonl"
    metrics = (
        MetricSpec("qwk", "quadratic weighted kappa between grader and gold"),
        MetricSpec("exact", "share of answers graded exactly as gold"),
        MetricSpec("adjacent", "share of answers within one point of gold"),
        MetricSpec("qwk-held-out", "QWK on the held-out split, which tuning never saw"),
    )

    def load(self, path: Path, ctx: EvalContext) -> list[AdaptationCase]:
        return load_jsonl(path, AdaptationCase, check=lambda c: ctx.check_problem(c.problem))

    def begin(self, ctx: EvalContext) -> str:
        return "offline adaptation grader"

    def run_case(self, case: AdaptationCase, ctx: EvalContext) -> CaseResult:
        vocabulary = ctx.content.vocabulary(case.problem)
        reading = read_turn(case.answer, vocabulary)
        modifier = None
        if case.kind == "curveball":
            modifier = ctx.content.modifiers.for_problem(case.problem)[0]
        grade = grade_adaptation(case.kind, case.question, [reading], modifier, vocabulary.topic)
        return CaseResult(
            id=case.id, passed=grade.score == case.gold, outcome=str(grade.score),
            output={"score": grade.score, "gold": case.gold, "split": case.split,
                    "kind": case.kind, "flags": grade.flags, "reasons": grade.reasons},
        )

    def score(self, cases: list[AdaptationCase], results: list[CaseResult]):
        gold = [c.gold for c in cases]
        pred = [int(r.output["score"]) for r in results]
        agree = agreement(gold, pred)
        by_split = {}
        for split in ("tune", "held-out"):
            pairs = [(g, p) for c, g, p in zip(cases, gold, pred, strict=True) if c.split == split]
            if pairs:
                g, p = map(list, zip(*pairs, strict=True))
                by_split[split] = {"n": len(pairs), "qwk": round(quadratic_weighted_kappa(g, p), 4),
                                   "exact": round(sum(a == b for a, b in pairs) / len(pairs), 4)}
        details = {"n": agree.n, "by_split": by_split, "confusion": agree.confusion,
                   "confusion_axes": "rows: gold 1-4, columns: predicted 1-4"}
        return {"qwk": agree.qwk, "exact": agree.exact, "adjacent": agree.adjacent,
                "qwk-held-out": by_split.get("held-out", {}).get("qwk", agree.qwk)}, details
