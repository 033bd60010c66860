"""The misconception library: ``prompts/misconceptions.yaml`` and ``prompts/misconceptions/*.yaml``.

The main file holds the shared lexicon and the first entries; each file in the folder adds
entries for one area (and may add lexicon names), so the library can grow by area without
one file becoming unreadable. The files are merged before validation: a lexicon name or an
entry id defined twice anywhere fails, naming the file.

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

__all__ = [
    "MisconceptionError",
    "default_misconception_parts",
    "default_misconceptions_path",
    "load_misconceptions",
]


class MisconceptionError(ValueError):
    """The misconception file is missing, unreadable or invalid. The message is one line."""


def default_misconceptions_path() -> Path:
    """The library shipped with the package."""
    return Path(__file__).resolve().parent / "prompts" / "misconceptions.yaml"


def default_misconception_parts() -> list[Path]:
    """The built-in area files that extend the main library file."""
    return sorted((default_misconceptions_path().parent / "misconceptions").glob("*.yaml"))


def _read(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MisconceptionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_mapping(raw, path, MisconceptionError)


def _merge(path: Path, data: dict, part: Path, extra: dict) -> None:
    """Add one area file's lexicon names and entries to the main file's data."""
    if extra.get("version", data.get("version")) != data.get("version"):
        raise MisconceptionError(f"{part}: version: must match {path.name}")
    unknown = sorted(set(extra) - {"version", "lexicon", "misconceptions"})
    if unknown:
        raise MisconceptionError(f"{part}: unknown field(s): {', '.join(unknown)}")
    lexicon = dict(data.get("lexicon") or {})
    for name, value in (extra.get("lexicon") or {}).items():
        if name in lexicon:
            raise MisconceptionError(f"{part}: lexicon.{name}: already defined")
        lexicon[name] = value
    data["lexicon"] = lexicon
    known = {m.get("id") for m in data.get("misconceptions") or [] if isinstance(m, dict)}
    entries = extra.get("misconceptions") or []
    if not isinstance(entries, list):
        raise MisconceptionError(f"{part}: misconceptions: must be a list")
    for entry in entries:
        if isinstance(entry, dict) and entry.get("id") in known:
            raise MisconceptionError(f"{part}: duplicate misconception id {entry['id']!r}")
    data["misconceptions"] = [*(data.get("misconceptions") or []), *entries]


def load_misconceptions(path: Path | str | None = None,
                        parts: list[Path] | None = None) -> MisconceptionLibrary:
    """The library in ``path`` plus the area files ``parts``, validated and compiled.

    With no ``path``, the built-in main file and its built-in area files (unless ``parts`` says
    otherwise). With a ``path``, only the ``parts`` given: a library file of one's own does not
    silently take the built-in entries along."""
    if path is None:
        path, parts = default_misconceptions_path(), (
            default_misconception_parts() if parts is None else parts)
    path = Path(path)
    data = _read(path)
    for part in parts or []:
        _merge(path, data, Path(part), _read(Path(part)))
    try:
        return MisconceptionLibrary.model_validate(data)
    except ValidationError as exc:
        # Name the area file at fault: validate each one alone with the merged lexicon.
        for part in parts or []:
            alone = {"version": data.get("version"), "lexicon": data["lexicon"],
                     "misconceptions": _read(Path(part)).get("misconceptions") or []}
            try:
                MisconceptionLibrary.model_validate(alone)
            except ValidationError as part_exc:
                raise MisconceptionError(validation_message(Path(part), part_exc)) from None
        raise MisconceptionError(validation_message(path, exc)) from None
