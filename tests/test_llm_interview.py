"""An interview on the LLM path, end to end over real HTTP, with every fault path.

The scripted OpenAI-compatible server is real HTTP on loopback; the openai SDK and LangChain
talk to it. Each test checks what the candidate sees and what the session database holds.
"""

from __future__ import annotations

import json

from click.testing import CliRunner
from llm_server import settings_for

from simulator.cli import main
from simulator.interview.phrasing import LLMPhraser
from simulator.interview.session import InterviewSession
from simulator.llm.client import LLMClient
from simulator.store.sessions import SessionStore

FAST = {"timeout_s": 0.5, "total_deadline_s": 3, "backoff_base_s": 0.01, "backoff_max_s": 0.05,
        "max_retries": 2}


def start(server, tmp_path, **overrides):
    settings = settings_for(server, **overrides)
    phraser = LLMPhraser(settings, LLMClient(settings, **FAST))
    store = SessionStore(tmp_path / "s.db")
    session, _ = InterviewSession.start(settings, store, "chat", phraser=phraser,
                                              clock=lambda: 60.0)
    return session, store


def test_streamed_llm_turn_is_shown_and_stored_with_usage(llm_server, tmp_path):
    session, store = start(llm_server, tmp_path)
    llm_server.reply("Good start. Who are the users, and how many of them are online at once?")
    pieces = list(session.stream_answer("Is it 1:1 messaging only?"))
    assert len(pieces) > 3  # token by token
    text = "".join(pieces)
    assert text.startswith("Good start.")
    record = store.get(session.id)
    assert record.backend == "openai-compatible" and record.model == "gpt-4o-mini"
    assert record.turns[-1].text == text and record.turns[-1].notice is None
    assert record.turns[-1].intent == "answer"  # the engine's decision (answer the question) is kept
    assert record.turn_usage[-1]["prompt_tokens"] > 0
    assert record.usage["completion_tokens"] > 0
    sent = llm_server.chat_requests[-1].messages
    assert sent[0]["role"] == "system" and "Design a chat service" in sent[0]["content"]
    assert "<candidate>Is it 1:1 messaging only?</candidate>" in json.dumps(sent)
    assert "intent=answer" in sent[-1]["content"]


def test_the_llm_gets_the_fact_sheet_the_record_and_the_move(llm_server, tmp_path):
    """A clarifying question is decided as an answer turn; the prompt carries the sheet's fact,
    what the candidate said so far (their own figures) and what the move asks for."""
    session, _ = start(llm_server, tmp_path)
    llm_server.reply("Fine, go on.")
    session.answer("I'll assume 40 messages per user a day and a 3x evening peak.")
    llm_server.reply("About fifty million people use it every day.")
    reply = session.answer("How many daily active users should I plan for?")
    assert reply.interviewer.intent == "answer"
    assert reply.interviewer.probe and "dau" in reply.interviewer.probe
    prompt = llm_server.chat_requests[-1].messages[-1]["content"]
    assert "dau: About 50 million daily active users." in prompt  # the fact sheet
    assert "40 messages" in prompt  # the record summary, in the candidate's words
    assert "Answer the candidate's question briefly" in prompt  # the decided move
    # The next turn's prompt says the fact was already given.
    llm_server.reply("Next?")
    session.answer("OK. So at 50M DAU and 40 sends a day that's 2B messages a day.")
    nxt = llm_server.chat_requests[-1].messages[-1]["content"]
    assert "Facts already given: dau: About 50 million daily active users." in nxt


def test_server_errors_fall_back_to_the_offline_turn_with_a_notice(llm_server, tmp_path):
    session, store = start(llm_server, tmp_path)
    llm_server.error(500, times=5)
    reply = session.answer("Is it 1:1 messaging only?")
    assert "LLM unavailable" in reply.interviewer.notice
    record = store.get(session.id)
    assert record.turns[-2].text == "Is it 1:1 messaging only?"  # the candidate turn is kept
    offline = record.turns[-1].text
    assert offline and offline == reply.interviewer.text
    assert len(llm_server.chat_requests) == 3  # first try + 2 retries


