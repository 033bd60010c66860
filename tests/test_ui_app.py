"""The Streamlit app driven in-process with AppTest: start, answer, phases, end, scorecard,
history and resume by `?session=`.

Every test points SDSIM_DATA_DIR at the session-scoped ingested store, so the embedding
model and Chroma load once per test run; each test works only with the sessions it made.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from simulator.interview.models import Turn
from simulator.interview.session import InterviewSession
from simulator.settings import REPO_ROOT, get_settings
from simulator.store.sessions import SessionStore

APP = str(REPO_ROOT / "streamlit_app.py")
PAGES = "simulator/ui/pages"
CLARIFY = ("Is it one to one messaging plus group chats? Offline users get missed messages on "
           "reconnect and a push notification; history on multiple devices; read receipts.")


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u00a0", " ")


@pytest.fixture
def data_dir(corpus_store, monkeypatch):
    monkeypatch.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
    return corpus_store.data_dir


@pytest.fixture
def store(data_dir) -> SessionStore:
    return SessionStore(get_settings().db_path)


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def messages(at: AppTest) -> list[tuple[str, str]]:
    return [(m.name, unescape(m.markdown[0].value)) for m in at.chat_message]


def start(problem: str = "chat", minutes: int = 30, level: str = "senior") -> AppTest:
    at = new_app().run()
    assert not at.exception, at.exception
    at.selectbox(key="start_problem").set_value(problem)
    at.slider(key="start_minutes").set_value(minutes)
    at.button_group(key="start_level").set_value(level)
    at.button(key="start_interview").click().run()
    assert not at.exception, at.exception
    return at


def session_id(at: AppTest) -> str:
    return at.query_params["session"]


def test_start_page_offers_problems_levels_lengths_and_backends(data_dir):
    at = new_app().run()
    assert not at.exception
    assert at.title[0].value == "Practise a system-design interview"
    options = at.selectbox(key="start_problem").options
    assert "Surprise me (random problem)" in options and "Design a chat service" in options
    assert at.button_group(key="start_level").options  # mid / senior / staff
    assert list(at.radio(key="start_backend").options)[0].startswith("Offline")
    assert not at.text_input  # URL, model and key fields only for an LLM backend
    at.radio(key="start_backend").set_value("openai-compatible").run()
    keys = {w.key for w in at.text_input}
    assert {"start_base_url", "start_model", "start_api_key"} <= keys


def test_an_llm_backend_without_its_url_is_refused_with_one_line(data_dir, store):
    before = len(store.list(limit=1000))
    at = new_app().run()
    at.radio(key="start_backend").set_value("openai-compatible").run()
    at.button(key="start_interview").click().run()
    assert "SDSIM_LLM_BASE_URL" in at.error[0].value
    assert len(store.list(limit=1000)) == before and "session" not in at.query_params


def test_start_answer_hint_next_phase_notes_and_end(data_dir, store):
    at = start("chat", minutes=30, level="staff")
    sid = session_id(at)
    assert at.title[0].value == "Design a chat service"
    assert "level staff" in at.caption[0].value and "30 minutes" in at.caption[0].value
    (role, opening), = messages(at)
    assert role == "assistant" and "clarify" in opening
    assert [m.label for m in at.metric] == ["Phase time left", "Interview time left"]

    at.chat_input(key="chat_answer").set_value(CLARIFY).run()
    assert [r for r, _ in messages(at)] == ["assistant", "user", "assistant"]
    assert messages(at)[1][1] == CLARIFY
    record = store.get(sid)
    assert [t.role for t in record.turns] == ["interviewer", "candidate", "interviewer"]
    assert unescape(at.chat_message[2].markdown[0].value) == record.turns[2].text

    at.button(key="cmd_hint").click().run()
    assert store.get(sid).turns[-1].intent == "hint"
    assert store.get(sid).turns[-2].text == "/hint"

    at.button(key="cmd_next").click().run()
    assert store.get(sid).state.phase == "estimate"
    assert "▶ **estimate**" in " ".join(c.value for c in at.caption)
    # The capacity calculator appears in the estimate phase and computes from its inputs.
    at.number_input(key=f"calc_{sid}_dau").set_value(100_000_000).run()
    assert any(m.label == "Peak QPS" for m in at.metric)

    notes = "clients -> LB -> ws gateways -> Redis pub/sub\nmessages: Cassandra"
    at.text_area(key=f"notes_{sid}").set_value(notes).run()
    assert store.get(sid).notes == notes

    at.button(key="cmd_end").click().run()
    record = store.get(sid)
    assert record.status == "finished" and record.state.finished
    assert at.success[0].value.startswith("The interview is over")
    assert at.chat_input(key="chat_answer").disabled
    assert at.button(key="cmd_next").disabled


def test_candidate_markup_is_shown_as_text(data_dir):
    at = start("url-shortener")
    nasty = "![x](http://evil.example/p.png) <script>alert(1)</script> [link](javascript:x) $x$"
    at.chat_input(key="chat_answer").set_value(nasty).run()
    shown = at.chat_message[1].markdown[0].value
    assert unescape(shown) == nasty
    unescaped_markup = re.findall(r"(?<!\\)[!\[\]()<>$:]", shown)
    assert unescaped_markup == []


def test_a_refresh_resumes_the_session_from_the_query_string(data_dir, store):
    at = start("chat")
    sid = session_id(at)
    at.chat_input(key="chat_answer").set_value(CLARIFY).run()

    # A new browser session (a refresh, or after a server restart) with ?session= in the URL.
    again = new_app()
    again.query_params["session"] = sid
    again.run()
    again.switch_page(f"{PAGES}/interview.py").run()
    assert not again.exception, again.exception
    assert [text for _, text in messages(again)] == [t.text for t in store.get(sid).turns]
    again.chat_input(key="chat_answer").set_value("/next").run()
    assert store.get(sid).state.phase == "estimate"
    assert again.query_params["session"] == sid


def test_resume_answers_a_message_a_crash_left_unanswered(data_dir, store, corpus_store):
    session, _ = InterviewSession.start(corpus_store, store, "notifications", seed=1)
    store.add_turn(session.id, Turn(role="candidate", phase="clarify", text="Push, email and SMS?"))
    at = new_app()
    at.query_params["session"] = session.id
    at.run().switch_page(f"{PAGES}/interview.py").run()
    roles = [r for r, _ in messages(at)]
    assert roles == ["assistant", "user", "assistant"]
    assert store.get(session.id).turns[-1].role == "interviewer"


def test_an_unknown_session_in_the_url_is_reported_not_crashed(data_dir):
    at = new_app()
    at.query_params["session"] = "nosuch99"
    at.run()
    assert not at.exception
    assert "nosuch99" in at.warning[0].value
    at.switch_page(f"{PAGES}/interview.py").run()
    assert "No interview is open." in [i.value for i in at.info]


def test_browser_sessions_do_not_share_the_open_interview(data_dir):
    first = start("chat")
    other = new_app().run()
    other.switch_page(f"{PAGES}/interview.py").run()
    assert "No interview is open." in [i.value for i in other.info]
    assert "session" not in other.query_params
    assert session_id(first)


def test_history_lists_sessions_and_resumes_one(data_dir, store):
    at = start("url-shortener")
    sid = session_id(at)
    at.switch_page(f"{PAGES}/history.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "History"
    assert any(sid in m.value for m in at.markdown)
    at.button(key=f"resume_{sid}").click().run()
    assert at.title[0].value == "Design a URL shortener"
    assert session_id(at) == sid


def test_reserved_pages_say_what_is_coming(data_dir):
    at = new_app().run()
    at.switch_page(f"{PAGES}/question_bank.py").run()
    assert "arrives with its own issue" in at.info[0].value
    at.switch_page(f"{PAGES}/evals.py").run()
    assert "arrive with their own issue" in at.info[0].value
