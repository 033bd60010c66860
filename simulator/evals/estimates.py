"""The estimates suite: is an arithmetic slip caught by the interviewer *and* by the grader?

Each case is one estimate a candidate might give; half hold a slip (a stated result more than
3x from what the candidate's own numbers give: bits read as bytes, a month divided by a day's
seconds, a per-node split forgotten...), half are correct. Both consumers of the shared reading
are measured on the same text:

- the interviewer (the real engine, in the estimate phase) challenges it: its reply is an
  `estimate-slip-*` probe or a units misconception probe;
- the grader flags `arithmetic` on it.

Precision and recall are reported for each, overall and on the held-out split the readers were
never tuned on (`split` in the dataset).
"""

from __future__ import annotations

from pathlib import Path

from simulator.evals.datasets import EstimateCase, load_jsonl
from simulator.evals.graders import Grader, grader_for
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite, precision_recall
from simulator.interview.engine import Interviewer
from simulator.transcript import InterviewState

#: Simulated clock of the answer: a minute into the estimate phase.
TURN_AT_S = 60.0


def challenges_a_slip(probe: str | None, ctx: EvalContext) -> bool:
    probe = probe or ""
    if probe.startswith("estimate-slip-"):
        return True
    if probe.startswith("misconception-"):
        entry = ctx.content.misconceptions.get(probe.removeprefix("misconception-"))
        return entry is not None and entry.topic == "units"
    return False


class EstimatesSuite(Suite[EstimateCase]):
    name = "estimates"
    description = "arithmetic slips caught by both the interviewer and the grader"
    dataset_file = "estimates.jsonl"
    metrics = (
        MetricSpec("interviewer-precision", "share of slip challenges that were warranted"),
        MetricSpec("interviewer-recall", "share of slips the interviewer challenged"),
        MetricSpec("grader-precision", "share of arithmetic flags that were warranted"),
        MetricSpec("grader-recall", "share of slips the grader flagged"),
        MetricSpec("held-out-min", "lowest of the four on the held-out split"),
    )

    def __init__(self) -> None:
        self.grader: Grader | None = None

    def load(self, path: Path, ctx: EvalContext) -> list[EstimateCase]:
        return load_jsonl(path, EstimateCase, check=lambda c: ctx.check_problem(c.problem))

    def begin(self, ctx: EvalContext) -> str:
        self.grader = grader_for(ctx)
        return f"interviewer engine + {self.grader.name} grader"

    def run_case(self, case: EstimateCase, ctx: EvalContext) -> CaseResult:
        assert self.grader is not None, "begin() first"
        engine = Interviewer(ctx.content, InterviewState(problem_id=case.problem, seed=1),
                             max_input_tokens=ctx.settings.max_input_tokens)
        engine.opening(start_phase="estimate")
        turn = engine.respond(case.text, TURN_AT_S).interviewer
        challenged = challenges_a_slip(turn.probe, ctx)
        grade = self.grader.grade(case.problem, "estimate", case.text)
        flagged = "arithmetic" in grade.flags
        return CaseResult(
            id=case.id, passed=challenged == flagged == case.has_slip,
            outcome=f"interviewer {'challenged' if challenged else 'passed'}, grader "
                    f"{'flagged' if flagged else 'did not flag'}",
            output={"has_slip": case.has_slip, "split": case.split, "challenged": challenged,
                    "flagged": flagged, "probe": turn.probe, "reply": turn.text[:300],
                    "score": grade.score},
        )

    def score(self, cases: list[EstimateCase], results: list[CaseResult]):
        def measure(split: str | None) -> dict[str, float]:
            rows = [r.output for r in results if split is None or r.output["split"] == split]
            ip, ir = precision_recall([(o["challenged"], o["has_slip"]) for o in rows])
            gp, gr = precision_recall([(o["flagged"], o["has_slip"]) for o in rows])
            return {"interviewer-precision": round(ip, 4), "interviewer-recall": round(ir, 4),
                    "grader-precision": round(gp, 4), "grader-recall": round(gr, 4)}

        overall, held = measure(None), measure("heldout")
        metrics = {**overall, "held-out-min": min(held.values())}
        details = {"by_split": {"tune": measure("tune"), "heldout": held},
                   "cases": {s: sum(c.split == s for c in cases) for s in ("tune", "heldout")}}
        return metrics, details
