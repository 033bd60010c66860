"""Score the rubric's cross-cutting dimensions (1-4) over a whole interview.

A dimension's regex cues are evidence, never proof (the rubric says so), so a dimension is
never scored from vocabulary alone: a cue only counts fully when its sentence also reasons
or quantifies, and the score is held near the grades of the phases where the dimension is
actually exercised (data modelling in the design, reliability in the bottlenecks...). The
Node.js runtime dimension also looks at what the candidate *did* with the runtime: blocking
work left on the request path or per-process state in a scaled-out design pull it down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from simulator.content.problems import Expectation, Problem
from simulator.content.rubric import Dimension, Rubric
from simulator.grading.offline import PhaseGrade
from simulator.reading.answer import AnswerReading, read_answer
from simulator.reading.turn import statements
from simulator.reading.word_forms import tokens

#: Phases whose grades anchor each dimension (a dimension cannot sit far above them).
ANCHOR_PHASES: dict[str, tuple[str, ...]] = {
    "communication": ("clarify",),
    "nodejs-runtime": ("design", "bottlenecks"),
    "data-persistence": ("design",),
    "reliability-operations": ("bottlenecks", "design"),
    "security": ("clarify", "design", "bottlenecks"),
    "cost-awareness": ("estimate", "trade-offs"),
}

_RUNTIME_FLAGS = ("event-loop-blocking", "local-state")


class DimensionScore(BaseModel):
    """One dimension's score with the quotes that support it."""

    id: str
    name: str
    score: int = Field(ge=1, le=4)
    anchor: str  # the rubric's description of this score
    quotes: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)


def _cue_evidence(dimension: Dimension, answer: AnswerReading) -> tuple[float, list[str]]:
    """Distinct cues and terms found (1 when the sentence reasons or quantifies, else 0.5),
    with the sentences that show them.

    Terms are phrases matched in any word form ("authenticates" for "authenticate"); a term
    found inside a cue's match in the same sentence is the same evidence and counts once, and
    terms with the same stems ("authenticate", "authentication") are one term.
    """
    kept = [i for i, s in enumerate(answer.sentences)
            if dimension.id == "communication" or not answer.scopes_out(i)]
    sents = [answer.sentences[i] for i in kept]
    value = [1.0 if answer.reasoned_sentence(i) else 0.5 for i in kept]
    cue_spans: list[list[tuple[int, int]]] = [[] for _ in sents]
    best: dict[object, tuple[float, str]] = {}

    def credit_with(key: object, i: int) -> None:
        if value[i] > best.get(key, (0.0, ""))[0]:
            best[key] = (value[i], sents[i].text)

    for n, pattern in enumerate(dimension.patterns):
        for i, s in enumerate(sents):
            m = pattern.search(s.text)
            if m:
                cue_spans[i].append(m.span())
                credit_with(("cue", n), i)
    words = [tokens(s.text) for s in sents] if dimension.phrases else []
    for phrase in dimension.phrases:
        for i in range(len(sents)):
            span = phrase.find(words[i])
            if span and not any(a < span[1] and span[0] < b for a, b in cue_spans[i]):
                credit_with(("term", phrase.stems), i)
    quotes = list(dict.fromkeys(q for _, q in sorted(best.values(), key=lambda v: -v[0])))
    return sum(v for v, _ in best.values()), quotes


def _cue_level(credit: float) -> int:
    return 1 if credit < 0.5 else 2 if credit < 2.5 else 3 if credit < 4.5 else 4


def _anchor_score(grades: dict[str, PhaseGrade], phases: Iterable[str]) -> int:
    scores = [grades[p].score for p in phases if p in grades]
    return max(scores) if scores else 1


