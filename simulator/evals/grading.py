"""The grading suite: hand-labelled phase answers -> agreement between grader and human.

QWK is the headline (it credits near misses and corrects for chance); exact and adjacent
agreement are what a reader can picture; the confusion matrix shows *where* the grader
disagrees. The metrics are the grading package's own (`simulator.grading.metrics`), so the
suite and the benchmarks cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from simulator.evals.datasets import GradingCase, load_jsonl
from simulator.evals.graders import Grader, grader_for
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite
from simulator.grading.metrics import agreement, quadratic_weighted_kappa, word_count_baseline
from simulator.interview.engine import Interviewer
from simulator.transcript import InterviewState

#: Simulated clock of a twin's answer: a minute into its phase.
TURN_AT_S = 60.0
#: Probes that challenge something the candidate said (as opposed to asking for more).
CHALLENGES = ("misconception-", "event-loop-", "estimate-slip-")


class GradingSuite(Suite[GradingCase]):
    name = "grading"
    description = "grader vs human gold scores on labelled phase answers"
    dataset_file = "grading_dev.jsonl"
    metrics = (
        MetricSpec("qwk", "quadratic weighted kappa between grader and gold (1 perfect, 0 chance)"),
        MetricSpec("exact", "share of answers graded exactly as gold"),
        MetricSpec("adjacent", "share of answers within one point of gold"),
        MetricSpec("qwk-held-out", "QWK on the held-out half, which tuning never saw"),
        MetricSpec("twins-ordered", "share of wrong-claim answers graded below their corrected "
                                    "twin"),
        MetricSpec("twins-challenged", "share of wrong-claim answers the interviewer challenges "
                                       "with a probe its corrected twin does not draw"),
    )

    def __init__(self) -> None:
        self.grader: Grader | None = None

    def load(self, path: Path, ctx: EvalContext) -> list[GradingCase]:
        return load_jsonl(path, GradingCase, check=lambda c: ctx.check_problem(c.problem))

    def begin(self, ctx: EvalContext) -> str:
        self.grader = grader_for(ctx)
        return self.grader.name

    def run_case(self, case: GradingCase, ctx: EvalContext) -> CaseResult:
        assert self.grader is not None, "begin() first"
        grade = self.grader.grade(case.problem, case.phase, case.answer)
        probe = None
        if case.pair:
            # The interviewer hears the same answer in its phase: does it challenge the claim?
            engine = Interviewer(ctx.content, InterviewState(problem_id=case.problem, seed=1),
                                 max_input_tokens=ctx.settings.max_input_tokens)
            engine.opening(start_phase=case.phase)
            probe = engine.respond(case.answer, TURN_AT_S).interviewer.probe
        return CaseResult(
            id=case.id,
            passed=grade.score == case.gold,
            outcome=str(grade.score),
            output={"score": grade.score, "gold": case.gold, "flags": list(grade.flags),
                    "grader": grade.grader, "phase": case.phase, "problem": case.problem,
                    "probe": probe},
        )

    def score(self, cases: list[GradingCase], results: list[CaseResult]):
        gold = [c.gold for c in cases]
        pred = [int(r.output["score"]) for r in results]
        agree = agreement(gold, pred)
        baseline = word_count_baseline([c.answer for c in cases])
        by_tag: dict[str, list[bool]] = {}
        for case, result in zip(cases, results, strict=True):
            for tag in case.tags:
                by_tag.setdefault(tag, []).append(result.passed)
        halves = {}
        for half in ("tune", "held-out"):
            pairs = [(g, p) for c, g, p in zip(cases, gold, pred, strict=True) if c.half == half]
            if pairs:
                halves[half] = round(quadratic_weighted_kappa(*map(list, zip(*pairs, strict=True))), 4)
        details = {
            "n": agree.n,
            # The grader was tuned on one half of the dev set; the held-out half is the honest
            # figure (see simulator/grading/devset.py).
            "qwk_by_half": halves,
            "confusion": agree.confusion,
            "confusion_axes": "rows: gold 1-4, columns: predicted 1-4",
            "word_count_baseline_qwk": round(quadratic_weighted_kappa(gold, baseline), 4),
            "exact_by_tag": {t: round(sum(v) / len(v), 4) for t, v in sorted(by_tag.items())},
        }
        twins = twin_pairs(cases, pred)
        details["twins"] = {"pairs": len(twins), "not_ordered": [
            {"pair": key, "wrong": w, "corrected": c} for key, w, c in twins if w[1] >= c[1]]}
        ordered = round(sum(w[1] < c[1] for _, w, c in twins) / len(twins), 4) if twins else 1.0
        probes = {c.id: r.output.get("probe") or "" for c, r in zip(cases, results, strict=True)}
        challenged = [key for key, (wid, _), (cid, _) in twins
                      if probes[wid].startswith(CHALLENGES) and probes[wid] != probes[cid]]
        details["twins"]["not_challenged"] = [
            {"pair": key, "wrong": wid, "probe": probes[wid], "corrected_probe": probes[cid]}
            for key, (wid, _), (cid, _) in twins if key not in challenged]
        share = round(len(challenged) / len(twins), 4) if twins else 1.0
        return {"qwk": agree.qwk, "exact": agree.exact, "adjacent": agree.adjacent,
                "qwk-held-out": halves.get("held-out", agree.qwk), "twins-ordered": ordered,
                "twins-challenged": share}, details


def twin_pairs(cases: list[GradingCase], pred: list[int]
               ) -> list[tuple[str, tuple[str, int], tuple[str, int]]]:
    """(pair id, (wrong id, grade), (corrected id, grade)) for every complete twin pair."""
    wrong: dict[str, tuple[str, int]] = {}
    fixed: dict[str, tuple[str, int]] = {}
    for case, score in zip(cases, pred, strict=True):
        if case.pair and "wrong-claim" in case.tags:
            wrong[case.pair] = (case.id, score)
        elif case.pair and "corrected-twin" in case.tags:
            fixed[case.pair] = (case.id, score)
    return [(key, wrong[key], fixed[key]) for key in sorted(wrong) if key in fixed]
