"""LLM-proposed variants: asked for, validated one by one, and enriched like offline ones.

The model is asked (the prompt set's ``llm/question_generation.md``) for a batch of variants of one
problem through ``LLMClient.structured``. The reply schema is deliberately loose (plain
numbers and strings) so that one bad variant does not sink the batch: each proposal is then
validated on its own against the real constraints (``TrafficAssumptions`` bounds, a usable
question text, the requested topics) and dropped and counted if it fails. A call that fails
altogether (``LLMFailed``: server down, reply never parses) is counted and generation goes
on offline, because the offline bank is always available.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator.capacity import TrafficAssumptions, human_count
from simulator.content.problems import Problem
from simulator.llm.errors import LLMFailed
from simulator.questions.build import Context, Draft, base_topics, short_title, text_id

__all__ = ["LLMOutcome", "ProposedVariant", "ProposedVariants", "llm_drafts"]

log = logging.getLogger(__name__)

MAX_PER_CALL = 5
MIN_QUESTION_CHARS = 40
MAX_QUESTION_CHARS = 1500


class ProposedAssumptions(BaseModel):
    dau: float
    reads_per_user_per_day: float
    writes_per_user_per_day: float
    read_size_bytes: float
    write_size_bytes: float


class ProposedVariant(BaseModel):
    question: str
    assumptions: ProposedAssumptions
    topics: list[str]


class ProposedVariants(BaseModel):
    """The reply schema sent to the model: a batch of variants of one problem."""

    variants: list[ProposedVariant]


class _Checked(BaseModel):
    """The constraints one proposal must meet to enter the bank."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=MIN_QUESTION_CHARS, max_length=MAX_QUESTION_CHARS)
    assumptions: TrafficAssumptions


@dataclass
class LLMOutcome:
    drafts: list[Draft] = field(default_factory=list)
    dropped_invalid: int = 0
    failed_calls: int = 0
    warnings: list[str] = field(default_factory=list)


def _prompt(template_text: str, problem: Problem, level: str, count: int,
            topics: list[str]) -> str:
    from langchain_core.prompts import PromptTemplate

    template = PromptTemplate.from_template(template_text)
    return template.format(count=count, level=level, problem_title=problem.title,
                           statement=" ".join(problem.statement.split()),
                           topics=", ".join(topics))


def _check(proposal: ProposedVariant, problem: Problem) -> tuple[str, TrafficAssumptions]:
    """Raise ValueError (ValidationError) when the proposal cannot be used."""
    proposed = proposal.assumptions.model_dump()
    if not all(math.isfinite(v) for v in proposed.values()):
        raise ValueError("assumptions must be finite numbers")
    whole = ("dau", "read_size_bytes", "write_size_bytes")
    fractional = [name for name in whole if proposed[name] != int(proposed[name])]
    if fractional:
        raise ValueError(f"{', '.join(fractional)} must be whole numbers")
    values = {**problem.assumptions.model_dump(), **proposed,
              **{name: int(proposed[name]) for name in whole}}
    checked = _Checked.model_validate(
        {"question": " ".join(proposal.question.split()), "assumptions": values})
    a = checked.assumptions
    if a.reads_per_user_per_day + a.writes_per_user_per_day <= 0:
        raise ValueError("no reads and no writes: nothing to estimate")
    return checked.question, a


def llm_drafts(
    client: Any,
    settings: Any,
    problems: list[Problem],
    ctx: Context,
    count: int,
    topic_filter: list[str],
    valid_topics: set[str],
) -> LLMOutcome:
    """Ask ``client`` for variants of each problem and turn the valid ones into drafts."""
    outcome = LLMOutcome()
    per_call = max(1, min(MAX_PER_CALL, count))
    for problem in problems:
        topics = base_topics(problem, ctx.articles)
        messages = [{"role": "user", "content": _prompt(
            ctx.content.llm.question_generation, problem, ctx.level, per_call,
            topic_filter or topics)}]
        try:
            reply = client.structured(messages, ProposedVariants)
        except LLMFailed as exc:
            outcome.failed_calls += 1
            outcome.warnings.append(f"LLM variants for {problem.id} failed ({exc.reason}); "
                                    "continuing with offline questions")
            continue
        for i, proposal in enumerate(reply.variants):
            try:
                text, a = _check(proposal, problem)
            except (ValidationError, ValueError) as exc:
                outcome.dropped_invalid += 1
                reason = " ".join(str(exc).split())[:160]
                log.info("dropped LLM variant %d of %s: %s", i, problem.id, reason)
                continue
            proposed_topics = [t.strip().lower() for t in proposal.topics]
            draft_topics = tuple(dict.fromkeys(
                [*topics, *(t for t in proposed_topics if t in valid_topics)]))
            if topic_filter and not set(topic_filter) & set(draft_topics):
                outcome.dropped_invalid += 1
                log.info("dropped LLM variant %d of %s: none of the requested topics",
                         i, problem.id)
                continue
            outcome.drafts.append(Draft(
                id=f"{problem.id}--llm--{text_id(text)}",
                kind="llm-variant",
                problem=problem,
                assumptions=a,
                title=f"{short_title(problem)} at {human_count(a.dau)} {ctx.modifiers.scale_noun(problem.id)}: "
                      "LLM-proposed",
                text=text,
                variant="LLM-proposed variant",
                topics=draft_topics,
            ))
    if outcome.dropped_invalid:
        outcome.warnings.append(f"dropped {outcome.dropped_invalid} invalid LLM-proposed "
                                "variant(s)")
    return outcome
