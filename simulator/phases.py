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

#: Share of the total interview time each phase gets (sums to 1). Trade-offs is where
#: seniority shows, so it gets as long as the bottlenecks; the close is a couple of minutes.
PHASE_SHARE: dict[PhaseName, float] = {
    "clarify": 0.12,
    "estimate": 0.14,
    "design": 0.28,
    "bottlenecks": 0.18,
    "trade-offs": 0.18,
    "wrap-up": 0.10,
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


#: A phase keeps at least this share of its own budget, however late the interview runs...
MIN_PHASE_SHARE = 0.6
#: ... and takes at most this multiple of it, however much time earlier phases saved.
MAX_PHASE_STRETCH = 1.5


def phase_end_s(phase: PhaseName, started_s: float, total_minutes: float) -> float:
    """When ``phase`` (started at ``started_s``) should end on the interview clock.

    An interviewer keeps one schedule for the whole interview: each phase ends at the mark
    where the budgets so far add up, so a phase that overran is caught up on by the next ones
    instead of pushing the close past the end, and time saved early goes to later phases.
    The bounds keep any one phase from being squeezed to nothing or stretched without end.
    """
    budgets = phase_budgets_s(total_minutes)
    mark = sum(budgets[p] for p in PHASE_ORDER[: PHASE_ORDER.index(phase) + 1])
    own = budgets[phase]
    return min(max(mark, started_s + MIN_PHASE_SHARE * own), started_s + MAX_PHASE_STRETCH * own)


def next_phase(phase: PhaseName) -> PhaseName:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[min(index + 1, len(PHASE_ORDER) - 1)]
