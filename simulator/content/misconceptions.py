"""The misconception library: ``prompts/misconceptions.yaml`` read strictly.

The models and the matcher live in :mod:`simulator.reading.claims` because the reading of a
candidate turn uses them; this module only reads the file. It is hand-edited like the other
data files, so a duplicate key, an unknown field, a bad regex or an unknown lexicon name fails
with one line naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from simulator.content.datafile import parse_mapping, validation_message
from simulator.reading.claims import MisconceptionLibrary

__all__ = ["MisconceptionError", "default_misconceptions_path", "load_misconceptions"]


class MisconceptionError(ValueError):
    """The misconception file is missing, unreadable or invalid. The message is one line."""


def default_misconceptions_path() -> Path:
    """The library shipped with the package."""
    return Path(__file__).resolve().parent / "prompts" / "misconceptions.yaml"


def load_misconceptions(path: Path | str | None = None) -> MisconceptionLibrary:
    """The library in ``path`` (default: the built-in one), validated and compiled."""
    path = Path(path) if path is not None else default_misconceptions_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MisconceptionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    data = parse_mapping(raw, path, MisconceptionError)
    try:
        return MisconceptionLibrary.model_validate(data)
    except ValidationError as exc:
        raise MisconceptionError(validation_message(path, exc)) from None
