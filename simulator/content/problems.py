"""The problem catalog: schema and loader for ``prompts/problems/<id>.yaml``.

Each problem file is the reference answer for one system-design question, split by
the interviewer's five phases. Every scorable point is an :class:`Expectation` whose
``cues`` (case-insensitive regexes) let the offline interviewer decide whether the
candidate's own words covered it; the grader uses the same expectations and their
``text`` for "what a stronger answer adds". :class:`Probe` texts are questions the
interviewer may ask when listed expectations are still uncovered; they never state
the answer.

All models forbid unknown keys, so a typo in a YAML file fails loudly. Loader errors
are raised as :class:`CatalogError` with a one-line message naming the file and the
field, e.g. ``chat.yaml: bottlenecks[2].cues: expectation 'x': bad regex '(' ...``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from simulator.capacity import TrafficAssumptions, TrafficEstimate, traffic
from simulator.content.datafile import parse_mapping, validation_message
from simulator.phases import PHASES, Phase
from simulator.reading.anchors import AnchoredPattern, compile_anchored

__all__ = [
    "PHASES",
    "PHASE_SECTIONS",
    "SECTIONS",
    "CatalogError",
    "Clarify",
    "Expectation",
    "Phase",
    "Probe",
    "Problem",
    "UnknownProblemError",
    "get_problem",
    "load_catalog",
    "load_problem",
]


#: Every expectation list of a problem, in reference-answer order.
SECTIONS: tuple[str, ...] = (
    "functional",
    "non_functional",
    "out_of_scope",
    "estimate_focus",
    "components",
    "data_model",
    "bottlenecks",
    "tradeoffs",
)

#: Which expectation sections each phase scores.
PHASE_SECTIONS: dict[Phase, tuple[str, ...]] = {
    "clarify": ("functional", "non_functional", "out_of_scope"),
    "estimate": ("estimate_focus",),
    "design": ("components", "data_model"),
    "bottlenecks": ("bottlenecks",),
    "trade-offs": ("tradeoffs",),
}

PROMPTS_DIR_ENV = "SDSIM_PROMPTS_DIR"

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CatalogError(ValueError):
    """A problem file is missing, unreadable or invalid. The message is one line."""


class UnknownProblemError(ValueError):
    """No problem with the requested id; the message lists the valid ids."""

    def __init__(self, problem_id: str, valid_ids: list[str]) -> None:
        self.problem_id = problem_id
        self.valid_ids = sorted(valid_ids)
        super().__init__(
            f"unknown problem {problem_id!r}; valid ids: {', '.join(self.valid_ids) or '(none)'}"
        )


def _check_kebab(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError(f"id {value!r} must be kebab-case (lowercase letters, digits, '-')")
    return value


def _check_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Expectation(_Model):
    """One point a strong answer makes, with regex cues that recognise it."""

    id: str
    text: str
    cues: list[str] = Field(min_length=2)
    nodejs: bool = False
    weight: int = Field(default=1, ge=1, le=2, description="1 normal, 2 essential")
    dimensions: list[str] = Field(
        default_factory=list,
        description="ids of the rubric dimensions this point shows (security, cost-awareness...)",
    )

    _patterns: tuple[AnchoredPattern, ...] = PrivateAttr(default=())

    _id = field_validator("id")(_check_kebab)
    _text = field_validator("text")(_check_text)

    @field_validator("cues")
    @classmethod
    def _cues_compile(cls, cues: list[str], info: ValidationInfo) -> list[str]:
        owner = info.data.get("id", "?")
        for cue in cues:
            if not cue.strip():
                raise ValueError(f"expectation {owner!r}: empty cue")
            try:
                pattern = re.compile(cue, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"expectation {owner!r}: bad regex {cue!r}: {exc}") from None
            if pattern.search("") is not None:
                raise ValueError(
                    f"expectation {owner!r}: regex {cue!r} matches the empty string, "
                    "so it would fire on any answer"
                )
        return cues

    def model_post_init(self, context: Any, /) -> None:
        self._patterns = tuple(compile_anchored(c) for c in self.cues)

    @functools.cached_property
    def patterns(self) -> tuple[AnchoredPattern, ...]:
        """The compiled cues (case-insensitive); kept as a plain attribute after the first
        read, since the grader asks for them tens of thousands of times per answer set."""
        return self._patterns

    def matches(self, text: str) -> bool:
        """True when any cue is found anywhere in ``text``."""
        return any(p.search(text) for p in self._patterns)


class Probe(_Model):
    """A question the interviewer asks; never contains the answer."""

    id: str
    text: str
    when_missing: list[str] = Field(default_factory=list)

    _id = field_validator("id")(_check_kebab)
    _text = field_validator("text")(_check_text)


class Clarify(_Model):
    functional: list[Expectation] = Field(min_length=3)
    non_functional: list[Expectation] = Field(min_length=3)
    out_of_scope: list[Expectation] = Field(min_length=1)


class Problem(_Model):
    """One interview question and its reference answer, phase by phase."""

    id: str
    title: str
    statement: str
    clarify: Clarify
    assumptions: TrafficAssumptions
    assumption_notes: str
    estimate_focus: list[Expectation] = Field(min_length=1)
    components: list[Expectation] = Field(min_length=4)
    data_model: list[Expectation] = Field(min_length=2)
    bottlenecks: list[Expectation] = Field(min_length=4)
    tradeoffs: list[Expectation] = Field(min_length=3)
    probes: dict[Phase, list[Probe]]
    articles: list[str] = Field(min_length=1)

    _id = field_validator("id")(_check_kebab)
    _texts = field_validator("title", "statement", "assumption_notes")(_check_text)

    @field_validator("bottlenecks")
    @classmethod
    def _nodejs_bottlenecks(cls, items: list[Expectation]) -> list[Expectation]:
        if sum(e.nodejs for e in items) < 2:
            raise ValueError("needs at least 2 expectations with nodejs: true")
        return items

    @field_validator("articles")
    @classmethod
    def _articles_unique(cls, articles: list[str]) -> list[str]:
        for article in articles:
            _check_kebab(article)
        dupes = sorted({a for a in articles if articles.count(a) > 1})
        if dupes:
            raise ValueError(f"duplicate article ids: {', '.join(dupes)}")
        return articles

    @model_validator(mode="after")
    def _cross_checks(self) -> Problem:
        seen: dict[str, str] = {}
        for section in SECTIONS:
            for i, exp in enumerate(self.expectations(section)):
                where = f"{_section_path(section)}[{i}]"
                if exp.id in seen:
                    raise ValueError(
                        f"{where}.id: duplicate expectation id {exp.id!r} (also at {seen[exp.id]})"
                    )
                seen[exp.id] = where

        missing_phases = [p for p in PHASES if p not in self.probes]
        if missing_phases:
            raise ValueError(f"probes: missing phase(s): {', '.join(missing_phases)}")
        probe_seen: dict[str, str] = {}
        for phase in PHASES:
            probes = self.probes[phase]
            if len(probes) < 2:
                raise ValueError(f"probes.{phase}: needs at least 2 probes, has {len(probes)}")
            for i, probe in enumerate(probes):
                where = f"probes.{phase}[{i}]"
                if probe.id in probe_seen:
                    raise ValueError(
                        f"{where}.id: duplicate probe id {probe.id!r} (also at {probe_seen[probe.id]})"
                    )
                probe_seen[probe.id] = where
                for ref in probe.when_missing:
                    if ref not in seen:
                        raise ValueError(
                            f"{where}.when_missing: unknown expectation id {ref!r} "
                            f"(probe {probe.id!r})"
                        )
        if not any(self.is_nodejs_probe(p) for p in self.probes["bottlenecks"]):
            raise ValueError(
                "probes.bottlenecks: needs a Node.js runtime probe "
                "(when_missing naming an expectation with nodejs: true)"
            )
        return self

    # -- helpers -------------------------------------------------------------------

    def expectations(self, section: str) -> list[Expectation]:
        """Expectations of one section (see :data:`SECTIONS`) or one phase (:data:`PHASES`).

        ``"clarify"`` returns functional + non_functional + out_of_scope; ``"design"``
        returns components + data_model; ``"estimate"`` and ``"trade-offs"`` map to
        ``estimate_focus`` and ``tradeoffs``.
        """
        if section in ("functional", "non_functional", "out_of_scope"):
            return list(getattr(self.clarify, section))
        if section in SECTIONS:
            return list(getattr(self, section))
        if section in PHASE_SECTIONS:
            return [e for s in PHASE_SECTIONS[section] for e in self.expectations(s)]  # type: ignore[index]
        valid = ", ".join((*SECTIONS, *(p for p in PHASES if p not in SECTIONS)))
        raise ValueError(f"unknown section {section!r}; valid: {valid}")

    def all_expectations(self) -> dict[str, Expectation]:
        """Every expectation keyed by id, in :data:`SECTIONS` order."""
        return {e.id: e for s in SECTIONS for e in self.expectations(s)}

    def section_of(self, expectation_id: str) -> str:
        """The section (one of :data:`SECTIONS`) an expectation id belongs to."""
        for section in SECTIONS:
            if any(e.id == expectation_id for e in self.expectations(section)):
                return section
        raise KeyError(expectation_id)

    def covered(self, text: str, section: str | None = None) -> list[str]:
        """Ids of expectations (of ``section``, or all) whose cues match ``text``."""
        pool = self.expectations(section) if section else self.all_expectations().values()
        return [e.id for e in pool if e.matches(text)]

    def is_nodejs_probe(self, probe: Probe) -> bool:
        """True when the probe chases a Node.js runtime expectation."""
        exps = self.all_expectations()
        return any(ref in exps and exps[ref].nodejs for ref in probe.when_missing)

    def reference_estimate(self) -> TrafficEstimate:
        """The calculator's figures for this problem's reference assumptions."""
        return traffic(self.assumptions)


def _section_path(section: str) -> str:
    if section in ("functional", "non_functional", "out_of_scope"):
        return f"clarify.{section}"
    return section


# -- loading --------------------------------------------------------------------------


def load_problem(path: str | Path) -> Problem:
    """Load and validate one problem file; raises :class:`CatalogError`."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    data = parse_mapping(raw, path, CatalogError, "a mapping of problem fields")
    try:
        problem = Problem.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_message(path, exc)) from None
    if problem.id != path.stem:
        raise CatalogError(f"{path}: id: {problem.id!r} does not match the file name")
    return problem


