"""Every page in a real browser: a screenshot of each and an axe-core accessibility check.

The app runs as `streamlit run` on loopback (see `test_ui_browser.AppServer`) and Debian's
Chromium drives it. axe-core comes from npm (`tests/axe/package-lock.json`, installed by
`make axe`) and is injected from that local file, so nothing is fetched at run time.

The tour runs in the light and the dark theme (the browser's colour-scheme preference, which
Streamlit follows). Set `SDSIM_SCREENSHOT_DIR` to keep the screenshots, light ones in it and
dark ones in its `dark/` folder, with axe-core's findings per page and theme in `axe.txt`
(the README's before/after pictures are taken that way: `SDSIM_SCREENSHOT_DIR=docs/screenshots`);
by default they go to the test's temporary directory.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright import sync_api as playwright
from servers import chromium
from test_ui_browser import app  # noqa: F401 - the real app server fixture

from simulator.content.prompt_set import corpus_files
from simulator.corpus.documents import load_document
from simulator.grading.service import Grader
from simulator.interview.session import InterviewSession
from simulator.store.sessions import SessionStore
from simulator.ui.charts import contrast_ratio
from simulator.ui.theme import THEMES

ARTICLE = load_document(corpus_files(None)["event-loop-monitoring.md"])
#: Pages that draw score charts.
CHARTED = ("scorecard", "history")
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: Impacts that fail the test; "moderate" and "minor" are reported, not failed on.
BLOCKING = ("serious", "critical")
ANSWERS = {
    "clarify": "One to one and group chats, offline delivery on reconnect, push notifications, "
    "history on several devices, read receipts. p99 delivery under 200 ms, 99.99% available.",
    "estimate": "Say 50M DAU sending 40 messages a day: 2 billion messages a day, about 23K "
    "writes per second on average and 70K at a 3x peak. At 200 bytes each that is 400 GB a day.",
    "design": "Clients hold a WebSocket to a gateway tier behind a load balancer. Gateways "
    "publish to Kafka partitioned by conversation id; messages go to Cassandra.",
}

pytestmark = [pytest.mark.server, pytest.mark.slow]


def seed_sessions(settings) -> tuple[str, str]:
    """One graded interview (for Scorecard and History) and one running (for Interview)."""
    store = SessionStore(settings.db_path)
    done, _ = InterviewSession.start(settings, store, "chat", seed=3, level="senior")
    for phase, text in ANSWERS.items():
        while done.state.phase != phase:
            done.answer("/next")
        done.answer(text)
    done.answer("/end")
    Grader(settings).scorecard(store, done.id)
    running, _ = InterviewSession.start(settings, store, "url-shortener", seed=4, level="staff")
    running.answer("Reads dominate: 100 to 1 read to write, links live five years, custom "
                   "aliases are optional, and redirects must be fast everywhere.")
    store.save_notes(running.id, "client -> LB -> app\n          |\n          v\n        cache")
    store.close()
    return done.id, running.id


def settle(page: playwright.Page) -> None:
    """Wait until the page's script run has ended and the charts have drawn."""
    playwright.expect(page.get_by_test_id("stMainBlockContainer")).to_have_count(1, timeout=60_000)
    playwright.expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(1_500)  # vega-embed draws after the run; fonts settle


