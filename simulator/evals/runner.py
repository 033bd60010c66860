"""Run suites against one prompt set and one backend; produce the run record.

The runner owns what every suite shares: loading every dataset before running anything (a
bad line fails in a second, not after ten minutes), repeats and their spread, per-case
latency, LLM tokens, cost and cache replays, and pointing the whole product at the prompt
set under test. Suites only run cases and score them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.content.loader import load_content
from simulator.evals.adaptation import AdaptationSuite
from simulator.evals.claims import ClaimsSuite
from simulator.evals.datasets import dataset_hash
from simulator.evals.estimates import EstimatesSuite
from simulator.evals.grading import GradingSuite
from simulator.evals.interviewer import InterviewerSuite
from simulator.evals.interviews import InterviewsSuite
from simulator.evals.probes import ProbesSuite
from simulator.evals.records import CaseResult, RunRecord, SuiteResult, Usage, summarize, utc_stamp
from simulator.evals.retrieval import RetrievalSuite
from simulator.evals.suite import EvalContext, Suite
from simulator.settings import Settings

#: Every suite, by name, in the order `--suite all` runs them.
SUITES: dict[str, type[Suite]] = {
    s.name: s for s in (GradingSuite, EstimatesSuite, AdaptationSuite, ProbesSuite,
                        ClaimsSuite, InterviewerSuite, InterviewsSuite, RetrievalSuite)
}
#: Suites that need no LLM, no network and no model download: what CI gates on.
OFFLINE_SUITES: tuple[str, ...] = tuple(SUITES)

Progress = Callable[[str], None]


class UnknownSuiteError(ValueError):
    pass


def resolve_suites(spec: str) -> list[str]:
    """``all``, one name, or a comma-separated list -> suite names in canonical order."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    if not names:
        raise UnknownSuiteError("no suite given; valid: all, " + ", ".join(SUITES))
    if "all" in names:
        return list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise UnknownSuiteError(
            f"unknown suite {unknown[0]!r}; valid: all, {', '.join(SUITES)}"
        )
    return [n for n in SUITES if n in names]


def llm_client_for(settings: Settings):
    """The shared LLM client when an LLM backend is configured, else None."""
    if settings.llm_backend == "offline":
        return None
    from simulator.llm.client import LLMClient

    return LLMClient(settings)


def _usage_snapshot(client: Any) -> tuple:
    if client is None:
        return (0, 0, 0, 0, 0.0, True)
    s = client.stats
    return (s.calls, s.replayed, s.prompt_tokens, s.completion_tokens, s.cost_usd, s.cost_known)


def _usage_between(before: tuple, after: tuple, seconds: float) -> Usage:
    return Usage(
        llm_calls=after[0] - before[0], replayed=after[1] - before[1],
        prompt_tokens=after[2] - before[2], completion_tokens=after[3] - before[3],
        cost_usd=round(after[4] - before[4], 6), cost_known=after[5], latency_s=round(seconds, 4),
    )


def _merge_repeats(per_repeat: list[list[CaseResult]]) -> list[CaseResult]:
    """One result per case: the first repeat's output, every repeat's outcome, mean latency."""
    merged = []
    for results in zip(*per_repeat, strict=True):
        first = results[0].model_copy()
        first.outcomes = [r.outcome for r in results] if len(results) > 1 else []
        first.latency_ms = round(sum(r.latency_ms for r in results) / len(results), 3)
        first.tokens = sum(r.tokens for r in results)
        first.cost_usd = round(sum(r.cost_usd for r in results), 6)
        first.passed = all(r.passed for r in results)
        merged.append(first)
    return merged


def run_suite(
    suite: Suite, cases: list, ctx: EvalContext, dataset: Path, repeat: int = 1,
    progress: Progress | None = None,
) -> SuiteResult:
    """Run every case ``repeat`` times; metrics are means over repeats, with their spread."""
    engine = suite.begin(ctx)
    per_repeat: list[list[CaseResult]] = []
    metric_runs: list[dict[str, float]] = []
    details: dict = {}
    usage = Usage()
    for r in range(repeat):
        results = []
        for case in cases:
            before, started = _usage_snapshot(ctx.client), time.perf_counter()
            result = suite.run_case(case, ctx)
            seconds = time.perf_counter() - started
            used = _usage_between(before, _usage_snapshot(ctx.client), seconds)
            result.latency_ms = round(seconds * 1000, 3)
            result.tokens = used.prompt_tokens + used.completion_tokens
            result.cost_usd = used.cost_usd
            usage.add(used)
            results.append(result)
        metrics, details = suite.score(cases, results)
        per_repeat.append(results)
        metric_runs.append(metrics)
        if progress:
            shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
            progress(f"{suite.name} repeat {r + 1}/{repeat}: {shown}")
    variance = {m: summarize([run[m] for run in metric_runs]) for m in metric_runs[0]}
    return SuiteResult(
        suite=suite.name,
        dataset=str(dataset),
        dataset_hash=dataset_hash(dataset),
        metrics={m: stats.mean for m, stats in variance.items()},
        variance=variance,
        details=details,
        cases=_merge_repeats(per_repeat),
        usage=usage,
        engine=engine,
    )


def run_eval(
    suites: list[str],
    settings: Settings,
    *,
    repeat: int = 1,
    datasets: dict[str, Path] | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> RunRecord:
    """Run ``suites`` on the prompt set of ``settings.prompts_dir`` (the built-in set laid
    under that directory) with the configured backend. The content is loaded once here and
    passed to every suite: nothing reads the prompt set from the environment, so a run in the
    app's own process cannot leak into other sessions.

    ``datasets`` overrides a suite's default dataset; ``client`` injects an LLM client (by
    default one is built when ``settings.llm_backend`` is not offline). Raises DatasetError
    (file and line named) before any case runs when a dataset is malformed.
    """
    if repeat < 1:
        raise ValueError("--repeat must be at least 1")
    if settings.prompts_dir is not None and not Path(settings.prompts_dir).is_dir():
        raise FileNotFoundError(f"prompts directory not found: {settings.prompts_dir}")
    content = load_content(settings.prompts_dir)
    datasets = datasets or {}
    client = client if client is not None else llm_client_for(settings)
    ctx = EvalContext(settings=settings, client=client, content=content)
    planned = []
    for name in suites:
        suite = SUITES[name]()
        path = Path(datasets.get(name) or suite.default_dataset())
        planned.append((suite, path, suite.load(path, ctx)))
    results: dict[str, SuiteResult] = {}
    for suite, path, cases in planned:
        results[suite.name] = run_suite(suite, cases, ctx, path, repeat, progress)
    now = datetime.now(UTC)
    total = Usage()
    for res in results.values():
        total.add(res.usage)
    phash = content.hash
    label = suites[0] if len(suites) == 1 else ("all" if suites == list(SUITES) else "+".join(suites))
    return RunRecord(
        id=f"{utc_stamp(now)}-{label}-{phash[:8]}",
        created_at=now.isoformat(timespec="seconds"),
        suites=results,
        prompts_dir=content.label,
        prompt_set_hash=phash,
        backend=settings.llm_backend,
        model=settings.llm_model if settings.llm_backend != "offline" else None,
        cache_mode=client.cache.mode if client is not None else "off",
        repeat=repeat,
        usage=total,
        sdsim_version=_version(),
    )


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("sdsim")
    except Exception:  # noqa: BLE001 - a missing dist-info must not fail a run
        return ""
