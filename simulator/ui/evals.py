"""Evals page: the run records in a directory, and a compare of two of them under the gate.

For prompt engineers. `sdsim eval run` writes one JSON record per run; this page lists them
newest first with their headline metrics, and compares a baseline (A) with a candidate (B)
as `sdsim eval compare --fail-on-regression` does: metric deltas, the gate from
the thresholds file, the cases whose result flipped, and the HTML report to download.
It can also run an offline suite, in this process, on the built-in prompt set or a folder of
the configured prompt-sets directory, and save the record next to the others. Paths are never
typed in: the runs directory is configured (`runs_dir`), prompt sets are chosen from a list.

The page only calls `simulator.evals`. A bad file, path or setting is a one-line message,
never a traceback; text from run files reaches the page through `plain()` or a dataframe.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from simulator.evals.compare import Comparison, compare_runs, gate
from simulator.evals.records import RunFileError, RunRecord, load_run, save_run
from simulator.evals.report import render_html
from simulator.evals.runner import SUITES, resolve_suites, run_eval
from simulator.evals.thresholds import DEFAULT_THRESHOLDS, ThresholdsError, load_thresholds
from simulator.settings import Settings
from simulator.ui import auth, state
from simulator.ui.text import plain

#: The name the page shows for the prompt set shipped in the package.
BUILTIN = "built-in"
#: Folder names the page accepts as prompt sets (no dots first, no separators).
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: Run file names the page reads or writes: `<time>-<suites>-<hash>.json`, no separators.
RUN_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}\.json")
#: The metrics the runs table shows per suite; a suite not listed shows all of its metrics.
HEADLINE: dict[str, tuple[str, ...]] = {
    "grading": ("qwk",),
    "probes": ("precision", "recall"),
    "interviewer": ("all-checks",),
    "retrieval": ("recall@5", "mrr"),
}

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


def inside(path: Path, directory: Path) -> bool:
    """Whether ``path``, symlinks followed, stays inside ``directory``: a link in the runs
    or prompt-sets directory must not let the page read or write elsewhere."""
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def prompt_set_choices(settings: Settings) -> dict[str, Path | None]:
    """The prompt sets a run may score: the built-in one and each folder of the configured
    prompt-sets directory, by name. The page offers only these: no path is ever typed."""
    choices: dict[str, Path | None] = {BUILTIN: None}
    root = settings.eval_prompt_sets_dir
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and SAFE_NAME.fullmatch(folder.name) and inside(folder, root):
                choices[folder.name] = folder
    return choices


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
        if not RUN_FILE.fullmatch(path.name) or not inside(path, directory):
            errors.append(f"{path.name[:40]}: skipped, not a run file name or a link "
                          "out of the runs directory")
            continue
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


def _unusable(directory: Path) -> str | None:
    """Why ``directory`` cannot hold run files, or None (a missing one is fine: shown empty)."""
    try:
        if directory.exists() and not directory.is_dir():
            return f"runs directory {directory.name}: not a directory"
        if directory.is_dir():
            next(directory.glob("*.json"), None)
    except (OSError, ValueError) as exc:  # no permission, a NUL in the path...
        return f"runs directory {directory.name}: cannot list run files ({type(exc).__name__})"
    return None


def _how_to_create() -> None:
    st.code("sdsim eval run --suite all", language=None)  # highlight colours fail 4.5:1
    st.caption("`sdsim eval run` saves into the same runs directory by default. Or use **Run "
               "the offline suites now** above.")


class EvalRunBusy(RuntimeError):
    """This user already has an eval run in progress."""


def current_user() -> str:
    """Whose run this is: the key of the per-user run lock (the signed-in user's id, or
    ``"local"`` in the one-user local mode)."""
    return auth.user_id()


#: One run at a time per user, process-wide so it holds across reruns and tabs: a run takes
#: the CPU for up to a minute. Locks are made once per user and kept (a few bytes each).
_RUN_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def run_lock(user: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _RUN_LOCKS.setdefault(user, threading.Lock())


def run_offline(spec: str, prompts: Path | None, directory: Path, settings: Settings,
                user: str = "local") -> Path:
    """Run the offline suites of ``spec`` on the prompt set ``prompts`` in this process and save
    the record in ``directory``. The prompt set is passed to the run as a Content object, so
    the browser sessions interviewing meanwhile keep their own. Raises :class:`EvalRunBusy`
    when ``user`` has a run in progress, ValueError when the record would land outside
    ``directory`` or under an unsafe name."""
    lock = run_lock(user)
    if not lock.acquire(blocking=False):
        raise EvalRunBusy("you have an eval run in progress; try again when it has finished")
    try:
        run_settings = settings.model_copy(update={"prompts_dir": prompts,
                                                   "llm_backend": "offline"})
        record = run_eval(resolve_suites(spec), run_settings)
        if not RUN_FILE.fullmatch(f"{record.id}.json"):
            raise ValueError(f"run id {record.id[:40]!r} is not a safe file name")
        directory.mkdir(parents=True, exist_ok=True)
        if not inside(directory / f"{record.id}.json", directory):
            raise ValueError("the run file would be written outside the runs directory")
        return save_run(record, directory)
    finally:
        lock.release()


def _run_now(directory: Path) -> None:
    with st.expander("Run the offline suites now", icon=":material/play_arrow:"):
        st.caption("Offline backend: no LLM, no network. The record is saved in the runs "
                   "directory. Grading takes a few seconds; retrieval loads the embedding "
                   "model and the corpus index.")
        settings = state.settings()
        choices = prompt_set_choices(settings)
        left, right = st.columns([1, 3])
        spec = left.selectbox("Suite", [*SUITES, "all"], key="evals_run_suite")
        chosen = right.selectbox("Prompt set", list(choices), key="evals_run_prompts",
                                 help="The built-in set, or a folder of the prompt-sets "
                                      "directory laid over it")
        if not st.button("Run and save", key="evals_run", icon=":material/play_arrow:"):
            return
        try:
            with st.spinner(f"Running {spec}…"):
                path = run_offline(spec, choices[chosen], directory, settings, current_user())
            record = load_run(path)
        except (EvalRunBusy, RunFileError, ValueError, OSError) as exc:
            st.error(plain(one_line(exc, directory)))
            return
        shown = ", ".join(f"{k} {v:.4f}" for k, v in record.metric_values().items())
        st.success(plain(f"Saved {path.name}: {shown}"), icon=":material/check:")
        for key in ("evals_a", "evals_b"):  # compare the new run against the previous one
            st.session_state.pop(key, None)


def one_line(exc: Exception, directory: Path) -> str:
    """An error as one line with the server's directories replaced by their names."""
    text = " ".join(str(exc).split())
    return text.replace(str(directory), directory.name)


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
    gate_file = plain(DEFAULT_THRESHOLDS.name)
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
            "prompts dir": _relative(rec.prompts_dir), "backend / model": _backend(rec),
            "cache mode": rec.cache_mode, "repeats": str(rec.repeat),
            "LLM calls (replayed)": f"{u.llm_calls} ({u.replayed})",
            "tokens": str(u.prompt_tokens + u.completion_tokens),
            "cost (USD)": f"{u.cost_usd:.4f}" + ("" if u.cost_known else " (prices unknown)"),
            "case time (s)": f"{u.latency_s:.2f}", "sdsim": rec.sdsim_version or "-",
        }
    with st.expander("Run details"):
        st.dataframe(pd.DataFrame(rows), height="content")


def _relative(recorded: str) -> str:
    """A prompts directory as recorded by `sdsim eval run`: a name, never a server path
    (older records and CLI runs may hold an absolute path; only its last part is shown)."""
    return " + ".join(Path(part).name if Path(part).is_absolute() else part
                      for part in recorded.split(" + "))


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
    auth.require("admin")
    st.title("Evals")
    st.caption("Run records from `sdsim eval run`, newest first. Compare a baseline with a "
               "candidate to see what a prompt change did, gated like "
               "`sdsim eval compare --fail-on-regression`.")
    directory = state.settings().eval_runs_dir
    st.caption("Runs directory: the configured `runs_dir` (default: `runs` in the data "
               "directory).")
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
        _how_to_create()
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