def axe_violations(page: playwright.Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


@pytest.fixture
def browser():
    assert AXE.exists(), "no axe-core: `make axe` runs npm ci in tests/axe"
    with chromium() as browser:
        yield browser


def tour_pages(done: str, running: str) -> dict[str, tuple[str, str]]:
    """Every page: its path and a heading that shows it rendered."""
    return {
        "start": ("/", "Practise a system-design interview"),
        "interview": (f"/interview?session={running}", "Design a URL shortener"),
        "scorecard": (f"/scorecard?session={done}", "Scorecard: Design a chat service"),
        "history": ("/history", "History"),
        "question-bank": ("/question-bank", "Question bank"),
        "shared": ("/shared", "Shared with me"),
        "library": ("/library", "Library"),
        # An article with code blocks, so code colours are checked in both themes too.
        "library-article": (f"/library?article={ARTICLE.doc_id}", ARTICLE.title),
        "evals": ("/evals", "Evals"),
    }


def css_rgb(hex_colour: str) -> str:
    """'#171614' as the browser reports a computed colour: 'rgb(23, 22, 20)'."""
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def chart_text_contrast(page: playwright.Page, background: str) -> dict[str, float]:
    """Each colour of the text in the page's charts (axis labels, legend, values) with its
    contrast against the page background. axe-core leaves SVG chart text unchecked."""
    text = page.locator('[data-testid="stVegaLiteChart"] svg text')
    text.first.wait_for()
    fills = text.evaluate_all("ts => [...new Set(ts.map(t => getComputedStyle(t).fill))]")
    ratios = {}
    for fill in fills:
        red, green, blue = (int(c) for c in re.findall(r"\d+", fill)[:3])
        ratios[fill] = contrast_ratio(f"#{red:02X}{green:02X}{blue:02X}", background)
    return ratios


def test_every_page_in_both_themes_screenshot_and_no_serious_axe_violations(
        app, browser, corpus_store, tmp_path):  # noqa: F811 - `app` is the imported fixture
    """The tour runs once per theme on one app server. Chromium's `color_scheme` is the OS
    preference Streamlit follows, and the page background proves which theme rendered."""
    done, running = seed_sessions(corpus_store)
    # A relative SDSIM_SCREENSHOT_DIR is the repository's (every test runs in its own tmp dir).
    shots = (Path(__file__).resolve().parents[1] / os.environ["SDSIM_SCREENSHOT_DIR"]
             if os.environ.get("SDSIM_SCREENSHOT_DIR") else tmp_path / "screenshots")
    found: dict[str, list[str]] = {}
    details: dict[str, list[dict]] = {}
    report = []
    chart_text: dict[str, dict[str, float]] = {}
    for theme in THEMES:
        folder = shots if theme == "light" else shots / theme
        folder.mkdir(parents=True, exist_ok=True)
        colours = THEMES[theme]
        context = browser.new_context(color_scheme=theme,
                                      viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        for name, (path, heading) in tour_pages(done, running).items():
            key = f"{name} ({theme})"
            page.goto(app.url + path)
            page.get_by_role("heading", name=re.compile(re.escape(heading))).first.wait_for()
            settle(page)
            assert page.evaluate("getComputedStyle(document.querySelector('.stApp'))"
                                 ".backgroundColor") == css_rgb(colours.background), key
            if name in CHARTED:  # waits for the charts, so the screenshot has them
                chart_text[key] = chart_text_contrast(page, colours.background)
            shot = folder / f"{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            violations = axe_violations(page)
            report.append(f"{key}: " + (", ".join(f"{v['id']} ({v['impact']}, "
                                                   f"{len(v['nodes'])})" for v in violations)
                                        or "no violations"))
            details[key] = [{"id": v["id"], "impact": v["impact"],
                             "nodes": [(n["target"], n["failureSummary"][:300])
                                       for n in v["nodes"][:5]]} for v in violations]
            found[key] = [f"{v['id']}: {v['help']} — {v['nodes'][0]['target']}"
                          for v in violations if v["impact"] in BLOCKING]
            found[key] += [f"chart text {fill} is {ratio:.2f}:1"
                           for fill, ratio in chart_text.get(key, {}).items() if ratio < 4.5]
        context.close()
    (shots / "axe.txt").write_text("\n".join(report) + "\n")
    (shots / "axe.json").write_text(json.dumps(details, indent=1, default=str))
    print("\n".join(report))
    print(chart_text)
    assert not any(found.values()), found


def test_notes_and_draft_survive_a_reload_and_the_chat_input_keeps_the_focus(
        app, browser, corpus_store):  # noqa: F811 - `app` is the imported fixture
    expect = playwright.expect
    expect.set_options(timeout=60_000)
    _, running = seed_sessions(corpus_store)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{app.url}/interview?session={running}")
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_focused()  # on load, no Tab needed

    notes = page.locator(f".st-key-notes_{running} textarea")
    expect(notes).to_have_css("font-family", re.compile("Source Code Pro"))
    # The stylesheet can make the box monospace before the page script has wired its autosave;
    # typing before that would send nothing until the next keystroke, so wait for the script.
    expect(notes).to_have_attribute("data-sdsim-autosave", "1")
    notes.click()
    notes.press("End")
    notes.press_sequentially("\nwrites -> queue", delay=20)
    store = SessionStore(corpus_store.db_path)
    deadline = 120  # 60 s: a loaded CI machine may still be warming the app up
    while "writes -> queue" not in store.get(running).notes and deadline:
        page.wait_for_timeout(500)  # saved while typing: the box still has the focus
        deadline -= 1
    assert "writes -> queue" in store.get(running).notes
    expect(notes).to_be_focused()

    box.click()
    box.press_sequentially("A draft I have not sent", delay=10)
    page.reload()
    expect(box).to_have_value("A draft I have not sent")
    expect(notes).to_have_value(re.compile("writes -> queue$"))

    box.fill("")
    box.press_sequentially("Peak is 3x the average.", delay=5)
    box.press("Enter")
    expect(page.get_by_test_id("stChatMessage")).to_have_count(5)
    expect(box).to_be_enabled()
    expect(box).to_be_focused()  # back in the input after the reply
    page.reload()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(5)
    expect(box).to_have_value("")  # a sent draft is not restored
    store.close()
