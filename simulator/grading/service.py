"""Grading as the entry points use it: settings in, grades and scorecards out.

The CLI, the app and the evals all grade through here, so the choice between the offline
grader and the LLM judge (and the judge's fallback) is made in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator.content.loader import Content, load_content
from simulator.content.prompt_set import corpus_files
from simulator.content.rubric import Rubric
from simulator.grading.judge import LLMJudge
from simulator.grading.offline import PhaseGrade, grade_answer
from simulator.grading.scorecard import Scorecard, build_scorecard
from simulator.settings import Settings
from simulator.store.sessions import SessionStore

MAX_ANSWER_CHARS = 60_000


class Grader:
    """Grades with one prompt set's rubric and catalog and, when configured, the LLM judge."""

    def __init__(self, settings: Settings, judge: LLMJudge | None = None,
                 content: Content | None = None) -> None:
        self.settings = settings
        self.content = content or load_content(settings.prompts_dir)
        self.rubric: Rubric = self.content.rubric
        self.catalog = self.content.catalog
        self.judge = judge

    @classmethod
    def from_settings(cls, settings: Settings, content: Content | None = None) -> Grader:
        content = content or load_content(settings.prompts_dir)
        judge = None
        if settings.llm_backend != "offline":
            from simulator.llm.client import LLMClient

            judge = LLMJudge(LLMClient(settings), content.rubric, content.llm.judge,
                             samples=settings.judge_samples)
        return cls(settings, judge, content)

    def grade(self, problem_id: str, phase: str, answer: str) -> PhaseGrade:
        if problem_id not in self.catalog:
            raise ValueError(f"unknown problem {problem_id!r}; valid: {', '.join(self.catalog)}")
        if len(answer) > MAX_ANSWER_CHARS:
            raise ValueError(f"answer is {len(answer)} characters; the limit is {MAX_ANSWER_CHARS}")
        problem = self.catalog[problem_id]
        offline = grade_answer(problem, phase, answer, self.rubric, self.catalog,
                               vocabulary=self.content.vocabulary(problem_id))
        if self.judge is None:
            return offline
        return self.judge.grade(problem, phase, answer, offline)

    def scorecard(self, store: SessionStore, session_id: str) -> Scorecard:
        """Grade a stored session and store the scorecard with it."""
        record = store.get(session_id)
        self.content.problem(record.problem_id)
        card = build_scorecard(record, self.rubric, catalog=self.catalog,
                               articles=corpus_files(self.settings.corpus_dir).values(),
                               judge=self.judge, content=self.content)
        store.save_scorecard(session_id, json.loads(card.model_dump_json()))
        return card


class BatchItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    problem: str
    phase: str
    answer: str


class BatchResult(BaseModel):
    id: str
    score: int | None = None
    flags: list[str] = Field(default_factory=list)
    evidence: list[dict] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    grader: str | None = None
    error: str | None = None


def grade_batch(grader: Grader, lines: Iterable[str]) -> Iterator[BatchResult]:
    """Grade every line; a malformed line becomes an error result naming the line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = BatchItem.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            yield BatchResult(id=f"line-{number}", error=f"line {number}: not valid JSON ({exc.msg})")
            continue
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            yield BatchResult(id=f"line-{number}", error=f"line {number}: {where}: {first['msg']}")
            continue
        try:
            grade = grader.grade(item.problem, item.phase, item.answer)
        except ValueError as exc:
            yield BatchResult(id=item.id, error=f"line {number}: {exc}")
            continue
        yield BatchResult(
            id=item.id, score=grade.score, flags=list(grade.flags),
            evidence=[e.model_dump() for e in grade.evidence], missing=grade.missing,
            grader=grade.grader,
        )
