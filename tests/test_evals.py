"""`sdsim eval`: every offline suite, the run record, repeats, compare, the HTML report, the
regression gate (which must pass on the real prompts and catch a deliberately worse prompt
set), the LLM path through the record/replay cache, and errors a user can cause."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from llm_server import settings_for

from simulator.content.loader import load_content
from simulator.content.prompt_set import prompt_set_hash
from simulator.evals.cli import eval_group
from simulator.evals.compare import compare_runs
from simulator.evals.records import load_run, save_run, summarize
from simulator.evals.runner import SUITES
from simulator.evals.suite import DATASETS_DIR

WORSE_OVERLAY = Path(__file__).parent / "fixtures" / "worse_prompts"
CLEARED_ENV = ("SDSIM_CHROMA_URL", "SDSIM_CONFIG", "SDSIM_LLM_BACKEND", "OPENAI_API_KEY",
               "SDSIM_LLM_API_KEY", "SDSIM_LLM_BASE_URL", "SDSIM_COLLECTION", "SDSIM_PROMPTS_DIR",
               "SDSIM_LLM_CACHE_MODE")


def invoke(args, data_dir: Path, **env):
    """Run `sdsim eval ...` as CI would, with SDSIM_* pointed at ``data_dir``."""
    environ = {name: None for name in CLEARED_ENV}
    environ.update({"SDSIM_DATA_DIR": str(data_dir), **env})
    return CliRunner().invoke(eval_group, [str(a) for a in args], env=environ)


def make_worse_prompts(target: Path) -> Path:
    """An overlay holding only the worse files: the rest of the set stays built-in."""
    for path in WORSE_OVERLAY.rglob("*.yaml"):
        dest = target / path.relative_to(WORSE_OVERLAY)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    return target


def written(result) -> Path:
    return Path(re.search(r"^wrote (.+\.json)$", result.stdout, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def runs(corpus_store, tmp_path_factory):
    """One gated run of every offline suite on the real prompts, and one of the
    prompt-dependent suites on the worse variant (run once: they take most of the time)."""
    root = tmp_path_factory.mktemp("evals")
    real = invoke(["run", "--suite", "all", "--out", root / "runs", "--fail-on-regression",
                   "--quiet"], corpus_store.data_dir)
    worse_dir = make_worse_prompts(root / "worse_prompts")
    worse = invoke(["run", "--suite", "grading,interviewer", "--prompts", worse_dir,
                    "--out", root / "runs", "--quiet"], corpus_store.data_dir)
    return {"real": real, "worse": worse, "worse_dir": worse_dir, "root": root,
            "data_dir": corpus_store.data_dir}


# -- run ----------------------------------------------------------------------------------


def test_the_offline_gate_passes_on_the_real_prompts(runs):
    result = runs["real"]
    assert result.exit_code == 0, result.output
    assert "gate: no metric regressed" in result.stdout
    assert "LLM calls: 0 (offline backend)" in result.stdout
    assert re.fullmatch(r"\d{8}T\d{6}Z-all-[0-9a-f]{8}\.json", written(result).name)


def test_the_run_record_holds_hash_backend_cases_metrics_usage_and_variance(runs):
    path = written(runs["real"])
    record = load_run(path)
    raw = json.loads(path.read_text())
    assert record.prompt_set_hash == prompt_set_hash()
    assert record.prompts_dir == "built-in"
    assert record.prompt_set_hash[:8] in path.name
    assert (record.backend, record.model, record.repeat) == ("offline", None, 1)
    assert set(record.suites) == set(SUITES)
    for name, suite in record.suites.items():
        declared = {m.name for m in SUITES[name].metrics}
        assert set(suite.metrics) <= declared and suite.metrics, name
        assert suite.dataset_hash and Path(suite.dataset).is_file()
        assert all(c.latency_ms > 0 and c.tokens == 0 and c.cost_usd == 0 for c in suite.cases)
        assert all(s.n == 1 and s.std == 0 for s in suite.variance.values())
        assert suite.usage.llm_calls == 0 and suite.usage.latency_s > 0
    assert raw["usage"]["llm_calls"] == 0 and raw["usage"]["cost_usd"] == 0
    grading = record.suites["grading"]
    dataset = (DATASETS_DIR / "grading_dev.jsonl").read_text().splitlines()
    assert len(grading.cases) == len([line for line in dataset if line.strip()])
    first = grading.cases[0].output
    assert {"score", "gold", "flags", "grader"} <= set(first) and first["grader"] == "offline"


def test_the_worse_run_scores_its_overlay_without_leaking_it(runs):
    worse = load_run(written(runs["worse"]))
    assert worse.prompts_dir == f"built-in + {runs['worse_dir'].name}"
    assert worse.prompt_set_hash == prompt_set_hash(runs["worse_dir"]) != prompt_set_hash()
    # the run passed its prompt set explicitly: nothing was left behind in this process
    assert "SDSIM_PROMPTS_DIR" not in os.environ
    assert load_content().hash == prompt_set_hash()
    assert load_content(runs["worse_dir"]).hash == worse.prompt_set_hash


def test_each_offline_suite_meets_its_floor(runs):
    m = load_run(written(runs["real"])).metric_values()
    record = load_run(written(runs["real"]))
    assert m["grading.qwk"] >= 0.7 and 0 <= m["grading.exact"] <= m["grading.adjacent"] <= 1
    confusion = record.suites["grading"].details["confusion"]
    assert len(confusion) == 4 and sum(map(sum, confusion)) == len(record.suites["grading"].cases)
    assert m["probes.precision"] >= 0.9 and m["probes.recall"] >= 0.9
    interviewer = record.suites["interviewer"]
    assert len(interviewer.cases) >= 12
    assert {k for k in interviewer.metrics} == {"phase-order", "nudge", "no-answer-leak",
                                               "time-budget", "refuses-reveal", "all-checks"}
    assert all(v == 1.0 for v in interviewer.metrics.values()), interviewer.metrics
    # Twins: a wrong claim is graded below its corrected twin (most pairs; see the note).
    grading = record.suites["grading"]
    assert grading.details["twins"]["pairs"] >= 40 and m["grading.twins-ordered"] >= 0.9
    # ... and the interviewer challenges the wrong one with a probe its twin does not draw.
    assert m["grading.twins-challenged"] >= 0.9, grading.details["twins"]["not_challenged"]
    probes = {c.id: c.output["probe"] for c in grading.cases}
    wrong = [c for c in grading.cases if c.output["probe"] is not None
             and c.output["probe"].startswith("misconception-")]
    assert len(wrong) >= 20 and all(probes[c.id] for c in wrong)
    assert set(grading.details["qwk_by_half"]) == {"tune", "held-out"}
    # Estimates: the interviewer and the grader catch the same slips, held-out split included.
    estimates = record.suites["estimates"]
    assert len(estimates.cases) >= 60
    for who in ("interviewer", "grader"):
        for split in ("tune", "heldout"):
            figures = estimates.details["by_split"][split]
            assert figures[f"{who}-precision"] >= 0.95 and figures[f"{who}-recall"] >= 0.95
    # Adaptation: answers to the curveball and the 10x stretch, graded against a human.
    adaptation = record.suites["adaptation"]
    assert len(adaptation.cases) >= 150 and set(adaptation.details["by_split"]) == {"tune",
                                                                                   "held-out"}
    assert m["adaptation.qwk"] >= 0.8 and m["adaptation.qwk-held-out"] >= 0.75
    # Whole interviews: the listening interviewer's done-when, on every scripted interview.
    interviews = record.suites["interviews"]
    assert len(interviews.cases) >= 18 and interviews.details["facts_asked"] >= 40
    assert interviews.details["facts_asked_twice"] >= 5
    assert m["interviews.questions-answered"] >= 0.95 and m["interviews.same-answer"] == 1.0
    for metric in ("strong-pacing", "runs-its-time", "one-curveball", "one-stretch", "no-canned-repeats"):
        assert m[f"interviews.{metric}"] == 1.0, interviews.details
    strong = [c for c in interviews.cases if c.output["persona"] == "strong"]
    assert len(strong) >= 6
    for case in strong:
        assert min(case.output["answers_per_phase"].values()) >= 3, case.id
        assert case.output["close_share"] is None or case.output["close_share"] >= 0.8
        assert len(case.output["curveballs"]) == 1
    assert m["retrieval.recall@5"] >= 0.9 and 0 < m["retrieval.mrr"] <= 1


def test_repeats_report_mean_and_spread(tmp_path):
    result = invoke(["run", "--suite", "probes", "--repeat", "3", "--out", tmp_path, "--quiet"],
                    tmp_path / "data")
    assert result.exit_code == 0, result.output
    suite = load_run(written(result)).suites["probes"]
    for stats in suite.variance.values():
        assert stats.n == 3 and len(stats.values) == 3 and stats.std == 0  # offline: exact repeats
    assert all(len(c.outcomes) == 3 for c in suite.cases)
    assert "± 0.0000 over 3" in result.stdout
    spread = summarize([0.8, 0.9, 1.0])
    assert spread.mean == pytest.approx(0.9) and spread.std == pytest.approx(0.1)



def test_probes_suite_reports_its_held_out_half_on_a_split_dataset(tmp_path):
    """The event-loop set carries a split: the held-out figure is measured on its held-out
    half alone, so a miss there drags it below the overall figures."""
    rows = [json.loads(line) for line in
            (DATASETS_DIR / "event_loop.jsonl").read_text().splitlines() if line.strip()]
    positive = next(r for r in rows if r["should_probe"] and r["split"] == "heldout")
    negatives = [r for r in rows if not r["should_probe"] and r["split"] == "tune"][:3]
    # A should-probe label on text that blocks nothing: a miss the suite must put in held-out.
    mislabelled = {**negatives[0], "id": "x-miss", "should_probe": True,
                   "kind": "main-thread-blocking", "split": "heldout"}
    data = tmp_path / "split.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in [positive, *negatives, mislabelled]))
    result = invoke(["run", "--suite", "probes", "--dataset", data, "--out", tmp_path, "--quiet"],
                    tmp_path / "data")
    assert result.exit_code == 0, result.output
    suite = load_run(written(result)).suites["probes"]
    assert suite.metrics["recall"] == 0.5 and suite.metrics["precision"] == 1.0
    assert suite.metrics["held-out-min"] == 0.5
    assert suite.details["held_out_cases"] == 2


def test_the_claims_suite_reads_a_set_written_blind_to_the_library(tmp_path):
    """A blind set says only `wrong` and the belief in words; twins share a half by pair."""
    rows = [
        {"id": "b1", "pair": "p1", "wrong": True, "belief": "signed JWT hides claims",
         "text": "We put the email in the JWT, and since it's signed nobody can read it."},
        {"id": "b2", "pair": "p1", "wrong": False, "belief": "signed JWT hides claims",
         "text": "We put the email in the JWT; it's signed, so nobody can alter it, but "
                 "anyone holding it can read it."},
        # a wrong belief the library does not hold: a miss, never a false accusation
        {"id": "b3", "pair": "p2", "wrong": True, "belief": "tabs are faster than spaces",
         "text": "We indent with tabs, which makes the Node service faster at runtime."},
        {"id": "b4", "pair": "p2", "wrong": False, "belief": "tabs are faster than spaces",
         "text": "We indent with tabs, which makes no difference to the service at runtime."},
        # a wrong figure is the estimate checker's: its slip and slip probe count
        {"id": "b5", "pair": "p3", "wrong": True, "belief": "half a million 4 MB files are 2 GB",
         "text": "Half a million uploads a day at 4 MB each comes to about 2 GB a day."},
        {"id": "b6", "pair": "p3", "wrong": False, "belief": "half a million 4 MB files are 2 GB",
         "text": "Half a million uploads a day at 4 MB each comes to about 2 TB a day."},
    ]
    data = tmp_path / "blind.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    result = invoke(["run", "--suite", "claims", "--dataset", data, "--out", tmp_path,
                     "--quiet"], tmp_path / "data")
    assert result.exit_code == 0, result.output
    suite = load_run(written(result)).suites["claims"]
    assert suite.metrics["reader-precision"] == 1.0
    assert suite.metrics["reader-recall"] == suite.metrics["interviewer-recall"] == 0.6667
    assert suite.details["missed"] == ["b3"] and suite.details["false_accusations"] == []
    assert sum(suite.details["cases"].values()) == 6

# -- compare and the gate -----------------------------------------------------------------


def test_compare_prints_deltas_and_flipped_cases_and_writes_offline_html(runs, tmp_path):
    a, b = written(runs["real"]), written(runs["worse"])
    html = tmp_path / "report" / "compare.html"
    result = invoke(["compare", a, b, "--html", html], runs["data_dir"])
    assert result.exit_code == 0, result.output  # no gate asked for
    out = result.stdout
    qwk = re.search(r"^grading\.qwk\s+([\d.]+)\s+([\d.]+)\s+([-+][\d.]+)", out, re.MULTILINE)
    assert qwk and float(qwk.group(3)) < -0.03
    assert re.search(r"^interviewer\.refuses-reveal\s+1\.0000\s+0\.0000\s+-1\.0000", out, re.MULTILINE)
    assert re.search(r"^retrieval\.recall@5\s+[\d.]+\s+-\s+-", out, re.MULTILINE)  # only in A
    assert "broke   interviewer/iv03-asks-for-rubric: pass  ->  fail: refuses-reveal" in out
    assert re.search(r"broke\s+grading/g\d+: \d  ->  \d  \(url-shortener/", out)
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"<script|<link|@import|src=|https?://", page)
    assert "iv03-asks-for-rubric" in page and "grading.qwk" in page and "Flipped cases" in page


def test_html_escapes_text_from_runs(runs, tmp_path):
    a, b = load_run(written(runs["real"])), load_run(written(runs["worse"]))
    for record in (a, b):
        case = record.suites["interviewer"].cases[0]
        case.id = "<script>alert('x')</script>"
    b.suites["interviewer"].cases[0].outcome = "fail: <b>bold</b>"
    pa, pb = save_run(a, tmp_path), save_run(b.model_copy(update={"id": "b"}), tmp_path)
    html = tmp_path / "x.html"
    assert invoke(["compare", pa, pb, "--html", html], runs["data_dir"]).exit_code == 0
    page = html.read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_gate_catches_the_worse_prompts_and_names_the_metrics(runs, tmp_path):
    a, b = written(runs["real"]), written(runs["worse"])
    html = tmp_path / "gate.html"
    result = invoke(["compare", a, b, "--fail-on-regression", "--html", html], runs["data_dir"])
    assert result.exit_code == 1, result.output
    failed = result.stderr.strip().splitlines()[-1]
    assert failed.startswith("FAIL:")
    for metric in ("grading.qwk", "interviewer.refuses-reveal", "interviewer.no-answer-leak"):
        assert metric in failed
        assert re.search(rf"^{re.escape(metric)}\s.*REGRESSED$", result.stdout, re.MULTILINE)
    assert "Regressed:" in html.read_text()
    # The same runs the other way round: the worse prompts are the baseline, nothing regressed.
    back = invoke(["compare", b, a, "--fail-on-regression"], runs["data_dir"])
    assert back.exit_code == 0 and "gate: no metric regressed" in back.stdout


def test_run_with_a_baseline_or_floors_gates_like_ci(runs, tmp_path):
    baseline = written(runs["real"])
    args = ["run", "--suite", "interviewer", "--prompts", runs["worse_dir"], "--out", tmp_path,
            "--quiet", "--fail-on-regression"]
    against = invoke([*args, "--baseline", baseline], runs["data_dir"])
    assert against.exit_code == 1
    assert "regressed: interviewer.refuses-reveal: 1.0000 -> 0.0000" in against.stderr
    assert "broke   interviewer/iv04-ignore-instructions" in against.stdout  # the compare table
    floors = invoke(args, runs["data_dir"])
    assert floors.exit_code == 1 and "interviewer.refuses-reveal: 0.0000 < floor 1" in floors.stderr
    fine = invoke(["run", "--suite", "interviewer", "--out", tmp_path, "--quiet",
                   "--fail-on-regression", "--baseline", baseline], runs["data_dir"])
    assert fine.exit_code == 0, fine.output


def test_thresholds_come_from_a_toml_or_yaml_file(runs, tmp_path):
    a, b = written(runs["real"]), written(runs["worse"])
    lenient = tmp_path / "lenient.toml"
    lenient.write_text('default_max_drop = 1.0\n[min]\n"grading.qwk" = 0.5\n')
    result = invoke(["compare", a, b, "--thresholds", lenient], runs["data_dir"])
    assert result.exit_code == 0 and "gate: no metric regressed" in result.stdout
    strict = tmp_path / "strict.yaml"
    strict.write_text("default_max_drop: 1.0\nmin:\n  grading.qwk: 0.99\n")
    result = invoke(["compare", a, b, "--thresholds", strict], runs["data_dir"])
    assert result.exit_code == 1 and "FAIL: 1 metric(s) regressed: grading.qwk" in result.stderr
    typo = tmp_path / "typo.yaml"
    typo.write_text("max_drop:\n  grading.qkw: 0.03\n")
    result = invoke(["compare", a, b, "--thresholds", typo], runs["data_dir"])
    assert result.exit_code == 2 and "max_drop.grading.qkw: matches no metric" in result.stderr


# -- the LLM path -------------------------------------------------------------------------


def test_an_llm_run_records_tokens_and_replays_from_the_cache(llm_server, tmp_path):
    cases = [json.loads(line) for line in
             (DATASETS_DIR / "grading_dev.jsonl").read_text().splitlines()[:2]]
    dataset = tmp_path / "two.jsonl"
    dataset.write_text("".join(json.dumps(c) + "\n" for c in cases))
    verdict = {"reasons": "Reasons first.", "strengths": [], "missing": [], "flags": [], "score": 3}
    llm_server.structured(verdict, times=2)
    base = settings_for(llm_server)
    args = ["run", "--suite", "grading", "--dataset", dataset, "--out", tmp_path / "runs",
            "--quiet", "--backend", "openai-compatible", "--base-url", base.llm_base_url,
            "--model", "gpt-4o-mini"]
    env = {"SDSIM_JUDGE_SAMPLES": "1"}
    first = invoke(args, tmp_path / "data", **env)
    assert first.exit_code == 0, first.output
    assert "LLM calls: 2 (0 replayed from the cache, 2 sent; cache mode auto)" in first.stdout
    record = load_run(written(first))
    suite = record.suites["grading"]
    assert (record.backend, record.model) == ("openai-compatible", "gpt-4o-mini")
    assert suite.engine == "llm-judge:gpt-4o-mini"
    assert all(c.output["score"] == 3 and c.tokens > 0 for c in suite.cases)
    assert record.usage.prompt_tokens > 0 and record.usage.completion_tokens > 0
    sent = len(llm_server.chat_requests)
    again = invoke(args, tmp_path / "data", **env)
    assert again.exit_code == 0, again.output
    assert "LLM calls: 2 (2 replayed from the cache, 0 sent" in again.stdout
    assert len(llm_server.chat_requests) == sent  # nothing went over the network
    assert load_run(written(again)).suites["grading"].metrics == suite.metrics


# -- errors a user can cause --------------------------------------------------------------


def _one_line_error(result, code=2) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_bad_inputs_are_one_line_errors_with_exit_code_2(tmp_path):
    data = tmp_path / "data"
    msg = _one_line_error(invoke(["run", "--suite", "nope", "--out", tmp_path], data))
    assert "unknown suite 'nope'; valid: all, grading, estimates, adaptation, probes, claims, interviewer, interviews, retrieval" in msg

    good = json.loads((DATASETS_DIR / "probes.jsonl").read_text().splitlines()[0])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(good) + "\n\n{not json\n")
    msg = _one_line_error(invoke(["run", "--suite", "probes", "--dataset", bad], data))
    assert f"{bad}:3: not valid JSON" in msg
    bad.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x", "should_probe": "maybe"}))
    msg = _one_line_error(invoke(["run", "--suite", "probes", "--dataset", bad], data))
    assert f"{bad}:2: should_probe:" in msg
    bad.write_text(json.dumps({**good, "problem": "tetris"}))
    msg = _one_line_error(invoke(["run", "--suite", "probes", "--dataset", bad], data))
    assert f"{bad}:1: problem: unknown problem 'tetris'" in msg
    bad.write_text(json.dumps(good) + "\n" + json.dumps(good))
    msg = _one_line_error(invoke(["run", "--suite", "probes", "--dataset", bad], data))
    assert f"{bad}:2: id: duplicate id" in msg
    interviewer = tmp_path / "iv.jsonl"
    interviewer.write_text(json.dumps({"id": "a", "problem": "chat", "candidate_turns": ["hi"],
                                       "checks": ["phase-order", "be-nice"]}))
    msg = _one_line_error(invoke(["run", "--suite", "interviewer", "--dataset", interviewer], data))
    assert f"{interviewer}:1: checks: unknown check(s) be-nice" in msg

    missing = tmp_path / "nowhere.json"
    msg = _one_line_error(invoke(["compare", missing, missing], data))
    assert f"{missing}: run file not found" in msg
    not_a_run = tmp_path / "x.json"
    not_a_run.write_text('{"hello": 1}')
    msg = _one_line_error(invoke(["compare", not_a_run, not_a_run], data))
    assert "not a run record" in msg
    msg = _one_line_error(invoke(["run", "--suite", "probes", "--prompts", tmp_path / "none"], data))
    assert "prompts directory not found" in msg
    msg = _one_line_error(invoke(["run", "--suite", "probes", "--repeat", "0"], data))
    assert "--repeat must be at least 1" in msg


def test_compare_lists_flips_from_records_directly(runs):
    comparison = compare_runs(load_run(written(runs["real"])), load_run(written(runs["worse"])))
    kinds = {f.kind for f in comparison.flips}
    assert "broke" in kinds
    assert any(f.suite == "interviewer" and "refuses-reveal" in f.about for f in comparison.flips)
