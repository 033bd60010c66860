"""Record/replay cache: a replayed call makes no HTTP request and returns the recorded reply."""

from __future__ import annotations

import json

import pytest
from llm_server import settings_for
from pydantic import BaseModel

from simulator.llm.cache import LLMCache, cache_key
from simulator.llm.client import LLMClient
from simulator.llm.errors import LLMFailed
from simulator.settings import get_settings

PROMPT = [{"role": "system", "content": "You interview."},
          {"role": "user", "content": "How would you shard the users table?"}]


class Verdict(BaseModel):
    hire: bool
    notes: str


def client_with(settings, cache: LLMCache) -> LLMClient:
    return LLMClient(settings, cache=cache, timeout_s=2.0, backoff_base_s=0.01)


def test_key_is_stable_and_changes_with_model_params_and_messages():
    key = cache_key("gpt-4o-mini", {"kind": "chat"}, PROMPT)
    as_tuples = [(m["role"], m["content"]) for m in PROMPT]
    assert key == cache_key("gpt-4o-mini", {"kind": "chat"}, as_tuples)
    assert len(key) == 64 and int(key, 16) >= 0
    assert key != cache_key("gpt-4o", {"kind": "chat"}, PROMPT)
    assert key != cache_key("gpt-4o-mini", {"kind": "chat", "temperature": 0.5}, PROMPT)
    assert key != cache_key("gpt-4o-mini", {"kind": "chat"}, PROMPT[:1])


def test_record_then_replay_makes_no_http_call(llm_server, tmp_path):
    settings = settings_for(llm_server)
    llm_server.reply("By user id hash, with consistent hashing.",
                     usage={"prompt_tokens": 30, "completion_tokens": 8})
    recorded = client_with(settings, LLMCache(tmp_path / "cache", "record")).complete(PROMPT)
    assert not recorded.replayed and len(llm_server.chat_requests) == 1

    cache = LLMCache(tmp_path / "cache", "replay")
    replayer = client_with(settings, cache)
    replayed = replayer.complete(PROMPT)
    assert replayed.replayed and replayed.text == recorded.text
    assert replayed.usage.completion_tokens == 8 and replayed.cost.usd == 0
    assert len(llm_server.chat_requests) == 1  # the server saw nothing new
    assert cache.stats == {"hits": 1, "misses": 0, "writes": 0}
    assert replayer.stats.replayed == 1 and replayer.stats.attempts == 0

    entry = json.loads(next((tmp_path / "cache").glob("*/*.json")).read_text())
    assert entry["text"] == recorded.text and entry["messages"] == PROMPT


def test_replay_miss_is_an_error_without_any_call(llm_server, tmp_path):
    client = client_with(settings_for(llm_server), LLMCache(tmp_path / "empty", "replay"))
    with pytest.raises(LLMFailed, match="no recorded reply .*llm_cache_mode=replay") as info:
        client.complete(PROMPT)
    assert info.value.kind == "no_recording"
    assert llm_server.requests == []


def test_auto_mode_calls_once_then_replays(llm_server, tmp_path):
    cache = LLMCache(tmp_path / "cache", "auto")
    client = client_with(settings_for(llm_server), cache)
    llm_server.reply("first and only")
    first, second = client.complete(PROMPT), client.complete(PROMPT)
    assert (first.replayed, second.replayed) == (False, True)
    assert first.text == second.text == "first and only"
    assert len(llm_server.chat_requests) == 1
    assert cache.stats == {"hits": 1, "misses": 1, "writes": 1} and len(cache) == 1


def test_record_mode_always_calls_and_overwrites(llm_server, tmp_path):
    cache = LLMCache(tmp_path / "cache", "record")
    client = client_with(settings_for(llm_server), cache)
    llm_server.reply("old").reply("new")
    client.complete(PROMPT)
    client.complete(PROMPT)
    assert len(llm_server.chat_requests) == 2 and len(cache) == 1
    replay = client_with(settings_for(llm_server), LLMCache(tmp_path / "cache", "replay"))
    assert replay.complete(PROMPT).text == "new"


def test_off_mode_neither_reads_nor_writes(llm_server, tmp_path):
    cache = LLMCache(tmp_path / "cache", "off")
    client = client_with(settings_for(llm_server), cache)
    llm_server.reply("a").reply("b")
    assert [client.complete(PROMPT).text for _ in range(2)] == ["a", "b"]
    assert len(cache) == 0 and cache.stats == {"hits": 0, "misses": 0, "writes": 0}


def test_streamed_reply_is_recorded_and_replayed(llm_server, tmp_path):
    llm_server.reply("Use a queue to absorb bursts.")
    recorder = client_with(settings_for(llm_server), LLMCache(tmp_path / "cache", "record"))
    streamed = "".join(recorder.stream(PROMPT))
    replayer = client_with(settings_for(llm_server), LLMCache(tmp_path / "cache", "replay"))
    assert "".join(replayer.stream(PROMPT)) == streamed == "Use a queue to absorb bursts."
    assert replayer.last_result.replayed
    assert len(llm_server.chat_requests) == 1


def test_structured_reply_is_replayed_as_the_model(llm_server, tmp_path):
    llm_server.structured({"hire": True, "notes": "strong on trade-offs"})
    recorder = client_with(settings_for(llm_server), LLMCache(tmp_path / "cache", "record"))
    original = recorder.structured(PROMPT, Verdict)
    replayer = client_with(settings_for(llm_server), LLMCache(tmp_path / "cache", "replay"))
    assert replayer.structured(PROMPT, Verdict) == original
    assert len(llm_server.chat_requests) == 1


def test_replay_needs_no_api_key_and_no_server(llm_server, tmp_path):
    """Recordings made against one server replay for the same model on a keyless machine."""
    llm_server.reply("recorded answer")
    client_with(settings_for(llm_server), LLMCache(tmp_path / "cache", "record")).complete(PROMPT)
    keyless = get_settings(llm_backend="openai", llm_model="gpt-4o-mini")
    client = client_with(keyless, LLMCache(tmp_path / "cache", "replay"))
    assert client.complete(PROMPT).text == "recorded answer"


def test_cache_defaults_to_the_data_dir_and_rejects_unknown_modes(tmp_path):
    settings = get_settings(data_dir=tmp_path / "d")
    cache = LLMCache.from_settings(settings)
    assert cache.directory == tmp_path / "d" / "llm-cache" and cache.mode == "off"
    assert LLMCache.from_settings(settings, "auto").mode == "auto"
    with pytest.raises(ValueError, match="off, record, replay, auto"):
        LLMCache(tmp_path, "sometimes")
