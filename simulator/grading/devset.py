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
    pair: str | None = Field(
        default=None, description="twins (a wrong claim and its corrected answer) share a pair "
        "id and always fall in the same half")

    @property
    def half(self) -> Half:
        return half_of(self.pair or self.id)


def half_of(key: str) -> Half:
    """Which half an id (or a pair id) belongs to: stable, and independent of file order.

    Twins are split by their pair id, so tuning never sees one twin while the held-out half
    holds the other."""
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return "tune" if digest % 2 == 0 else "held-out"


def load_dev_set(path: Path | str = DEFAULT_DEV_SET) -> list[DevItem]:
    return load_jsonl(path, DevItem, error=DevSetError)