def _problem_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")
    )


def load_catalog(source: Path | str | Sequence[Path]) -> dict[str, Problem]:
    """Load every problem file of ``source``: a directory of ``*.yaml`` files, or a list of
    files (a prompt set's merged ``problems/``). Cached until a file changes."""
    if isinstance(source, (str, Path)):
        directory = Path(source)
        if not directory.is_dir():
            raise CatalogError(f"{directory}: problem directory not found")
        files = _problem_files(directory)
        where = str(directory)
    else:
        files = list(source)
        where = "prompt set"
    if not files:
        raise CatalogError(f"{where}: no problem files (*.yaml)")
    signature = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return dict(_load_cached(signature))


@functools.lru_cache(maxsize=16)
def _load_cached(signature: tuple[tuple[str, int, int], ...]) -> dict[str, Problem]:
    catalog: dict[str, Problem] = {}
    for name, _, _ in signature:
        problem = load_problem(Path(name))
        if problem.id in catalog:
            raise CatalogError(f"{name}: id: duplicate problem id {problem.id!r}")
        catalog[problem.id] = problem
    return catalog


def get_problem(problem_id: str, source: Path | str | Sequence[Path]) -> Problem:
    """The problem with ``problem_id``; raises :class:`UnknownProblemError` listing valid ids."""
    catalog = load_catalog(source)
    try:
        return catalog[problem_id]
    except KeyError:
        raise UnknownProblemError(problem_id, list(catalog)) from None
