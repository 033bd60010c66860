"""The Streamlit app driven in-process with AppTest: start, answer, phases, end, scorecard,
history and resume by `?session=`.

Every test points SDSIM_DATA_DIR at the session-scoped ingested store, so the embedding
model and Chroma load once per test run; each test works only with the sessions it made.
"""

from __future__ import annotations

import re

from llm_server import ScriptedLLMServer
from streamlit.testing.v1 import AppTest

from simulator.interview.session import InterviewSession
from simulator.phases import PHASE_TITLES, PHASES
from simulator.settings import REPO_ROOT, get_settings
from simulator.store.export import export_json
from simulator.store.sessions import SessionStore
from simulator.transcript import Turn

APP = str(REPO_ROOT / "streamlit_app.py")
PAGES = "simulator/ui/pages"
CLARIFY = ("Is it one to one messaging plus group chats? Offline users get missed messages on "
           "reconnect and a push notification; history on multiple devices; read receipts.")


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u00a0", " ")


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
    assert next(iter(at.radio(key="start_backend").options)).startswith("Offline")
    assert not at.text_input  # URL, model and key fields only for an LLM backend
    at.radio(key="start_backend").set_value("openai-compatible").run()
    keys = {w.key for w in at.text_input}
    assert {"start_base_url", "start_model", "start_api_key"} <= keys


def test_an_llm_backend_without_its_url_is_refused_with_one_line(data_dir, store):
    before = len(store.list(limit=1000))
    at = new_app().run()
    at.radio(key="start_backend").set_value("openai-compatible").run()
    at.button(key="start_interview").click().run()
    assert "SDSIM_LLM_BASE_URL" in unescape(at.error[0].value)
    assert len(store.list(limit=1000)) == before and "session" not in at.query_params


def test_an_llm_backend_phrases_the_answers_and_its_key_stays_in_the_browser(data_dir, store,
                                                                            monkeypatch):
    monkeypatch.setenv("SDSIM_JUDGE_SAMPLES", "1")
    key = "sk-ui-test-secret-0123456789"
    with ScriptedLLMServer(api_key=key) as server:
        server.reply("Thanks. How many people use it at once?",
                     chunks=["Thanks. ", "How many people ", "use it at once?"])
        at = new_app().run()
        at.selectbox(key="start_problem").set_value("chat")
        at.radio(key="start_backend").set_value("openai-compatible").run()
        at.text_input(key="start_base_url").set_value(server.url)
        at.text_input(key="start_model").set_value("gpt-4o-mini")
        at.text_input(key="start_api_key").set_value(key)
        at.button(key="start_interview").click().run()
        assert not at.exception, at.exception
        sid = session_id(at)
        assert "openai-compatible · gpt-4o-mini" in at.caption[0].value
        at.chat_input(key="chat_answer").set_value(CLARIFY).run()
        assert not at.exception, at.exception
        assert messages(at)[-1] == ("assistant", "Thanks. How many people use it at once?")
        assert server.chat_requests[0].headers["authorization"] == f"Bearer {key}"

        # The scorecard of an LLM interview is judged by the same LLM, one call per phase.
        server.reply("Thanks, that is all for today.")
        at.button(key="cmd_end").click().run()
        judged = len(server.chat_requests)
        server.structured({"reasons": "Covers scope and delivery guarantees.", "strengths": [],
                           "missing": [], "flags": [], "score": 3}, times=5)
        at.button(key="to_scorecard").click().run()
        assert not at.exception, at.exception
        card = store.get_scorecard(sid)
        assert card["grader"] == "llm-judge:gpt-4o-mini"
        assert "grader llm-judge:gpt-4o-mini" in " ".join(c.value for c in at.caption)
        judge_prompts = server.chat_requests[judged:]
        assert judge_prompts and all(r.headers["authorization"] == f"Bearer {key}"
                                     for r in judge_prompts)
        assert "<answer>" in judge_prompts[0].messages[0]["content"]
    record = store.get(sid)
    assert (record.backend, record.model) == ("openai-compatible", "gpt-4o-mini")
    assert record.turns[2].text == "Thanks. How many people use it at once?"
    assert record.turns[-1].text == "Thanks, that is all for today."
    assert key not in export_json(record) and key not in str(at.query_params)
    for path in get_settings().data_dir.glob("sessions.db*"):
        assert key.encode() not in path.read_bytes()


