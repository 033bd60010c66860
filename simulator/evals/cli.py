"""`sdsim eval run` and `sdsim eval compare`: a thin click layer over the eval library.

Registered by the main CLI with ``main.add_command(eval_group, "eval")``. Exit codes: 0 ok,
1 a metric regressed past the gate, 2 an error the user can fix (unknown suite, malformed
dataset line, missing run file, bad thresholds file), printed as one line.
"""

from __future__ import annotations

from pathlib import Path

import click

from simulator.cli_errors import UserError, user_errors
from simulator.evals.records import RunRecord

CACHE_MODES = ("off", "record", "replay", "auto")


def _settings(prompts: Path | None, cache_mode: str | None, **llm):
    from simulator.settings import get_settings

    overrides = {k: v for k, v in llm.items() if v is not None}
    if prompts is not None:
        overrides["prompts_dir"] = prompts
    settings = get_settings(**overrides)
    if cache_mode is None and settings.llm_backend != "offline" \
            and "llm_cache_mode" not in settings.model_fields_set:
        cache_mode = "auto"  # eval runs are repeatable and free once recorded, unless told
    if cache_mode is not None:
        settings = get_settings(**overrides, llm_cache_mode=cache_mode)
    return settings


def _usage_line(record: RunRecord) -> str:
    u = record.usage
    if record.backend == "offline":
        return "LLM calls: 0 (offline backend)"
    cost = f"${u.cost_usd:.4f}" + ("" if u.cost_known else " (some prices unknown)")
    return (f"LLM calls: {u.llm_calls} ({u.replayed} replayed from the cache, "
            f"{u.llm_calls - u.replayed} sent; cache mode {record.cache_mode}); tokens "
            f"{u.prompt_tokens + u.completion_tokens}; cost {cost}")


def _summary(record: RunRecord) -> str:
    lines = [f"run {record.id}  prompts {record.prompt_set_hash}  backend {record.backend}"
             + (f" / {record.model}" if record.model else "") + f"  repeats {record.repeat}"]
    for name, res in record.suites.items():
        failed = sum(not c.passed for c in res.cases)
        lines.append(f"{name} ({len(res.cases)} cases, {failed} not passed; {res.engine}; "
                     f"{res.usage.latency_s:.1f}s)")
        for metric, value in res.metrics.items():
            std = res.variance[metric].std
            spread = f"  ± {std:.4f} over {record.repeat}" if record.repeat > 1 else ""
            lines.append(f"  {metric:<16} {value:.4f}{spread}")
    lines.append(_usage_line(record))
    return "\n".join(lines)


def _fail(regressions) -> None:
    names = ", ".join(r.metric for r in regressions)
    for r in regressions:
        click.echo(f"regressed: {r.metric}: {r.reason}", err=True)
    click.echo(f"FAIL: {len(regressions)} metric(s) regressed: {names}", err=True)
    raise SystemExit(1)


@click.group("eval")
def eval_group() -> None:
    """Score the prompts: run eval suites, compare runs, gate on regressions."""


@eval_group.command("run")
@click.option("--suite", "suite_spec", required=True,
              help="grading, estimates, adaptation, probes, claims, interviewer, interviews, "
                   "retrieval, a comma list, or all")
@click.option("--prompts", type=click.Path(path_type=Path),
              help="prompt set to score (default: the configured prompts_dir)")
@click.option("--backend", "llm_backend", help="offline, openai or openai-compatible")
@click.option("--model", "llm_model", help="LLM model name (SDSIM_LLM_MODEL)")
@click.option("--base-url", "llm_base_url", help="OpenAI-compatible server URL")
@click.option("--cache-mode", help="LLM record/replay cache: off, record, replay, auto "
              "(default: SDSIM_LLM_CACHE_MODE, else auto for LLM runs)")
@click.option("--repeat", type=int, default=1, show_default=True,
              help="run every case N times; metrics report mean and std")
@click.option("--dataset", type=click.Path(path_type=Path),
              help="use this JSONL instead of the suite's dataset (one suite only)")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="directory for the run record (default: the configured runs_dir, which the "
                   "Evals page lists)")
