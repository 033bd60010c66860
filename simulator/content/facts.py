"""Fact sheets: what the interviewer knows about each problem and answers when asked.

One YAML file per problem, ``prompts/facts/<problem-id>.yaml``, read with the same strict
reader as the problem files. ``_shared.yaml`` in the same folder holds the vocabulary every
sheet uses (concept synonyms, design terms); it is merged into each sheet on load, and a sheet
may add concepts of its own but not redefine a shared one.

The models live in :mod:`simulator.reading.asks` because the matcher reads them; this module
only loads and checks the files. A scale fact's ``value`` names figures of the problem's
reference estimate (:data:`REFERENCE_QUANTITIES`) so a test can hold the two files together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.content.datafile import parse_mapping, validation_message
from simulator.reading.asks import Fact, FactSheet, Unsettled

__all__ = [
    "REFERENCE_QUANTITIES",
    "SHARED_FILE",
    "Fact",
    "FactSheet",
    "FactSheetError",
    "Unsettled",
    "load_fact_sheet",
    "load_fact_sheets",
]

SHARED_FILE = "_shared.yaml"

#: Names a fact's ``value`` may use: the problem's ``assumptions`` fields and figures that
#: follow from them (per day = dau x per user per day; ratios are reads per write and back).
REFERENCE_QUANTITIES = frozenset({
    "dau",
    "reads_per_user_per_day",
    "writes_per_user_per_day",
    "read_size_bytes",
    "write_size_bytes",
    "peak_factor",
    "retention_days",
    "concurrent_fraction",
    "cpu_ms_per_request",
    "reads_per_day",
    "writes_per_day",
    "read_write_ratio",
    "write_read_ratio",
    "concurrent_connections",
    "storage_bytes_per_day",
})


class FactSheetError(ValueError):
    """A fact sheet is missing, unreadable or invalid. The message is one line."""


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactSheetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_mapping(raw, path, FactSheetError)


def _shared(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = _read(path)
    unknown = sorted(set(data) - {"terms", "design_terms", "design_qualities"})
    if unknown:
        raise FactSheetError(f"{path}: {unknown[0]}: unknown key (not in schema)")
    return data


def load_fact_sheet(path: Path | str, shared: Path | str | None = None) -> FactSheet:
    """The fact sheet in ``path``, with the shared vocabulary merged in: ``shared``, or the
    `_shared.yaml` of its folder (a prompt-set overlay passes the merged set's file).

    Raises :class:`FactSheetError` naming the file and the field on any problem.
    """
    path = Path(path)
    data = _read(path)
    shared = _shared(Path(shared) if shared is not None else path.parent / SHARED_FILE)
    terms = data.get("terms") or {}
    if isinstance(terms, dict):
        clash = sorted(set(terms) & set(shared.get("terms") or {}))
        if clash:
            raise FactSheetError(f"{path}: terms.{clash[0]}: already defined in {SHARED_FILE}")
        data["terms"] = {**(shared.get("terms") or {}), **terms}
    for key in ("design_terms", "design_qualities"):
        own = data.get(key) or []
        if isinstance(own, list):
            data[key] = [*(shared.get(key) or []), *own]
    try:
        sheet = FactSheet.model_validate(data)
    except ValidationError as exc:
        raise FactSheetError(validation_message(path, exc)) from None
    if sheet.problem != path.stem:
        raise FactSheetError(f"{path}: problem: {sheet.problem!r} does not match the file name")
    for n, fact in enumerate(sheet.facts):
        unknown = sorted(set(fact.value) - REFERENCE_QUANTITIES)
        if unknown:
            raise FactSheetError(
                f"{path}: facts[{n}].value: unknown quantity {unknown[0]!r} "
                f"(known: {', '.join(sorted(REFERENCE_QUANTITIES))})"
            )
    return sheet


def load_fact_sheets(folder: Path | str) -> dict[str, FactSheet]:
    """Every sheet in ``folder`` by problem id (files starting with ``_`` are not sheets)."""
    folder = Path(folder)
    return {
        p.stem: load_fact_sheet(p)
        for p in sorted(folder.glob("*.yaml"))
        if not p.name.startswith("_")
    }
