"""The app's pages. Each page is a two-line script in `pages/` calling a `render()` here.

Pages are files rather than callables so `st.switch_page` and `AppTest.switch_page` can both
name them by path.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).parent / "pages"

# name -> (title, icon, section)
_PAGES: dict[str, tuple[str, str, str]] = {
    "start": ("Start", ":material/play_arrow:", "Interview"),
    "interview": ("Interview", ":material/forum:", "Interview"),
    "scorecard": ("Scorecard", ":material/grading:", "Interview"),
    "history": ("History", ":material/history:", "Interview"),
    "question_bank": ("Question bank", ":material/quiz:", "Prepare"),
    "evals": ("Evals", ":material/science:", "Evaluate"),
}


def page(name: str) -> st.Page:
    title, icon, _ = _PAGES[name]
    url = name.replace("_", "-")
    return st.Page(PAGES_DIR / f"{name}.py", title=title, icon=icon, url_path=url,
                   default=name == "start")


def navigation() -> st.Page:
    """Register every page, grouped by section, and return the one to run.

    The sidebar menu is drawn with `st.page_link` under a heading per section: Streamlit's
    own menu nests section headers inside its list, which screen readers (and axe-core's
    list rules) reject.
    """
    sections: dict[str, list[st.Page]] = {}
    for name, (_, _, section) in _PAGES.items():
        sections.setdefault(section, []).append(page(name))
    current = st.navigation(sections, position="hidden")
    with st.sidebar.container(key="site_nav"):
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for p in pages:
                st.page_link(p, label=p.title, icon=p.icon)
    return current


def go(name: str, session_id: str | None = None) -> None:
    """Switch to page `name`, keeping the session id in the URL."""
    st.switch_page(page(name), query_params={"session": session_id} if session_id else None)