def test_start_answer_hint_next_phase_notes_and_end(data_dir, store):
    at = start("chat", minutes=30, level="staff")
    sid = session_id(at)
    assert at.title[0].value == "Design a chat service"
    assert "level staff" in at.caption[0].value and "30 minutes" in at.caption[0].value
    (role, opening), = messages(at)
    assert role == "assistant" and "clarify" in opening
    clocks = at.html[0].value
    assert "Phase time left" in clocks and "Interview time left" in clocks
    # Chat, 30 minutes: clarify has 12% = 3:36 of phase time; the browser ticks it down.
    assert re.search(r'data-sdsim-left="(21[0-6])">3:[23]\d<', clocks), clocks

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
    at.number_input(key=f"calc_{sid}_dau").set_value(86_400_000).run()
    table = next(m.value for m in at.markdown if m.value.startswith("| Figure"))
    # 86.4M DAU x 11 requests a day = 11K QPS on average, 33K at the default 3x peak.
    assert "| Average QPS | 11K QPS |" in table and "| Peak QPS | 33K QPS |" in table

    notes = "clients -> LB -> ws gateways -> Redis pub/sub\nmessages: Cassandra"
    at.text_area(key=f"notes_{sid}").set_value(notes).run()
    assert store.get(sid).notes == notes

    at.button(key="cmd_end").click().run()
    record = store.get(sid)
    assert record.status == "finished" and record.state.finished
    assert at.success[0].value.startswith("The interview is over")
    assert at.chat_input(key="chat_answer").disabled
    assert at.button(key="cmd_next").disabled
    assert "the clock has stopped" in " ".join(c.value for c in at.caption)


def test_two_messages_queued_before_a_run_are_both_answered_in_order(data_dir, store):
    """A second click can land before the run that takes the first one starts."""
    at = start("chat")
    sid = session_id(at)
    at.session_state["pending_message"] = [CLARIFY, "/hint"]
    at.run()
    assert not at.exception, at.exception
    turns = store.get(sid).turns
    assert [(t.role, t.text if t.role == "candidate" else t.intent) for t in turns[1:]] == [
        ("candidate", CLARIFY), ("interviewer", "probe"),
        ("candidate", "/hint"), ("interviewer", "hint")]
    assert [r for r, _ in messages(at)] == ["assistant", "user", "assistant", "user",
                                            "assistant"]
    assert messages(at)[-1][1] == turns[-1].text


def test_a_message_sent_while_the_session_is_busy_is_kept_for_later(data_dir, store,
                                                                    monkeypatch):
    monkeypatch.setattr("simulator.interview.session.BUSY_TIMEOUT_S", 0.2)
    at = start("chat")
    sid = session_id(at)
    lock = at.session_state["interview"].lock
    assert lock.acquire(timeout=1)  # another run is still answering
    try:
        at.chat_input(key="chat_answer").set_value(CLARIFY).run()
    finally:
        lock.release()
    assert not at.exception, at.exception
    assert "still answering an earlier message" in at.warning[0].value
    assert len(store.get(sid).turns) == 1  # nothing stored yet, nothing lost either
    assert at.session_state["pending_message"] == [CLARIFY]
    at.run()
    turns = store.get(sid).turns
    assert [t.role for t in turns] == ["interviewer", "candidate", "interviewer"]
    assert turns[1].text == CLARIFY


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


