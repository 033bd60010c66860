"""Graders the grading suite can score, chosen by the configured backend.

The suite only needs "answer in, PhaseGrade out". Both built-in choices go through the
grading package's own entry point (`simulator.grading.service.Grader`), so the suite scores
exactly what the CLI and the app use: the offline grader, or the LLM judge on top of it
(bounded by it, falling back to it). The judge gets the run's shared LLM client, so its
tokens, cost and cache replays land in the run record. Another grader (a second judge, a
fine-tuned model) plugs in by registering a factory for a backend name; the suite, the
runner and the record do not change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from simulator.evals.suite import EvalContext
from simulator.grading.offline import PhaseGrade


class Grader(Protocol):
    name: str

    def grade(self, problem_id: str, phase: str, answer: str) -> PhaseGrade: ...


class ServiceGrader:
    """`simulator.grading.service.Grader` on the prompt set under test."""

    def __init__(self, ctx: EvalContext, judged: bool) -> None:
        from simulator.grading.service import Grader as GradingService

        judge = None
        if judged:
            from simulator.grading.judge import LLMJudge

            if ctx.client is None:
                raise ValueError("the LLM judge needs an LLM backend (llm_backend is offline)")
            judge = LLMJudge(ctx.client, ctx.rubric, ctx.content.llm.judge,
                             samples=ctx.settings.judge_samples)
        self.service = GradingService(ctx.settings, judge=judge, content=ctx.content)
        self.name = f"llm-judge:{ctx.client.model_name}" if judge and ctx.client else "offline"

    def grade(self, problem_id: str, phase: str, answer: str) -> PhaseGrade:
        return self.service.grade(problem_id, phase, answer)


GraderFactory = Callable[[EvalContext], Grader]

#: backend name (``settings.llm_backend``) -> grader factory.
GRADERS: dict[str, GraderFactory] = {
    "offline": lambda ctx: ServiceGrader(ctx, judged=False),
    "openai": lambda ctx: ServiceGrader(ctx, judged=True),
    "openai-compatible": lambda ctx: ServiceGrader(ctx, judged=True),
}


def register_grader(backend: str, factory: GraderFactory) -> None:
    """Make ``factory`` the grader for runs with ``llm_backend == backend``."""
    GRADERS[backend] = factory


def grader_for(ctx: EvalContext) -> Grader:
    backend = ctx.settings.llm_backend
    if backend not in GRADERS:
        raise ValueError(f"no grader for backend {backend!r}; known: {', '.join(GRADERS)}")
    return GRADERS[backend](ctx)
