"""Library page: read the corpus articles the interviewer cites and the scorecard recommends.

Opened as `?article=<id>` it shows that article; `&heading=<heading>` (a chunk's heading
path such as "Caching > Stampedes", or just its last part) opens it at that section: the
section is marked and the page scrolls to its anchor. The articles are our own Markdown,
rendered with Streamlit's Markdown (no raw HTML).
"""

from __future__ import annotations

import json
import re

import streamlit as st
import streamlit.components.v1 as components

from simulator.content.prompt_set import corpus_files
from simulator.corpus.documents import Document, DocumentError, load_document
from simulator.ui import state

ARTICLE_PARAM = "article"
HEADING_PARAM = "heading"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def slug(text: str) -> str:
    """The anchor id of a heading: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def sections(text: str) -> list[tuple[int, str, str]]:
    """(level, heading, body) for each heading of a Markdown article; text before the first
    heading is a level-0 section with an empty heading. Fenced code is never split."""
    out: list[tuple[int, str, list[str]]] = [(0, "", [])]
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            out.append((len(match.group(1)), match.group(2), []))
        else:
            out[-1][2].append(line)
    return [(lvl, head, "\n".join(body).strip()) for lvl, head, body in out
            if head or "\n".join(body).strip()]


def find_section(text: str, heading: str) -> str | None:
    """The heading of ``text`` a cited heading path points at (its last part), if any."""
    wanted = heading.split(">")[-1].strip().lower()
    for _, head, _ in sections(text):
        if head and head.strip().lower() == wanted:
            return head
    return None


@st.cache_data(show_spinner=False)
def _articles(corpus_dir: str | None) -> dict[str, Document]:
    docs = {}
    for path in corpus_files(corpus_dir).values():
        try:
            doc = load_document(path)
        except DocumentError:
            continue
        docs[doc.doc_id] = doc
    return dict(sorted(docs.items(), key=lambda kv: kv[1].title.lower()))


def articles() -> dict[str, Document]:
    """Article id -> document for the configured corpus (built-in plus overlay)."""
    corpus_dir = state.settings().corpus_dir
    return _articles(str(corpus_dir) if corpus_dir else None)


def scroll_to(anchor: str) -> None:
    """Scroll the app to ``anchor`` once it is on the page (a zero-height local script)."""
    target = json.dumps(anchor)
    components.html(
        "<script>const go=()=>{const el=window.parent.document.getElementById(" + target + ");"
        "if(el){el.scrollIntoView({block:'start'});}else{setTimeout(go,100);}};go();</script>",
        height=0,
    )


def _article(doc: Document, heading: str | None) -> None:
    st.title(doc.title)
    if doc.topics:
        st.caption("Topics: " + ", ".join(doc.topics))
    target = find_section(doc.text, heading) if heading else None
    if heading and target is None:
        st.info(f"The section “{heading}” is not in this article any more; showing all of it.")
    for level, head, body in sections(doc.text):
        if level == 1 and head.strip().lower() == doc.title.strip().lower():
            head = ""  # the title is already shown
        box = st.container(border=True) if head and head == target else st.container()
        with box:
            if head:
                if head == target:
                    st.caption("You were sent to this section.")
                if level <= 2:
                    st.header(head, anchor=slug(head))
                else:
                    st.subheader(head, anchor=slug(head))
            if body:
                st.markdown(body)
    if target:
        scroll_to(slug(target))


def render() -> None:
    docs = articles()
    wanted = st.query_params.get(ARTICLE_PARAM)
    heading = st.query_params.get(HEADING_PARAM)
    if wanted and wanted in docs:
        _article(docs[wanted], heading)
        st.divider()
        if st.button("All articles", key="library_all", icon=":material/menu_book:"):
            del st.query_params[ARTICLE_PARAM]
            if HEADING_PARAM in st.query_params:
                del st.query_params[HEADING_PARAM]
            st.rerun()
        return
    st.title("Library")
    if wanted:
        st.warning(f"No article “{wanted}” in the corpus; here are all of them.")
    st.caption(f"{len(docs)} articles the interviewer draws on and the scorecard recommends.")
    for doc_id, doc in docs.items():
        with st.container(border=True):
            if st.button(doc.title, key=f"library_open_{doc_id}", type="tertiary"):
                st.query_params[ARTICLE_PARAM] = doc_id
                st.rerun()
            if doc.topics:
                st.caption(", ".join(doc.topics))
