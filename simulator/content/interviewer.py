"""The interviewer's phrasing templates (`prompts/interviewer.yaml`), schema-checked on load."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from simulator.content.datafile import parse_mapping, validation_message
from simulator.content.problems import CatalogError
from simulator.phases import PHASES as _PHASES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reasons(_Strict):
    goals_met: str
    time_up: str
    candidate_asked: str
    turns_used: str
    idk_twice: str


class EventLoopTemplates(_Strict):
    default: str
    runtime: str


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
    estimate_slip: str
    event_loop: EventLoopTemplates
    no_more_probes: str
    refuse_reveal: str
    content_hash: str = ""

    def model_post_init(self, context: object, /) -> None:
        missing = [p for p in (*_PHASES[1:], "wrap-up") if p not in self.phase_openings]
        missing += [f"hints.{p}" for p in _PHASES if p not in self.hints]
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
