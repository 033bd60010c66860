"""How a catalog problem is turned into a variant: scale factors and named modifiers.

A variant is a catalog problem at another scale, optionally with one modifier: a changed
constraint (multi-region, 10x spikes, ten-year retention) or feature (end-to-end encryption
for chat). A modifier states, as data, everything it changes: the traffic assumptions the
calculator recomputes from, the clarifications that stop or start being true, extra
probes, what a good answer now contains, new red flags and the articles that ground it.
The modifiers themselves are data (`prompts/modifiers.yaml`), read by the strict YAML reader:
adding one is a data edit, and a typo in a field name fails at load time with the file named.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator.capacity import TrafficAssumptions
from simulator.content.datafile import parse_mapping, validation_message
from simulator.content.problems import CatalogError
from simulator.phases import Phase

__all__ = ["ModProbe", "Modifier", "Modifiers", "apply_changes", "load_modifiers"]

_INT_FIELDS = {"dau", "read_size_bytes", "write_size_bytes", "retention_days"}


class ModProbe(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phase: Phase
    text: str
    nodejs: bool = False


class Modifier(BaseModel):
    """One named change to a problem. ``problems=None`` means it fits every problem."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str = Field(description="short, for titles: 'end-to-end encryption'")
    phrase: str = Field(description="follows the scale in the question: 'with ...'")
    detail: str = Field(description="one or two sentences added to the question")
    topics: list[str] = Field(min_length=1)
    problems: list[str] | None = None
    multiply: dict[str, float] = Field(default_factory=dict)
    set: dict[str, float] = Field(default_factory=dict)
    drop_clarify: list[str] = Field(default_factory=list, description="expectation ids")
    clarify: list[str] = Field(default_factory=list)
    probes: list[ModProbe] = Field(min_length=1)
    look_for: dict[Phase, list[str]] = Field(default_factory=dict)
    red_flags: list[str] = Field(min_length=1)
    articles: list[str] = Field(default_factory=list)

    @field_validator("multiply", "set")
    @classmethod
    def _known_fields(cls, changes: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(changes) - set(TrafficAssumptions.model_fields))
        if unknown:
            raise ValueError(f"unknown assumption field(s): {', '.join(unknown)}")
        return changes


def apply_changes(
    base: TrafficAssumptions,
    *,
    multiply: dict[str, float] | None = None,
    set_values: dict[str, float] | None = None,
) -> TrafficAssumptions:
    """``base`` with fields multiplied, then set; whole-number fields are rounded."""
    values = base.model_dump()
    for name, factor in (multiply or {}).items():
        values[name] = values[name] * factor
    values.update(set_values or {})
    for name in _INT_FIELDS:
        values[name] = round(values[name])
    return TrafficAssumptions.model_validate(values)


class Modifiers(BaseModel):
    """Everything `modifiers.yaml` holds: scale factors, scale nouns and the modifiers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    #: DAU multipliers a variant may use; 1 is the catalog's own scale.
    scale_factors: tuple[float, ...] = Field(min_length=1)
    #: How each problem's "users" read in a question; the calculator calls them all DAU.
    scale_nouns: dict[str, str] = Field(default_factory=dict)
    default_scale_noun: str
    #: Corpus articles about interviewing itself: cited, never the subject of a deep dive.
    meta_article_topics: frozenset[str] = frozenset()
    #: Node.js runtime articles worth a deep dive for a problem beyond those it already lists.
    deep_dive_extra: dict[str, list[str]] = Field(default_factory=dict)
    generic: list[Modifier]
    specific: list[Modifier]

    @model_validator(mode="after")
    def _unique(self) -> Modifiers:
        ids = [m.id for m in (*self.generic, *self.specific)]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate modifier id(s): {', '.join(dupes)}")
        return self

    @property
    def by_id(self) -> dict[str, Modifier]:
        return {m.id: m for m in (*self.generic, *self.specific)}

    def scale_noun(self, problem_id: str) -> str:
        return self.scale_nouns.get(problem_id, self.default_scale_noun)

    def for_problem(self, problem_id: str) -> list[Modifier]:
        """The modifiers that fit ``problem_id``: its own, then the generic ones."""
        own = [m for m in self.specific if m.problems and problem_id in m.problems]
        return [*own, *self.generic]


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> Modifiers:
    data = parse_mapping(Path(path).read_bytes(), Path(path), CatalogError)
    try:
        return Modifiers.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_message(Path(path), exc)) from None


def load_modifiers(path: Path | str) -> Modifiers:
    """Load and validate `modifiers.yaml`; raises :class:`CatalogError` naming the file."""
    path = Path(path)
    if not path.is_file():
        raise CatalogError(f"{path}: file not found")
    return _load(str(path), path.stat().st_mtime_ns)
