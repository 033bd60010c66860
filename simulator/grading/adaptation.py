"""How well the candidate adapted: their answer to the curveball and to the 10x stretch, 1-4.

A requirement change mid-interview is the closest an interview gets to a real project, so
the rubric grades the answer to it on its own, apart from the phase it fell in:

1. ignores the change (restates the old design, talks of something else), "I don't know",
   or a line of filler;
2. acknowledges it but stays generic ("add servers", "cache it", a list of buzzwords) without
   saying which part of *their* design changes, or proposes something the change rules out;
3. says concretely what changes (which component, data or flow, and how), and what stays;
4. a 3 that also re-derives numbers for the new situation, names a trade-off with its reason,
   or handles what the change does to the Node.js runtime.

A wrong claim costs one grade and an arithmetic slip keeps it below 4, as in the phase grader.
The grade comes from the shared reading of the answer (acts, components, quantities, slips,
misconceptions, runtime findings), plus how much of the answer is about the change at all:
its words against the change's own words (the modifier's detail, topics and what a good answer
looks for, or the stretch question). Everything is a pure function of its inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from simulator.content.interviewer import InterviewerPrompts
from simulator.content.modifiers import Modifier, Modifiers
from simulator.reading.adapting import STOP, WORD, read_adaptation
from simulator.reading.record import InterviewRecord
from simulator.reading.turn import Reading

Kind = Literal["curveball", "stretch"]

#: Words of the requirement change an answer must use to count as taking it up.
ENGAGED_WORDS = 3
#: Figures (not bare numbers) that count as re-deriving the numbers for the new situation.
NUMBERS_FOR_4 = 3

def change_words(question: str, modifier: Modifier | None,
                 problem_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of the change itself, less the problem's own words (its title and statement):
    talking about them is talking about the change, not about the problem in general."""
    parts = [question]
    if modifier is not None:
        parts += [modifier.label, modifier.detail, *modifier.topics,
                  *(t for texts in modifier.look_for.values() for t in texts),
                  *(p.text for p in modifier.probes)]
    else:
        parts.append("ten times traffic load scale peak capacity throughput bottleneck")
    found = {w for w in WORD.findall(" ".join(parts).lower()) if w not in STOP}
    return frozenset(found | {w.rstrip("s") for w in found}) - problem_words


class AdaptationGrade(BaseModel):
    """The grade of one adaptation, with the words that earned it and why."""

    kind: Kind
    question: str
    score: int = Field(ge=1, le=4)
    quote: str = ""
    reasons: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)


def grade_adaptation(kind: Kind, question: str, readings: Sequence[Reading],
                     modifier: Modifier | None = None,
                     problem_words: frozenset[str] = frozenset()) -> AdaptationGrade:
    """Grade the candidate's answer (one or more turns) to a curveball or a stretch."""
    answered = [r for r in readings if r.text.strip()]
    quote = _quote(answered)
    if not answered or all(r.has("idk") for r in answered):
        return AdaptationGrade(kind=kind, question=question, score=1, flags=["idk"],
                               reasons=["no answer to the change"])
    s = read_adaptation(answered, change_words(question, modifier, problem_words))
    reasons: list[str] = []
    flags: list[str] = []
    # Taking up the change: a requirement change has words of its own the answer must use; a
    # stretch is taken up by naming what breaks or what changes at the new load.
    engaged = (s.on_change >= ENGAGED_WORDS or s.on_change and s.concrete if kind == "curveball"
               else s.on_change >= 1 or s.diagnosis or s.concrete >= 1)
    if s.words < 8 or any(r.off_topic for r in answered) or not engaged:
        return AdaptationGrade(kind=kind, question=question, score=1, quote=quote,
                               flags=["ignored"], reasons=["does not take up the change"])
    score = 2
    reasons.append(f"takes up the change ({s.on_change} of its words)" if kind == "curveball"
                   else "takes up the new load")
    if (s.concrete >= 2 or s.concrete and (s.stays or s.diagnosis or s.numbers >= NUMBERS_FOR_4)
            ) and s.generic <= s.concrete:
        score = 3
        reasons.append(f"says what changes in the design ({s.concrete} concrete sentence(s))"
                       + (" and what stays" if s.stays else ""))
        extras = [name for name, ok in (("re-derives numbers", s.numbers >= NUMBERS_FOR_4),
                                        ("names a trade-off", s.trade_off),
                                        ("handles the Node.js runtime", s.runtime)) if ok]
        if extras:
            score = 4
            reasons.append(", ".join(extras))
    elif s.generic:
        flags.append("generic")
        reasons.append("stays generic: no part of the design is named as changing")
    slips = [sl for r in answered for sl in r.slips]
    wrong = [m for r in answered for m in r.misconceptions]
    blocking = [f for r in answered for f in r.runtime if not f.judged]
    if slips and score == 4:
        score = 3
        flags.append("arithmetic")
        reasons.append("an arithmetic slip in the new numbers")
    if wrong:
        score = max(1, score - 1)
        flags.append("misconception")
        reasons.append(f"a wrong claim: \"{wrong[0].quote[:80]}\"")
    elif blocking and score > 2:
        score -= 1
        flags.append("event-loop-blocking")
        reasons.append("puts blocking work on the Node.js request path")
    return AdaptationGrade(kind=kind, question=question, score=score, quote=quote,
                           reasons=reasons, flags=flags)


def _quote(readings: Sequence[Reading], limit: int = 160) -> str:
    text = " ".join(" ".join(r.text.split()) for r in readings)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stretch_ids(prompts: InterviewerPrompts) -> frozenset[str]:
    """Probe ids of the 10x stretch: the generic one and the ladder rungs marked stretch."""
    return frozenset({"stretch"} | {f"ladder-{phase}-{i}" for phase, rungs in prompts.ladders.items()
                                    for i, rung in enumerate(rungs) if rung.stretch})


def grade_adaptations(record: InterviewRecord, prompts: InterviewerPrompts,
                      modifiers: Modifiers) -> list[AdaptationGrade]:
    """Every curveball and stretch of the interview, graded on the candidate's answer: the
    candidate turns after the question until the interviewer moves to another question (a
    restatement of the same question keeps the answer open)."""
    stretches = stretch_ids(prompts)
    grades = []
    entries = record.entries
    for i, entry in enumerate(entries):
        probe = entry.probe or ""
        if entry.role != "interviewer" or not (probe.startswith("curveball-") or probe in stretches):
            continue
        answers = []
        for later in entries[i + 1:]:
            if later.role == "candidate":
                if later.reading is not None:
                    answers.append(later.reading)
            elif later.probe and later.probe != probe or later.intent == "transition":
                break
        if probe.startswith("curveball-"):
            modifier = modifiers.by_id.get(probe.removeprefix("curveball-"))
            grades.append(grade_adaptation("curveball", entry.text, answers, modifier,
                                           record.vocabulary.topic))
        else:
            grades.append(grade_adaptation("stretch", entry.text, answers,
                                           problem_words=record.vocabulary.topic))
    return grades
