"""Several app servers, one interview: two real `streamlit run` servers share one PostgreSQL
(SDSIM_DATABASE_URL) and one `chroma run` server (SDSIM_CHROMA_URL), as replicas behind a load
balancer would. An interview started in the browser on server A is resumed on server B, which
shows A's turns and stores its new answer after them; A then sees B's answer too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright import sync_api as playwright
from servers import chroma_server, chromium, start_chat_interview
from test_ui_browser import AppServer

from simulator.corpus.ingest import ingest
from simulator.corpus.store import reset_clients
from simulator.settings import get_settings
from simulator.store import SessionStore

pytestmark = [pytest.mark.server, pytest.mark.slow]

ON_A = ("Is it one to one messaging plus group chats? Offline users get missed messages on "
        "reconnect and a push notification; history on multiple devices; read receipts.")
ON_B = ("Group chats are capped at 500 members and messages must arrive in order within a "
        "conversation, delivered in under a second; voice calls are out of scope.")


@pytest.fixture
def shared_backends(postgres_server, small_corpus, tmp_path):
    """One PostgreSQL database and one Chroma server holding a small real corpus."""
    with postgres_server.fresh_database() as url, \
            chroma_server(tmp_path / "chroma-server") as chroma_url:
        settings = get_settings(data_dir=tmp_path / "ingest", chroma_url=chroma_url)
        report = ingest(settings, small_corpus)
        assert report.chunks_added > 10, report
        reset_clients()
        yield {"SDSIM_DATABASE_URL": url, "SDSIM_CHROMA_URL": chroma_url}


@pytest.fixture
def two_apps(shared_backends, tmp_path):
    """Servers A and B, each with its own (empty) data directory: all they share is above."""
    apps = [
        AppServer(tmp_path / f"data-{name}", tmp_path / f"streamlit-{name}.log",
                  env=shared_backends)
        for name in "ab"
    ]
    try:
        with ThreadPoolExecutor(2) as pool:  # start both at once, as a deployment would
            for started in [pool.submit(app.start) for app in apps]:
                started.result()
        yield apps
    finally:
        for app in apps:
            app.stop()


def test_an_interview_started_on_server_a_continues_on_server_b(two_apps, shared_backends,
                                                               tmp_path):
    server_a, server_b = two_apps
    expect = playwright.expect
    expect.set_options(timeout=60_000)
    with chromium() as browser:
        # Two browser contexts: two visitors' cookies, as a load balancer might route them.
        on_a = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        on_b = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        on_b.goto(server_b.url)  # B's first visit loads its corpus index while A is used
        on_a.goto(server_a.url)
        on_a.get_by_text("Practise a system-design interview").wait_for()
        session_id = start_chat_interview(on_a)
        messages_a = on_a.get_by_test_id("stChatMessage")
        expect(messages_a).to_have_count(1)
        box = on_a.get_by_test_id("stChatInputTextArea")
        box.fill(ON_A)
        box.press("Enter")
        expect(messages_a).to_have_count(3)
        expect(messages_a.nth(1)).to_contain_text("one to one messaging")
        expect(on_a.get_by_test_id("stStatusWidget")).to_have_count(0)  # A's run is over

        on_b.goto(f"{server_b.url}/interview?session={session_id}")
        messages_b = on_b.get_by_test_id("stChatMessage")
        expect(messages_b).to_have_count(3)  # A's turns, read from the shared database
        expect(messages_b.nth(1)).to_contain_text("one to one messaging")
        a_transcript = [messages_a.nth(i).inner_text() for i in range(3)]
        assert [messages_b.nth(i).inner_text() for i in range(3)] == a_transcript
        box = on_b.get_by_test_id("stChatInputTextArea")
        box.fill(ON_B)
        box.press("Enter")
        expect(messages_b).to_have_count(5)
        expect(messages_b.nth(3)).to_contain_text("capped at 500 members")
        expect(on_b.get_by_test_id("stStatusWidget")).to_have_count(0)

        on_a.reload()  # A serves what B stored
        expect(messages_a).to_have_count(5)
        expect(messages_a.nth(3)).to_contain_text("capped at 500 members")
        on_a.screenshot(path=str(tmp_path / "server-a-after-b.png"), full_page=True)

    with SessionStore(shared_backends["SDSIM_DATABASE_URL"]) as store:
        record = store.get(session_id)
    assert [t.role for t in record.turns] == ["interviewer", "candidate", "interviewer",
                                              "candidate", "interviewer"]
    assert [t.text for t in record.turns if t.role == "candidate"] == [ON_A, ON_B]
    assert record.state.turn_count == 2 and record.problem_id == "chat"
    for name in "ab":  # nothing went to either server's own SQLite file
        assert not (tmp_path / f"data-{name}" / "sessions.db").exists()
