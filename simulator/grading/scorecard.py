"""The session scorecard: every phase graded, the dimensions, the level call and what to do next.

A scorecard is built from the transcript alone (a stored :class:`SessionRecord`, or a
problem and its turns), so it can be rebuilt at any time and gives the same result for the
same transcript. Each phase grades the candidate's turns of that phase joined together;
commands (`/next`, `/hint`, `/end`) and empty or binary input are not answers and are
skipped. A phase the candidate never reached scores 1 and says so, because the rubric's
level rules need every phase and a silent gap must not read as a pass.

The level call reports the rubric rule that produced it, so a reader can check it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from simulator.content.loader import Content, load_content
from simulator.content.problems import Problem, UnknownProblemError
from simulator.content.prompt_set import corpus_files
from simulator.content.rubric import Rubric
from simulator.grading.adaptation import AdaptationGrade, grade_adaptations
from simulator.grading.dimensions import DimensionScore, score_dimensions
from simulator.grading.offline import PhaseGrade, grade_answer
from simulator.grading.reading import Article, recommend
from simulator.grading.review import (
    DimensionNote,
    Drill,
    Moment,
    QuoteBook,
    decisive_moments,
    dimension_notes,
    drills,
    earned_quotes,
    phase_title,
    summary,
)
from simulator.phases import PHASES
from simulator.reading.record import InterviewRecord
from simulator.reading.turn import PointHit, Vocabulary
from simulator.safe_text import markdown_text
from simulator.store.sessions import SessionRecord
from simulator.transcript import Turn

#: Turn flags that mean "not an answer".
SKIP_FLAGS = frozenset({"command", "empty", "binary"})
#: How many missed expectation texts to show per phase.
MISSING_SHOWN = 4


class Quote(BaseModel):
    """A strength or a gap, with the candidate's own words where there are some."""

    phase: str
    point: str
    quote: str = ""


class PhaseResult(BaseModel):
    """One phase on the scorecard."""

    phase: str
    score: int = Field(ge=1, le=4)
    reached: bool
    anchor: str  # the rubric's meaning of this score in this phase
    note: str = ""
    grade: PhaseGrade | None = None
    stronger_answer: str = ""
    missing: list[str] = Field(default_factory=list)
    #: (why, quote) for what earned the score, one short quote each, none repeated on the card
    earned: list[Quote] = Field(default_factory=list)


class LevelCall(BaseModel):
    level: str
    rule: str


class Scorecard(BaseModel):
    """The whole-session result; ``model_dump_json()`` is what the store saves."""

    problem_id: str
    problem_title: str
    session_id: str | None = None
    rubric_version: int
    rubric_hash: str
    grader: str = "offline"
    overall: float  # average phase score
    phases: list[PhaseResult]
    dimensions: list[DimensionScore]
    level: LevelCall
    strengths: list[Quote] = Field(default_factory=list)
    gaps: list[Quote] = Field(default_factory=list)
    reading: list[Article] = Field(default_factory=list)
    # The answers to the requirement change and the 10x stretch, graded on their own.
    adaptation: list[AdaptationGrade] = Field(default_factory=list)
    #: The reviewer's reading: the call and why in words, dimensions in sentences, the turns
    #: that moved the grade and three drills (empty on cards stored by older versions).
    summary: str = ""
    dimension_notes: list[DimensionNote] = Field(default_factory=list)
    moments: list[Moment] = Field(default_factory=list)
    drills: list[Drill] = Field(default_factory=list)


def is_answer(turn: Turn) -> bool:
    """A candidate turn that answers (not a command, not empty or binary input)."""
    if turn.role != "candidate" or SKIP_FLAGS.intersection(turn.flags):
        return False
    text = turn.text.strip()
    return bool(text) and not (text.startswith("/") and len(text.split()) == 1)


def candidate_text_by_phase(turns: Sequence[Turn]) -> dict[str, str]:
    """The candidate's answers joined per phase (commands and empty/binary turns skipped)."""
    parts: dict[str, list[str]] = {}
    for turn in turns:
        if not is_answer(turn):
            continue
        text = turn.text.strip()
        parts.setdefault(turn.phase, []).append(text)
    return {phase: "\n\n".join(texts) for phase, texts in parts.items()}


class PhaseJudge(Protocol):
    """A second grader (the LLM judge) that starts from the offline grade."""

    def grade(
        self, problem: Problem, phase: str, answer: str, offline: PhaseGrade
    ) -> PhaseGrade: ...


