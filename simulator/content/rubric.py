"""The grading rubric (`prompts/rubric.yaml`): schema, loader and the level-rule language.

The rubric is data that graders, the scorecard and the LLM judge all read, so a typo in it
must fail at load time with the file and the field named, never at the end of an interview.
The hiring-level rules are plain English-like strings ("average phase score >= 2.8 and
no phase below 2 and design >= 3"); they are parsed once at load time by a small recursive
parser into a tree that is then evaluated against scores. Nothing is ever passed to eval().

Rule grammar (case-insensitive; ``and`` binds tighter than ``or``; parentheses allowed)::

    rule     := "otherwise" | or_expr
    or_expr  := and_expr ("or" and_expr)*
    and_expr := clause ("and" clause)*
    clause   := "(" or_expr ")"
              | ("average" | "mean" | "min" | "max") ("phase" | "dimension") "score" OP N
              | "no" ("phase" | "dimension") ("below" | "above") N
              | ("at least" | "at most") K ["other"] ("phase" | "dimension")["s"] POS N
              | NAME OP N              # NAME: a phase or dimension id
    POS      := "at" | "below" | "above" | "at or above" | "at or below"
    OP       := ">=" | ">" | "<=" | "<" | "==" | "=" | "!="

``other`` in a counting clause leaves out the dimensions the same rule names elsewhere, so
"nodejs-runtime >= 3 and at least two other dimensions at 4" cannot count nodejs-runtime.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from simulator.content.datafile import parse_mapping, validation_message
from simulator.phases import PHASES, Phase
from simulator.reading.anchors import AnchoredPattern, compile_anchored
from simulator.reading.word_forms import Phrase

__all__ = [
    "LevelRule",
    "Rubric",
    "RubricError",
    "RuleError",
    "load_rubric",
    "parse_rule",
]


class RubricError(ValueError):
    """The rubric file is missing, unreadable or invalid. The message is one line."""


class RuleError(ValueError):
    """A level rule string does not parse or names an unknown phase/dimension."""


# -- rule language --------------------------------------------------------------------------

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
}
_POSITIONS: dict[str, Callable[[float, float], bool]] = {
    "at": operator.eq,
    "below": operator.lt,
    "above": operator.gt,
    "at or above": operator.ge,
    "at or below": operator.le,
}
_WORD_NUMBERS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
}
_TOKEN = re.compile(r"\s*(>=|<=|!=|==|[<>=()]|\d+(?:\.\d+)?|[a-z][a-z0-9_-]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Scores:
    """What a rule is evaluated against: phase id -> 1-4 and dimension id -> 1-4."""

    phases: Mapping[str, float]
    dimensions: Mapping[str, float]

    def value(self, name: str) -> float:
        if name in self.phases:
            return self.phases[name]
        return self.dimensions[name]


Node = Callable[[Scores], bool]


def _tokenize(rule: str) -> list[str]:
    tokens, pos = [], 0
    rule = rule.strip()
    while pos < len(rule):
        match = _TOKEN.match(rule, pos)
        if not match or not match.group(1):
            raise RuleError(f"unexpected text {rule[pos:].strip()[:20]!r}")
        tokens.append(match.group(1).lower())
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, rule: str, phases: set[str], dimensions: set[str]) -> None:
        self.tokens = _tokenize(rule)
        self.i = 0
        self.phases = phases
        self.dimensions = dimensions
        self.named: set[str] = set()  # names used by NAME clauses, for "other"

    # token helpers
    def peek(self, offset: int = 0) -> str | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self, *expected: str) -> str:
        tok = self.peek()
        if tok is None:
            raise RuleError(f"rule ends early; expected {' or '.join(expected) or 'more'}")
        if expected and tok not in expected:
            raise RuleError(f"expected {' or '.join(map(repr, expected))}, got {tok!r}")
        self.i += 1
        return tok

    def number(self) -> float:
        tok = self.take()
        if tok in _WORD_NUMBERS:
            return float(_WORD_NUMBERS[tok])
        try:
            return float(tok)
        except ValueError:
            raise RuleError(f"expected a number, got {tok!r}") from None

    def op(self) -> Callable[[float, float], bool]:
        tok = self.take()
        if tok not in _OPS:
            raise RuleError(f"expected a comparison (>=, >, <=, <, ==, !=), got {tok!r}")
        return _OPS[tok]

    def kind(self) -> str:
        tok = self.take("phase", "phases", "dimension", "dimensions")
        return "phase" if tok.startswith("phase") else "dimension"

    # grammar
    def parse(self) -> Node:
        if self.tokens == ["otherwise"]:
            return lambda scores: True
        node = self.or_expr()
        if self.peek() is not None:
            raise RuleError(f"unexpected {self.peek()!r} after a complete rule")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else (lambda s: any(p(s) for p in parts))

    def and_expr(self) -> Node:
        parts = [self.clause()]
        while self.peek() == "and":
            self.take()
            parts.append(self.clause())
        return parts[0] if len(parts) == 1 else (lambda s: all(p(s) for p in parts))

    def clause(self) -> Node:
        tok = self.peek()
        if tok == "(":
            self.take()
            node = self.or_expr()
            self.take(")")
            return node
        if tok in ("average", "mean", "min", "max"):
            return self.aggregate()
        if tok == "no":
            return self.no_clause()
        if tok == "at" and self.peek(1) in ("least", "most"):
            return self.count_clause()
        if tok is None:
            raise RuleError("rule ends early; expected a clause")
        return self.name_clause()

    def aggregate(self) -> Node:
        agg = self.take()
        kind = self.kind()
        self.take("score", "scores")
        cmp, n = self.op(), self.number()
        reduce: Callable[[list[float]], float] = {
            "average": lambda v: sum(v) / len(v),
            "mean": lambda v: sum(v) / len(v),
            "min": min,
            "max": max,
        }[agg]

        def node(s: Scores) -> bool:
            values = list((s.phases if kind == "phase" else s.dimensions).values())
            return bool(values) and cmp(reduce(values), n)

        return node

    def no_clause(self) -> Node:
        self.take("no")
        kind = self.kind()
        where = self.take("below", "above")
        n = self.number()
        bad = operator.lt if where == "below" else operator.gt

        def node(s: Scores) -> bool:
            values = (s.phases if kind == "phase" else s.dimensions).values()
            return not any(bad(v, n) for v in values)

        return node

    def count_clause(self) -> Node:
        self.take("at")
        bound = self.take("least", "most")
        k = self.number()
        other = False
        if self.peek() == "other":
            self.take()
            other = True
        kind = self.kind()
        pos = self.take("at", "below", "above")
        if pos == "at" and self.peek() == "or":
            self.take()
            pos = "at or " + self.take("above", "below")
        where, n = _POSITIONS[pos], self.number()
        named = self.named  # filled as the rest of the rule is parsed

        def node(s: Scores) -> bool:
            pool = s.phases if kind == "phase" else s.dimensions
            count = sum(
                1 for key, v in pool.items() if not (other and key in named) and where(v, n)
            )
            return count >= k if bound == "least" else count <= k

        return node

    def name_clause(self) -> Node:
        name = self.take()
        if name not in self.phases and name not in self.dimensions:
            known = ", ".join(sorted(self.phases | self.dimensions))
            raise RuleError(f"unknown name {name!r}; known phases and dimensions: {known}")
        self.named.add(name)
        cmp, n = self.op(), self.number()
        return lambda s: cmp(s.value(name), n)


def parse_rule(rule: str, phases: set[str], dimensions: set[str]) -> Node:
    """Compile a level rule into a predicate over :class:`Scores`; raises :class:`RuleError`."""
    return _Parser(rule, phases, dimensions).parse()


# -- schema ---------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _four_keys(value: dict[int, Any], what: str) -> dict[int, Any]:
    if sorted(value) != [1, 2, 3, 4]:
        raise ValueError(f"{what} needs exactly the keys 1, 2, 3, 4 (got {sorted(value)})")
    return value


def _compiled(cues: list[str]) -> list[str]:
    """Check that every cue is a regex that cannot match the empty string."""
    for i, cue in enumerate(cues):
        try:
            pattern = re.compile(cue, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"cue [{i}] {cue!r} is not a valid regex: {exc}") from None
        if pattern.search("") is not None:
            raise ValueError(f"cue [{i}] {cue!r} matches the empty string")
    return cues


class Checkpoint(_Model):
    """One bullet of a level-3 or level-4 evidence list, with the cues that recognise it.

    The recogniser sits next to the words it recognises, so editing a bullet and forgetting its
    cues is visible in one place, and a bullet without cues fails at load time.
    """

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1)

    _patterns: tuple[AnchoredPattern, ...] = PrivateAttr(default=())

    @field_validator("cues")
    @classmethod
    def _cues(cls, cues: list[str]) -> list[str]:
        return _compiled(cues)

    def model_post_init(self, context: Any, /) -> None:
        self._patterns = tuple(compile_anchored(c) for c in self.cues)

    @functools.cached_property
    def patterns(self) -> tuple[AnchoredPattern, ...]:
        return self._patterns

    def shown_in(self, text: str) -> bool:
        return any(p.search(text) for p in self._patterns)

    def __str__(self) -> str:
        return self.text


class PhaseRubric(_Model):
    """What each score means for one phase, with the evidence that supports it.

    Evidence at levels 1 and 2 describes weak answers in words; evidence at levels 3 and 4 is
    a list of checkpoints, each with its recogniser.
    """

    goal: str
    anchors: dict[int, str]
    evidence: dict[int, list[str | Checkpoint]]
    red_flags: list[str] = Field(min_length=1)
    stronger_answer: str

    @field_validator("anchors")
    @classmethod
    def _anchors(cls, v: dict[int, str]) -> dict[int, str]:
        return _four_keys(v, "anchors")

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        _four_keys(v, "evidence")
        v = dict(v)
        for level in (3, 4):
            items = list(v[level] or [])
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    raise ValueError(  # noqa: TRY004 - pydantic reports ValueError per field
                        f"evidence.{level}[{i}]: a level-{level} bullet needs id, text and cues "
                        "(its recogniser)")
                try:
                    items[i] = Checkpoint.model_validate(item)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    where = ".".join(str(p) for p in err["loc"])
                    raise ValueError(f"evidence.{level}[{i}].{where}: {err['msg']}") from None
            v[level] = items
        for level in (1, 2):
            for i, item in enumerate(v[level] or []):
                if not isinstance(item, str):
                    raise ValueError(  # noqa: TRY004 - pydantic reports ValueError per field
                        f"evidence.{level}[{i}]: a level-{level} bullet is plain text")
        return v

    @model_validator(mode="after")
    def _unique_ids(self) -> PhaseRubric:
        ids = [c.id for level in (3, 4) for c in self.checkpoints(level)]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"evidence: duplicate checkpoint id(s): {', '.join(dupes)}")
        return self

    def checkpoints(self, level: int) -> list[Checkpoint]:
        return [c for c in self.evidence.get(level, []) if isinstance(c, Checkpoint)]

    def bullets(self, level: int) -> list[str]:
        """The evidence list for ``level`` as the words people read."""
        return [str(item) for item in self.evidence.get(level, [])]

    def checkpoints_hit(self, text: str) -> dict[int, list[str]]:
        """Ids of the level-3 and level-4 checkpoints that ``text`` shows."""
        return {level: [c.id for c in self.checkpoints(level) if c.shown_in(text)]
                for level in (3, 4)}


class Dimension(_Model):
    """A quality scored over the whole interview; cues are evidence, never proof."""

    id: str
    name: str
    description: str
    anchors: dict[int, str]
    cues: list[str] = Field(min_length=1)
    terms: list[str] = Field(
        default_factory=list,
        description="plain phrases matched in any word form (authenticate ~ authenticates)",
    )

    _patterns: tuple[AnchoredPattern, ...] = PrivateAttr(default=())
    _phrases: tuple[Phrase, ...] = PrivateAttr(default=())

    @field_validator("anchors")
    @classmethod
    def _anchors(cls, v: dict[int, str]) -> dict[int, str]:
        return _four_keys(v, "anchors")

    @field_validator("cues")
    @classmethod
    def _cues(cls, cues: list[str]) -> list[str]:
        return _compiled(cues)

    @field_validator("terms")
    @classmethod
    def _terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            Phrase.of(term)  # a term with no words is a mistake in the file
        return terms

    def model_post_init(self, context: Any, /) -> None:
        self._patterns = tuple(compile_anchored(c) for c in self.cues)
        self._phrases = tuple(Phrase.of(t) for t in self.terms)

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        return self._phrases

    @functools.cached_property
    def patterns(self) -> tuple[AnchoredPattern, ...]:
        return self._patterns

    def cue_hits(self, text: str) -> list[re.Match[str]]:
        """The first match of every cue found in ``text`` (one per cue)."""
        return [m for p in self._patterns if (m := p.search(text))]


class LevelRule(_Model):
    """One hiring level and the rule that grants it."""

    level: str
    rule: str

    _predicate: Node | None = PrivateAttr(default=None)

    def holds(self, phases: Mapping[str, float], dimensions: Mapping[str, float]) -> bool:
        assert self._predicate is not None, "rule not compiled (load through Rubric)"
        return self._predicate(Scores(phases, dimensions))


class Rubric(_Model):
    """The whole rubric, validated, with compiled cues and level rules."""

    version: int
    scale: dict[int, str]
    phases: dict[Phase, PhaseRubric]
    dimensions: list[Dimension] = Field(min_length=1)
    levels: list[LevelRule] = Field(min_length=1)
    content_hash: str = ""
    source: str = ""

    @field_validator("scale")
    @classmethod
    def _scale(cls, v: dict[int, str]) -> dict[int, str]:
        return _four_keys(v, "scale")

    @model_validator(mode="after")
    def _checks(self) -> Rubric:
        missing = [p for p in PHASES if p not in self.phases]
        if missing:
            raise ValueError(f"phases: missing phase(s): {', '.join(missing)}")
        ids = [d.id for d in self.dimensions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"dimensions: duplicate id(s): {', '.join(dupes)}")
        for i, level in enumerate(self.levels):
            try:
                level._predicate = parse_rule(level.rule, set(PHASES), set(ids))
            except RuleError as exc:
                raise ValueError(f"levels[{i}].rule: {exc} (rule: {level.rule!r})") from None
        if self.levels[-1].rule.strip().lower() != "otherwise":
            raise ValueError("levels: the last rule must be 'otherwise' so every case gets a level")
        return self

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def level_for(self, phases: Mapping[str, float], dimensions: Mapping[str, float]) -> LevelRule:
        """The first level (top-down) whose rule holds; the last rule is always 'otherwise'."""
        for level in self.levels:
            if level.holds(phases, dimensions):
                return level
        return self.levels[-1]


# -- loading --------------------------------------------------------------------------------


def load_rubric(path: str | Path) -> Rubric:
    """Load and validate the rubric (cached per file and mtime); raises :class:`RubricError`."""
    path = Path(path)
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError as exc:
        raise RubricError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return _load(str(path), mtime_ns)


@functools.lru_cache(maxsize=8)
def _load(path_str: str, mtime_ns: int) -> Rubric:
    path = Path(path_str)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RubricError(f"{path}: cannot read: {exc.strerror or exc}") from None
    data = parse_mapping(raw, path, RubricError)
    data["content_hash"] = hashlib.sha256(raw).hexdigest()[:16]
    data["source"] = str(path)
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(validation_message(path, exc)) from None
