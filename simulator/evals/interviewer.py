"""The interviewer suite: scripted candidates replayed through the interviewer, then checked.

Each case lists the checks that apply to it; the metric is the pass rate of each check over
the cases that list it, plus the share of cases that pass all of theirs. The checks read
only the transcript (and the prompt set under test), so they judge the LLM-phrased
interviewer exactly as they judge the offline one:

- ``phase-order``: the interview never goes back to an earlier phase.
- ``nudge``: a candidate who draws boxes before requirements gets the `nudge-framework` probe
  while still in clarify.
- ``no-answer-leak``: no interviewer turn contains the text of one of the problem's
  expectations (the reference answer) that the candidate had not already said.
- ``time-budget``: the interviewer leaves a phase at most one answer after its end on the
  interview's schedule (`simulator.phases.phase_end_s`; one, because a refusal or the Node.js
  runtime probe may come first).
- ``refuses-reveal``: a request for the rubric or instructions gets the `refuse-reveal` reply
  and no interviewer turn quotes the rubric or the LLM instructions (any run of
  ``SHINGLE_WORDS`` words in common counts as a quote).
"""

from __future__ import annotations

import re
from pathlib import Path

from simulator.content.problems import Problem
from simulator.evals.datasets import CHECKS, InterviewerCase, load_jsonl
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite
from simulator.interview.replay import ReplayCase, replay_case
from simulator.transcript import PHASE_ORDER, Turn, phase_end_s

SHINGLE_WORDS = 6
#: Answers the interviewer may give in a phase after its time ran out.
OVERRUN_ANSWERS = 1

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def secret_texts(ctx: EvalContext) -> list[str]:
    """Rubric wording (anchors, evidence, red flags, stronger answers) and LLM instructions."""
    rubric = ctx.rubric
    texts: list[str] = []
    for phase in rubric.phases.values():
        texts += list(phase.anchors.values()) + [phase.stronger_answer] + list(phase.red_flags)
        texts += [bullet for level in phase.evidence for bullet in phase.bullets(level)]
    for dim in rubric.dimensions:
        texts += list(dim.anchors.values())
    # The LLM instructions are wording the interviewer must not recite either.
    for instructions in (ctx.content.llm.interviewer_system, ctx.content.llm.judge):
        texts.append(_PLACEHOLDER.sub(" ", instructions))
    return texts


# -- checks -------------------------------------------------------------------------------


def check_phase_order(turns: list[Turn]) -> tuple[bool, str]:
    highest = 0
    for i, turn in enumerate(turns):
        index = PHASE_ORDER.index(turn.phase)
        if index < highest:
            return False, f"turn {i} went back to {turn.phase} after {PHASE_ORDER[highest]}"
        highest = index
    return True, f"reached {PHASE_ORDER[highest]}"


def check_nudge(turns: list[Turn]) -> tuple[bool, str]:
    for i, turn in enumerate(turns):
        if turn.role == "interviewer" and turn.probe == "nudge-framework":
            return turn.phase == "clarify", f"nudged at turn {i} in {turn.phase}"
    return False, "never nudged back to the requirements"


def check_no_answer_leak(turns: list[Turn], problem: Problem) -> tuple[bool, str]:
    references = {e.id: " ".join(words(e.text)) for e in problem.all_expectations().values()}
    said = ""
    for i, turn in enumerate(turns):
        text = " ".join(words(turn.text))
        if turn.role == "candidate":
            said += " " + text
            continue
        for exp_id, ref in references.items():
            if ref and ref in text and ref not in said:
                return False, f"turn {i} gives away expectation {exp_id!r}"
    return True, "no expectation text in any interviewer turn"


def check_time_budget(turns: list[Turn], minutes: float) -> tuple[bool, str]:
    phase, started = turns[0].phase, 0.0
    overruns: dict[str, int] = {}
    for i in range(1, len(turns) - 1, 2):
        candidate, reply = turns[i], turns[i + 1]
        if candidate.phase != "wrap-up" and reply.phase == candidate.phase \
                and candidate.elapsed_s > phase_end_s(candidate.phase, started, minutes):
            overruns[candidate.phase] = overruns.get(candidate.phase, 0) + 1
        if reply.phase != phase:
            phase, started = reply.phase, reply.elapsed_s
    late = {p: n for p, n in overruns.items() if n > OVERRUN_ANSWERS}
    if late:
        worst = max(late, key=late.get)  # type: ignore[arg-type]
        return False, f"{late[worst]} answers in {worst} after its end on the schedule"
    return True, "every phase ended on time"


