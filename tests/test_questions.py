"""Question banks: determinism, numbers, de-duplication, exports, the LLM path and bad input.

Everything runs for real: the built-in catalog, rubric, modifiers and corpus, the capacity
calculator, the local MiniLM embedder for de-duplication and, for the LLM path, the openai
SDK and LangChain against the scripted OpenAI-compatible server on loopback. Embedding is
the slow step on a CPU, so banks are small and one bank is shared by the export tests.
"""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from click.testing import CliRunner
from llm_server import settings_for

from simulator.capacity import event_loop, human_rate, traffic
from simulator.content.loader import load_content
from simulator.content.prompt_set import corpus_files
from simulator.llm.client import LLMClient
from simulator.phases import PHASES
from simulator.questions import (
    MAX_COUNT,
    BankResult,
    QuestionBank,
    QuestionBankError,
    generate_bank,
    render,
)
from simulator.questions.build import LEVEL_BAR, Context, enrich
from simulator.questions.cli import questions_group
from simulator.questions.dedup import dedupe
from simulator.questions.export import CSV_COLUMNS
from simulator.questions.grounding import load_articles
from simulator.questions.schema import SCHEMA_PATH, bank_json_schema
from simulator.questions.variants import variant_draft
from simulator.settings import Settings

#: The built-in corpus's article files (no overlay).
CORPUS_FILES = list(corpus_files().values())


def repo_settings(data_dir, **overrides) -> Settings:
    return Settings(data_dir=data_dir, prompts_dir=None, corpus_dir=None,
                    embedding_backend="local", dedup_threshold=0.92, **overrides)


@pytest.fixture(scope="module")
def settings_m(tmp_path_factory) -> Settings:
    return repo_settings(tmp_path_factory.mktemp("questions-data"))


@pytest.fixture(scope="module")
def bank(settings_m) -> BankResult:
    return generate_bank(settings_m, None, None, "senior", 4, 7)


def context(level: str = "senior", seed: int = 7) -> Context:
    return Context(level=level, seed=seed, content=load_content(),
                   articles=load_articles(CORPUS_FILES))


def chat_e2e(level: str = "senior", factor: float = 0.1):
    catalog = load_content().catalog
    ctx = context(level)
    draft = variant_draft(catalog["chat"], ctx.modifiers.by_id["e2e-encryption"], factor, ctx,
                          ["chat", "messaging"])
    return catalog["chat"], enrich(draft, ctx)


# -- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bank_and_another_seed_another_selection(bank, settings_m):
    again = generate_bank(settings_m, None, None, "senior", 4, 7)
    for fmt in ("md", "json", "csv"):
        assert render(again, fmt) == render(bank, fmt)
    other = generate_bank(settings_m, None, None, "senior", 4, 8)
    assert [q.id for q in other.questions] != [q.id for q in bank.questions]
    assert len(other.questions) == len(bank.questions) == 4
    assert bank.removed_duplicates == 0 and bank.dropped_invalid == 0
    assert bank.bank.stats.candidates == 4 and not bank.warnings


def test_every_question_is_complete(bank):
    for q in bank.questions:
        assert q.text and q.topics and q.clarifications and q.red_flags
        assert list(q.probes) == list(PHASES) and all(q.probes[p] for p in PHASES)
        assert any(p.nodejs for ps in q.probes.values() for p in ps)
        assert [r.phase for r in q.rubric] == list(PHASES)
        assert all(r.bar == LEVEL_BAR["senior"] == 3 for r in q.rubric)
        articles = load_articles(CORPUS_FILES)
        assert q.sources and all(articles[s.id].title == s.title for s in q.sources)
    kinds = {q.kind for q in bank.questions}
    assert kinds <= {"variant", "deep-dive"}


# -- numbers -----------------------------------------------------------------------------------