def _structure_level(answer: AnswerReading, reached: list[str],
                     rubric: Rubric) -> tuple[int, list[str]]:
    """Communication: structure markers plus walking the phases in order.

    ``reached`` lists the phases in the order the candidate first answered them.
    """
    credit, _ = _cue_evidence(rubric.dimension("communication"), answer)
    level = _cue_level(credit)
    reasons = [f"{credit:g} structure/assumption cue(s)"]
    phases = list(rubric.phases)
    in_order = reached == sorted(reached, key=phases.index)
    if len(reached) < 3:
        level = min(level, 2)
        reasons.append(f"reached only {len(reached)} phase(s)")
    elif len(reached) == len(phases) and in_order:
        level = min(4, level + 1)
        reasons.append("walked every phase in order")
    return level, reasons


def _points_of(problem: Problem, dimension: str) -> list[Expectation]:
    return [e for e in problem.all_expectations().values()
            if dimension in e.dimensions or (dimension == "nodejs-runtime" and e.nodejs)]


#: Filler and slogans per sentence, averaged over the graded phases, that cost communication
#: a level: a rambler is not communicating structure, however many signposts it says.
FILLER_LIMIT = 0.3


def _filler(grades: dict[str, PhaseGrade]) -> float:
    weighted = [(float(g.features.get("filler_density", 0.0)),  # type: ignore[arg-type]
                 int(g.features.get("sentences", 0))) for g in grades.values()]  # type: ignore[call-overload]
    total = sum(n for _, n in weighted)
    return sum(d * n for d, n in weighted) / total if total else 0.0


def score_dimensions(
    rubric: Rubric,
    text: str,
    grades: dict[str, PhaseGrade],
    reached: list[str],
    problem: Problem | None = None,
    made: Mapping[str, str] | None = None,
) -> list[DimensionScore]:
    """Every rubric dimension scored from the candidate's whole text and the phase grades.

    The problem's own points mapped to a dimension are its best evidence (``made``: the ids
    of points the candidate made anywhere in the interview, with their words; read from the
    text when not given); general cues and terms fill in.
    """
    answer = read_answer(text)
    if made is None and problem is not None:
        said = read_answer(statements(text))
        made = {e.id: "" for e in problem.all_expectations().values() if said.shows(e)}
    out = []
    for dim in rubric.dimensions:
        credit, quotes = _cue_evidence(dim, answer)
        anchor = _anchor_score(grades, ANCHOR_PHASES.get(dim.id, tuple(rubric.phases)))
        reasons = [f"{credit:g} cue(s) and term(s) found (full credit when reasoned)"]
        if dim.id == "communication":
            level, more = _structure_level(answer, reached, rubric)
            reasons = more
            filler = _filler(grades)
            if filler >= FILLER_LIMIT and level > 1:
                level -= 1
                reasons.append(f"generic filler ({filler:.1f} per sentence): one lower")
        elif problem is not None:
            own = _points_of(problem, dim.id)
            hits = [e for e in own if e.id in (made or {})]
            # The problem's own points are the better evidence; cues fill in.
            credit += 1.5 * len(hits)
            level = _cue_level(credit)
            quotes = [q for q in ((made or {})[e.id] for e in hits) if q] + quotes
            reasons.append(f"{len(hits)} of {len(own)} points of this problem that show it made")
        else:
            level = _cue_level(credit)
        score = min(level, anchor + 1)
        if score < level:
            reasons.append(f"held to {score}: the phases that exercise it scored at most {anchor}")
        if dim.id == "nodejs-runtime":
            bad = [f for g in grades.values() for f in g.flags if f in _RUNTIME_FLAGS]
            runtime_numbers = any(g.features.get("runtime_numbers") for g in grades.values())
            if score == 4 and not runtime_numbers:
                score = 3
                reasons.append("no runtime figures (pool size, heap, ELU, CPU ms): at most 3")
            if bad:
                score = max(1, min(2, score - len(bad)))
                reasons.append(f"runtime mistakes in the design ({', '.join(sorted(set(bad)))})")
        score = max(1, min(4, score))
        out.append(
            DimensionScore(
                id=dim.id,
                name=dim.name,
                score=score,
                anchor=dim.anchors[score],
                quotes=quotes[:6],  # a few spare: the card never repeats a quote
                reasons=reasons,
            )
        )
    return out
