"""The interviewer's phrasing templates (`prompts/interviewer.yaml`), schema-checked on load."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator.content.datafile import parse_mapping, validation_message
from simulator.content.problems import CatalogError
from simulator.phases import PHASES as _PHASES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reasons(_Strict):
    goals_met: str
    time_up: list[str] = Field(min_length=1)
    candidate_asked: str
    turns_used: str
    idk_twice: str
    total_time_up: str


class Rung(_Strict):
    """One step of a deepening ladder: harder steps carry a higher level."""

    level: Literal["mid", "senior", "staff"]
    text: str


class EventLoopTemplates(_Strict):
    runtime: str


#: Every runtime-finding variant the reader produces needs a probe.
RUNTIME_PROBES = (
    "main-thread-blocking", "main-thread-blocking/unspecified", "main-thread-blocking/sync",
    "libuv-pool-saturation", "child-process-contention", "memory-gc",
)


class AfterAnswer(_Strict):
    clarify: list[str] = Field(min_length=1)
    other: str


class InterviewerPrompts(_Strict):
    version: int
    opening: str
    phase_openings: dict[str, str]
    reasons: Reasons
    nudge_framework: str
    nudge_phase: str
    hints: dict[str, str]
    hint_again: str
    idk: str
    empty: str
    too_long: str
    off_topic: str
    estimate_slip: list[str] = Field(min_length=1)
    event_loop: EventLoopTemplates
    runtime_probes: dict[str, str]
    misconception: str
    your_call: list[str] = Field(min_length=1)
    answered_again: str
    after_answer: AfterAnswer
    judgement: str
    judgement_grounding: str
    pushback_concede: str
    pushback_hold: str
    acknowledgements: list[str] = Field(min_length=3)
    closing_early: str
    closing: str
    ladders: dict[str, list[Rung]]
    curveball: str
    no_more_probes: str
    refuse_reveal: str
    go_back: str
    content_hash: str = ""

    def model_post_init(self, context: object, /) -> None:
        missing = [p for p in (*_PHASES[1:], "wrap-up") if p not in self.phase_openings]
        missing += [f"hints.{p}" for p in _PHASES if p not in self.hints]
        missing += [f"runtime_probes.{k}" for k in RUNTIME_PROBES if k not in self.runtime_probes]
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
