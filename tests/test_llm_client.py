"""The LLM client over real HTTP: real openai SDK and LangChain against the scripted server."""

from __future__ import annotations

import time

import pytest
from llm_server import refused_url, settings_for
from pydantic import BaseModel, Field

from simulator.llm.budget import estimate_cost
from simulator.llm.cache import LLMCache
from simulator.llm.client import PLACEHOLDER_KEY, LLMClient, build_chat_model
from simulator.llm.errors import LLMConfigError, LLMFailed, StreamBroken
from simulator.settings import get_settings

QUESTION = [
    {"role": "system", "content": "You are a system-design interviewer."},
    {"role": "user", "content": "I'd put a Redis cache in front of the database."},
]


class PhaseGrade(BaseModel):
    score: int = Field(ge=1, le=5)
    reason: str


def make_client(settings, **overrides) -> LLMClient:
    fast = {"timeout_s": 2.0, "backoff_base_s": 0.01, "backoff_max_s": 0.05,
            "total_deadline_s": 10.0, "cache": LLMCache(settings.data_dir / "c", "off")}
    return LLMClient(settings, **{**fast, **overrides})


# -- building --------------------------------------------------------------------------------
def test_chat_model_points_at_the_server_with_sdk_retries_off(llm_server):
    model = build_chat_model(settings_for(llm_server, llm_timeout_s=7))
    assert model.openai_api_base == llm_server.url
    assert model.max_retries == 0 and model.root_client.max_retries == 0
    assert model.request_timeout == 7
    assert model.openai_api_key.get_secret_value() == PLACEHOLDER_KEY
    assert build_chat_model(settings_for(llm_server), streaming=True).streaming is True


@pytest.mark.parametrize("overrides, message", [
    ({"llm_backend": "openai"}, "set SDSIM_LLM_API_KEY or OPENAI_API_KEY"),
    ({"llm_backend": "openai-compatible"}, "needs SDSIM_LLM_BASE_URL"),
    ({"llm_backend": "offline"}, "llm_backend is 'offline'"),
])
def test_unusable_settings_are_one_line_config_errors(overrides, message):
    with pytest.raises(LLMConfigError, match=message) as info:
        build_chat_model(get_settings(**overrides))
    assert "\n" not in str(info.value)


def test_api_key_from_settings_is_sent_as_bearer_token(llm_server):
    llm_server.api_key = "sk-local-123456"
    llm_server.reply("fine")
    client = make_client(settings_for(llm_server, llm_api_key="sk-local-123456"))
    assert client.complete(QUESTION).text == "fine"
    assert llm_server.chat_requests[-1].headers["authorization"] == "Bearer sk-local-123456"


# -- replies ---------------------------------------------------------------------------------
def test_complete_returns_text_usage_and_cost(llm_server):
    llm_server.reply("What is your cache eviction policy?",
                     usage={"prompt_tokens": 1200, "completion_tokens": 300})
    client = make_client(settings_for(llm_server))
    result = client.complete(QUESTION)
    assert result.text == "What is your cache eviction policy?"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (1200, 300)
    assert not result.usage.estimated and not result.replayed and result.attempts == 1
    assert result.cost == estimate_cost("gpt-4o-mini", 1200, 300)
    assert result.cost.usd == pytest.approx((1200 * 0.15 + 300 * 0.60) / 1e6)
    sent = llm_server.chat_requests[-1].body
    assert sent["messages"] == QUESTION and sent["model"] == "gpt-4o-mini"
    assert client.stats.calls == 1 and client.stats.retries == 0


def test_stream_yields_tokens_in_order_and_records_usage(llm_server):
    chunks = ["Consider", " a", " write-through", " cache", " for", " hot", " keys."]
    llm_server.reply("".join(chunks), chunks=chunks,
                     usage={"prompt_tokens": 40, "completion_tokens": 7})
    client = make_client(settings_for(llm_server))
    assert list(client.stream(QUESTION)) == chunks
    body = llm_server.chat_requests[-1].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert client.last_result.text == "".join(chunks)
    assert client.last_result.usage.completion_tokens == 7


# -- retries ---------------------------------------------------------------------------------
def test_429_is_retried_after_the_servers_retry_after(llm_server):
    llm_server.error(429, "slow down", retry_after_s=0.3).reply("second time lucky")
    client = make_client(settings_for(llm_server))
    started = time.monotonic()
    result = client.complete(QUESTION)
    assert result.text == "second time lucky" and result.attempts == 2
    assert time.monotonic() - started >= 0.3
    assert len(llm_server.chat_requests) == 2
    assert client.stats.retries == 1 and client.stats.attempts == 2


def test_500s_beyond_max_retries_fail_with_one_line(llm_server):
    llm_server.error(500, "upstream exploded", times=5)
    client = make_client(settings_for(llm_server, llm_max_retries=2))
    with pytest.raises(LLMFailed) as info:
        client.complete(QUESTION)
    failure = info.value
    assert failure.kind == "server" and failure.status == 500 and failure.attempts == 3
    assert "HTTP 500" in str(failure) and "upstream exploded" in str(failure)
    assert "gave up after 3 attempts" in str(failure) and "\n" not in str(failure)
    assert len(llm_server.chat_requests) == 3 and llm_server.pending == 2


