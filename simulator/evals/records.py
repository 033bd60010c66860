"""The run record: everything one `sdsim eval run` measured, as one JSON file.

A record has to answer, months later, "what exactly was scored, with what, and how well":
the prompt-set hash and directory, the backend and model, the dataset hashes, every case's
output, the metrics with their spread over repeats, and what the run cost in LLM tokens,
money and time. `compare` reads two of these and nothing else, so a record is
self-sufficient.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCHEMA_VERSION = 1


class RunFileError(ValueError):
    """A run file that is missing or is not a run record; the message names the file."""


class MetricStats(BaseModel):
    """One metric over the repeats of a run: mean and (sample) standard deviation."""

    mean: float
    std: float
    min: float
    max: float
    n: int
    values: list[float]


def summarize(values: list[float]) -> MetricStats:
    """Mean and sample std (0 for a single repeat) of one metric's values, one per repeat."""
    if not values:
        raise ValueError("no values to summarize")
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return MetricStats(
        mean=round(statistics.fmean(values), 6),
        std=round(std, 6),
        min=min(values),
        max=max(values),
        n=len(values),
        values=[round(v, 6) for v in values],
    )


class Usage(BaseModel):
    """LLM calls and what they cost; all zero for an offline run."""

    llm_calls: int = 0
    replayed: int = 0  # calls answered from the record/replay cache (free, no network)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True  # False when a model's price is not in the price table
    latency_s: float = 0.0  # wall time spent running cases

    def add(self, other: Usage) -> None:
        self.llm_calls += other.llm_calls
        self.replayed += other.replayed
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost_usd = round(self.cost_usd + other.cost_usd, 6)
        self.cost_known = self.cost_known and other.cost_known
        self.latency_s = round(self.latency_s + other.latency_s, 4)


class CaseResult(BaseModel):
    """One case: its output, a comparable one-word outcome, and whether it passed.

    ``outcome`` is what `compare` diffs to find flipped cases (a predicted score, "probe",
    "pass"...). With repeats, ``outcomes`` holds one per repeat and ``output`` the first's.
    """

    id: str
    passed: bool
    outcome: str
    output: dict[str, Any] = Field(default_factory=dict)
    outcomes: list[str] = Field(default_factory=list)
    latency_ms: float = 0.0  # mean over repeats
    tokens: int = 0  # prompt + completion, summed over repeats
    cost_usd: float = 0.0

    @property
    def stable(self) -> bool:
        return len(set(self.outcomes or [self.outcome])) == 1


class SuiteResult(BaseModel):
    """One suite's part of a run."""

    suite: str
    dataset: str
    dataset_hash: str
    metrics: dict[str, float]  # mean over repeats
    variance: dict[str, MetricStats]
    details: dict[str, Any] = Field(default_factory=dict)  # e.g. the confusion matrix
    cases: list[CaseResult]
    usage: Usage = Field(default_factory=Usage)
    engine: str = ""  # what produced the outputs (grader name, embedding backend, ...)


class RunRecord(BaseModel):
    """A whole run: one or more suites on one prompt set with one backend."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    id: str
    created_at: str
    suites: dict[str, SuiteResult]
    prompts_dir: str
    prompt_set_hash: str
    backend: str
    model: str | None
    cache_mode: str
    repeat: int
    usage: Usage
    sdsim_version: str = ""

    def metric_values(self) -> dict[str, float]:
        """Every metric as ``suite.metric`` -> mean value."""
        return {f"{s}.{m}": v for s, res in self.suites.items() for m, v in res.metrics.items()}

    def metric_std(self) -> dict[str, float]:
        return {
            f"{s}.{m}": st.std for s, res in self.suites.items() for m, st in res.variance.items()
        }


def utc_stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def save_run(record: RunRecord, out_dir: Path) -> Path:
    """Write ``<out_dir>/<record.id>.json``; never overwrites (a ``-2`` suffix if taken)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{record.id}.json"
    n = 2
    while path.exists():
        path = out_dir / f"{record.id}-{n}.json"
        n += 1
    path.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def load_run(path: Path | str) -> RunRecord:
    """Read a run record; raises RunFileError with a one-line message naming the file."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFileError(f"{path}: run file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RunFileError(f"{path}: cannot read run file: {exc}") from None
    try:
        return RunRecord.model_validate_json(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        detail = f"{where}: {err['msg']}" if where else err["msg"]
        raise RunFileError(f"{path}: not a run record ({detail})") from None
