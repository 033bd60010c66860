"""Real servers started by tests on loopback ports, stopped when the test ends."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout_s: float = 60.0, poll_s: float = 0.2) -> None:
    deadline = time.monotonic() + timeout_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError as exc:  # not up yet (URLError and connection errors are OSErrors)
            last = exc
            time.sleep(poll_s)
    raise TimeoutError(f"{url} did not answer within {timeout_s}s: {last}")


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it does not exit within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def chroma_server(path: Path):
    """`chroma run` on a free loopback port; yields its base URL."""
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    with open(path.parent / "chroma-server.log", "wb") as log:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{url}/api/v2/heartbeat")
            yield url
        finally:
            stop(proc)


#: Debian's Chromium (`make browser`): the browser tests never download one of their own.
CHROMIUM = Path("/usr/bin/chromium")


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by Playwright, closed when the block ends."""
    from playwright import sync_api as playwright

    assert CHROMIUM.exists(), "no /usr/bin/chromium: `make browser` installs Debian's chromium"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield browser
        finally:
            browser.close()


def start_chat_interview(page) -> str:
    """From the Start page, begin an interview on the chat problem; the new session's id.

    Every browser test that needs an interview starts it the way a candidate does: pick the
    problem, press Start, land on /interview?session=<id>.
    """
    import re

    # The first visit to a fresh server loads the prompt set (problems, rubric, the claims
    # library) before the picker appears; on a loaded 2-core runner that has taken 20 s.
    page.get_by_test_id("stSelectbox").wait_for(timeout=120_000)
    page.get_by_test_id("stSelectbox").click(timeout=60_000)
    page.get_by_role("option", name="Design a chat service").click()
    page.get_by_role("button", name=re.compile("Start interview")).click()
    page.wait_for_url(re.compile(r"/interview\?session=[a-z0-9]{8}$"))
    return page.url.rsplit("=", 1)[1]