def test_estimation_targets_are_the_calculators_numbers_for_each_variant(bank):
    checked = 0
    for q in bank.questions:
        est = traffic(q.assumptions)
        for t in q.estimation_targets:
            if t.id == "event_loop_utilisation":
                loop = event_loop(q.assumptions.cpu_ms_per_request, est.peak_qps,
                                  processes=est.cpu_cores_at_peak)
                assert t.value == pytest.approx(loop.utilisation)
            else:
                assert t.value == pytest.approx(getattr(est, t.id)), (q.id, t.id)
            checked += 1
        peak = next(t for t in q.estimation_targets if t.id == "peak_qps")
        assert peak.display == human_rate(est.peak_qps)
        assert peak.formula == est.formulas["peak_qps"]
    assert checked >= 4 * 8


def test_a_variant_changes_the_assumptions_and_the_numbers_follow():
    problem, q = chat_e2e(factor=0.1)
    base = problem.assumptions
    a = q.assumptions
    assert a.dau == base.dau // 10 == 5_000_000
    assert a.writes_per_user_per_day == base.writes_per_user_per_day * 3  # one copy per device
    assert a.write_size_bytes == 400 and a.read_size_bytes == base.read_size_bytes
    assert "5M daily active users, with end-to-end encryption" in q.text
    targets = {t.id: t for t in q.estimation_targets}
    est, base_est = traffic(a), traffic(base)
    assert targets["peak_qps"].value == pytest.approx(est.peak_qps)
    assert targets["peak_qps"].value != pytest.approx(base_est.peak_qps)
    assert targets["storage_bytes_per_day"].value == pytest.approx(5e6 * 120 * 400)
    assert targets["concurrent_connections"].value == 1_000_000
    assert targets["cpu_cores_at_peak"].value == est.cpu_cores_at_peak
    # The modifier's edits reach the clarifications, probes, red flags and sources.
    assert not any("End-to-end encryption is out of scope" in c for c in q.clarifications)
    assert any(c.startswith("End-to-end encryption is in scope") for c in q.clarifications)
    assert any("new phone" in p.text for p in q.probes["design"])
    assert any("push previews" in f for f in q.red_flags)
    assert q.sources[0].id == "design-chat" and "backend-security" in [s.id for s in q.sources]


def test_rubric_and_probes_are_adapted_to_the_level():
    _, mid = chat_e2e("mid")
    _, staff = chat_e2e("staff")
    assert {r.bar for r in mid.rubric} == {2} and {r.bar for r in staff.rubric} == {4}
    rubric = load_content().rubric
    for row in staff.rubric:
        assert [row.anchor(s) for s in (1, 2, 3, 4)] == [rubric.phases[row.phase].anchors[s]
                                                         for s in (1, 2, 3, 4)]
    mid_look = sum(len(r.look_for) for r in mid.rubric)
    staff_look = sum(len(r.look_for) for r in staff.rubric)
    assert staff_look > mid_look
    assert any("At 10x this scale" in p.text for p in staff.probes["trade-offs"])
    assert not any("At 10x this scale" in p.text for p in mid.probes["trade-offs"])
    assert "stops working" in staff.text and "works end to end" in mid.text


# -- de-duplication ----------------------------------------------------------------------------


def test_asking_for_more_than_the_distinct_questions_removes_and_counts_duplicates(settings_m):
    # Chat questions with the 'security' topic: the end-to-end encryption variant at six
    # scales, which read as one question.
    result = generate_bank(settings_m, ["chat"], ["security"], "senior", 5, 7)
    assert len(result.questions) == 1
    assert result.questions[0].id.startswith("chat--e2e-encryption--")
    assert result.removed_duplicates == 5
    assert result.bank.stats.candidates == 6
    assert any("only 1 distinct questions" in w for w in result.warnings)


def test_an_injected_near_identical_question_is_removed(bank, settings_m):
    first, other = bank.questions[0], bank.questions[1]
    twin = first.model_copy(update={
        "id": first.id + "-twin",
        "text": first.text.replace("Plan for about", "Plan for roughly", 1)})
    assert twin.text != first.text
    kept, removed = dedupe([first, twin, other], settings_m)
    assert removed == 1 and [q.id for q in kept] == [first.id, other.id]


# -- exports -----------------------------------------------------------------------------------


