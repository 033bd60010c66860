"""The claims suite: are wrong claims recognised, and left alone when corrected?

Each case is one sentence a candidate might say: a wrong technical belief, or its corrected
twin using the same words. Two consumers of the shared reading are measured on the same text:

- the reader: the turn's reading holds a misconception finding (any entry of the library;
  for `misconceptions.jsonl`, whose sentences are labelled with library ids, the share found
  under the right id is reported too);
- the interviewer (the real engine, in the design phase): its reply challenges the claim
  with a `misconception-*` probe.

A wrong figure is read by the estimate checker, not the library: a slip counts as the claim
recognised, and the `estimate-slip-*` probe as its challenge.

A correct twin flagged is a false accusation, which in an interview costs more than a miss,
so precision is reported next to recall, overall and on the held-out half. Sets written blind
to the library (`claims_fresh.jsonl`) are the honest measure of how far it generalises.
"""

from __future__ import annotations

from pathlib import Path

from simulator.evals.datasets import ClaimCase, load_jsonl
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite, precision_recall
from simulator.interview.engine import Interviewer
from simulator.reading.turn import read_turn
from simulator.transcript import InterviewState

#: Simulated clock of the turn: a minute into the design phase.
TURN_AT_S = 60.0
PROBLEM = "url-shortener"


class ClaimsSuite(Suite[ClaimCase]):
    name = "claims"
    description = "wrong claims recognised and challenged, corrected twins left alone"
    dataset_file = "misconceptions.jsonl"
    metrics = (
        MetricSpec("reader-precision", "share of sentences read as a wrong claim that are wrong"),
        MetricSpec("reader-recall", "share of wrong sentences read as a wrong claim"),
        MetricSpec("interviewer-precision", "share of misconception probes that were warranted"),
        MetricSpec("interviewer-recall", "share of wrong sentences the interviewer challenged"),
        MetricSpec("held-out-min", "lowest of the four on the held-out half"),
    )

    def load(self, path: Path, ctx: EvalContext) -> list[ClaimCase]:
        return load_jsonl(path, ClaimCase)

    def begin(self, ctx: EvalContext) -> str:
        return "turn reader + interviewer engine"

    def run_case(self, case: ClaimCase, ctx: EvalContext) -> CaseResult:
        vocabulary = ctx.content.vocabulary(PROBLEM)
        reading = read_turn(case.text, vocabulary, phase="design")
        # A wrong figure ("a million 2 MB photos is about 2 GB") is a wrong claim the estimate
        # checker owns: it counts as recognised, and its slip probe as the challenge.
        found = [c.misconception_id for c in reading.misconceptions] + [
            f"slip:{s.stated}" for s in reading.slips]
        engine = Interviewer(ctx.content, InterviewState(problem_id=PROBLEM, seed=1),
                             max_input_tokens=ctx.settings.max_input_tokens)
        engine.opening(start_phase="design")
        probe = engine.respond(case.text, TURN_AT_S).interviewer.probe or ""
        challenged = probe.startswith(("misconception-", "estimate-slip-"))
        read = bool(found)
        return CaseResult(
            id=case.id, passed=read == challenged == case.is_wrong,
            outcome=f"read {', '.join(found) or 'nothing'}; probe {probe or 'none'}",
            output={"wrong": case.is_wrong, "half": case.half, "found": found,
                    "right_id": case.misconception in found if case.misconception else None,
                    "read": read, "challenged": challenged, "probe": probe},
        )

    def score(self, cases: list[ClaimCase], results: list[CaseResult]):
        def measure(half: str | None) -> dict[str, float]:
            rows = [r.output for r in results if half is None or r.output["half"] == half]
            rp, rr = precision_recall([(o["read"], o["wrong"]) for o in rows])
            ip, ir = precision_recall([(o["challenged"], o["wrong"]) for o in rows])
            return {"reader-precision": round(rp, 4), "reader-recall": round(rr, 4),
                    "interviewer-precision": round(ip, 4), "interviewer-recall": round(ir, 4)}

        overall, held = measure(None), measure("heldout")
        labelled = [r.output["right_id"] for r in results if r.output["right_id"] is not None]
        details = {
            "by_half": {"tune": measure("tune"), "heldout": held},
            "cases": {h: sum(c.half == h for c in cases) for h in ("tune", "heldout")},
            "right_id": round(sum(labelled) / len(labelled), 4) if labelled else None,
            "missed": [c.id for c, r in zip(cases, results, strict=True)
                       if c.is_wrong and not r.output["read"]],
            "false_accusations": [c.id for c, r in zip(cases, results, strict=True)
                                  if not c.is_wrong and r.output["read"]],
        }
        return {**overall, "held-out-min": min(held.values())}, details