def _phase_result(
    problem: Problem,
    phase: str,
    text: str | None,
    rubric: Rubric,
    catalog: dict[str, Problem],
    judge: PhaseJudge | None = None,
    elsewhere: dict[str, tuple[str, str]] | None = None,
    vocabulary: Vocabulary | None = None,
) -> PhaseResult:
    spec = rubric.phases[phase]
    if not text:
        return PhaseResult(
            phase=phase,
            score=1,
            reached=False,
            anchor=spec.anchors[1],
            note="not reached: the interview ended before this phase, so it scores 1",
            stronger_answer=spec.stronger_answer,
            missing=[e.text for e in problem.expectations(phase)][:MISSING_SHOWN],
        )
    own = {e.id for e in problem.expectations(phase)}
    grade = grade_answer(problem, phase, text, rubric, catalog, vocabulary=vocabulary,
                         elsewhere={k: v for k, v in (elsewhere or {}).items() if k in own})
    if judge is not None:
        grade = judge.grade(problem, phase, text, grade)
    return PhaseResult(
        phase=phase,
        score=grade.score,
        reached=True,
        anchor=spec.anchors[grade.score],
        note="; ".join(grade.flags),
        grade=grade,
        stronger_answer=spec.stronger_answer if grade.score < 4 else "",
        missing=grade.missing[:MISSING_SHOWN],
    )


def _strengths(results: list[PhaseResult], dims: list[DimensionScore]) -> list[Quote]:
    out = []
    for r in results:
        if r.grade is None or r.score < 3:
            continue
        for span in sorted(r.grade.evidence, key=lambda s: -len(s.why))[:2]:
            out.append(Quote(phase=r.phase, point=span.why, quote=span.text))
    for d in dims:
        if d.score >= 3 and d.quotes:
            out.append(Quote(phase=d.id, point=f"{d.name}: {d.anchor}", quote=d.quotes[0]))
    return out[:8]


def _gaps(results: list[PhaseResult], dims: list[DimensionScore]) -> list[Quote]:
    out = []
    for r in results:
        if not r.reached:
            out.append(Quote(phase=r.phase, point=r.note))
            continue
        if r.score >= 3:
            continue
        grade = r.grade
        assert grade is not None
        quote = grade.concerns[0].text if grade.concerns else ""
        flags = f" ({', '.join(grade.flags)})" if grade.flags else ""
        point = f"scored {r.score}{flags}: {r.anchor}"
        out.append(Quote(phase=r.phase, point=point, quote=quote))
    for d in dims:
        if d.score <= 2:
            out.append(Quote(phase=d.id, point=f"{d.name} at {d.score}: {d.anchor}"))
    return out


def build_scorecard(
    source: SessionRecord | tuple[Problem, Sequence[Turn]],
    rubric: Rubric,
    *,
    catalog: dict[str, Problem],
    articles: Iterable[Path] | None = None,
    judge: PhaseJudge | None = None,
    content: Content | None = None,
) -> Scorecard:
    """Grade a whole session: a stored record, or ``(problem, turns)``.

    With a ``judge``, each reached phase is graded offline first and the judge's grade
    (which starts from it) is used; without one the scorecard is fully deterministic.
    """
    if isinstance(source, SessionRecord):
        if source.problem_id not in catalog:
            raise UnknownProblemError(source.problem_id, list(catalog))
        problem = catalog[source.problem_id]
        turns, session_id = source.turns, source.id
    else:
        problem, turns = source
        session_id = None
    texts = candidate_text_by_phase(turns)
    content = content or load_content()
    # The whole interview read once: a point made in any phase is credited in the phase it
    # belongs to (and said where), and the adaptation grades read the same record.
    record = _record(problem, turns, content)
    made = record.points(committed=True)
    results = [_phase_result(problem, p, texts.get(p), rubric, catalog, judge,
                             elsewhere={pid: (where, _words(hit))
                                        for pid, (where, hit) in made.items() if where != p},
                             vocabulary=record.vocabulary)
               for p in PHASES]
    grades = {r.phase: r.grade for r in results if r.grade is not None}
    # Phases in the order the candidate first answered them (communication checks the order).
    reached = [p for p in texts if p in PHASES]
    all_text = "\n\n".join(texts[p] for p in texts)
    dims = score_dimensions(rubric, all_text, grades, reached, problem,
                            made={pid: hit.quote for pid, (_, hit) in made.items()})

    phase_scores = {r.phase: r.score for r in results}
    dim_scores = {d.id: d.score for d in dims}
    rule = rubric.level_for(phase_scores, dim_scores)
    weak = [r.phase for r in results if r.score <= 2] + [d.id for d in dims if d.score <= 2]
    if articles is None:
        articles = corpus_files().values()
    level = LevelCall(level=rule.level, rule=rule.rule)
    overall = round(sum(phase_scores.values()) / len(phase_scores), 2)
    book = QuoteBook(avoid=[c.text for r in results if r.grade is not None
                            for c in r.grade.concerns])
    moments = decisive_moments(turns, grades, book, is_answer)
    for r in results:
        r.earned = [Quote(phase=r.phase, point=why, quote=q)
                    for why, q in earned_quotes(r.grade, book)]
        if r.grade is not None:
            r.earned += [Quote(phase=r.phase,
                               point=f"{e.point} (said during {phase_title(e.phase)})",
                               quote=book.take([e.quote]))
                         for e in r.grade.elsewhere[:2]]
    ids_by_text = {e.text: e.id for e in problem.all_expectations().values()}
    missing_ids = {r.phase: {ids_by_text[m] for m in (r.grade.missing if r.grade else
                                                  [e.text for e in problem.expectations(r.phase)])
                             if m in ids_by_text} for r in results}
    return Scorecard(
        problem_id=problem.id,
        problem_title=problem.title,
        session_id=session_id,
        rubric_version=rubric.version,
        rubric_hash=rubric.content_hash,
        grader=_grader_name(grades),
        overall=overall,
        phases=results,
        dimensions=dims,
        level=level,
        strengths=_strengths(results, dims),
        gaps=_gaps(results, dims),
        reading=recommend(problem, weak, articles),
        adaptation=grade_adaptations(record, content.interviewer, content.modifiers),
        summary=summary(rubric, problem, phase_scores, dim_scores, rule.level, overall),
        dimension_notes=dimension_notes(rubric, dims, book),
        moments=moments,
        drills=drills(problem, phase_scores, missing_ids),
    )