def test_json_export_validates_against_the_published_schema(bank):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema == bank_json_schema(), (
        f"{SCHEMA_PATH} is stale: run python -m simulator.questions.schema")
    exported = json.loads(render(bank, "json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(exported)
    assert QuestionBank.model_validate(exported) == bank.bank
    broken = {**exported, "questions": [{**exported["questions"][0], "level": "junior"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_markdown_has_a_section_and_a_rubric_table_per_question(bank):
    md = render(bank, "md")
    sections = [line for line in md.splitlines() if line.startswith("## ")]
    assert sections == [f"## {n}. {q.title}" for n, q in enumerate(bank.questions, 1)]
    assert md.count("| Phase | 1 | 2 | 3 | 4 |") == len(bank.questions)
    for phase in ("Clarify", "Estimate", "Design", "Bottlenecks", "Trade-offs"):
        assert md.count(f"\n| {phase} | ") == len(bank.questions)
    assert md.count("### Estimation targets") == len(bank.questions)
    assert "[Node.js]" in md and "### Red flags" in md and "### Sources" in md
    assert md.startswith("# Question bank: 4 questions for senior level")


def test_csv_has_a_header_and_one_row_per_question(bank):
    text = render(bank, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(bank.questions)
    assert tuple(rows[0]) == CSV_COLUMNS
    for row, q in zip(rows, bank.questions, strict=True):
        assert row["id"] == q.id and row["question"] == q.text
        assert row["topics"].split("; ") == q.topics
        assert len(row["sources"].split("; ")) == len(q.sources)
        assert len(row["rubric"].split("; ")) == len(PHASES)


def test_unknown_format_names_the_valid_ones(bank):
    with pytest.raises(QuestionBankError, match="valid formats: md, json, csv"):
        render(bank, "xml")


# -- LLM path ----------------------------------------------------------------------------------


def _variant(question: str, dau: float, **changes) -> dict:
    assumptions = {"dau": dau, "reads_per_user_per_day": 20, "writes_per_user_per_day": 40,
                   "read_size_bytes": 4000, "write_size_bytes": 300, **changes}
    return {"question": question, "assumptions": assumptions, "topics": ["security", "made-up"]}


def _llm_client(server, tmp_path):
    settings = settings_for(server, data_dir=tmp_path / "llm-data", corpus_dir=None,
                            prompts_dir=None, llm_structured_retries=0)
    return settings, LLMClient(settings, max_retries=0, timeout_s=5, total_deadline_s=10,
                               backoff_base_s=0.01, backoff_max_s=0.02)


def test_llm_variants_are_validated_enriched_and_invalid_ones_counted(llm_server, tmp_path):
    settings, client = _llm_client(llm_server, tmp_path)
    llm_server.structured({"variants": [
        _variant("Design a workplace chat product for 2M daily users at a bank, where every "
                 "message must be retained for seven years under legal hold.", 2_000_000),
        _variant("Design a live sports chat where 30M fans react to the same match in a few "
                 "huge rooms, with emoji reactions and slow mode.", 30_000_000,
                 reads_per_user_per_day=200, write_size_bytes=150),
        _variant("Design a chat service for negative users.", -5),  # dau must be > 0
        _variant("Too short.", 1_000_000),  # not a usable question
        _variant("Design a chat service where every message is half a byte long, which is "
                 "not a size anyone can store.", 1_000_000, write_size_bytes=0.5),
    ]})
    result = generate_bank(settings, ["chat"], None, "senior", 4, 7, llm_client=client)

    assert result.llm_added == 2 and result.dropped_invalid == 3
    assert result.llm_failed_calls == 0
    llm = [q for q in result.questions if q.kind == "llm-variant"]
    assert [q.assumptions.dau for q in llm] == [2_000_000, 30_000_000]
    sports = llm[1]
    assert sports.assumptions.reads_per_user_per_day == 200
    assert sports.assumptions.write_size_bytes == 150
    assert sports.assumptions.concurrent_fraction == 0.2  # kept from the catalog problem
    peak = next(t for t in sports.estimation_targets if t.id == "peak_qps")
    assert peak.value == pytest.approx(traffic(sports.assumptions).peak_qps)
    assert "security" in sports.topics and "made-up" not in sports.topics
    assert sports.rubric and sports.sources[0].id == "design-chat"
    assert len(result.questions) == 4  # the rest of the bank is offline questions
    assert any("dropped 3 invalid" in w for w in result.warnings)

    sent = llm_server.chat_requests[0].messages[-1]["content"]
    assert "Problem: Design a chat service" in sent and "for level senior" in sent
    assert len(llm_server.chat_requests) == 1


def test_a_failing_llm_is_counted_and_the_bank_is_built_offline(llm_server, tmp_path):
    settings, client = _llm_client(llm_server, tmp_path)
    llm_server.structured("not json")
    result = generate_bank(settings, ["chat"], None, "senior", 2, 7, llm_client=client)
    assert result.llm_failed_calls == 1 and result.llm_added == 0
    assert len(result.questions) == 2
    assert all(q.kind != "llm-variant" for q in result.questions)
    assert any("LLM variants for chat failed" in w for w in result.warnings)


# -- bad arguments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"problems": ["chatt"]}, (r"unknown problem 'chatt'; did you mean chat\?; valid "
                                  r"problems: chat, image-upload, news-feed, notifications")),
        ({"topics": ["websocket"]}, (r"unknown topic 'websocket'; did you mean websockets.*; "
                                    r"valid topics: .*caching")),
        ({"count": 0}, rf"count must be between 1 and {MAX_COUNT}, got 0"),
        ({"count": MAX_COUNT + 1}, rf"count must be between 1 and {MAX_COUNT}, got 501"),
        ({"level": "junior"}, r"unknown level 'junior'; valid levels: mid, senior, staff"),
        ({"problems": ["payments"], "topics": ["websockets"]}, r"no question matches"),
    ],
)
def test_bad_arguments_name_the_valid_choices(settings_m, kwargs, message):
    args = {"problems": None, "topics": None, "level": "senior", "count": 3, "seed": 1, **kwargs}
    with pytest.raises(QuestionBankError, match=message):
        generate_bank(settings_m, **args)


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_writes_a_bank_and_reports_what_was_removed(tmp_path):
    runner = CliRunner()
    out = tmp_path / "bank.csv"
    result = runner.invoke(questions_group, ["generate", "--count", "2", "--seed", "7",
                                             "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 2 questions (0 near-duplicates removed" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[0]["level"] == "senior"

    result = runner.invoke(questions_group, ["generate", "--count", "2", "--seed", "7",
                                             "--level", "senior", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Question bank: 2 questions for senior level")
    assert [line[3:] for line in result.stdout.splitlines() if line.startswith("## ")] == [
        f"{n}. {row['title']}" for n, row in enumerate(rows, 1)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--problem", "nope"], "unknown problem 'nope'"),
        (["--topic", "quantum"], "valid topics:"),
        (["--level", "junior"], "'junior' is not one of 'mid', 'senior', 'staff'"),
        (["--count", "0"], "0 is not in the range 1<=x<=500"),
        (["--count", "100000"], "100000 is not in the range 1<=x<=500"),
        (["--format", "xml"], "'xml' is not one of 'md', 'json', 'csv'"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(args, message):
    result = CliRunner().invoke(questions_group, ["generate", *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]


# -- data --------------------------------------------------------------------------------------


def test_modifiers_refer_to_real_problems_expectations_topics_and_articles():
    content = load_content()
    catalog = content.catalog
    articles = load_articles(CORPUS_FILES)
    corpus_topics = {t for a in articles.values() for t in a.topics}
    for m in content.modifiers.by_id.values():
        assert set(m.topics) <= corpus_topics, m.id
        assert set(m.articles) <= set(articles), m.id
        for problem_id in m.problems or []:
            ids = set(catalog[problem_id].all_expectations())
            assert set(m.drop_clarify) <= ids, m.id
        assert any(p.nodejs for p in m.probes) or m.id in {"long-retention", "small-team",
                                                             "celebrities", "multi-currency",
                                                             "news-freshness"}, m.id
