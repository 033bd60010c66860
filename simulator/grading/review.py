"""The scorecard as a reviewer writes it: a summary in words, one quote per point, the turns
that moved the grade, and drills to practise.

The grader's raw output (evidence spans, flags, rule strings, ids) is exact but reads like
internal output; this module turns it into sentences a candidate can act on. It adds no
judgement of its own: every sentence is derived from the grades, the rubric and the
problem's own checkpoint and probe texts, and every quote is the candidate's own words,
shown once on the whole card.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from simulator.content.problems import Problem
from simulator.content.rubric import Rubric, RuleError, Scores, parse_rule
from simulator.grading.dimensions import DimensionScore
from simulator.grading.offline import EvidenceSpan, PhaseGrade
from simulator.phases import PHASE_TITLES, PHASES
from simulator.transcript import Turn

#: Longest quote shown, in characters (a quote is one short sentence, not a paragraph).
QUOTE_CHARS = 160
#: Decisive moments and drills on a card.
MOMENTS_SHOWN = 3
DRILLS_SHOWN = 3
#: Weight of one score step against the grader's points when ranking decisive moments.
SCORE_STEP_POINTS = 2.0


class Moment(BaseModel):
    """A candidate turn that moved its phase's grade the most (up or down)."""

    turn_index: int  # index into the session's turns, for a link into the transcript
    phase: str
    quote: str
    effect: str  # "raised" or "lowered"
    points: float  # change of the phase's graded points this turn caused
    why: str


class Drill(BaseModel):
    """One phase and one probe to practise; startable as a drill interview at that phase."""

    phase: str
    probe_id: str
    probe: str  # the interviewer's question, as the problem states it
    why: str


class DimensionNote(BaseModel):
    """A dimension in sentences: its score, what earned it and what was missing."""

    id: str
    name: str
    score: int
    earned: str = ""  # one short quote, never repeated elsewhere on the card
    meaning: str = ""  # the rubric's description of this score
    missing: str = ""  # the next anchor up, as the thing to add


def phase_title(phase: str) -> str:
    return PHASE_TITLES.get(phase, phase)  # type: ignore[call-overload]


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The first sentence of ``text`` on one line, cut at ``limit`` characters."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


#: Staff-depth categories of the offline grader, as a reviewer would name them.
DEPTH_WORDS = {"failure": "failure handling", "flip": "when the decision would change",
               "cost": "cost", "ops": "operations", "runtime": "the Node.js runtime",
               "sensitivity": "how sensitive the numbers are",
               "evolution": "how the system evolves"}


#: Checkpoints named per reason; more are counted, not listed.
POINTS_NAMED = 2


def plain_reason(why: str) -> str:
    """The grader's reason ("covers: X; staff depth: failure") as one plain sentence."""
    points, depth = [], []
    for part in (p.strip() for p in re.split(r";\s*(?=covers:|staff depth:)", why)):
        if part.startswith("covers:"):
            points.append(part.removeprefix("covers:").strip().rstrip("."))
        elif part.startswith("staff depth:"):
            name = part.removeprefix("staff depth:").strip()
            depth.append(DEPTH_WORDS.get(name, name))
        elif part:
            points.append(part)
    sentences = []
    if points:
        named = [p.rstrip(".") for p in points[:POINTS_NAMED]]
        more = len(points) - len(named)
        tail = f" (and {more} more point{'s' if more > 1 else ''})" if more else ""
        sentences.append("Made the point: " + "; also ".join(named) + tail + ".")
    if depth:
        sentences.append("Went to staff depth on " + " and ".join(depth) + ".")
    return " ".join(sentences)


