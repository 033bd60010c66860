"""The app loads with no network: every request a real browser makes while opening each page
goes to the app's own loopback server (no icon CDN, no web fonts, no emoji pictures).

Streamlit turns a `:material/...:` page icon into a favicon fetched from fonts.gstatic.com;
the app ships its icon as a file instead (`simulator/ui/static/icon.png`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright import sync_api as playwright
from test_ui_browser import app, page  # noqa: F401 - the real server and Chromium fixtures

from simulator.ui.nav import _PAGES

pytestmark = [pytest.mark.server, pytest.mark.slow]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


def test_every_page_loads_without_a_request_leaving_loopback(app, page):  # noqa: F811
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    expect = playwright.expect
    expect.set_options(timeout=60_000)

    page.goto(app.url)
    page.get_by_text("Practise a system-design interview").wait_for()
    for name in _PAGES:
        if name == "start":
            continue
        page.goto(f"{app.url}/{name.replace('_', '-')}")
        expect(page.locator(".st-key-site_nav")).to_be_visible()
        page.wait_for_load_state("networkidle")
        # The tab icon is the shipped file, served by the app, on every page.
        icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
        assert urlsplit(page.url).hostname in LOOPBACK
        assert not icon.startswith("http") or urlsplit(icon).hostname in LOOPBACK, (name, icon)
    assert len(requests) > 20  # the spy saw the app's own scripts, styles and media
    outside = [url for url in requests
               if urlsplit(url).scheme not in LOCAL_SCHEMES
               and urlsplit(url).hostname not in LOOPBACK]
    assert outside == []
