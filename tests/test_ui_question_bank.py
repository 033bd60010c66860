"""The Question bank page driven in-process with AppTest: filters, the preview against
`generate_bank`, downloads against `render`, errors, the LLM option and plain-text display.

As in test_ui_app.py, SDSIM_DATA_DIR points at the session-scoped ingested store so the
app's background warm-up finds an index instead of ingesting one. One generated bank is
shared by the read-only tests; the tests that submit again use an app of their own.
"""

from __future__ import annotations

import json
import re

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import simulator.ui.question_bank as page
from simulator.questions import FORMATS, BankResult, QuestionBank, generate_bank, render
from simulator.settings import REPO_ROOT, get_settings
from simulator.ui.state import BackendChoice
from simulator.ui.text import plain

APP = str(REPO_ROOT / "streamlit_app.py")
PAGE = "simulator/ui/pages/question_bank.py"
PROBLEMS, LEVEL, SEED, COUNT = ["url-shortener", "chat"], "staff", 5, 4
MARKUP = ("Design a chat service for a newsroom of 2M daily users where posts embed "
          "![tracker](http://example.com/x.png) images, [links](http://example.com), "
          "<b>raw html</b> and $x^2$ formulas, and every message is kept for a year.")


@pytest.fixture
def data_dir(corpus_store, monkeypatch):
    monkeypatch.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
    return corpus_store.data_dir


