"""What every eval suite is: a dataset, a way to run one case, and the metrics it declares.

The runner (`simulator.evals.runner`) owns repeats, timing, LLM usage and the run record;
a suite only knows its own cases. Adding a suite means writing one subclass and listing it
in `simulator.evals.runner.SUITES`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from simulator.content.loader import Content, load_content
from simulator.evals.records import CaseResult
from simulator.settings import Settings

if TYPE_CHECKING:
    from simulator.content.problems import Problem
    from simulator.content.rubric import Rubric
    from simulator.llm.client import LLMClient

#: The labelled datasets ship inside the package, so `sdsim eval run` works from a wheel.
DATASETS_DIR = Path(__file__).resolve().parent / "datasets"

C = TypeVar("C", bound=BaseModel)


@dataclass(frozen=True)
class MetricSpec:
    """A metric a suite reports. All sdsim metrics are shares or kappas: higher is better."""

    name: str
    description: str
    higher_is_better: bool = True


@dataclass
class EvalContext:
    """What a suite may use: settings, the content under test (one prompt set, passed to
    every engine and grader the suite builds), and the shared LLM client when an LLM backend
    is configured."""

    settings: Settings
    client: LLMClient | None = None
    content: Content = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.content is None:
            self.content = load_content(self.settings.prompts_dir)

    @property
    def catalog(self) -> dict[str, Problem]:
        return self.content.catalog

    @property
    def rubric(self) -> Rubric:
        return self.content.rubric

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


def precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    """(precision, recall) of (predicted, labelled) pairs. Nothing predicted is vacuously
    precise; nothing to find is vacuously recalled."""
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