def test_429_is_retried_then_succeeds(llm_server, tmp_path):
    session, _ = start(llm_server, tmp_path)
    llm_server.error(429, retry_after_s=0).reply("Fine. What scale should we plan for?")
    reply = session.answer("Is it 1:1 messaging only?")
    assert reply.interviewer.text == "Fine. What scale should we plan for?"
    assert reply.interviewer.notice is None


def test_slow_reply_past_the_timeout_falls_back(llm_server, tmp_path):
    session, _ = start(llm_server, tmp_path)
    llm_server.slow(2.0).slow(2.0).slow(2.0)
    reply = session.answer("Is it 1:1 messaging only?")
    assert "LLM unavailable" in reply.interviewer.notice
    assert reply.interviewer.text



def test_a_stream_the_page_stops_reading_is_finished_and_stored(llm_server, tmp_path):
    session, store = start(llm_server, tmp_path)
    llm_server.reply("Good start. Who are the users, and how many of them are online at once?")
    stream = session.stream_answer("Is it 1:1 messaging only?")
    first = next(stream)
    stream.close()  # what a Streamlit rerun does to a stream it was drawing
    record = store.get(session.id)
    assert first and record.turns[-1].role == "interviewer"
    assert record.turns[-1].text.startswith("Good start.") and len(record.turns[-1].text) > len(first)
    assert record.turn_usage[-1]["completion_tokens"] > 0


def test_a_broken_stream_keeps_what_arrived_and_finishes_offline(llm_server, tmp_path):
    session, store = start(llm_server, tmp_path)
    llm_server.broken_stream(["Interesting. ", "Before we go on, "])
    reply = session.answer("Is it 1:1 messaging only?")
    assert reply.interviewer.text.startswith("Interesting. Before we go on,")
    assert "stream broke" in reply.interviewer.notice
    assert store.get(session.id).turns[-1].text == reply.interviewer.text


def test_prompt_stays_within_budget_over_a_long_interview(llm_server, tmp_path):
    session, store = start(llm_server, tmp_path, llm_prompt_budget_tokens=1500)
    long_answer = ("We need one to one messaging, groups, offline delivery and history; " * 12).strip()
    for i in range(30):
        llm_server.reply(f"Turn {i}: tell me more about that.")
        session.answer(f"{long_answer} (point {i})")
    sizes = [store.get(session.id).turn_usage[i].get("prompt_tokens_budgeted", 0)
             for i in range(len(store.get(session.id).turns))]
    assert max(sizes) <= 1500
    last = llm_server.chat_requests[-1].messages
    assert "(point 29)" in json.dumps(last)  # the newest turn is verbatim
    assert "(point 0)" not in json.dumps(last)  # the oldest is folded into the summary


def test_replay_through_the_record_replay_cache_costs_nothing_the_second_time(llm_server, tmp_path):
    batch = tmp_path / "in.jsonl"
    batch.write_text(json.dumps({"id": "a", "problem": "chat", "candidate_turns": ["Is it 1:1 only?"]}) + "\n")
    env = {"SDSIM_LLM_BACKEND": "openai-compatible", "SDSIM_LLM_BASE_URL": llm_server.url,
           "SDSIM_LLM_CACHE_MODE": "auto", "SDSIM_LLM_TIMEOUT_S": "2"}
    llm_server.reply("Recorded phrasing of the probe.")
    first = CliRunner().invoke(main, ["replay", "--batch", str(batch), "--json", "--no-grounding"], env=env)
    assert first.exit_code == 0, first.output
    calls = len(llm_server.chat_requests)
    assert calls == 1
    second = CliRunner().invoke(main, ["replay", "--batch", str(batch), "--json", "--no-grounding"], env=env)
    assert second.stdout == first.stdout
    assert len(llm_server.chat_requests) == calls  # replayed from the cache
    assert "Recorded phrasing of the probe." in first.stdout


def test_doctor_reports_a_refused_connection_in_one_line():
    result = CliRunner().invoke(main, ["doctor", "--backend", "openai-compatible",
                                       "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "127.0.0.1:9" in result.output
