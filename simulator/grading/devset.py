"""The grading dev set (`evals/datasets/grading_dev.jsonl`): human gold scores to check against.

Each line is ``{id, problem, phase, answer, gold, tags, rationale}``. The set is split in two
by a hash of the id, not by position, so adding lines never moves an old answer between
halves: the grader's weights and thresholds are tuned on the "tune" half only, and the
"held-out" half is what says whether they generalise to answers the tuning never saw.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from simulator.jsonl import load_jsonl

DEFAULT_DEV_SET = Path(__file__).resolve().parents[1] / "evals" / "datasets" / "grading_dev.jsonl"

Half = Literal["tune", "held-out"]


class DevSetError(ValueError):
    """The dev set file is missing or a line is invalid; the message names file and line."""


class DevItem(BaseModel):
    id: str
    problem: str
    phase: str
    answer: str
    gold: int = Field(ge=1, le=4)
    tags: list[str] = Field(default_factory=list)
    rationale: str = ""


def half_of(item_id: str) -> Half:
    """Which half an id belongs to: stable, and independent of file order."""
    digest = int(hashlib.sha256(item_id.encode()).hexdigest(), 16)
    return "tune" if digest % 2 == 0 else "held-out"


def load_dev_set(path: Path | str = DEFAULT_DEV_SET) -> list[DevItem]:
    return load_jsonl(path, DevItem, error=DevSetError)