class QuoteBook:
    """Hands out quotes so no quote appears twice on one card (compared case-insensitively),
    and none that holds a passage the card names as a mistake (``avoid``): a wrong claim is
    never also quoted as a strength."""

    def __init__(self, avoid: Sequence[str] = ()) -> None:
        self._used: set[str] = set()
        self._avoid = [a.lower() for a in avoid if a.strip()]

    def take(self, candidates: Sequence[str], mistake: bool = False) -> str:
        """The first candidate not yet used; ``mistake``: it is quoted as the mistake itself."""
        for text in candidates:
            quote = short_quote(text)
            key = quote.lower()
            if not mistake and any(a in text.lower() or key.rstrip(".…") in a
                                   for a in self._avoid):
                continue
            if quote and key not in self._used:
                self._used.add(key)
                return quote
        return ""


# -- the level call in words ----------------------------------------------------------------


def _clause_in_words(clause: str, names: dict[str, str]) -> str:
    words = clause.replace(">=", "at least").replace("<=", "at most")
    for ident, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
        words = re.sub(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", name, words)
    return words


def level_in_words(rubric: Rubric, phases: dict[str, int], dims: dict[str, int],
                   level: str) -> str:
    """Why the level call is what it is: what the next level up asks that this session lacked.

    Each ``and`` clause of the next level's rule is checked on its own; the ones that fail are
    said in words (ids replaced by phase and dimension names).
    """
    names = {p: phase_title(p) for p in PHASES} | {d.id: d.name for d in rubric.dimensions}
    scores = Scores(phases, dims)
    levels = [lv.level for lv in rubric.levels]
    at = levels.index(level) if level in levels else len(levels) - 1
    if at == 0:
        held = rubric.levels[0].rule
        return f"It meets every condition of the top level: {_clause_in_words(held, names)}."
    above = rubric.levels[at - 1]
    failed = []
    for clause in above.rule.split(" and "):
        try:
            ok = parse_rule(clause, set(phases), set(dims))(scores)
        except (RuleError, KeyError):
            continue
        if not ok:
            failed.append(_clause_in_words(clause.strip(), names))
    if not failed:
        return f"It falls short of {above.level}."
    return f"{above.level.capitalize()} would need " + " and ".join(failed) + "."


def summary(rubric: Rubric, problem: Problem, phases: dict[str, int], dims: dict[str, int],
            level: str, overall: float) -> str:
    """Two or three sentences: the call, why, and the strongest and weakest phase."""
    ordered = sorted(phases, key=lambda p: (-phases[p], PHASES.index(p)))
    best, worst = ordered[0], ordered[-1]
    call = f"Level call: **{level}**, with an average of {overall:.1f} out of 4 across the five phases."
    spread = (f"The strongest phase was {phase_title(best)} ({phases[best]}); "
              f"the weakest was {phase_title(worst)} ({phases[worst]}).")
    if phases[best] == phases[worst]:
        spread = f"Every phase scored {phases[best]}."
    return " ".join([call, level_in_words(rubric, phases, dims, level), spread])


# -- per phase and per dimension ------------------------------------------------------------


def earned_quotes(grade: PhaseGrade | None, book: QuoteBook, limit: int = 2) -> list[tuple[str, str]]:
    """(why, quote) pairs for a phase's best evidence, each quote unused so far."""
    if grade is None:
        return []
    out: list[tuple[str, str]] = []
    for span in sorted(grade.evidence, key=lambda s: -len(s.why)):
        quote = book.take([span.text])
        if quote:
            out.append((plain_reason(span.why), quote))
        if len(out) >= limit:
            break
    return out


def dimension_notes(rubric: Rubric, dims: Sequence[DimensionScore],
                    book: QuoteBook) -> list[DimensionNote]:
    notes = []
    for d in dims:
        anchors = rubric.dimension(d.id).anchors
        notes.append(DimensionNote(
            id=d.id, name=d.name, score=d.score,
            earned=book.take(d.quotes) if d.score >= 2 else "",
            meaning=d.anchor,
            missing=anchors[d.score + 1] if d.score < 4 else "",
        ))
    return notes


# -- decisive moments -----------------------------------------------------------------------


def _credit(why: str) -> float:
    """What one evidence sentence earned: one per checkpoint, half per staff-depth category."""
    parts = re.split(r";\s*(?=covers:|staff depth:)", why)
    return sum(1.0 if p.startswith("covers:") else 0.5 for p in parts if p.strip())


def decisive_moments(turns: Sequence[Turn], grades: dict[str, PhaseGrade], book: QuoteBook,
                     is_answer, limit: int = MOMENTS_SHOWN) -> list[Moment]:
    """The candidate turns that moved their phase's grade the most, up or down.

    Read off the phase grades already made (no grading again): each evidence sentence is
    credited to the first turn that says it (one per checkpoint it covers, half per
    staff-depth category), and a turn that says one of the grade's concerns (a
    misconception, blocking work on the event loop, an arithmetic slip) lowered the grade by
    :data:`SCORE_STEP_POINTS`, whatever it also earned. Each concern is charged once.
    """
    found: list[tuple[float, int, str, list[str], str]] = []
    used: set[tuple[str, str]] = set()
    for index, turn in enumerate(turns):
        grade = grades.get(turn.phase)
        if grade is None or turn.role != "candidate" or not is_answer(turn):
            continue
        concerns = [c for c in _all_contained(grade.concerns, turn.text)
                    if (turn.phase, c.text) not in used]
        spans = [e for e in _all_contained(grade.evidence, turn.text)
                 if (turn.phase, e.text) not in used]
        used.update((turn.phase, x.text) for x in [*concerns, *spans])
        if concerns and grade.flags:  # a slip named where it costs nothing lowers nothing
            c = concerns[0]
            found.append((-SCORE_STEP_POINTS, index, turn.phase, [c.text, turn.text],
                          f"A concern: {c.why.rstrip('.')}."))
        elif spans:
            best = max(spans, key=lambda e: _credit(e.why))
            found.append((sum(_credit(e.why) for e in spans), index, turn.phase,
                          [best.text, turn.text], plain_reason(best.why)))
    found.sort(key=lambda m: (-abs(m[0]), m[1]))
    moments = []
    for change, index, phase, texts, why in found[:limit]:
        quote = book.take(texts, mistake=change < 0) or short_quote(texts[-1])
        moments.append(Moment(turn_index=index, phase=phase, quote=quote,
                              effect="raised" if change > 0 else "lowered",
                              points=round(change, 2), why=why))
    return sorted(moments, key=lambda m: m.turn_index)


def _all_contained(spans: Sequence[EvidenceSpan], text: str) -> list[EvidenceSpan]:
    """The ``spans`` (sentences of a phase's grade) that this turn contains."""
    lowered = " ".join(text.split()).lower()
    return [s for s in spans if " ".join(s.text.split()).lower() in lowered]


# -- drills ---------------------------------------------------------------------------------


def drills(problem: Problem, phases: dict[str, int], missing_ids: dict[str, set[str]],
           limit: int = DRILLS_SHOWN) -> list[Drill]:
    """The weakest phases first, each with the probe that asks about most of what it lacked.

    A phase gives at most one drill until every weak phase has one; ties keep the order of the
    interview.
    """
    order = sorted(PHASES, key=lambda p: (phases.get(p, 1), PHASES.index(p)))
    out: list[Drill] = []
    for phase in order:
        probes = problem.probes.get(phase) or []  # type: ignore[call-overload]
        if not probes or phases.get(phase, 1) >= 4:
            continue
        lacking = missing_ids.get(phase, set())
        probe = max(probes, key=lambda pr: (len(lacking.intersection(pr.when_missing)),
                                            -probes.index(pr)))
        covered = len(lacking.intersection(probe.when_missing))
        why = (f"{phase_title(phase)} scored {phases.get(phase, 1)}; this question asks about "
               f"{covered} point(s) you did not make." if covered else
               f"{phase_title(phase)} scored {phases.get(phase, 1)}; this is its core question.")
        out.append(Drill(phase=phase, probe_id=probe.id, probe=probe.text, why=why))
        if len(out) >= limit:
            break
    return out
