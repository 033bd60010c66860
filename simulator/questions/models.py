"""The question bank's data model: what an interviewer gets for each question.

These models are the boundary of the package: the JSON export is ``QuestionBank`` dumped as
it is, the published JSON Schema (``schemas/question_bank.schema.json``) is generated from
it, and the Markdown and CSV exports only read it. Every number in a question comes from the
capacity calculator, so the models keep the ``assumptions`` the numbers were computed from;
anyone can recompute them with :func:`simulator.capacity.traffic`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.capacity import TrafficAssumptions
from simulator.content.problems import PHASES, Phase

__all__ = [
    "LEVELS",
    "BankResult",
    "BankStats",
    "EstimationTarget",
    "Level",
    "Question",
    "QuestionBank",
    "QuestionKind",
    "QuestionProbe",
    "RubricAnchor",
    "SourceRef",
]

Level = Literal["mid", "senior", "staff"]
#: Levels a bank can be generated for, lowest first.
LEVELS: tuple[Level, ...] = ("mid", "senior", "staff")

QuestionKind = Literal["variant", "deep-dive", "llm-variant"]

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Model):
    """A corpus article the question is grounded in (``corpus/<id>.md``)."""

    id: str
    title: str


class EstimationTarget(_Model):
    """One figure the candidate should reach, with the calculator's value and arithmetic.

    ``id`` is the :class:`~simulator.capacity.TrafficEstimate` field it comes
    from (or ``event_loop_utilisation`` for the Node.js event-loop figure), so a reader can
    check ``value`` against ``traffic(question.assumptions)``.
    """

    id: str
    label: str
    value: float
    display: str = Field(description="the value in human units, e.g. '70K QPS'")
    formula: str = Field(description="the arithmetic with the numbers filled in")


class QuestionProbe(_Model):
    """A follow-up the interviewer can ask; ``nodejs`` marks Node.js runtime probes."""

    text: str
    nodejs: bool = False


class RubricAnchor(_Model):
    """How to score one phase 1-4 for this question, with the bar for the bank's level.

    The four anchors are the rubric's (``prompts/rubric.yaml``); ``bar`` is the score a
    hire at the level should reach and ``look_for`` lists what that answer contains for
    this particular question, chosen for the level.
    """

    phase: Phase
    goal: str
    score_1: str
    score_2: str
    score_3: str
    score_4: str
    bar: int = Field(ge=1, le=4)
    look_for: list[str]

    def anchor(self, score: int) -> str:
        return {1: self.score_1, 2: self.score_2, 3: self.score_3, 4: self.score_4}[score]


class Question(_Model):
    """One interview question with everything an interviewer needs to run and score it."""

    id: str
    kind: QuestionKind
    title: str
    text: str = Field(description="the question as read to the candidate")
    level: Level
    problem_id: str = Field(description="the catalog problem it is a variant of")
    variant: str | None = Field(description="what changed from the catalog problem")
    topics: list[str] = Field(min_length=1)
    assumptions: TrafficAssumptions
    clarifications: list[str] = Field(min_length=1)
    estimation_targets: list[EstimationTarget] = Field(min_length=1)
    probes: dict[Phase, list[QuestionProbe]]
    rubric: list[RubricAnchor] = Field(min_length=len(PHASES), max_length=len(PHASES))
    red_flags: list[str] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Question:
        missing = [p for p in PHASES if not self.probes.get(p)]
        if missing:
            raise ValueError(f"probes: no probe for phase(s) {', '.join(missing)}")
        if not any(p.nodejs for probes in self.probes.values() for p in probes):
            raise ValueError("probes: needs at least one Node.js runtime probe")
        if [r.phase for r in self.rubric] != list(PHASES):
            raise ValueError(f"rubric: needs one anchor row per phase in order {PHASES}")
        return self


class BankStats(_Model):
    """What happened during generation, so a short bank is explained rather than silent."""

    requested: int
    generated: int
    candidates: int = Field(description="candidates looked at: kept or removed as duplicates")
    removed_duplicates: int
    dropped_invalid: int = Field(description="LLM-proposed variants that failed validation")
    llm_added: int
    llm_failed_calls: int


class QuestionBank(_Model):
    """A generated bank: the inputs that reproduce it and the questions, in order."""

    schema_version: Literal[1] = SCHEMA_VERSION
    level: Level
    seed: int
    problems: list[str] = Field(description="problem filter; empty means all problems")
    topics: list[str] = Field(description="topic filter; empty means all topics")
    dedup_threshold: float
    stats: BankStats
    questions: list[Question]

    @model_validator(mode="after")
    def _unique_ids(self) -> QuestionBank:
        ids = [q.id for q in self.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"questions: duplicate id(s) {', '.join(dupes)}")
        return self


class BankResult(_Model):
    """What :func:`generate_bank` returns: the bank plus notes for the person who asked."""

    bank: QuestionBank
    warnings: list[str] = Field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return self.bank.questions

    @property
    def removed_duplicates(self) -> int:
        return self.bank.stats.removed_duplicates

    @property
    def dropped_invalid(self) -> int:
        return self.bank.stats.dropped_invalid

    @property
    def llm_added(self) -> int:
        return self.bank.stats.llm_added

    @property
    def llm_failed_calls(self) -> int:
        return self.bank.stats.llm_failed_calls
