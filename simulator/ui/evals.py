"""Evals page: the run records in a directory, and a compare of two of them under the gate.

For prompt engineers. `sdsim eval run` writes one JSON record per run; this page lists them
newest first with their headline metrics, and compares a baseline (A) with a candidate (B)
as `sdsim eval compare --fail-on-regression` does: metric deltas, the gate from
`evals/thresholds.yaml`, the cases whose result flipped, and the HTML report to download.
It can also run an offline suite and save the record next to the others.

The page only calls `simulator.evals`. A bad file, path or setting is a one-line message,
never a traceback; text from run files reaches the page through `plain()` or a dataframe.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from simulator.evals.compare import Comparison, compare_runs, gate
from simulator.evals.records import RunFileError, RunRecord, load_run
from simulator.evals.report import render_html
from simulator.evals.runner import SUITES
from simulator.evals.thresholds import DEFAULT_THRESHOLDS, ThresholdsError, load_thresholds
from simulator.settings import REPO_ROOT
from simulator.ui import state
from simulator.ui.text import plain

#: Where `sdsim eval run --out runs/` writes when run from the repository root.
DEFAULT_DIR = "runs"
#: The metrics the runs table shows per suite; a suite not listed shows all of its metrics.
HEADLINE: dict[str, tuple[str, ...]] = {
    "grading": ("qwk",),
    "probes": ("precision", "recall"),
    "interviewer": ("all-checks",),
    "retrieval": ("recall@5", "mrr"),
}
#: A run of every offline suite takes about a minute on two cores.
RUN_TIMEOUT_S = 900

#: Rows a table shows before it scrolls (Streamlit rows and header are 35 px).
TABLE_ROWS = 15
_BAD_ROW = "background-color: #ffebe9"
_GOOD_ROW = "background-color: #dafbe1"


@dataclass(frozen=True)
class RunFile:
    """One readable run record and the file it came from."""

    name: str  # the file name without `.json`: unique in its directory
    path: Path
    record: RunRecord
    created: datetime


def resolve_path(text: str) -> Path:
    """A typed path: absolute as given, relative to the repository root otherwise."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def _created(record: RunRecord, path: Path) -> datetime:
    try:
        created = datetime.fromisoformat(record.created_at)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def list_runs(directory: Path) -> tuple[list[RunFile], list[str]]:
    """The run records in ``directory``, newest first, and one error line per bad file."""
    runs: list[RunFile] = []
    errors: list[str] = []
    for path in sorted(directory.glob("*.json")):
        try:
            record = load_run(path)
        except RunFileError as exc:
            errors.append(str(exc).replace(str(path), path.name, 1))
            continue
        runs.append(RunFile(path.stem, path, record, _created(record, path)))
    runs.sort(key=lambda r: (r.created, r.name), reverse=True)
    return runs, errors


def headline_metrics(record: RunRecord) -> list[str]:
    """The ``suite.metric`` keys the runs table shows for ``record``."""
    keys = []
    for suite, result in record.suites.items():
        names = HEADLINE.get(suite) or tuple(result.metrics)
        keys += [f"{suite}.{m}" for m in names if m in result.metrics]
    return keys


def _backend(record: RunRecord) -> str:
    return record.backend + (f" / {record.model}" if record.model else "")


def runs_frame(runs: list[RunFile]) -> pd.DataFrame:
    """One row per run; LLM usage columns only when some run called an LLM."""
    keys = list(dict.fromkeys(k for r in runs for k in headline_metrics(r.record)))
    order = {name: i for i, name in enumerate(SUITES)}  # the same columns whatever is newest
    metric_keys = sorted(keys, key=lambda k: order.get(k.split(".")[0], len(order)))
    used_llm = any(r.record.usage.llm_calls for r in runs)
    rows = []
    for run in runs:
        rec, usage = run.record, run.record.usage
        values = rec.metric_values()
        row = {
            "time": f"{run.created.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
            "suites": ", ".join(rec.suites),
            **{key: values.get(key) for key in metric_keys},
            "cases": sum(len(s.cases) for s in rec.suites.values()),
            "repeats": rec.repeat,
            "backend / model": _backend(rec),
            "prompt set": rec.prompt_set_hash,
            "run": run.name,
        }
        if used_llm:
            row |= {"LLM calls": usage.llm_calls, "replayed": usage.replayed,
                    "tokens": usage.prompt_tokens + usage.completion_tokens,
                    "cost (USD)": usage.cost_usd}
        rows.append(row)
    return pd.DataFrame(rows)


def metrics_frame(c: Comparison) -> pd.DataFrame:
    """Metric, A, B, delta and the gate's verdict; spread columns only with repeats."""
    regressed = {r.metric: r.reason for r in c.regressions}
    with_std = any(m.a_std or m.b_std for m in c.metrics)
    rows = []
    for m in c.metrics:
        row = {"metric": m.metric, "A": m.a, "B": m.b, "delta": m.delta}
        if with_std:
            row |= {"A std": m.a_std, "B std": m.b_std}
        verdict = ("regressed" if m.metric in regressed
                   else "ok" if c.gated and m.b is not None else "")
        rows.append(row | {"gate": verdict, "why": regressed.get(m.metric, "")})
    return pd.DataFrame(rows)


