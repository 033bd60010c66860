"""The probes suite: does the interviewer ask an event-loop probe exactly when it should?

Each case is one candidate turn in one phase. It goes through the real engine, as in an
interview, so the suite measures the whole decision (the detector and the move order that
may pre-empt it), not the detector alone. A positive is an event-loop probe for a finding;
`event-loop-runtime` ("the runtime never came up") is a separate rule and does not count.

The engine's decision never depends on an LLM (an LLM only rephrases), so this suite runs
offline whatever the backend.
"""

from __future__ import annotations

from pathlib import Path

from simulator.evals.datasets import ProbeCase, load_jsonl
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite, precision_recall
from simulator.interview.engine import Interviewer
from simulator.transcript import InterviewState

#: Simulated clock of the probed turn: a minute into the phase, well inside every budget.
TURN_AT_S = 60.0


def is_event_loop_probe(intent: str | None, probe: str | None) -> bool:
    probe = probe or ""
    return intent == "probe" and probe.startswith("event-loop-") and probe != "event-loop-runtime"


class ProbesSuite(Suite[ProbeCase]):
    name = "probes"
    description = "event-loop probes asked exactly when a turn blocks the Node.js main thread"
    dataset_file = "probes.jsonl"
    metrics = (
        MetricSpec("precision", "share of event-loop probes asked that were warranted"),
        MetricSpec("recall", "share of warranted event-loop probes that were asked"),
        MetricSpec("held-out-min", "lower of precision and recall on the cases marked "
                   "heldout (both overall figures when the dataset has no split)"),
    )

    def load(self, path: Path, ctx: EvalContext) -> list[ProbeCase]:
        return load_jsonl(path, ProbeCase, check=lambda c: ctx.check_problem(c.problem))

    def begin(self, ctx: EvalContext) -> str:
        return "interviewer engine"

    def run_case(self, case: ProbeCase, ctx: EvalContext) -> CaseResult:
        state = InterviewState(problem_id=case.problem, seed=1)
        engine = Interviewer(ctx.content, state,
                             max_input_tokens=ctx.settings.max_input_tokens)
        engine.opening(start_phase=case.phase)
        turn = engine.respond(case.text, TURN_AT_S).interviewer
        asked = is_event_loop_probe(turn.intent, turn.probe)
        return CaseResult(
            id=case.id,
            passed=asked == case.should_probe,
            outcome="probe" if asked else "no-probe",
            output={"asked": asked, "should_probe": case.should_probe, "intent": turn.intent,
                    "probe": turn.probe, "reply": turn.text[:300]},
        )

    def score(self, cases: list[ProbeCase], results: list[CaseResult]):
        tp = sum(1 for c, r in zip(cases, results, strict=True) if c.should_probe and r.output["asked"])
        fp = sum(1 for c, r in zip(cases, results, strict=True) if not c.should_probe and r.output["asked"])
        fn = sum(1 for c, r in zip(cases, results, strict=True) if c.should_probe and not r.output["asked"])
        pairs = list(zip(cases, results, strict=True))
        precision, recall = precision_recall([(r.output["asked"], c.should_probe) for c, r in pairs])
        held = [(r.output["asked"], c.should_probe) for c, r in pairs if c.split == "heldout"]
        held_min = min(precision_recall(held)) if held else min(precision, recall)
        details = {"true_positives": tp, "false_positives": fp, "false_negatives": fn,
                   "true_negatives": len(cases) - tp - fp - fn, "held_out_cases": len(held)}
        return {"precision": round(precision, 4), "recall": round(recall, 4),
                "held-out-min": round(held_min, 4)}, details