def test_one_interview_in_two_tabs_keeps_every_answer_in_order(data_dir, store):
    """Each tab keeps its own copy of the interview; a tab whose copy is behind the store
    reloads it instead of overwriting the other tab's turns."""
    first = start("chat")
    sid = session_id(first)
    second = new_app()
    second.query_params["session"] = sid
    second.run().switch_page(f"{PAGES}/interview.py").run()
    assert not second.exception, second.exception
    answers = [CLARIFY, "Roughly 50 million daily users sending 40 messages a day.",
               "Writes are about 23 thousand messages a second on average.",
               "Each message is about 200 bytes, so 400 GB a day."]
    for i, text in enumerate(answers):
        tab = first if i % 2 == 0 else second
        tab.chat_input(key="chat_answer").set_value(text).run()
        assert not tab.exception, tab.exception
    record = store.get(sid)
    said = [t.text for t in record.turns if t.role == "candidate"]
    assert said == answers
    assert [t.role for t in record.turns] == ["interviewer"] + ["candidate", "interviewer"] * 4
    assert record.state.turn_count == 4
    clock = [t.elapsed_s for t in record.turns]
    assert clock == sorted(clock)
    probes = [t.probe for t in record.turns if t.probe]
    assert len(probes) == len(set(probes))
    for tab in (first, second):  # after a refresh both tabs show the stored transcript
        tab.run()
        assert [text for _, text in messages(tab)] == [t.text for t in record.turns]


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


def test_a_huge_unknown_session_id_is_cut_short_and_no_path_is_shown(data_dir):
    at = new_app()
    at.query_params["session"] = "z" * 5_000
    at.run()
    assert not at.exception
    shown = " ".join(w.value for w in at.warning)
    assert "z" * 40 in shown and "z" * 41 not in shown
    assert str(data_dir) not in shown and "sessions.db" not in shown and "/" not in shown
    at.switch_page(f"{PAGES}/interview.py").run()
    assert not at.exception and "No interview is open." in [i.value for i in at.info]


def test_browser_sessions_do_not_share_the_open_interview(data_dir):
    first = start("chat")
    other = new_app().run()
    other.switch_page(f"{PAGES}/interview.py").run()
    assert "No interview is open." in [i.value for i in other.info]
    assert "session" not in other.query_params
    assert session_id(first)


STRONG_CHAT = {
    "clarify": CLARIFY + " Non functional: p99 delivery under 200 ms, 99.99% availability, "
    "messages are never lost and are ordered per conversation. Out of scope: voice and video.",
    "estimate": "Say 50M DAU sending 40 messages a day: 2 billion messages a day, about 23K "
    "writes per second on average and 70K at a 3x peak. At 200 bytes each that is 400 GB a day.",
    "design": "Clients hold a WebSocket to a gateway tier behind a load balancer. Gateways "
    "publish to Kafka partitioned by conversation id; messages go to Cassandra keyed by "
    "conversation id.",
}


def finish(at: AppTest, store: SessionStore, answers: dict[str, str]) -> str:
    """Answer each phase in turn (moving on with /next where needed), then /end."""
    sid = session_id(at)
    for phase, text in answers.items():
        while store.get(sid).state.phase != phase:
            at.button(key="cmd_next").click().run()
        at.chat_input(key="chat_answer").set_value(text).run()
        assert not at.exception, at.exception
    at.button(key="cmd_end").click().run()
    return sid


def test_the_scorecard_shows_scores_level_evidence_reading_and_downloads(data_dir, store):
    at = start("chat")
    sid = finish(at, store, STRONG_CHAT)
    at.button(key="to_scorecard").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Scorecard: Design a chat service"
    metrics = {m.label: m.value for m in at.metric}
    stored = store.get_scorecard(sid)
    assert stored is not None  # graded on first view and stored with the session
    assert metrics["Level call"] == stored["level"]["level"]
    assert metrics["Average phase score"] == f"{stored['overall']:.2f} / 4"
    assert metrics["Target level"] == "senior"
    subheaders = [h.value for h in at.header]
    for heading in ("Per phase", "Per dimension", "Decisive moments", "Three drills",
                    "Phase by phase", "Dimensions", "Read next", "Cited by the interviewer"):
        assert heading in subheaders
    assert len(at.get("vega_lite_chart")) == 2
    expanders = [e.label for e in at.expander]
    assert "Bottlenecks: 1/4 (not reached)" in expanders
    assert "Estimate scale: 1/4 (not reached)" not in expanders
    shown = " ".join(unescape(m.value) for m in at.markdown)
    assert stored["summary"] and "Level call: " in shown
    assert "A stronger answer" in shown and "2 billion messages a day" in shown
    assert "covers:" not in shown and "staff depth" not in shown
    # Read next and the interviewer's citations are links into the Library.
    links = at.get("page_link")
    library = [ln for ln in links if ln.proto.page.endswith("library")]
    assert library and any(a["title"] in ln.proto.label for a in stored["reading"]
                           for ln in library)
    moments = [ln for ln in links if ln.proto.label.endswith("in the transcript")]
    assert len(moments) == len(stored["moments"]) >= 1
    downloads = {b.label for b in at.get("download_button")}
    assert {"Download Markdown", "Download HTML", "Download JSON"} <= downloads

    # A second visit shows the stored scorecard instead of grading again.
    again = new_app()
    again.query_params["session"] = sid
    again.run().switch_page(f"{PAGES}/scorecard.py").run()
    assert {m.label: m.value for m in again.metric} == metrics