def flips_frame(c: Comparison) -> pd.DataFrame:
    return pd.DataFrame(
        [{"suite": f.suite, "case": f.case_id, "flip": f.kind, "A": f.a, "B": f.b,
          "about": f.about} for f in c.flips],
        columns=["suite", "case", "flip", "A", "B", "about"],
    )


def report_name(a: RunFile, b: RunFile) -> str:
    return f"compare-{a.name}-{b.name}.html"


# -- rendering --------------------------------------------------------------------------------


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _unusable(directory: Path) -> str | None:
    """Why ``directory`` cannot hold run files, or None (a missing one is fine: shown empty)."""
    try:
        if directory.exists() and not directory.is_dir():
            return f"{directory}: not a directory"
        if directory.is_dir():
            next(directory.glob("*.json"), None)
    except (OSError, ValueError) as exc:  # no permission, a NUL in the path...
        return f"{directory}: cannot list run files: {exc}"
    return None


def _how_to_create(text: str) -> None:
    out = text.strip() or DEFAULT_DIR
    st.code(f"sdsim eval run --suite all --out {shlex.quote(out.rstrip('/') + '/')}",
            language="bash")
    st.caption("Or use **Run the offline suites now** above.")


class EvalRunFailed(RuntimeError):
    """`sdsim eval run` exited non-zero; the message is its one-line error."""


