"""Boilerplate stripping on saved web pages (HTML and plain text) that we wrote as fixtures."""

from pathlib import Path

from simulator.corpus.clean import html_to_text, strip_boilerplate
from simulator.corpus.documents import load_document

FIXTURES = Path(__file__).parent / "fixtures"


def test_html_page_keeps_article_and_headings():
    title, text = html_to_text((FIXTURES / "messy_page.html").read_text())
    assert title.startswith("Why Our Queue Workers Beat the Event Loop")
    assert "# Why our queue workers beat the event loop" in text
    assert "## What we changed" in text
    assert "each resize held the JavaScript thread for about 120 ms" in text
    assert "- Event-loop lag at p99 fell from 900 ms to 12 ms." in text


def test_html_page_drops_navigation_banners_and_calls_to_action():
    _, text = html_to_text((FIXTURES / "messy_page.html").read_text())
    lowered = text.lower()
    for chrome in ("pricing", "log in", "cookies", "create resume", "start your free trial",
                   "related posts", "subscribe", "all rights reserved", "privacy policy",
                   "posted by", "datalayer", "track(", ".cta"):
        assert chrome not in lowered, chrome


def test_plain_text_saved_page_loses_boilerplate(tmp_path):
    doc = load_document(FIXTURES / "messy_saved_page.txt")
    assert doc.title == "Scaling WebSocket servers"
    assert "tens of thousands of idle WebSocket connections" in doc.text
    assert "share a pub/sub channel" in doc.text
    for chrome in ("Explore trusted", "Book a free", "Posted by", "Share:", "All rights reserved"):
        assert chrome not in doc.text, chrome


def test_prose_that_starts_like_a_call_to_action_is_kept():
    prose = ("Find the hottest keys first by sampling Redis with the hotkeys option, then decide "
             "whether a local cache in each Node.js process, a replicated key, or request "
             "coalescing fits the access pattern best, because each has a different cost.")
    assert strip_boilerplate(prose) == prose


def test_repeated_short_banner_lines_are_removed_but_unique_lines_stay():
    text = "Get the app\nReal content line one.\nGet the app\nReal content line two."
    assert strip_boilerplate(text) == "Real content line one.\nReal content line two."
