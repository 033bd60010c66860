"""Shared mode end to end: the real `streamlit run` server with `SDSIM_AUTH=oidc`, a real
OpenID Connect provider on loopback (`oidc-provider-mock`, started by the test, whose
authorization page lets us choose who signs in) and headless Debian Chromium.

Two candidates sign in from separate browser contexts: neither sees the other's interviews,
in History or through a direct `?session=` link, and neither reaches Evals; an admin does.
The secrets.toml the server reads is written into the test's temporary working directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright import sync_api as playwright
from servers import chromium, free_port, start_chat_interview, stop, wait_http

from simulator.settings import REPO_ROOT

# The app shares the corpus store's data directory with other tests (AppTest ones sign in as
# bob@example.com too), so these users are unique to this run.
_RUN = uuid.uuid4().hex[:8]
ALICE, BOB, ADA = (f"alice-{_RUN}@example.com", f"bob-{_RUN}@example.com",
                   f"ada-{_RUN}@example.com")

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture
def provider():
    with run_server_in_thread(port=free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def app_url(corpus_store, provider, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    work = tmp_path / "work"
    (work / ".streamlit").mkdir(parents=True)
    shutil.copy(REPO_ROOT / ".streamlit" / "config.toml", work / ".streamlit" / "config.toml")
    (work / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "a-test-cookie-secret-{port}"
client_id = "sdsim-test"
client_secret = "sdsim-test-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[roles]
admins = ["{ADA}"]
""")
    env = {**os.environ, "SDSIM_DATA_DIR": str(corpus_store.data_dir), "SDSIM_AUTH": "oidc",
           "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT)}
    with open(tmp_path / "streamlit.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "streamlit_app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none"],
            cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_http(f"{url}/_stcore/health", timeout_s=60)
            yield url
        finally:
            stop(proc)


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def sign_in(browser, app_url: str, who: str) -> playwright.Page:
    """A fresh browser context (its own cookies) signed in as `who` at the provider."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url)
    page.get_by_role("button", name=re.compile("Sign in")).click()
    page.get_by_placeholder("sub").fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Practise a system-design interview").wait_for()
    playwright.expect(page.get_by_text(f"Signed in as {who}")).to_be_visible()
    return page


def test_two_users_sign_in_and_see_only_their_own_interviews(app_url, browser):
    expect = playwright.expect
    expect.set_options(timeout=60_000)

    # Signed out, the app shows only the sign-in screen, on every page.
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{app_url}/history")
    expect(anonymous.get_by_role("button", name=re.compile("Sign in"))).to_be_visible()
    expect(anonymous.get_by_role("heading", name="History")).to_have_count(0)

    alice = sign_in(browser, app_url, ALICE)
    session_id = start_chat_interview(alice)
    expect(alice.get_by_test_id("stChatMessage")).to_have_count(1)
    alice.goto(f"{app_url}/history")
    expect(alice.get_by_text(session_id)).to_be_visible()

    bob = sign_in(browser, app_url, BOB)
    bob.goto(f"{app_url}/history")
    expect(bob.get_by_text("No interviews yet.")).to_be_visible()
    expect(bob.get_by_text(session_id)).to_have_count(0)
    # Alice's link answers Bob exactly like an id that does not exist.
    bob.goto(f"{app_url}/interview?session={session_id}")
    expect(bob.get_by_text("No interview is open.")).to_be_visible()
    stranger = bob.get_by_test_id("stAlertContentWarning").inner_text()
    missing_id = "zz" + session_id[2:]
    bob.goto(f"{app_url}/interview?session={missing_id}")
    expect(bob.get_by_text("No interview is open.")).to_be_visible()
    missing = bob.get_by_test_id("stAlertContentWarning").inner_text()
    assert stranger.replace(session_id, "ID") == missing.replace(missing_id, "ID")
    expect(bob.get_by_test_id("stChatMessage")).to_have_count(0)

    # A candidate has no Evals page: not in the navigation, and its URL does not open it.
    expect(bob.locator(".st-key-site_nav").get_by_text("Evals")).to_have_count(0)
    bob.goto(f"{app_url}/evals")
    bob.get_by_text("Practise a system-design interview").wait_for()
    expect(bob.get_by_role("heading", name="Evals")).to_have_count(0)

    ada = sign_in(browser, app_url, ADA)
    expect(ada.locator(".st-key-site_nav").get_by_text("Evals")).to_be_visible()
    ada.goto(f"{app_url}/evals")
    expect(ada.get_by_role("heading", name="Evals")).to_be_visible()
    ada.goto(f"{app_url}/history")
    expect(ada.get_by_text("No interviews yet.")).to_be_visible()  # admins see their own too