def run_in_subprocess(spec: str, prompts: Path, directory: Path) -> Path:
    """Run `sdsim eval run` offline in a child process and return the record it wrote.

    A child process, because a run points the prompt loaders at `prompts` through the
    process environment (`runner.prompts_env`): in the app's own process that would change
    the prompts other browser sessions load while the run lasts.
    """
    cmd = [sys.executable, "-m", "simulator", "eval", "run", "--suite", spec, "--prompts",
           str(prompts), "--backend", "offline", "--out", str(directory), "--quiet"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise EvalRunFailed(f"the run took over {RUN_TIMEOUT_S} s and was stopped") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        raise EvalRunFailed(lines[-1] if lines else f"sdsim eval run exited {done.returncode}")
    wrote = [ln[len("wrote "):] for ln in done.stdout.splitlines() if ln.startswith("wrote ")]
    if not wrote:
        raise EvalRunFailed("sdsim eval run did not say which file it wrote")
    return Path(wrote[-1])


def _run_now(directory: Path) -> None:
    with st.expander("Run the offline suites now", icon=":material/play_arrow:"):
        st.caption("Offline backend: no LLM, no network. The record is saved in the runs "
                   "directory. Grading takes a few seconds; retrieval loads the embedding "
                   "model and the corpus index.")
        left, right = st.columns([1, 3])
        spec = left.selectbox("Suite", [*SUITES, "all"], key="evals_run_suite")
        prompts = right.text_input("Prompt set", value=str(state.settings().prompts_dir),
                                   key="evals_run_prompts")
        if not st.button("Run and save", key="evals_run", icon=":material/play_arrow:"):
            return
        try:
            with st.spinner(f"Running {spec}…"):
                path = run_in_subprocess(spec, resolve_path(prompts), directory)
            record = load_run(path)
        except (EvalRunFailed, RunFileError) as exc:
            st.error(plain(str(exc)))
            return
        shown = ", ".join(f"{k} {v:.4f}" for k, v in record.metric_values().items())
        st.success(plain(f"Saved {path.name}: {shown}"), icon=":material/check:")
        for key in ("evals_a", "evals_b"):  # compare the new run against the previous one
            st.session_state.pop(key, None)


def _height(rows: int) -> int | str:
    return "content" if rows <= TABLE_ROWS else (TABLE_ROWS + 1) * 35 + 3


def _runs_table(runs: list[RunFile]) -> None:
    frame = runs_frame(runs)
    number = st.column_config.NumberColumn(format="%.4f")
    config = {c: number for c in frame.columns if "." in c}
    config["cost (USD)"] = number
    config["prompt set"] = st.column_config.TextColumn(help="prompt_set_hash of the prompts")
    st.dataframe(frame, hide_index=True, column_config=config, height=_height(len(frame)),
                 placeholder="-")


def _pick(runs: list[RunFile]) -> tuple[RunFile, RunFile]:
    """A and B from the list; by default the second newest against the newest."""
    by_name = {r.name: r for r in runs}
    names = list(by_name)
    for key, default in (("evals_a", names[1]), ("evals_b", names[0])):
        if st.session_state.get(key) not in by_name:
            st.session_state[key] = default
    left, right = st.columns(2)
    a = left.selectbox("A: baseline", names, key="evals_a")
    b = right.selectbox("B: candidate", names, key="evals_b")
    return by_name[a], by_name[b]


def _banner(c: Comparison) -> None:
    gate_file = plain(_shown_path(DEFAULT_THRESHOLDS))
    if c.regressions:
        names = plain(", ".join(r.metric for r in c.regressions))
        st.error(f"**Gate failed**: {len(c.regressions)} metric(s) of B regressed past "
                 f"{gate_file}: {names}", icon=":material/block:")
    else:
        st.success(f"**Gate passed**: no metric of B regressed past {gate_file}.",
                   icon=":material/check_circle:")


def _style_metrics(frame: pd.DataFrame):
    def row(r: pd.Series) -> list[str]:
        return [_BAD_ROW if r["gate"] == "regressed" else ""] * len(r)

    def delta(value) -> str:
        if value is None or pd.isna(value) or value == 0:
            return ""
        return "color: #1a7f37" if value > 0 else "color: #cf222e"

    numbers = [c for c in frame.columns if c in ("A", "B", "A std", "B std")]
    return (frame.style.apply(row, axis=1).map(delta, subset=["delta"])
            .format("{:.4f}", subset=numbers, na_rep="-")
            .format(lambda v: f"{v:+.4f}" if v else "0", subset=["delta"], na_rep="-"))


def _style_flips(frame: pd.DataFrame):
    colours = {"broke": _BAD_ROW, "fixed": _GOOD_ROW}
    return frame.style.apply(lambda r: [colours.get(r["flip"], "")] * len(r), axis=1)


def _details(a: RunFile, b: RunFile) -> None:
    rows = {}
    for label, run in (("A", a), ("B", b)):
        rec, u = run.record, run.record.usage
        rows[label] = {
            "run": run.name, "created": rec.created_at, "prompt set": rec.prompt_set_hash,
            "prompts dir": rec.prompts_dir, "backend / model": _backend(rec),
            "cache mode": rec.cache_mode, "repeats": str(rec.repeat),
            "LLM calls (replayed)": f"{u.llm_calls} ({u.replayed})",
            "tokens": str(u.prompt_tokens + u.completion_tokens),
            "cost (USD)": f"{u.cost_usd:.4f}" + ("" if u.cost_known else " (prices unknown)"),
            "case time (s)": f"{u.latency_s:.2f}", "sdsim": rec.sdsim_version or "-",
        }
    with st.expander("Run details"):
        st.dataframe(pd.DataFrame(rows), height="content")


def _compare(a: RunFile, b: RunFile) -> None:
    comparison = compare_runs(a.record, b.record)
    try:
        thresholds = load_thresholds()
    except ThresholdsError as exc:
        st.error(plain(f"Not gated: {exc}"))
    else:
        comparison = gate(comparison, a.record, b.record, thresholds)
        _banner(comparison)
    for warning in comparison.warnings:
        st.warning(plain(warning), icon=":material/warning:")
    _details(a, b)

    st.subheader("Metrics")
    frame = metrics_frame(comparison)
    st.dataframe(_style_metrics(frame), hide_index=True, height=_height(len(frame)),
                 placeholder="-",
                 column_config={"why": st.column_config.TextColumn(width="large")})

    flips = comparison.flips
    broke = sum(f.kind == "broke" for f in flips)
    fixed = sum(f.kind == "fixed" for f in flips)
    st.subheader(f"Flipped cases ({len(flips)})")
    if flips:
        st.caption(f"{broke} broke (passed in A, fail in B), {fixed} fixed, "
                   f"{len(flips) - broke - fixed} changed outcome with the same verdict.")
        st.dataframe(_style_flips(flips_frame(comparison)), hide_index=True,
                     height=_height(len(flips)),
                     column_config={"about": st.column_config.TextColumn(width="large")})
    else:
        st.caption("No case changed its result.")

    st.download_button("Download the HTML report", render_html(comparison, a.record, b.record),
                       file_name=report_name(a, b), mime="text/html", on_click="ignore",
                       icon=":material/download:", key="evals_download")


def render() -> None:
    st.title("Evals")
    st.caption("Run records from `sdsim eval run`, newest first. Compare a baseline with a "
               "candidate to see what a prompt change did, gated like "
               "`sdsim eval compare --fail-on-regression`.")
    text = st.text_input("Runs directory", value=DEFAULT_DIR, key="evals_dir",
                         help="Absolute, or relative to the repository root")
    directory = resolve_path(text.strip() or DEFAULT_DIR)
    st.caption(plain(str(directory)))
    problem = _unusable(directory)
    if problem:
        st.error(plain(problem))
        return
    _run_now(directory)
    exists = directory.is_dir()
    runs, errors = list_runs(directory) if exists else ([], [])

    if runs:
        st.subheader(f"Runs ({len(runs)})")
        _runs_table(runs)
    else:
        where = "No run records here" if exists else "No runs directory here yet"
        st.info(f"{where}. Create runs with:", icon=":material/info:")
        _how_to_create(text)
    for error in errors:
        st.error(plain(error), icon=":material/error:")
    if not runs:
        return

    st.header("Compare")
    if len(runs) < 2:
        st.info("Compare needs two runs: make another with a changed prompt set.")
        return
    a, b = _pick(runs)
    if a.name == b.name:
        st.info("A and B are the same run; pick two different runs.")
        return
    _compare(a, b)
