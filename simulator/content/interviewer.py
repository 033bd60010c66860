"""The interviewer's phrasing templates (`prompts/interviewer.yaml`), schema-checked on load."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator.content.datafile import parse_mapping, validation_message
from simulator.content.problems import CatalogError
from simulator.phases import PHASES as _PHASES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _options(value: object) -> object:
    """A phrasing said more than once may be one string or a list of variants to rotate."""
    return [value] if isinstance(value, str) else value


class Reasons(_Strict):
    goals_met: list[str] = Field(min_length=1)
    time_up: list[str] = Field(min_length=1)
    candidate_asked: str
    turns_used: str
    idk_twice: str
    total_time_up: str

    _goals_met = field_validator("goals_met", mode="before")(_options)


class Rung(_Strict):
    """One step of a deepening ladder: harder steps carry a higher level."""

    level: Literal["mid", "senior", "staff"]
    text: str
    # A "ten times" question: one per interview is the 10x stretch (asked once, at any level).
    stretch: bool = False


class EventLoopTemplates(_Strict):
    runtime: str


#: Every runtime-finding variant the reader produces needs a probe.
RUNTIME_PROBES = (
    "main-thread-blocking", "main-thread-blocking/unspecified", "main-thread-blocking/sync",
    "libuv-pool-saturation", "child-process-contention", "memory-gc",
)

RUNTIME_KINDS = ("main-thread-blocking", "libuv-pool-saturation", "child-process-contention",
                 "memory-gc")


class AfterAnswer(_Strict):
    clarify: list[str] = Field(min_length=1)
    other: str
    # The pending question is restated in full once; after that a short pointer back to it,
    # so an interview never reads the same long question three times.
    again: list[str] = Field(default_factory=lambda: ["Back to my question, then."])


class InterviewerPrompts(_Strict):
    version: int
    opening: str
    phase_openings: dict[str, str]
    reasons: Reasons
    nudge_framework: str
    nudge_phase: str
    hints: dict[str, str]
    hint_again: str
    # A hint points at a point of this problem the candidate has not covered in this phase
    # (one of the phase's probes); the generic phase hint is the fallback.
    hint_specific: str = "One thing you haven't touched yet: {question}"
    idk: list[str] = Field(min_length=1)
    empty: str
    too_long: str
    off_topic: list[str] = Field(min_length=1)
    estimate_slip: list[str] = Field(min_length=1)
    event_loop: EventLoopTemplates
    runtime_probes: dict[str, str]
    # after "I don't know" to a challenge: a fact to start from, then the same question narrowed
    runtime_nudges: dict[str, str]
    misconception: str
    misconception_earlier: str
    challenge_nudge: str
    misconception_follow_up: str
    your_call: list[str] = Field(min_length=1)
    answered_again: str
    after_answer: AfterAnswer
    judgement: str
    judgement_grounding: str
    direction: str
    pushback_concede: str
    pushback_hold: str
    acknowledgements: list[str] = Field(min_length=3)
    corrections: list[str] = Field(min_length=2)
    closing_early: str
    closing: str
    ladders: dict[str, list[Rung]]
    curveball: str
    # The 10x stretch when no stretch rung of the phase can be filled from the candidate's words.
    stretch: str = ("Suppose traffic turns out to be ten times what we planned for. What breaks "
                    "first in your design, and what do you change?")
    no_more_probes: str
    refuse_reveal: str
    go_back: str
    content_hash: str = ""

    _idk = field_validator("idk", "off_topic", mode="before")(_options)

    def model_post_init(self, context: object, /) -> None:
        missing = [p for p in (*_PHASES[1:], "wrap-up") if p not in self.phase_openings]
        missing += [f"hints.{p}" for p in _PHASES if p not in self.hints]
        missing += [f"runtime_probes.{k}" for k in RUNTIME_PROBES if k not in self.runtime_probes]
        missing += [f"runtime_nudges.{k}" for k in RUNTIME_KINDS if k not in self.runtime_nudges]
        if missing:
            raise ValueError(f"missing entries: {', '.join(missing)}")


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> InterviewerPrompts:
    raw = Path(path).read_bytes()
    data = parse_mapping(raw, Path(path), CatalogError)
    data["content_hash"] = hashlib.sha256(raw).hexdigest()[:16]
    try:
        return InterviewerPrompts.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_message(Path(path), exc)) from None
    except ValueError as exc:  # model_post_init: a phase without an opening or a hint
        raise CatalogError(f"{path}: {exc}") from None


def load_interviewer_prompts(path: Path) -> InterviewerPrompts:
    """Load `interviewer.yaml` (given its path); raises :class:`CatalogError` naming the file."""
    path = Path(path)
    if not path.is_file():
        raise CatalogError(f"{path}: file not found")
    return _load(str(path), path.stat().st_mtime_ns)
