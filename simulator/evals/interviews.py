"""The interviews suite: whole scripted interviews, judged the way a candidate lives them.

Each case is a full interview (about 28 candidate turns for a 30-minute slot) by a strong, a
weak or a question-heavy candidate. The interviewer's turns are read back for what the issue
tracker asked of a listening interviewer:

- ``questions-answered``: every fact a candidate's clarifying question asks for (as the shared
  reader reads it) is in the reply, in the sheet's words or close to them (an LLM may phrase).
- ``same-answer``: a fact asked for more than once, in any words, gets the same answer.
- ``strong-pacing``: a strong candidate gets at least ``MIN_PHASE_ANSWERS`` answers in every
  scored phase, and the close does not come before ``CLOSE_NOT_BEFORE`` of the clock.
- ``runs-its-time``: no interview is closed by the interviewer before that share of the clock.
- ``one-curveball``: exactly one requirement change per interview that reached the design.
- ``one-stretch``: exactly one 10x stretch question per interview that reached the bottlenecks.
- ``no-canned-repeats``: no interviewer sentence (four words or more) said more than twice.

Everything is computed from the transcript, so the suite judges the LLM-phrased interviewer as
it judges the offline one.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from simulator.evals.datasets import InterviewCase, load_jsonl
from simulator.evals.interviewer import replay_phraser
from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite
from simulator.interview.replay import ReplayCase, replay_case
from simulator.phases import PHASES
from simulator.reading.turn import read_turn
from simulator.transcript import Turn

MIN_PHASE_ANSWERS = 3
CLOSE_NOT_BEFORE = 0.8
#: A sentence said this many times is one too many.
CANNED_LIMIT = 2
#: Share of an answer's content words a reply must carry to count as giving that answer.
ANSWER_OVERLAP = 0.6

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")
_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_STOP = frozenset(["a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "at", "by", "is", "are", "be", "it", "its", "that", "this", "with", "as", "we", "you", "your", "per", "about"])


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def gives(reply: str, answer: str) -> bool:
    """Does ``reply`` give ``answer`` (the sheet's words, or most of them)?"""
    if answer in reply:
        return True
    wanted = _content_words(answer)
    return bool(wanted) and len(wanted & _content_words(reply)) / len(wanted) >= ANSWER_OVERLAP


def answered_questions(turns: list[Turn], ctx: EvalContext, problem: str) -> list[dict]:
    """Each fact a candidate asked for, and whether (and with which words) the reply gave it."""
    vocabulary = ctx.content.vocabulary(problem)
    sheet = vocabulary.facts
    asked = []
    if sheet is None:
        return asked
    for i in range(1, len(turns) - 1, 2):
        candidate, reply = turns[i], turns[i + 1]
        if candidate.role != "candidate" or candidate.phase == "wrap-up":
            continue
        for fact_id in read_turn(candidate.text, vocabulary).asked_facts:
            answer = sheet.fact(fact_id).answer.strip()
            asked.append({"turn": i, "fact": fact_id, "answered": gives(reply.text, answer),
                          "said": answer if answer in reply.text else reply.text[:200]})
    return asked


def phase_answers(turns: list[Turn]) -> dict[str, int]:
    counts = Counter(t.phase for t in turns if t.role == "candidate")
    return {p: counts.get(p, 0) for p in PHASES}


def close_share(turns: list[Turn], minutes: float) -> float | None:
    """Share of the clock at which the interviewer closed (None: it never closed)."""
    for turn in turns:
        if turn.role == "interviewer" and turn.phase == "wrap-up":
            return turn.elapsed_s / (minutes * 60)
    return None


def canned(turns: list[Turn]) -> list[tuple[str, int]]:
    """Interviewer sentences said more than ``CANNED_LIMIT`` times."""
    said = Counter(s.strip() for t in turns if t.role == "interviewer"
                   for s in _SENTENCE.split(t.text) if len(s.split()) >= 4)
    return [(s, n) for s, n in said.most_common() if n > CANNED_LIMIT]


def stretches(turns: list[Turn], ctx: EvalContext) -> list[str]:
    """The 10x stretch questions asked: the generic one or a ladder rung marked stretch."""
    ids = {"stretch"} | {f"ladder-{phase}-{i}"
                         for phase, rungs in ctx.content.interviewer.ladders.items()
                         for i, rung in enumerate(rungs) if rung.stretch}
    return [t.probe for t in turns if t.role == "interviewer" and t.probe in ids]


def curveballs(turns: list[Turn]) -> list[str]:
    return [t.probe for t in turns if t.role == "interviewer" and (t.probe or "").startswith("curveball")]


class InterviewsSuite(Suite[InterviewCase]):
    name = "interviews"
    description = "full scripted interviews: questions answered, pacing, curveballs, no canned repeats"
    dataset_file = "interviews.jsonl"
    metrics = (
        MetricSpec("questions-answered", "share of facts asked for that the reply gave"),
        MetricSpec("same-answer", "share of facts asked twice or more that got one answer"),
        MetricSpec("strong-pacing", "share of strong candidates with >=3 answers in every phase "
                                    "and no close before 80% of the clock"),
        MetricSpec("runs-its-time", "share of interviews not closed before 80% of the clock"),
        MetricSpec("one-curveball", "share of interviews reaching design with exactly one curveball"),
        MetricSpec("one-stretch", "share of interviews reaching bottlenecks with exactly one 10x "
                                  "stretch question"),
        MetricSpec("no-canned-repeats", "share of interviews with no sentence said 3+ times"),
    )

    def load(self, path: Path, ctx: EvalContext) -> list[InterviewCase]:
        return load_jsonl(path, InterviewCase, check=lambda c: ctx.check_problem(c.problem))

    def begin(self, ctx: EvalContext) -> str:
        self.phraser, label = replay_phraser(ctx)
        return label

    def run_case(self, case: InterviewCase, ctx: EvalContext) -> CaseResult:
        replay = ReplayCase(id=case.id, problem=case.problem, candidate_turns=case.candidate_turns,
                            seed=case.seed, minutes=case.minutes, level=case.level)
        turns, _ = replay_case(replay, ctx.settings, phraser=self.phraser, content=ctx.content)
        asked = answered_questions(turns, ctx, case.problem)
        answers: dict[str, set[str]] = {}
        for a in asked:
            if a["answered"]:
                answers.setdefault(a["fact"], set()).add(a["said"])
        per_phase = phase_answers(turns)
        closed = close_share(turns, case.minutes)
        runs = closed is None or closed >= CLOSE_NOT_BEFORE
        paced = runs and min(per_phase.values()) >= MIN_PHASE_ANSWERS
        balls = curveballs(turns)
        reached_design = per_phase["design"] > 0
        stretched = stretches(turns, ctx)
        reached_bottlenecks = per_phase["bottlenecks"] > 0
        repeats = canned(turns)
        checks = {
            "runs-its-time": runs,
            "one-curveball": len(balls) == 1 if reached_design else True,
            "one-stretch": len(stretched) == 1 if reached_bottlenecks else True,
            "no-canned-repeats": not repeats,
            "questions-answered": all(a["answered"] for a in asked),
        }
        if case.persona == "strong":
            checks["strong-pacing"] = paced
        passed = all(checks.values())
        return CaseResult(
            id=case.id, passed=passed,
            outcome="pass" if passed else "fail: " + ", ".join(k for k, ok in checks.items() if not ok),
            output={
                "persona": case.persona, "checks": checks, "answers_per_phase": per_phase,
                "close_share": None if closed is None else round(closed, 3),
                "last_answer_share": round(turns[-2].elapsed_s / (case.minutes * 60), 3),
                "curveballs": balls, "stretches": stretched, "canned": repeats, "asked": asked,
                "answers_by_fact": {k: sorted(v) for k, v in answers.items()},
                "transcript": [{"role": t.role, "phase": t.phase, "elapsed_s": t.elapsed_s,
                                "intent": t.intent, "probe": t.probe, "text": t.text}
                               for t in turns],
            },
        )

    def score(self, cases: list[InterviewCase], results: list[CaseResult]):
        asked = [a for r in results for a in r.output["asked"]]
        facts: dict[tuple[str, str], set[str]] = {}
        for case, result in zip(cases, results, strict=True):
            for a in result.output["asked"]:
                if a["answered"]:
                    facts.setdefault((case.problem, a["fact"]), set()).add(a["said"])
        twice = Counter((c.problem, a["fact"]) for c, r in zip(cases, results, strict=True)
                        for a in r.output["asked"] if a["answered"])
        repeated = [k for k, n in twice.items() if n >= 2]

        def share(key: str) -> float:
            values = [r.output["checks"][key] for r in results if key in r.output["checks"]]
            return round(sum(values) / len(values), 4) if values else 1.0

        metrics = {
            "questions-answered": round(sum(a["answered"] for a in asked) / len(asked), 4)
            if asked else 1.0,
            "same-answer": round(sum(len(facts[k]) == 1 for k in repeated) / len(repeated), 4)
            if repeated else 1.0,
            "strong-pacing": share("strong-pacing"),
            "runs-its-time": share("runs-its-time"),
            "one-curveball": share("one-curveball"),
            "one-stretch": share("one-stretch"),
            "no-canned-repeats": share("no-canned-repeats"),
        }
        details = {
            "facts_asked": len(asked), "facts_asked_twice": len(repeated),
            "answers_per_phase": {r.id: r.output["answers_per_phase"] for r in results},
            "close_share": {r.id: r.output["close_share"] for r in results},
        }
        return metrics, details