def test_client_errors_are_not_retried(llm_server):
    llm_server.error(400, "unknown parameter 'foo'").reply("never sent")
    client = make_client(settings_for(llm_server))
    with pytest.raises(LLMFailed, match="HTTP 400.*unknown parameter") as info:
        client.complete(QUESTION)
    assert info.value.kind == "bad_request"
    assert len(llm_server.chat_requests) == 1


def test_slow_reply_times_out_then_the_retry_succeeds(llm_server):
    llm_server.slow(5).reply("quick now")
    client = make_client(settings_for(llm_server), timeout_s=0.3)
    started = time.monotonic()
    assert client.complete(QUESTION).text == "quick now"
    assert 0.3 <= time.monotonic() - started < 2
    assert len(llm_server.chat_requests) == 2


def test_slow_replies_fail_within_the_total_deadline(llm_server):
    for _ in range(10):
        llm_server.slow(5)
    client = make_client(settings_for(llm_server), timeout_s=0.4, max_retries=10,
                         total_deadline_s=1.0)
    started = time.monotonic()
    with pytest.raises(LLMFailed, match=r"no reply from .* within 0.4s") as info:
        client.complete(QUESTION)
    elapsed = time.monotonic() - started
    assert info.value.kind == "timeout"
    assert elapsed < 1.5, elapsed
    assert 2 <= len(llm_server.chat_requests) <= 3


def test_refused_connection_is_retried_then_explained():
    client = make_client(settings_for(None, llm_base_url=refused_url(), llm_max_retries=1))
    with pytest.raises(LLMFailed, match="connection refused") as info:
        client.complete(QUESTION)
    assert info.value.kind == "connection" and info.value.attempts == 2


# -- streams that break ----------------------------------------------------------------------
def test_broken_stream_raises_with_the_partial_text(llm_server):
    llm_server.broken_stream(["The", " bottleneck", " is", " the"])
    client = make_client(settings_for(llm_server))
    received: list[str] = []
    with pytest.raises(StreamBroken) as info:
        received.extend(client.stream(QUESTION))  # keeps what arrived before the break
    assert received == ["The", " bottleneck", " is", " the"]
    assert info.value.partial_text == "The bottleneck is the"
    assert info.value.kind == "stream" and "broke after 21 characters" in str(info.value)
    assert len(llm_server.chat_requests) == 1  # text was shown: never silently re-asked


def test_stream_that_stops_without_finishing_is_broken_too(llm_server):
    llm_server.broken_stream(["Shard", " by", " user"], clean_close=True)
    client = make_client(settings_for(llm_server))
    with pytest.raises(StreamBroken, match="ended before the model finished") as info:
        list(client.stream(QUESTION))
    assert info.value.partial_text == "Shard by user"


def test_stream_failing_before_any_token_is_retried(llm_server):
    llm_server.error(503, "warming up").reply("ready", chunks=["re", "ady"])
    client = make_client(settings_for(llm_server))
    assert list(client.stream(QUESTION)) == ["re", "ady"]
    assert len(llm_server.chat_requests) == 2 and client.stats.retries == 1


# -- structured output -----------------------------------------------------------------------
@pytest.mark.parametrize("method, sent_key", [
    ("json_schema", "response_format"),
    ("function_calling", "tools"),
    ("json_mode", "response_format"),
])
def test_structured_output_returns_the_pydantic_object(llm_server, method, sent_key):
    llm_server.structured({"score": 4, "reason": "clear capacity estimate"})
    client = make_client(settings_for(llm_server), structured_method=method)
    grade = client.structured(QUESTION, PhaseGrade)
    assert grade == PhaseGrade(score=4, reason="clear capacity estimate")
    assert sent_key in llm_server.chat_requests[-1].body
    assert client.last_result.usage.total_tokens > 0


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_malformed_structured_output_is_retried_then_fails(llm_server, method):
    llm_server.structured("{score: four", times=3)
    client = make_client(settings_for(llm_server), structured_method=method,
                         structured_retries=2)
    with pytest.raises(LLMFailed, match="did not match PhaseGrade in 3 tries") as info:
        client.structured(QUESTION, PhaseGrade)
    assert info.value.kind == "malformed" and "\n" not in str(info.value)
    assert len(llm_server.chat_requests) == 3 and client.stats.malformed == 3


def test_structured_output_violating_the_schema_is_asked_again(llm_server):
    llm_server.structured({"score": 9, "reason": "out of range"})
    llm_server.structured({"score": 2, "reason": "missed the estimates"})
    client = make_client(settings_for(llm_server))
    assert client.structured(QUESTION, PhaseGrade).score == 2
    assert len(llm_server.chat_requests) == 2 and client.stats.malformed == 1


def test_unknown_structured_method_is_a_config_error(llm_server):
    with pytest.raises(LLMConfigError, match="llm_structured_method"):
        make_client(settings_for(llm_server), structured_method="xml")
