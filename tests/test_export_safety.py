"""Hostile candidate text through the exports and the browser's text display.

A real session in a real SQLite store holds answers with live HTML, a `javascript:` link, a
remote image, Markdown structure and a right-to-left override. The Markdown export is
rendered by a real CommonMark renderer (markdown-it-py, with tables and strike-through as
GitHub has them) and the HTML export parsed by the standard library's HTML parser: neither
may hold an element, attribute or URL the candidate wrote, and both must show the words.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from simulator.safe_text import BIDI_CONTROLS, markdown_literal, markdown_text, visible
from simulator.settings import REPO_ROOT
from simulator.store.export import export_html, export_markdown
from simulator.store.sessions import SessionStore
from simulator.transcript import InterviewState, Turn

HOSTILE = [
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(document.cookie))",
    "![tracker](http://evil.example/pixel.png)",
    "<javascript:alert(2)>",
    "# not a heading\n- not a list\n1. not ordered\n> not a quote\n    not code",
    "**not bold** _not em_ ~~not struck~~ `not code` $x^2$ | a | b |",
    "<script>fetch('http://evil.example')</script> &amp; &lt;",
    "evil\u202eexe.txt and \u2066isolate\u2069 \u200f\u061c",
]


@pytest.fixture
def record(tmp_path):
    with SessionStore(tmp_path / "sessions.db") as store:
        sid = store.create("chat", state=InterviewState(problem_id="chat"), level="senior",
                           minutes=45, seed=0)
        for i, text in enumerate(HOSTILE):
            store.add_turn(sid, Turn(role="candidate", phase="clarify", text=text,
                                     elapsed_s=10 * i, notice="note [x](javascript:y)"))
        store.save_notes(sid, "![n](https://evil.example/n.png) <b onclick=x>notes</b>")
        store.save_scorecard(sid, {"overall": 2, "gaps": ["<img src=y onerror=z>"]})
        yield store.get(sid)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def render_markdown(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def assert_inert(html: str, allowed: set[str]) -> Elements:
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag in allowed, (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "href"), (tag, name, value)
    assert not BIDI_CONTROLS.search(html)
    return page


def test_the_markdown_export_renders_candidate_text_as_the_literal_words(record):
    html = render_markdown(export_markdown(record))
    page = assert_inert(html, {"h1", "h2", "h3", "ul", "li", "p", "strong", "em", "blockquote",
                               "code", "br", "hr"})
    text = "".join(page.text)
    for words in ('<img src=x onerror="alert(1)">', "[click me](javascript:alert(document.cookie))",
                  "![tracker](http://evil.example/pixel.png)", "<javascript:alert(2)>",
                  "# not a heading", "- not a list", "1. not ordered", "> not a quote",
                  "**not bold** _not em_ ~~not struck~~ `not code` $x^2$ | a | b |",
                  "<script>fetch('http://evil.example')</script> &amp; &lt;",
                  "<b onclick=x>notes</b>", "<img src=y onerror=z>"):
        assert words in text, words
    assert "evil[U+202E]exe.txt" in text and "[U+2066]isolate[U+2069]" in text
    # The only emphasis and code are the export's own (speaker names, probe ids).
    assert {t for t, _ in page.tags if t in ("strong", "em", "code")} <= {"strong", "em"}


def test_the_html_export_is_self_contained_and_escapes_everything(record):
    document = export_html(record)
    page = assert_inert(document, {"html", "head", "meta", "title", "style", "body", "h1",
                                   "h2", "h3", "ul", "li", "p", "div", "span", "pre",
                                   "strong"})
    values = " ".join(str(v) for _, attrs in page.tags for v in attrs.values())
    assert "://" not in values and "javascript:" not in values  # no URL in any attribute
    csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") ==
               "Content-Security-Policy")
    assert "default-src 'none'" in csp
    text = "".join(page.text)
    for words in HOSTILE[:7]:
        assert words.strip() in text
    assert "evil[U+202E]exe.txt" in text
    assert '"<img src=y onerror=z>"' in text  # the scorecard, escaped too


def test_bidi_controls_are_shown_not_obeyed_everywhere():
    name = "evil\u202eexe.txt"
    assert visible(name) == "evil[U+202E]exe.txt"
    every = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                     0x200E, 0x200F, 0x061C])
    assert not BIDI_CONTROLS.search(visible(every))
    assert visible(every).count("[U+") == 12
    for escape in (markdown_literal, markdown_text):
        assert not BIDI_CONTROLS.search(escape(f"a {name} b"))


def test_the_interview_page_shows_a_right_to_left_override_in_stored_order(corpus_store,
                                                                            monkeypatch):
    """The browser's display of candidate text goes through the same function."""
    monkeypatch.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
    with SessionStore(corpus_store.db_path) as store:
        sid = store.create("chat", state=InterviewState(problem_id="chat"), level="senior",
                           minutes=45, seed=0)
        store.add_turn(sid, Turn(role="candidate", phase="clarify",
                                 text="I attached evil\u202eexe.txt ![x](http://e.example/i.png)"))
        store.add_turn(sid, Turn(role="interviewer", phase="clarify", intent="question",
                                 text="Which file types?"))
    from simulator.ui import state

    monkeypatch.setattr(state, "warm_up", lambda: None)
    at = AppTest.from_file(str(REPO_ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["session"] = sid
    at.run()
    at.switch_page("simulator/ui/pages/interview.py").run()
    shown = " ".join(m.value for m in at.markdown)
    assert "evil\\[U\\+202E\\]exe\\.txt" in shown
    assert "\u202e" not in shown and "![x]" not in shown


def test_browser_errors_name_no_server_path_and_cap_what_they_echo(tmp_path):
    from simulator.safe_text import ECHO_CHARS, clip
    from simulator.store.sessions import SessionNotFound
    from simulator.ui.text import error_text

    db = tmp_path / "deep" / "server" / "sessions.db"
    db.parent.mkdir(parents=True)
    long_id = "a" * 5000
    with SessionStore(db) as store, pytest.raises(SessionNotFound) as caught:
        store.get(long_id)
    # The store's own message names neither the database nor the whole id...
    assert str(db) not in str(caught.value) and len(error_text(caught.value)) < 400
    # ...and any other error that names a server path shows only its last part.
    shown = error_text(OSError(f"cannot open {db}: disk I/O error"))
    assert str(tmp_path) not in shown and "/deep/" not in shown
    assert "sessions\\.db" in shown and len(shown) < 400
    assert clip(long_id) == "a" * (ECHO_CHARS - 1) + "…"
    assert clip("evil\u202eexe") == "evil[U+202E]exe"
