"""Score the rubric's cross-cutting dimensions (1-4) over a whole interview.

A dimension's regex cues are evidence, never proof (the rubric says so), so a dimension is
never scored from vocabulary alone: a cue only counts fully when its sentence also reasons
or quantifies, and the score is held near the grades of the phases where the dimension is
actually exercised (data modelling in the design, reliability in the bottlenecks...). The
Node.js runtime dimension also looks at what the candidate *did* with the runtime: blocking
work left on the request path or per-process state in a scaled-out design pull it down.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from simulator.content.problems import Problem
from simulator.content.rubric import Dimension, Rubric
from simulator.grading.features import CONNECTIVE, numbers_in, sentences
from simulator.grading.offline import PhaseGrade

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


def _cue_evidence(dimension: Dimension, text: str) -> tuple[float, list[str]]:
    """Distinct cues matched (1 when the sentence reasons or quantifies, else 0.5), quotes."""
    credit, quotes = 0.0, []
    sents = sentences(text)
    for pattern in dimension.patterns:
        best = 0.0
        quote = ""
        for s in sents:
            if not pattern.search(s.text):
                continue
            value = 1.0 if (CONNECTIVE.search(s.text) or numbers_in(s.text)) else 0.5
            if value > best:
                best, quote = value, s.text
            if best == 1.0:
                break
        credit += best
        if quote and quote not in quotes:
            quotes.append(quote)
    return credit, quotes


def _cue_level(credit: float) -> int:
    return 1 if credit < 0.5 else 2 if credit < 2.5 else 3 if credit < 4.5 else 4


def _anchor_score(grades: dict[str, PhaseGrade], phases: Iterable[str]) -> int:
    scores = [grades[p].score for p in phases if p in grades]
    return max(scores) if scores else 1


def _structure_level(text: str, reached: list[str], rubric: Rubric) -> tuple[int, list[str]]:
    """Communication: structure markers plus walking the phases in order.

    ``reached`` lists the phases in the order the candidate first answered them.
    """
    credit, _ = _cue_evidence(rubric.dimension("communication"), text)
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


def score_dimensions(
    rubric: Rubric,
    text: str,
    grades: dict[str, PhaseGrade],
    reached: list[str],
    problem: Problem | None = None,
) -> list[DimensionScore]:
    """Every rubric dimension scored from the candidate's whole text and the phase grades."""
    out = []
    for dim in rubric.dimensions:
        credit, quotes = _cue_evidence(dim, text)
        anchor = _anchor_score(grades, ANCHOR_PHASES.get(dim.id, tuple(rubric.phases)))
        reasons = [f"{credit:g} cue(s) of {len(dim.cues)} matched (full credit when reasoned)"]
        if dim.id == "communication":
            level, more = _structure_level(text, reached, rubric)
            reasons = more
        elif dim.id == "nodejs-runtime" and problem is not None:
            node_points = [e for e in problem.all_expectations().values() if e.nodejs]
            made = [e for e in node_points if e.matches(text)]
            # The problem's own Node.js points are the better evidence; cues fill in.
            credit += 1.5 * len(made)
            level = _cue_level(credit)
            reasons.append(f"{len(made)} of {len(node_points)} Node.js points of this problem made")
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
                quotes=quotes[:3],
                reasons=reasons,
            )
        )
    return out
