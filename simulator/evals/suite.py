"""What every eval suite is: a dataset, a way to run one case, and the metrics it declares.

The runner (`simulator.evals.runner`) owns repeats, timing, LLM usage and the run record;
a suite only knows its own cases. Adding a suite means writing one subclass and listing it
in `simulator.evals.runner.SUITES`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from simulator.evals.records import CaseResult
from simulator.settings import REPO_ROOT, Settings

if TYPE_CHECKING:
    from simulator.catalog.problems import Problem
    from simulator.grading.rubric import Rubric
    from simulator.llm.client import LLMClient

DATASETS_DIR = REPO_ROOT / "evals" / "datasets"

C = TypeVar("C", bound=BaseModel)


@dataclass(frozen=True)
class MetricSpec:
    """A metric a suite reports. All sdsim metrics are shares or kappas: higher is better."""

    name: str
    description: str
    higher_is_better: bool = True


@dataclass
class EvalContext:
    """What a suite may use: settings (whose ``prompts_dir`` is the prompt set under test),
    the shared LLM client when an LLM backend is configured, and the loaded catalog and
    rubric of that prompt set."""

    settings: Settings
    client: LLMClient | None = None

    @property
    def prompts_dir(self) -> Path:
        return Path(self.settings.prompts_dir)

    @cached_property
    def catalog(self) -> dict[str, Problem]:
        from simulator.catalog.problems import load_catalog

        return load_catalog(self.prompts_dir / "problems")

    @cached_property
    def rubric(self) -> Rubric:
        from simulator.grading.rubric import load_rubric

        return load_rubric(self.prompts_dir / "rubric.yaml")

    def check_problem(self, problem_id: str) -> None:
        """Raise ValueError naming the valid ids when a dataset names an unknown problem."""
        if problem_id not in self.catalog:
            valid = ", ".join(sorted(self.catalog))
            raise ValueError(f"problem: unknown problem {problem_id!r}; valid: {valid}")


class Suite(ABC, Generic[C]):
    """Base class. Subclasses set the class attributes and implement the three methods."""

    name: ClassVar[str]
    description: ClassVar[str]
    metrics: ClassVar[tuple[MetricSpec, ...]]
    dataset_file: ClassVar[str]

    @classmethod
    def default_dataset(cls) -> Path:
        return DATASETS_DIR / cls.dataset_file

    @abstractmethod
    def load(self, path: Path, ctx: EvalContext) -> list[C]:
        """Read and validate the dataset; raises DatasetError naming file and line."""

    def begin(self, ctx: EvalContext) -> str:
        """Set up before the first case (build a grader, open a store); returns a short
        description of what produces the outputs, recorded as the suite's ``engine``."""
        return "offline"

    @abstractmethod
    def run_case(self, case: C, ctx: EvalContext) -> CaseResult:
        """Produce one case's output and its pass/score fields."""

    @abstractmethod
    def score(self, cases: list[C], results: list[CaseResult]) -> tuple[dict[str, float], dict]:
        """The declared metrics (and optional details such as a confusion matrix)."""
