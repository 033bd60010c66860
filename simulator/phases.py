"""The interview's phases, defined once.

Every module that names a phase (the catalog, the rubric, the engine, the grader, the CLI,
the pages) takes it from here, so adding or renaming a phase is one edit. The five scored
phases walk the framework; "wrap-up" is the close, timed but never scored.
"""

from __future__ import annotations

from typing import Literal, get_args

Phase = Literal["clarify", "estimate", "design", "bottlenecks", "trade-offs"]
#: The scored phases, in the order the interviewer walks them.
PHASES: tuple[Phase, ...] = get_args(Phase)

PhaseName = Literal["clarify", "estimate", "design", "bottlenecks", "trade-offs", "wrap-up"]
#: Every phase an interview passes through, the close included.
PHASE_ORDER: tuple[PhaseName, ...] = get_args(PhaseName)

#: Share of the total interview time each phase gets (sums to 1).
PHASE_SHARE: dict[PhaseName, float] = {
    "clarify": 0.12,
    "estimate": 0.15,
    "design": 0.30,
    "bottlenecks": 0.20,
    "trade-offs": 0.15,
    "wrap-up": 0.08,
}

#: What each phase is called on screen.
PHASE_TITLES: dict[PhaseName, str] = {
    "clarify": "Clarify requirements",
    "estimate": "Estimate scale",
    "design": "High-level design",
    "bottlenecks": "Bottlenecks",
    "trade-offs": "Trade-offs",
    "wrap-up": "Close",
}


def phase_budgets_s(total_minutes: float) -> dict[PhaseName, float]:
    """Seconds each phase gets in an interview of ``total_minutes``."""
    return {phase: share * total_minutes * 60 for phase, share in PHASE_SHARE.items()}


def next_phase(phase: PhaseName) -> PhaseName:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[min(index + 1, len(PHASE_ORDER) - 1)]
