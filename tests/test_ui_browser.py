"""End to end: the real `streamlit run` server on loopback, driven by headless Debian Chromium
(playwright's Python package drives it; no browser is downloaded: `make browser` installs
/usr/bin/chromium) through a short interview, a page reload, a server restart and the scorecard.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright import sync_api as playwright
from servers import chromium, free_port, start_chat_interview, wait_http

from simulator.settings import REPO_ROOT

CLARIFY = ("Is it one to one messaging plus group chats? Offline users get missed messages on "
           "reconnect and a push notification; history on multiple devices; read receipts.")

pytestmark = pytest.mark.server


class AppServer:
    """`streamlit run streamlit_app.py` on a loopback port; `restart()` kills and relaunches
    it on the same port, as a crashed or redeployed server would come back."""

    def __init__(self, data_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, "SDSIM_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1",
                     **(env or {})}
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._proc: subprocess.Popen | None = None

    def start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "streamlit_app.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, env=self._env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        wait_http(f"{self.url}/_stcore/health", timeout_s=60)

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(timeout=15)
            self._proc = None

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


@pytest.fixture
def app(corpus_store, tmp_path):
    server = AppServer(corpus_store.data_dir, tmp_path / "streamlit.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page():
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        yield page


def test_a_short_interview_in_the_browser_reaches_its_scorecard(app, page, tmp_path):
    expect = playwright.expect
    expect.set_options(timeout=60_000)
    page.goto(app.url)
    page.get_by_text("Practise a system-design interview").wait_for()
    session_id = start_chat_interview(page)
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(1)
    expect(messages.first).to_contain_text("clarify about the requirements")
    expect(page.get_by_text("Interview time left")).to_be_visible()

    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(CLARIFY)
    box.press("Enter")
    expect(messages).to_have_count(3)
    expect(messages.nth(1)).to_contain_text("one to one messaging")

    # Pressed while the first answer may still be streaming: that run is interrupted, yet
    # its answer is stored and shown before this one, in order.
    page.get_by_role("button", name=re.compile("Next phase")).click()
    expect(page.get_by_text("Capacity calculator")).to_be_visible()
    expect(messages).to_have_count(5)
    expect(messages.nth(1)).to_contain_text("one to one messaging")
    expect(messages.nth(3)).to_contain_text("/next")
    expect(messages.nth(4)).to_contain_text("Let's put numbers on it")

    # A reload is a new browser session: the transcript comes back from ?session=.
    page.reload()
    expect(messages).to_have_count(5)
    assert page.url.endswith(f"session={session_id}")

    # So does a server that was killed and started again: everything lives in the store.
    app.restart()
    page.goto(f"{app.url}/interview?session={session_id}")
    expect(messages).to_have_count(5)
    expect(messages.nth(4)).to_contain_text("Let's put numbers on it")
    expect(page.get_by_text("Capacity calculator")).to_be_visible()

    page.get_by_role("button", name=re.compile("End interview")).click()
    expect(page.get_by_text("The interview is over")).to_be_visible()
    page.get_by_role("button", name=re.compile("See your scorecard")).click()
    page.wait_for_url(re.compile(rf"/scorecard\?session={session_id}$"))
    expect(page.get_by_text("Level call", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Markdown"))).to_be_visible()
    expect(page.get_by_text("Cited by the interviewer")).to_be_visible()
    expect(page.locator(".vega-embed canvas, .vega-embed svg")).to_have_count(2)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)  # the run is over

    shot = tmp_path / "scorecard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    text = page.inner_text("body")
    assert "Design a chat service" in text and session_id in text