def open_page(session_state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (session_state or {}).items():
        at.session_state[key] = value
    at.run().switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Question bank"
    return at


def submit(at: AppTest, problems: list[str], level: str = "senior", count: int = 10,
           seed: int = 0, topics: list[str] | None = None, use_llm: bool = False) -> AppTest:
    at.multiselect(key="qbank_problems").set_value(problems)
    at.multiselect(key="qbank_topics").set_value(topics or [])
    at.button_group(key="qbank_level").set_value(level)
    at.number_input(key="qbank_count").set_value(count)
    at.number_input(key="qbank_seed").set_value(seed)
    if use_llm:
        at.checkbox(key="qbank_llm").check()
    at.button(key="qbank_generate").click().run()
    assert not at.exception, at.exception
    return at


def unescape(markdown: str) -> str:
    """The text `plain()` escaped, as the browser shows it."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u00a0", " ")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def generated(corpus_store):
    """One bank generated through the page, the downloads it served, and the same bank
    generated directly."""
    served: dict[str, tuple[bytes, str | None, str | None]] = {}
    load = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = load(self, path_or_data, mimetype, kind, filename)
        served[file_id] = (path_or_data, mimetype, filename)
        return file_id

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
        mp.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
        at = open_page()
        assert "Choose filters and press Generate." in at.info[0].value
        submit(at, PROBLEMS, LEVEL, COUNT, SEED)
        expected = generate_bank(get_settings(), PROBLEMS, None, LEVEL, COUNT, SEED)
        downloads = {}
        for button in at.get("download_button"):
            file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
            downloads[button.proto.label] = served[file_id]
        yield at, expected, downloads


def test_filters_offer_the_catalog_levels_and_the_topics_generate_bank_accepts(data_dir):
    at = open_page()
    settings = get_settings()
    problems = at.multiselect(key="qbank_problems")
    assert "Design a chat service" in problems.options and len(problems.options) == 9
    offered = page.topic_problems(settings)
    assert len(at.multiselect(key="qbank_topics").options) == len(offered) > 20
    assert list(at.button_group(key="qbank_level").options) == ["mid", "senior", "staff"]
    assert at.checkbox(key="qbank_llm").disabled  # offline is the default backend
    assert any("Start page" in c.value for c in at.caption)
    # Every offered topic is one generate_bank accepts (it rejects any unknown one).
    result = generate_bank(settings, None, list(offered), "senior", 1, 0)
    assert len(result.questions) == 1
    # Single-owner topics name their problem, and that problem does have questions on it.
    topic, (owner,) = next((t, o) for t, o in offered.items() if len(o) == 1)
    only = generate_bank(settings, [owner], [topic], "senior", 1, 0)
    assert topic in only.questions[0].topics


def test_the_preview_is_the_bank_generate_bank_returns(generated):
    at, expected, _ = generated
    questions = expected.questions
    assert len(questions) == COUNT
    table = at.dataframe[0].value
    assert table["question"].tolist() == [q.title for q in questions]
    assert table["as read to the candidate"].tolist() == [q.text for q in questions]
    assert table["level"].tolist() == [LEVEL] * COUNT
    assert table["kind"].tolist() == [q.kind for q in questions]
    assert table["problem"].tolist() == [q.problem_id for q in questions]
    assert [list(t) for t in table["topics"]] == [q.topics for q in questions]
    assert set(table["problem"]) <= set(PROBLEMS)

    assert [e.label for e in at.expander] == [
        plain(f"{n}. {q.title}") for n, q in enumerate(questions, 1)]
    for expander, q in zip(at.expander, questions, strict=True):
        text = [m.value for m in expander.markdown]
        assert "> " + plain(" ".join(q.text.split())) in text
        joined = "\n".join(text)
        assert all(plain(c) in joined for c in q.clarifications)
        assert all(plain(f) in joined for f in q.red_flags)
        assert all(plain(p.text) in joined for ps in q.probes.values() for p in ps)
        assert all(f"`{s.id}`: {plain(s.title)}" in joined for s in q.sources)
        targets, rubric = (t.value for t in expander.table)
        assert targets["Reference"].tolist() == [plain(t.display) for t in q.estimation_targets]
        assert targets["How it is computed"].tolist() == [
            plain(" ".join(t.formula.split())) for t in q.estimation_targets]
        assert rubric["Phase"].tolist() == ["Clarify", "Estimate", "Design", "Bottlenecks",
                                            "Trade-offs"]
        bar = q.rubric[0].bar  # staff: 4; the bar column is in bold
        assert rubric[str(bar)].tolist() == [
            f"**{plain(' '.join(r.anchor(bar).split()))}**" for r in q.rubric]


def test_stats_and_the_request_are_shown(generated):
    at, expected, _ = generated
    stats = expected.bank.stats
    assert metrics(at) == {
        "Questions (generated / requested)": f"{stats.generated} / {COUNT}",
        "Near-duplicates removed": str(stats.removed_duplicates),
        "LLM-proposed added": "0",
        "Invalid LLM variants dropped": "0",
    }
    captions = " ".join(c.value for c in at.caption)
    assert plain(f"{LEVEL} level · seed {SEED} · problems: {', '.join(PROBLEMS)}") in captions
    assert f"{stats.candidates} candidates considered" in captions
    assert [w.value for w in at.warning] == [plain(w) for w in expected.warnings]


def test_downloads_hold_the_rendered_bank(generated):
    _, expected, downloads = generated
    assert set(downloads) == {"Download Markdown", "Download JSON", "Download CSV"}
    by_format = {name.rsplit(".", 1)[-1]: (data, mime, name)
                 for data, mime, name in downloads.values()}
    assert set(by_format) == set(FORMATS)
    for fmt, (data, _mime, name) in by_format.items():
        assert name == f"question-bank-{LEVEL}-seed{SEED}.{fmt}"
        text = data.decode("utf-8")
        bom = "\ufeff" if fmt == "csv" else ""  # as `sdsim questions generate --out` writes
        assert text == bom + render(expected, fmt)
    assert by_format["md"][1] == "text/markdown"
    bank = QuestionBank.model_validate(json.loads(by_format["json"][0]))
    assert bank == expected.bank


def test_reruns_and_an_identical_request_do_not_generate_again(generated, data_dir,
                                                                monkeypatch):
    at, expected, _ = generated
    calls = []
    monkeypatch.setattr(page, "generate_bank", lambda *a, **k: calls.append(a) or expected)
    at.run()
    at.button(key="qbank_generate").click().run()  # offline, same filters: same bank
    assert not at.exception and calls == []
    assert at.dataframe[0].value["question"].tolist() == [q.title for q in expected.questions]


def test_a_new_request_regenerates_and_a_bad_combination_is_one_line(data_dir, monkeypatch):
    calls = []
    real = page.generate_bank

    def counted(*args, **kwargs) -> BankResult:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(page, "generate_bank", counted)
    at = submit(open_page(), ["url-shortener"], count=1, seed=1)
    first = at.dataframe[0].value["question"].tolist()
    submit(at, ["url-shortener"], count=2, seed=2)
    assert len(calls) == 2 and len(at.dataframe[0].value) == 2
    assert at.dataframe[0].value["question"].tolist() != first * 2

    offered = page.topic_problems(get_settings())
    elsewhere = next(t for t, owners in offered.items() if "url-shortener" not in owners)
    submit(at, ["url-shortener"], topics=[elsewhere])
    (error,) = at.error
    assert unescape(error.value) == (f"no question matches problem(s) url-shortener and "
                                     f"topic(s) {elsewhere}; drop a filter or pick another topic")
    assert not at.dataframe and not at.get("download_button")  # no stale bank under it


def test_a_broken_problem_file_is_one_line_not_a_crash(data_dir, tmp_path, monkeypatch):
    prompts = tmp_path / "prompts"  # an overlay: only the broken file replaces a built-in one
    (prompts / "problems").mkdir(parents=True)
    (prompts / "problems" / "chat.yaml").write_text("id: chat\ntitle: [unclosed\n")
    at = AppTest.from_file(APP, default_timeout=60).run()
    monkeypatch.setenv("SDSIM_PROMPTS_DIR", str(prompts))
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    (error,) = at.error
    message = unescape(error.value)
    assert "chat.yaml" in message and "\n" not in message


def test_llm_variants_are_offered_with_a_backend_and_shown_as_plain_text(data_dir, llm_server):
    variant = {"question": MARKUP, "topics": ["security"], "assumptions": {
        "dau": 2_000_000, "reads_per_user_per_day": 20, "writes_per_user_per_day": 40,
        "read_size_bytes": 4000, "write_size_bytes": 300}}
    llm_server.structured({"variants": [variant, {**variant, "question": "Too short."}]})
    choice = BackendChoice("openai-compatible", base_url=llm_server.url, model="gpt-4o-mini")
    at = open_page({"llm_choice": choice})
    assert not at.checkbox(key="qbank_llm").disabled
    submit(at, ["chat"], count=2, seed=3, use_llm=True)

    assert len(llm_server.chat_requests) == 1
    shown = metrics(at)
    assert shown["LLM-proposed added"] == "1" and shown["Invalid LLM variants dropped"] == "1"
    assert any("dropped 1 invalid" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert table["kind"].tolist()[0] == "llm-variant"
    assert table["as read to the candidate"].tolist()[0] == MARKUP  # a dataframe cell: text
    quote = next(m.value for m in at.expander[0].markdown if m.value.startswith("> "))
    assert quote == "> " + plain(MARKUP)
    everything = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("![tracker](" in v or "<b>" in v or "$x^2$" in v for v in everything)
