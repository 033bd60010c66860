"""The one Content object: everything a prompt set holds, loaded once and passed explicitly.

The engine, the grader, the question generator and the eval suites all take a `Content`
instead of reading files or environment variables themselves, so the prompt set an eval scores,
or the one a browser session started with, is exactly the one they use: two sets can be live
in one process (the Evals page scores a candidate set while interviews run on the built-in one).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from simulator.content.datafile import parse_mapping
from simulator.content.interviewer import InterviewerPrompts, load_interviewer_prompts
from simulator.content.modifiers import Modifiers, load_modifiers
from simulator.content.problems import CatalogError, Problem, UnknownProblemError, load_catalog
from simulator.content.prompt_set import PromptSet
from simulator.content.rubric import Rubric, load_rubric
from simulator.phases import PHASES


class LLMPrompts(BaseModel):
    """The templates sent to an LLM (`prompts/llm/`), as text."""

    model_config = ConfigDict(frozen=True)

    interviewer_system: str
    interviewer_turn: str
    judge: str
    question_generation: str
    phase_instructions: dict[str, str]


def _read(prompts: PromptSet, relative: str) -> str:
    return prompts.path(relative).read_text(encoding="utf-8")


def load_llm_prompts(prompts: PromptSet) -> LLMPrompts:
    path = prompts.path("llm/phase_instructions.yaml")
    notes = parse_mapping(path.read_bytes(), path, CatalogError)
    missing = [p for p in PHASES if p not in notes]
    if missing:
        raise CatalogError(f"{path}: missing phase(s): {', '.join(missing)}")
    return LLMPrompts(
        interviewer_system=_read(prompts, "llm/interviewer_system.md"),
        interviewer_turn=_read(prompts, "llm/interviewer_turn.md"),
        judge=_read(prompts, "llm/judge.md"),
        question_generation=_read(prompts, "llm/question_generation.md"),
        phase_instructions={str(k): str(v) for k, v in notes.items()},
    )


@dataclass(frozen=True)
class Content:
    """One prompt set, validated: problems, rubric, interviewer and LLM prompts, modifiers."""

    prompts: PromptSet
    catalog: dict[str, Problem]
    rubric: Rubric
    interviewer: InterviewerPrompts
    modifiers: Modifiers
    llm: LLMPrompts
    hash: str
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        return self.prompts.label

    def problem(self, problem_id: str) -> Problem:
        """The problem with ``problem_id``; raises :class:`UnknownProblemError` listing ids."""
        try:
            return self.catalog[problem_id]
        except KeyError:
            raise UnknownProblemError(problem_id, list(self.catalog)) from None


def load_content(prompts_dir: Path | str | None = None) -> Content:
    """The built-in prompt set, overlaid by ``prompts_dir`` when given (cached until a file
    changes). Raises :class:`CatalogError`, :class:`RubricError` or
    :class:`PromptSetError` with a one-line message naming the file."""
    prompts = PromptSet(prompts_dir)
    return _load(prompts.overlay, prompts.signature())


@functools.lru_cache(maxsize=8)
def _load(overlay: Path | None, signature: tuple) -> Content:
    prompts = PromptSet(overlay)
    return Content(
        prompts=prompts,
        catalog=load_catalog(prompts.under("problems")),
        rubric=load_rubric(prompts.path("rubric.yaml")),
        interviewer=load_interviewer_prompts(prompts.path("interviewer.yaml")),
        modifiers=load_modifiers(prompts.path("modifiers.yaml")),
        llm=load_llm_prompts(prompts),
        hash=prompts.hash(),
    )


__all__ = ["Content", "LLMPrompts", "load_content"]