@click.option("--fail-on-regression", is_flag=True,
              help="exit 1 if a metric is under its floor, or dropped against --baseline")
@click.option("--baseline", type=click.Path(path_type=Path), help="run record to compare against")
@click.option("--thresholds", type=click.Path(path_type=Path),
              help="YAML/TOML gate (default: the built-in thresholds); implies the gate")
@click.option("--quiet", is_flag=True, help="no progress lines")
@user_errors
def run_command(suite_spec, prompts, llm_backend, llm_model, llm_base_url, cache_mode, repeat,
                dataset, out_dir, fail_on_regression, baseline, thresholds, quiet) -> None:
    """Run eval suites and write <runs_dir>/<timestamp>-<suite>-<hash8>.json."""
    from simulator.evals.compare import compare_runs, format_table
    from simulator.evals.records import load_run, save_run
    from simulator.evals.runner import resolve_suites, run_eval
    from simulator.evals.thresholds import check_drops, check_floors, load_thresholds

    if llm_backend is not None and llm_backend not in ("offline", "openai", "openai-compatible"):
        raise UserError(f"unknown backend {llm_backend!r}; valid: offline, openai, "
                            "openai-compatible")
    if cache_mode is not None and cache_mode not in CACHE_MODES:
        raise UserError(f"unknown cache mode {cache_mode!r}; valid: {', '.join(CACHE_MODES)}")
    if repeat < 1:
        raise UserError("--repeat must be at least 1")
    suites = resolve_suites(suite_spec)
    if dataset is not None and len(suites) != 1:
        raise UserError("--dataset needs exactly one --suite")
    gating = fail_on_regression or thresholds is not None
    gate = load_thresholds(thresholds) if gating else None
    base = load_run(baseline) if baseline is not None else None
    settings = _settings(prompts, cache_mode, llm_backend=llm_backend, llm_model=llm_model,
                         llm_base_url=llm_base_url)

    progress = None if quiet else (lambda msg: click.echo(msg, err=True))
    record = run_eval(suites, settings, repeat=repeat,
                      datasets={suites[0]: dataset} if dataset else None, progress=progress)
    path = save_run(record, out_dir or settings.eval_runs_dir)
    click.echo(_summary(record))
    click.echo(f"wrote {path}")
    if base is not None:
        click.echo("")
        click.echo(format_table(compare_runs(base, record)))
    if gate is not None:
        regressions = check_floors(record.metric_values(), gate)
        if base is not None:
            dropped = check_drops(base.metric_values(), record.metric_values(), gate)
            seen = {r.metric for r in dropped}
            regressions = dropped + [r for r in regressions if r.metric not in seen]
        if regressions:
            _fail(regressions)
        click.echo("gate: no metric regressed")


@eval_group.command("compare")
@click.argument("run_a", type=click.Path(path_type=Path))
@click.argument("run_b", type=click.Path(path_type=Path))
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path),
              help="also write a self-contained HTML report here")
@click.option("--fail-on-regression", is_flag=True,
              help="exit 1 if B regressed against A beyond the thresholds")
@click.option("--thresholds", type=click.Path(path_type=Path),
              help="YAML/TOML gate (default: the built-in thresholds); implies the gate")
@user_errors
def compare_command(run_a, run_b, html_out, fail_on_regression, thresholds) -> None:
    """Metric deltas and flipped cases from RUN_A (before) to RUN_B (after)."""
    from simulator.evals.compare import compare_runs, format_table, gate
    from simulator.evals.records import load_run
    from simulator.evals.report import render_html
    from simulator.evals.thresholds import load_thresholds

    a, b = load_run(run_a), load_run(run_b)
    gating = fail_on_regression or thresholds is not None
    comparison = compare_runs(a, b)
    if gating:
        comparison = gate(comparison, a, b, load_thresholds(thresholds))
    click.echo(format_table(comparison))
    if html_out is not None:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(render_html(comparison, a, b), encoding="utf-8")
        click.echo(f"wrote {html_out}")
    if comparison.regressions:
        _fail(comparison.regressions)
    if gating:
        click.echo("gate: no metric regressed")
