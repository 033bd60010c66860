"""Typed records of an interview: turns, their grounding, and the engine's state.

These are the boundary objects: the engine produces them, the store persists them as JSON,
the CLI, the app, replay and the grader read them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from simulator.phases import PHASE_ORDER, PhaseName, next_phase, phase_budgets_s, phase_end_s

__all__ = ["PHASE_ORDER", "Citation", "InterviewState", "PhaseName", "Turn", "next_phase",
           "phase_budgets_s", "phase_end_s"]

Intent = Literal["question", "probe", "hint", "transition", "wrap-up", "answer"]
Role = Literal["interviewer", "candidate"]


class Citation(BaseModel):
    """A corpus chunk a turn is grounded in."""

    chunk_id: str
    doc_id: str
    title: str
    heading: str = ""
    score: float = 0.0


#: The longest candidate message taken, in characters (about 5,000 tokens of English): a
#: longer one is refused with a message, never cut silently. The engine reads only the first
#: ``max_input_tokens`` of a long one and says so in the turn's notice.
MAX_MESSAGE_CHARS = 20_000


class Turn(BaseModel):
    role: Role
    phase: PhaseName
    text: str
    intent: Intent | None = None  # interviewer turns only
    probe: str | None = None  # id of the probe or nudge, when there is one
    grounding: list[Citation] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)  # e.g. empty, too-long, idk, off-topic
    elapsed_s: float = 0.0  # interview clock when the turn was made
    notice: str | None = None  # what happened behind the scenes (fallbacks, truncation)


class InterviewState(BaseModel):
    """Everything the engine needs to continue an interview; saved after every turn."""

    problem_id: str
    seed: int = 0
    minutes: float = 45
    level: Literal["mid", "senior", "staff"] = "senior"
    phase: PhaseName = "clarify"
    phase_started_s: float = 0.0
    phase_turns: int = 0
    phase_idk: int = 0
    phase_hints: int = 0  # hints given in this phase (a repeat says so)
    covered: list[str] = Field(default_factory=list)  # expectation ids, in order covered
    asked: list[str] = Field(default_factory=list)  # probe ids already asked
    runtime_mentioned: bool = False
    nudged_framework: bool = False
    finished: bool = False
    turn_count: int = 0
    elapsed_s: float = 0.0  # interview clock at the last turn (lets a resumed clock continue)
    last_question: str = ""  # what the interviewer last asked, re-asked after empty input
    idk_total: int = 0
    curveball: str | None = None  # the requirement change brought in, once per interview
    said_counts: dict[str, int] = Field(default_factory=dict)  # rotates varied phrasings
