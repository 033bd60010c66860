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
from simulator.content.facts import load_fact_sheet
from simulator.content.interviewer import InterviewerPrompts, load_interviewer_prompts
from simulator.content.misconceptions import load_misconceptions
from simulator.content.modifiers import Modifiers, load_modifiers
from simulator.content.problems import CatalogError, Problem, UnknownProblemError, load_catalog
from simulator.content.prompt_set import PromptSet
from simulator.content.rubric import Rubric, load_rubric
from simulator.content.text_models import load_text_model
from simulator.phases import PHASES
from simulator.reading.asks import FactSheet
from simulator.reading.claims import MisconceptionLibrary
from simulator.reading.resemblance import TermWeights
from simulator.reading.topic import topic_words
from simulator.reading.turn import PointCue, Vocabulary


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


def _points(problem: Problem) -> tuple[PointCue, ...]:
    return tuple(
        PointCue(id=e.id, phase=phase, text=e.text, cues=tuple(e.cues), weight=e.weight,
                 nodejs=e.nodejs)
        for phase in PHASES for e in problem.expectations(phase))


@dataclass(frozen=True)
class Content:
    """One prompt set, validated: problems, rubric, interviewer and LLM prompts, modifiers."""

    prompts: PromptSet
    catalog: dict[str, Problem]
    rubric: Rubric
    interviewer: InterviewerPrompts
    modifiers: Modifiers
    llm: LLMPrompts
    misconceptions: MisconceptionLibrary
    fact_sheets: dict[str, FactSheet]
    hash: str
    _vocabularies: dict[str, Vocabulary] = field(default_factory=dict, compare=False, repr=False)
    _point_cues: dict[str, tuple[PointCue, ...]] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.prompts.label

    @functools.cached_property
    def term_weights(self) -> TermWeights:
        """How rare each word is among all the problems' points (see reading.resemblance)."""
        return TermWeights.from_texts(e.text for p in self.catalog.values()
                                      for e in p.all_expectations().values())

    def _points(self, problem_id: str) -> tuple[PointCue, ...]:
        """A problem's points as compiled cues, built once: every other problem's vocabulary
        holds them too."""
        if problem_id not in self._point_cues:
            self._point_cues[problem_id] = _points(self.problem(problem_id))
        return self._point_cues[problem_id]

    def vocabulary(self, problem_id: str) -> Vocabulary:
        """What the readers need for one problem: its points, the misconception library and
        its fact sheet (built once per problem)."""
        if problem_id not in self._vocabularies:
            problem = self.problem(problem_id)
            others = tuple((pid, self._points(pid)) for pid in self.catalog
                           if pid != problem_id)
            self._vocabularies[problem_id] = Vocabulary(
                points=self._points(problem_id), misconceptions=self.misconceptions,
                facts=self.fact_sheets.get(problem_id),
                topic=topic_words(problem.title, problem.statement), others=others,
                term_weights=self.term_weights,
                event_loop_model=load_text_model("event_loop_probe"),
                event_loop_kinds=load_text_model("event_loop_kind"),
                grade_calibration=load_text_model("grade_calibration"))
        return self._vocabularies[problem_id]

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


def _check_dimensions(catalog: dict[str, Problem], rubric: Rubric) -> None:
    """Every dimension a problem's point names must be one of the rubric's."""
    known = {d.id for d in rubric.dimensions}
    for problem in catalog.values():
        for exp in problem.all_expectations().values():
            unknown = sorted(set(exp.dimensions) - known)
            if unknown:
                raise CatalogError(
                    f"problem {problem.id!r}, point {exp.id!r}: unknown dimension(s) "
                    f"{', '.join(unknown)}; the rubric has {', '.join(sorted(known))}")


@functools.lru_cache(maxsize=8)
def _load(overlay: Path | None, signature: tuple) -> Content:
    prompts = PromptSet(overlay)
    catalog = load_catalog(prompts.under("problems"))
    rubric = load_rubric(prompts.path("rubric.yaml"))
    _check_dimensions(catalog, rubric)
    return Content(
        prompts=prompts,
        catalog=catalog,
        rubric=rubric,
        interviewer=load_interviewer_prompts(prompts.path("interviewer.yaml")),
        modifiers=load_modifiers(prompts.path("modifiers.yaml")),
        llm=load_llm_prompts(prompts),
        misconceptions=load_misconceptions(prompts.path("misconceptions.yaml"),
                                           prompts.under("misconceptions")),
        fact_sheets={p.stem: load_fact_sheet(p, shared=prompts.path("facts/_shared.yaml"))
                     for p in prompts.under("facts") if not p.name.startswith("_")},
        hash=prompts.hash(),
    )


__all__ = ["Content", "LLMPrompts", "load_content"]