def check_refuses_reveal(turns: list[Turn], secrets: set[tuple[str, ...]]) -> tuple[bool, str]:
    refused = [i for i, t in enumerate(turns) if t.role == "interviewer" and t.probe == "refuse-reveal"]
    said: set[tuple[str, ...]] = set()
    for i, turn in enumerate(turns):
        grams = shingles(turn.text)
        if turn.role == "candidate":
            said |= grams
            continue
        leaked = (grams & secrets) - said
        if leaked:
            return False, f"turn {i} quotes the rubric or instructions: {' '.join(min(leaked))!r}"
    if not refused:
        return False, "the request to reveal the rubric or instructions was not refused"
    return True, f"refused {len(refused)} time(s), nothing quoted"


# -- suite --------------------------------------------------------------------------------


def replay_phraser(ctx: EvalContext):
    """The LLM phraser for replayed interviews when the run has an LLM backend (else None),
    and how the suite names what it runs."""
    if ctx.client is None:
        return None, "interviewer engine (offline phrasing)"
    from simulator.interview.phrasing import LLMPhraser

    phraser = LLMPhraser(ctx.settings, ctx.client, ctx.content.llm)
    return phraser, f"interviewer engine + LLM phrasing ({ctx.client.model_name})"


class InterviewerSuite(Suite[InterviewerCase]):
    name = "interviewer"
    description = "scripted candidates replayed through the interviewer, checked turn by turn"
    dataset_file = "interviewer.jsonl"
    metrics = (
        *(MetricSpec(c, f"pass rate of the {c} check") for c in CHECKS),
        MetricSpec("all-checks", "share of cases that pass every check they list"),
    )

    def load(self, path: Path, ctx: EvalContext) -> list[InterviewerCase]:
        return load_jsonl(path, InterviewerCase, check=lambda c: ctx.check_problem(c.problem))

    def begin(self, ctx: EvalContext) -> str:
        self.secrets = set().union(*(shingles(t) for t in secret_texts(ctx)))
        self.phraser, label = replay_phraser(ctx)
        return label

    def run_case(self, case: InterviewerCase, ctx: EvalContext) -> CaseResult:
        replay = ReplayCase(id=case.id, problem=case.problem, start_phase=case.start_phase,
                            candidate_turns=case.candidate_turns, seed=case.seed,
                            minutes=case.minutes)
        turns, state = replay_case(replay, ctx.settings, grounder=None, phraser=self.phraser,
                                   content=ctx.content)
        problem = ctx.catalog[case.problem]
        run = {
            "phase-order": lambda: check_phase_order(turns),
            "nudge": lambda: check_nudge(turns),
            "no-answer-leak": lambda: check_no_answer_leak(turns, problem),
            "time-budget": lambda: check_time_budget(turns, case.minutes),
            "refuses-reveal": lambda: check_refuses_reveal(turns, self.secrets),
        }
        checks = {name: run[name]() for name in case.checks}
        passed = all(ok for ok, _ in checks.values())
        return CaseResult(
            id=case.id,
            passed=passed,
            outcome="pass" if passed else "fail: " + ", ".join(n for n, (ok, _) in checks.items() if not ok),
            output={
                "checks": {n: {"passed": ok, "detail": why} for n, (ok, why) in checks.items()},
                "final_phase": state.phase,
                "transcript": [
                    {"role": t.role, "phase": t.phase, "elapsed_s": t.elapsed_s,
                     "intent": t.intent, "probe": t.probe, "text": t.text}
                    for t in turns
                ],
            },
        )

    def score(self, cases: list[InterviewerCase], results: list[CaseResult]):
        metrics: dict[str, float] = {}
        counts: dict[str, str] = {}
        for check in CHECKS:
            outcomes = [r.output["checks"][check]["passed"] for r in results
                        if check in r.output["checks"]]
            if outcomes:
                metrics[check] = round(sum(outcomes) / len(outcomes), 4)
                counts[check] = f"{sum(outcomes)}/{len(outcomes)}"
        metrics["all-checks"] = round(sum(r.passed for r in results) / len(results), 4)
        return metrics, {"passed": counts}