def _words(hit: PointHit) -> str:
    """The candidate's words for a point: the clause that makes it, or its whole sentence
    when the clause alone is too short to stand as a quote ("Out of scope")."""
    return hit.phrase if len(hit.phrase.split()) >= 5 else hit.quote


def _record(problem: Problem, turns: Sequence[Turn], content: Content) -> InterviewRecord:
    """The interview's record: every answer read once, commands and empty input left out."""
    return InterviewRecord.replay(content.vocabulary(problem.id), [
        (t.role, t.phase, t.text, t.intent, t.probe) for t in turns
        if t.role == "interviewer" or not SKIP_FLAGS & set(t.flags)])


def _grader_name(grades: dict[str, PhaseGrade]) -> str:
    names = sorted({g.grader for g in grades.values()})
    return "+".join(names) if names else "offline"


def labels(card: Scorecard) -> dict[str, str]:
    """Phase and dimension ids -> the names a reader sees."""
    return {p.phase: phase_title(p.phase) for p in card.phases} | {
        d.id: d.name for d in card.dimensions}


def scorecard_markdown(card: Scorecard) -> str:
    """The card as a reviewer writes it: the call and why, each phase and dimension with what
    earned it and what was missing, the decisive moments, drills and reading."""
    names = labels(card)
    lines = [
        f"# Scorecard: {card.problem_title}",
        "",
        card.summary or f"Level call: **{card.level.level}**.",
        "",
        (f"Average phase score {card.overall:.2f} / 4 · grader: {card.grader} · "
         f"rubric v{card.rubric_version} ({card.rubric_hash})"),
        "",
        "## Phase by phase",
    ]
    for r in card.phases:
        lines += ["", f"### {phase_title(r.phase)}: {r.score}/4", "", r.anchor]
        if not r.reached:
            lines += ["", "Not reached: the interview ended before this phase, so it scores 1."]
        if r.earned:
            lines += ["", "What earned it:"]
            lines += [f'- "{markdown_text(q.quote)}" {q.point}' for q in r.earned]
        if r.grade is not None and r.grade.concerns:
            # slips and wrong claims, in the phase they were said (they cost points only
            # where the rubric grades them: an estimate's arithmetic, any phase's wrong claim)
            lines += ["", "Mistakes:"]
            lines += [f'- "{markdown_text(c.text)}" {c.why}' for c in r.grade.concerns]
        if r.missing:
            lines += ["", "What was missing:"]
            lines += [f"- {m}" for m in r.missing]
        if r.stronger_answer:
            lines += ["", f"A stronger answer: {r.stronger_answer}"]
    lines += ["", "## Dimensions", ""]
    for d in card.dimension_notes:
        earned = f' Earned by: "{markdown_text(d.earned)}"' if d.earned else ""
        missing = f" To score {d.score + 1}: {d.missing}" if d.missing else ""
        earned += "." if earned and not missing else ""
        lines.append(f"- **{d.name}: {d.score}/4.** {d.meaning}{earned}{missing}")
    if card.moments:
        lines += ["", "## Decisive moments", ""]
        for m in card.moments:
            lines.append(f'- Turn {m.turn_index + 1} ({phase_title(m.phase)}) {m.effect} the '
                         f'grade: "{markdown_text(m.quote)}" {m.why}')
    if card.drills:
        lines += ["", "## Drills", ""]
        for i, d in enumerate(card.drills, 1):
            lines.append(f"{i}. **{phase_title(d.phase)}**: {d.probe} {d.why}")
    if card.adaptation:
        lines += ["", "## Adapting to changes", ""]
        for a in card.adaptation:
            what = "The requirement change" if a.kind == "curveball" else "The 10x stretch"
            lines.append(f"- **{what}: {a.score}/4.** {'; '.join(a.reasons).capitalize()}.")
            lines.append(f"  > {_one_line(a.question)}")
            if a.quote:
                lines.append(f'  > "{markdown_text(_one_line(a.quote))}"')
    if card.reading:
        lines += ["", "## Read next", ""]
        for a in card.reading:
            why = ", ".join(names.get(w, w) for w in a.why)
            section = f", section “{a.heading}”" if a.heading else ""
            lines.append(f"- {a.title} (for {why}{section})")
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
