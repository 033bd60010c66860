"""`check_backend`: one tiny real call, and a one-line explanation of what is wrong."""

from __future__ import annotations

import pytest
from llm_server import ScriptedLLMServer, refused_url, settings_for

from simulator.llm.doctor import check_backend
from simulator.settings import get_settings


def assert_one_line_failure(report, *fragments: str) -> None:
    assert not report.ok, report
    for fragment in fragments:
        assert fragment in report.message, report.message
    assert "\n" not in str(report) and "Traceback" not in str(report)


def test_offline_backend_needs_nothing():
    report = check_backend(get_settings())
    assert report.ok and report.backend == "offline"
    assert report.message == "offline engine, no LLM needed" and report.latency_ms is None


def test_working_server_reports_latency_and_the_answer(llm_server):
    llm_server.reply("ok")
    report = check_backend(settings_for(llm_server))
    assert report.ok and report.latency_ms is not None and report.latency_ms > 0
    assert "'ok'" in report.message and report.base_url == llm_server.url
    assert str(report).startswith("ok: openai-compatible / gpt-4o-mini at http://127.0.0.1:")
    assert len(llm_server.chat_requests) == 1  # one tiny call, nothing more


def test_missing_key_for_openai():
    report = check_backend(get_settings(llm_backend="openai"))
    assert_one_line_failure(report, "needs an API key", "SDSIM_LLM_API_KEY")
    assert report.latency_ms is None


def test_missing_url_for_openai_compatible():
    report = check_backend(get_settings(llm_backend="openai-compatible"))
    assert_one_line_failure(report, "needs SDSIM_LLM_BASE_URL")


def test_refused_port():
    report = check_backend(settings_for(None, llm_base_url=refused_url()))
    assert_one_line_failure(report, "connection refused", "SDSIM_LLM_BASE_URL")
    assert "gave up" not in report.message


def test_unknown_model_names_the_models_served(llm_server):
    report = check_backend(settings_for(llm_server, llm_model="gpt-9-ultra"))
    assert_one_line_failure(report, "model 'gpt-9-ultra' is not served", "HTTP 404",
                            "SDSIM_LLM_MODEL", "gpt-4o-mini, scripted-model")


def test_url_that_is_not_an_openai_api(llm_server):
    wrong = llm_server.url.removesuffix("/v1")
    report = check_backend(settings_for(llm_server, llm_base_url=wrong))
    assert_one_line_failure(report, "does not answer like an OpenAI API", "ends in /v1")


def test_rejected_key():
    with ScriptedLLMServer(api_key="sk-right-key-0001") as server:
        report = check_backend(settings_for(server, llm_api_key="sk-wrong-key-0002"))
    assert_one_line_failure(report, "rejected the API key (HTTP 401)", "SDSIM_LLM_API_KEY")
    assert "sk-wrong" not in str(report)


def test_timeout(llm_server):
    llm_server.slow(5)
    report = check_backend(settings_for(llm_server), timeout_s=0.3)
    assert_one_line_failure(report, "no reply from", "within 0.3s")
    assert report.latency_ms == pytest.approx(300, abs=250)
