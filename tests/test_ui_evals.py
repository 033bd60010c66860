"""The Evals page driven in-process with AppTest: the runs table, compare with the gate,
flipped cases, the HTML report, bad files, an empty directory, and running a suite.

The run records are real: the offline `grading` and `interviewer` suites on the real prompts
and on the deliberately worse prompt set (`tests/fixtures/worse_prompts/`), made once per
module. The page needs no corpus index, so the app's background warm-up is switched off:
it would ingest the whole corpus into each test's empty data directory.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from simulator.content.loader import load_content
from simulator.evals.compare import compare_runs, gate
from simulator.evals.records import load_run, save_run
from simulator.evals.report import render_html
from simulator.evals.runner import run_eval
from simulator.evals.thresholds import load_thresholds
from simulator.settings import REPO_ROOT, Settings
from simulator.ui import state
from simulator.ui.evals import EvalRunBusy, current_user, run_lock, run_offline

APP = str(REPO_ROOT / "streamlit_app.py")
PAGE = "simulator/ui/pages/evals.py"
WORSE_OVERLAY = Path(__file__).parent / "fixtures" / "worse_prompts"
SUITES = ["grading", "interviewer"]


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """A run on the real prompts, then one on the worse prompts (so it is the newer)."""
    root = tmp_path_factory.mktemp("ui-evals")
    worse = WORSE_OVERLAY  # an overlay: only the files it changes
    settings = Settings(data_dir=root / "data", llm_backend="offline")
    good = save_run(run_eval(SUITES, settings), root / "made")
    bad = save_run(run_eval(SUITES, settings.model_copy(update={"prompts_dir": worse})),
                   root / "made")
    return {"good": good, "worse": bad, "worse_prompts": worse}


@pytest.fixture
def runs_dir(made, tmp_path) -> Path:
    target = tmp_path / "runs"
    target.mkdir()
    for name in ("good", "worse"):
        shutil.copy(made[name], target / made[name].name)
    return target


@pytest.fixture(autouse=True)
def _no_warm_up(monkeypatch):
    monkeypatch.setattr(state, "warm_up", lambda: None)


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[bytes, str | None]]:
    """Every file a download button hands the browser: media file id -> (data, file name)."""
    seen: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        data = path_or_data.encode() if isinstance(path_or_data, str) else path_or_data
        seen[file_id] = (data, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


@pytest.fixture
def open_page(monkeypatch, tmp_path):
    """Open the Evals page with ``directory`` as the configured runs directory and a
    prompt-sets directory holding the worse overlay as ``worse``."""
    sets = tmp_path / "prompt-sets"
    shutil.copytree(WORSE_OVERLAY, sets / "worse")
    monkeypatch.setenv("SDSIM_PROMPT_SETS_DIR", str(sets))

    def opener(directory: Path | str) -> AppTest:
        monkeypatch.setenv("SDSIM_RUNS_DIR", str(directory))
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        return at

    return opener


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def shown(elements) -> str:
    return " ".join(unescape(e.value) for e in elements)


def test_the_runs_table_lists_every_run_newest_first_with_its_metrics(runs_dir, made, open_page):
    at = open_page(runs_dir)
    assert at.title[0].value == "Evals"
    table = frames(at)[0]
    good, worse = load_run(made["good"]), load_run(made["worse"])
    assert list(table["run"]) == [made["worse"].stem, made["good"].stem]
    for (_, row), record in zip(table.iterrows(), [worse, good], strict=True):
        values = record.metric_values()
        assert row["grading.qwk"] == values["grading.qwk"]
        assert row["interviewer.all-checks"] == values["interviewer.all-checks"]
        assert row["prompt set"] == record.prompt_set_hash
        assert row["suites"] == "grading, interviewer"
        assert row["backend / model"] == "offline"
        assert row["repeats"] == 1
        assert row["cases"] == sum(len(s.cases) for s in record.suites.values())
    assert good.prompt_set_hash != worse.prompt_set_hash
    assert "LLM calls" not in table.columns  # offline runs: no usage columns
    assert [e.icon for e in at.error] == [":material/block:"]  # the gate, no file errors


def test_good_to_worse_fails_the_gate_names_the_metrics_and_lists_flips(runs_dir, made, open_page):
    at = open_page(runs_dir)
    # By default the newest run (worse) is the candidate B, the one before it the baseline A.
    assert at.selectbox(key="evals_a").value == made["good"].stem
    assert at.selectbox(key="evals_b").value == made["worse"].stem
    a, b = load_run(made["good"]), load_run(made["worse"])
    expected = gate(compare_runs(a, b), a, b, load_thresholds())
    regressed = {r.metric for r in expected.regressions}
    assert "grading.qwk" in regressed and "interviewer.refuses-reveal" in regressed

    banner = unescape(at.error[0].value)
    assert "Gate failed" in banner
    for metric in regressed:
        assert metric in banner

    metrics, flips = frames(at)[2], frames(at)[3]  # after the runs table and run details
    assert list(metrics["metric"]) == [m.metric for m in expected.metrics]
    for (_, row), m in zip(metrics.iterrows(), expected.metrics, strict=True):
        assert (row["A"], row["B"], row["delta"]) == (m.a, m.b, m.delta)
        assert row["gate"] == ("regressed" if m.metric in regressed else "ok")
    qwk = metrics.set_index("metric").loc["grading.qwk"]
    assert qwk["delta"] < 0 and "dropped" in qwk["why"]

    assert len(flips) == len(expected.flips) > 0
    assert [tuple(r) for r in flips[["suite", "case", "flip", "A", "B", "about"]].values] == [
        (f.suite, f.case_id, f.kind, f.a, f.b, f.about) for f in expected.flips]
    assert {"grading", "interviewer"} <= set(flips["suite"])
    assert f"Flipped cases ({len(expected.flips)})" in [h.value for h in at.subheader]


def test_the_html_report_download_is_the_gated_report(runs_dir, made, downloads, open_page):
    at = open_page(runs_dir)
    button = at.download_button(key="evals_download")
    assert button.label == "Download the HTML report"
    data, file_name = downloads[Path(button.proto.url).stem]
    a, b = load_run(made["good"]), load_run(made["worse"])
    assert data.decode() == render_html(gate(compare_runs(a, b), a, b, load_thresholds()), a, b)
    assert file_name == f"compare-{made['good'].stem}-{made['worse'].stem}.html"


def test_worse_to_good_passes_the_gate(runs_dir, made, open_page):
    at = open_page(runs_dir)
    at.selectbox(key="evals_a").set_value(made["worse"].stem)
    at.selectbox(key="evals_b").set_value(made["good"].stem).run()
    assert not at.exception, at.exception
    assert not at.error
    assert "Gate passed" in unescape(at.success[0].value)
    metrics = frames(at)[2].set_index("metric")
    assert metrics.loc["grading.qwk", "delta"] > 0
    assert set(metrics["gate"]) == {"ok"}


def test_malformed_files_are_one_line_errors_naming_the_file(runs_dir, open_page):
    (runs_dir / "broken.json").write_text("{not json", encoding="utf-8")
    (runs_dir / "other.json").write_text('{"id": "x"}', encoding="utf-8")
    (runs_dir / "notes [x](http:evil).json").write_bytes(b"\xff\xfe")
    at = open_page(runs_dir)
    assert not at.exception, at.exception
    errors = [unescape(e.value) for e in at.error if "Gate failed" not in e.value]
    assert len(errors) == 3 and all("\n" not in e for e in errors)
    assert any(e.startswith("broken.json: not a run record") for e in errors)
    assert any(e.startswith("other.json: not a run record") for e in errors)
    assert any(e.startswith("notes [x](http:evil).json: skipped, not a run file name")
               for e in errors)
    raw = next(e.value for e in at.error if "notes" in e.value)
    assert re.findall(r"(?<!\\)[\[\]()]", raw) == []  # markup in a file name stays text
    assert len(frames(at)[0]) == 2  # the readable runs are still listed and compared
    assert at.download_button(key="evals_download")


def test_an_empty_or_missing_directory_shows_how_to_make_runs(tmp_path, open_page):
    empty = tmp_path / "empty"
    empty.mkdir()
    for directory, where in ((empty, "No run records here"),
                             (tmp_path / "missing", "No runs directory here yet")):
        at = open_page(directory)
        assert not at.exception, at.exception
        assert where in at.info[0].value
        assert at.code[0].value == "sdsim eval run --suite all"
        assert not at.dataframe and not at.error
        assert not at.text_input  # no path is ever typed on this page
        assert str(tmp_path) not in " ".join(c.value for c in at.caption)


def test_a_file_instead_of_a_directory_is_one_line_without_the_servers_path(tmp_path, open_page):
    path = tmp_path / "runs.txt"
    path.write_text("x")
    at = open_page(path)
    assert not at.exception
    assert unescape(at.error[0].value) == "runs directory runs.txt: not a directory"


def test_one_run_lists_but_needs_another_to_compare(runs_dir, made, open_page):
    (runs_dir / made["worse"].name).unlink()
    at = open_page(runs_dir)
    assert len(frames(at)[0]) == 1
    assert "Compare needs two runs" in at.info[0].value


def test_running_a_suite_in_process_saves_it_and_compares_it_with_the_previous_run(
        runs_dir, made, open_page):
    at = open_page(runs_dir)
    at.selectbox(key="evals_run_suite").set_value("probes")
    at.button(key="evals_run").click().run()
    assert not at.exception, at.exception
    new = sorted(set(runs_dir.glob("*.json")) - {runs_dir / made["good"].name,
                                                  runs_dir / made["worse"].name})
    assert len(new) == 1 and "-probes-" in new[0].name
    record = load_run(new[0])
    assert record.backend == "offline" and set(record.suites) == {"probes"}
    assert f"Saved {new[0].name}" in unescape(at.success[0].value)
    table = frames(at)[0]
    assert table.iloc[0]["run"] == new[0].stem
    assert table.iloc[0]["probes.precision"] == record.metric_values()["probes.precision"]
    assert at.selectbox(key="evals_b").value == new[0].stem
    assert at.selectbox(key="evals_a").value == made["worse"].stem
    assert "the runs share no suite" in shown(at.warning)
    metrics = frames(at)[2].set_index("metric")
    assert metrics.loc["probes.recall", "gate"] == "ok"
    assert metrics.loc["grading.qwk", "gate"] == ""  # only in A: nothing to gate


def test_prompt_sets_come_from_a_list_and_a_run_on_one_never_leaks_into_others(
        runs_dir, open_page):
    builtin = load_content()
    at = open_page(runs_dir)
    choice = at.selectbox(key="evals_run_prompts")
    assert choice.options == ["built-in", "worse"]  # only folders of the configured directory
    at.selectbox(key="evals_run_suite").set_value("probes")
    choice.set_value("worse")
    at.button(key="evals_run").click().run()
    assert not at.exception, at.exception
    new = max(runs_dir.glob("*-probes-*.json"), key=lambda p: p.stat().st_mtime)
    record = load_run(new)
    assert record.prompt_set_hash == load_content(WORSE_OVERLAY).hash != builtin.hash
    assert record.prompts_dir == "built-in + worse"  # a name, never a server path
    # The run happened in this process; the built-in set every other session uses is intact.
    assert load_content().hash == builtin.hash
    start = AppTest.from_file(APP, default_timeout=60).run()
    assert len(start.selectbox(key="start_problem").options) == len(builtin.catalog) + 1


def test_one_run_at_a_time_per_user(runs_dir, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", llm_backend="offline")
    assert current_user() == "local"  # the one-user local mode
    lock = run_lock("alice")
    assert lock.acquire(blocking=False)
    try:
        with pytest.raises(EvalRunBusy, match="you have an eval run in progress"):
            run_offline("probes", None, runs_dir, settings, user="alice")
        # Someone else's run is not held up by alice's.
        path = run_offline("probes", None, runs_dir, settings, user="bob")
        assert path.parent == runs_dir
    finally:
        lock.release()
    assert len(list(runs_dir.glob("*.json"))) == 3


def test_a_busy_user_is_told_on_the_page_and_nothing_is_written(runs_dir, open_page):
    at = open_page(runs_dir)
    at.selectbox(key="evals_run_suite").set_value("probes")
    lock = run_lock(current_user())
    assert lock.acquire(blocking=False)  # a run of this user in another tab or rerun
    try:
        at.button(key="evals_run").click().run()
    finally:
        lock.release()
    assert not at.exception, at.exception
    assert "you have an eval run in progress" in shown(at.error)
    assert len(list(runs_dir.glob("*.json"))) == 2


def test_links_out_of_the_configured_directories_are_neither_offered_nor_read(
        runs_dir, made, open_page, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(WORSE_OVERLAY, outside / "prompts")
    shutil.copy(made["good"], outside / "secret.json")
    sets = Path(os.environ["SDSIM_PROMPT_SETS_DIR"])
    (sets / "escape").symlink_to(outside / "prompts", target_is_directory=True)
    (runs_dir / "linked.json").symlink_to(outside / "secret.json")
    at = open_page(runs_dir)
    assert at.selectbox(key="evals_run_prompts").options == ["built-in", "worse"]
    assert "linked" not in list(frames(at)[0]["run"])
    assert "linked.json: skipped, not a run file name or a link out" in shown(at.error)


def test_no_server_path_is_shown_on_the_page(runs_dir, made, open_page, tmp_path):
    record = load_run(made["worse"])
    absolute = str(tmp_path / "secret" / "prompt-set")
    save_run(record.model_copy(update={"prompts_dir": absolute, "id": "cli-run"}), runs_dir)
    at = open_page(runs_dir)
    at.selectbox(key="evals_b").set_value("cli-run").run()
    everything = " ".join(str(d.value.to_dict()) for d in at.dataframe)
    everything += " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.error,
                                                  *at.warning, *at.info, *at.success])
    assert "prompt-set" in everything  # the recorded name is shown ...
    assert str(tmp_path) not in everything and str(runs_dir) not in everything  # ... no path
    assert not at.text_input  # nothing is typed: runs and prompt sets come from lists
