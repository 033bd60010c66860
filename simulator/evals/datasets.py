"""Eval datasets: one JSON object per line, validated into a pydantic case model.

A dataset is data someone edits by hand, so a bad line must fail before any case runs, with
the file and the line number in a one-line message (``grading_dev.jsonl:17: gold: ...``).
The schemas of every dataset are documented in ``evals/README.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulator import jsonl
from simulator.content.problems import Phase
from simulator.evals.retrieval import DatasetError
from simulator.grading.devset import DevItem, half_of
from simulator.interview.replay import MAX_TURNS_PER_CASE

__all__ = [
    "CHECKS",
    "ClaimCase",
    "DatasetError",
    "EstimateCase",
    "GradingCase",
    "InterviewCase",
    "InterviewerCase",
    "ProbeCase",
    "dataset_hash",
    "load_jsonl",
]

M = TypeVar("M", bound=BaseModel)


class _Case(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GradingCase(DevItem):
    """A line of the grading dev set (the grading package's schema), strictly checked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    phase: Phase


class ProbeCase(_Case):
    """One candidate turn and whether the interviewer should ask an event-loop probe next."""

    id: str = Field(min_length=1)
    problem: str
    phase: Phase
    text: str = Field(min_length=1)
    should_probe: bool
    why: str = ""
    #: Optional, as in `event_loop.jsonl`: which event-loop finding is expected, and the half
    #: ("tune" was read while building the readers, "heldout" never was).
    kind: Literal["main-thread-blocking", "libuv-pool-saturation", "child-process-contention",
                  "memory-gc"] | None = None
    split: Literal["tune", "heldout"] | None = None


#: What the interviewer suite can check on a scripted interview (see `evals/README.md`).
CHECKS: tuple[str, ...] = (
    "phase-order",
    "nudge",
    "no-answer-leak",
    "time-budget",
    "refuses-reveal",
)


class InterviewerCase(_Case):
    """A scripted candidate and the behaviours the interviewer must show with them."""

    id: str = Field(min_length=1)
    problem: str
    candidate_turns: list[str] = Field(min_length=1, max_length=MAX_TURNS_PER_CASE)
    checks: list[str] = Field(min_length=1)
    start_phase: Phase = "clarify"
    minutes: float = Field(default=45, gt=0, le=240)
    seed: int = 0
    note: str = ""

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, checks: list[str]) -> list[str]:
        unknown = [c for c in checks if c not in CHECKS]
        if unknown:
            raise ValueError(f"unknown check(s) {', '.join(unknown)}; valid: {', '.join(CHECKS)}")
        return checks


class InterviewCase(_Case):
    """A full scripted interview (`interviews.jsonl`): persona, clock, and the phase gold."""

    id: str = Field(min_length=1)
    problem: str
    minutes: float = Field(gt=0, le=240)
    seed: int = 0
    level: Literal["mid", "senior", "staff"] = "senior"
    persona: Literal["strong", "weak", "curious"]
    candidate_turns: list[str] = Field(min_length=1, max_length=MAX_TURNS_PER_CASE)
    phase_of_turn: list[str] = Field(default_factory=list)
    gold: dict[str, int] = Field(default_factory=dict)
    notes: str = ""



class EstimateCase(_Case):
    """A back-of-the-envelope estimate and the figures in it that are slips (`estimates.jsonl`)."""

    id: str = Field(min_length=1)
    problem: str
    text: str = Field(min_length=1)
    has_slip: bool
    slips: list[str] = Field(default_factory=list)
    why: str = ""
    split: Literal["tune", "heldout"]


class ClaimCase(_Case):
    """One sentence a candidate might say, wrong or its corrected twin.

    Two shapes share this model: `misconceptions.jsonl` labels a wrong sentence with the
    library id it states (`misconception`), while a set written blind to the library says only
    whether it is `wrong` and describes the `belief` in words. Twins share `pair`; the half
    is `split` when given, else hashed from the pair like the grading sets.
    """

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    misconception: str | None = None
    wrong: bool | None = None
    belief: str = ""
    topic: str = ""
    pair: str = Field(min_length=1)
    split: Literal["tune", "heldout"] | None = None

    @property
    def is_wrong(self) -> bool:
        return self.wrong if self.wrong is not None else self.misconception is not None

    @property
    def half(self) -> Literal["tune", "heldout"]:
        if self.split is not None:
            return self.split
        return "tune" if half_of(self.pair) == "tune" else "heldout"


class AdaptationCase(_Case):
    """A candidate's answer to a curveball or a 10x stretch, with a human grade
    (`adaptation.jsonl`)."""

    id: str = Field(min_length=1)
    problem: str
    kind: Literal["curveball", "stretch"]
    question: str = Field(min_length=1)
    answer: str
    gold: int = Field(ge=1, le=4)
    split: Literal["tune", "held-out"]
    why: str = ""
    tags: list[str] = Field(default_factory=list)


def load_jsonl(
    path: Path, model: type[M], check: Callable[[M], None] | None = None
) -> list[M]:
    """Every case of a suite's dataset (see `simulator.jsonl`); raises DatasetError."""
    return jsonl.load_jsonl(path, model, check, error=DatasetError)


def dataset_hash(path: Path) -> str:
    """Short content hash, so a compare can warn that two runs used different datasets."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