def test_the_scorecard_of_a_running_interview_offers_to_end_it(data_dir, store):
    at = start("chat")
    sid = session_id(at)
    at.switch_page(f"{PAGES}/scorecard.py").run()
    assert "still running" in at.info[0].value
    at.button(key="scorecard_end").click().run()
    assert store.get(sid).status == "finished"
    assert at.title[0].value == "Scorecard: Design a chat service"


def _history_after_a_graded_interview(store):
    """A strong chat interview finished and graded (its scorecard viewed), then History."""
    at = start("chat")
    sid = finish(at, store, STRONG_CHAT)
    at.button(key="to_scorecard").click().run()
    at.switch_page(f"{PAGES}/history.py").run()
    return at, sid


def test_history_shows_a_score_trend_and_opens_a_scorecard(data_dir, store):
    at, sid = _history_after_a_graded_interview(store)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 1  # the per-phase trend
    at.button(key=f"view_{sid}").click().run()
    assert at.title[0].value == "Scorecard: Design a chat service"
    assert session_id(at) == sid


def test_history_lists_sessions_and_resumes_one(data_dir, store):
    at = start("url-shortener")
    sid = session_id(at)
    at.switch_page(f"{PAGES}/history.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "History"
    assert any(sid in c.value for c in at.caption)
    at.button(key=f"resume_{sid}").click().run()
    assert at.title[0].value == "Design a URL shortener"
    assert session_id(at) == sid


def test_sources_sit_behind_a_toggle_and_probe_ids_only_in_the_debug_view(data_dir, store):
    at = start("chat")
    sid = session_id(at)
    at.chat_input(key="chat_answer").set_value(CLARIFY).run()
    assert not at.exception, at.exception
    turns = store.get(sid).turns
    probes = [t.probe for t in turns if t.role == "interviewer" and t.probe]
    grounded = [t for t in turns if t.grounding]
    assert probes and grounded  # the store keeps both, whatever the view
    captions = " ".join(c.value for c in at.caption)
    assert not any(p in captions for p in probes) and "Sources:" not in captions

    at.toggle(key="debug_view").set_value(True).run()
    captions = " ".join(c.value for c in at.caption)
    assert all(p in captions for p in probes) and "Sources:" not in captions

    at.toggle(key="show_sources").set_value(True).run()
    captions = " ".join(c.value for c in at.caption)
    assert "Sources:" in captions and grounded[-1].grounding[0].title in captions


def test_a_drill_starts_with_one_click_and_its_scorecard_shows_the_change(data_dir, store):
    at = start("chat")
    first = finish(at, store, STRONG_CHAT)
    at.button(key="to_scorecard").click().run()
    card = store.get_scorecard(first)
    assert len(card["drills"]) == 3
    drill = card["drills"][0]
    at.button(key="drill_0").click().run()
    assert not at.exception, at.exception
    sid = session_id(at)
    assert sid != first
    record = store.get(sid)
    assert record.turns[0].phase == drill["phase"] and record.state.phase == drill["phase"]
    at.button(key="cmd_end").click().run()
    at.button(key="to_scorecard").click().run()
    assert not at.exception, at.exception
    assert any("Drill of" in i.value for i in at.info)
    assert "Change against your previous attempt" in [h.value for h in at.header]
    labels = [m.label for m in at.metric]
    assert PHASE_TITLES[drill["phase"]] in labels
    assert not any(PHASE_TITLES[p] in labels for p in PHASES if p != drill["phase"])
    # "Retry this phase" starts a drill of that phase as well.
    at.button(key="retry_design").click().run()
    assert store.get(session_id(at)).turns[0].phase == "design"


def test_the_transcript_opens_at_a_decisive_moment(data_dir, store):
    at = start("chat")
    sid = finish(at, store, STRONG_CHAT)
    at.button(key="to_scorecard").click().run()
    moment = store.get_scorecard(sid)["moments"][0]
    again = new_app()
    again.query_params["session"] = sid
    again.query_params["turn"] = str(moment["turn_index"])
    again.run().switch_page(f"{PAGES}/scorecard.py").run()
    assert not again.exception, again.exception
    assert f"Turn {moment['turn_index'] + 1}" in [h.value for h in again.subheader]


def test_the_library_lists_articles_and_opens_at_a_cited_heading(data_dir):
    at = new_app().run()
    at.switch_page(f"{PAGES}/library.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Library"
    titles = [b.label for b in at.button if b.key and b.key.startswith("library_open_")]
    assert len(titles) >= 20 and any("capacity estimation" in t.lower() for t in titles)
    at.button(key="library_open_capacity-estimation").click().run()
    assert at.title[0].value.startswith("Back-of-the-envelope capacity estimation")
    assert "You were sent to this section." not in [c.value for c in at.caption]

    cited = new_app()
    cited.query_params["article"] = "capacity-estimation"
    cited.query_params["heading"] = ("Back-of-the-envelope capacity estimation with worked "
                                     "examples > The estimation method step by step")
    cited.run().switch_page(f"{PAGES}/library.py").run()
    assert not cited.exception, cited.exception
    assert "You were sent to this section." in [c.value for c in cited.caption]
    headers = [h.value for h in cited.header]
    assert "The estimation method step by step" in headers
    assert cited.header[headers.index("The estimation method step by step")].proto.anchor == (
        "the-estimation-method-step-by-step")


def test_history_shows_the_practice_plan_of_the_weakest_dimensions(data_dir, store):
    at, sid = _history_after_a_graded_interview(store)
    assert not at.exception, at.exception
    assert "Practice plan" in [h.value for h in at.header]
    card = store.get_scorecard(sid)
    weakest = sorted(card["dimensions"], key=lambda d: d["score"])[:2]
    shown = " ".join(unescape(m.value) for m in at.markdown)
    for d in weakest:
        assert d["name"] in shown
    assert shown.count("Day 1:") >= 2 and "Day 14:" in shown


def test_the_scorecard_shows_how_the_candidate_adapted(data_dir, store):
    at = start("chat")
    sid = finish(at, store, STRONG_CHAT)
    at.button(key="to_scorecard").click().run()
    stored = store.get_scorecard(sid)
    assert stored is not None and stored["adaptation"] == []  # no curveball was reached
    stored["adaptation"] = [{"kind": "curveball", "question": "Let me change one thing.",
                             "score": 3, "quote": "Keys live in a key directory.",
                             "reasons": ["says what changes in the design"], "flags": []}]
    store.save_scorecard(sid, stored)
    again = new_app()
    again.query_params["session"] = sid
    again.run().switch_page(f"{PAGES}/scorecard.py").run()
    assert not again.exception, again.exception
    assert "Adapting to changes" in [h.value for h in again.header]
    shown = " ".join(unescape(m.value) for m in again.markdown)
    assert "The requirement change: 3/4." in shown and "Keys live in a key directory" in shown


def test_an_unreachable_session_database_is_one_line_without_its_address(data_dir, monkeypatch):
    from servers import free_port

    port = free_port()
    monkeypatch.setenv("SDSIM_DATABASE_URL", f"postgresql://sdsim:hunter2@127.0.0.1:{port}/sdsim")
    at = new_app()
    at.query_params["session"] = "abcd1234"
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "session database is unavailable" in shown
    assert "hunter2" not in shown and str(port) not in shown and "127.0.0.1" not in shown
