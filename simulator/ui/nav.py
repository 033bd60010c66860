"""The app's pages. Each page is a two-line script in `pages/` calling a `render()` here.

Pages are files rather than callables so `st.switch_page` and `AppTest.switch_page` can both
name them by path.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from simulator.ui.auth import Role, User

PAGES_DIR = Path(__file__).parent / "pages"

# name -> (title, icon, section); pages missing from _ROLES are for every signed-in user
_PAGES: dict[str, tuple[str, str, str]] = {
    "start": ("Start", ":material/play_arrow:", "Interview"),
    "interview": ("Interview", ":material/forum:", "Interview"),
    "scorecard": ("Scorecard", ":material/grading:", "Interview"),
    "history": ("History", ":material/history:", "Interview"),
    "question_bank": ("Question bank", ":material/quiz:", "Prepare"),
    "shared": ("Shared with me", ":material/folder_shared:", "Prepare"),
    "library": ("Library", ":material/menu_book:", "Prepare"),
    "evals": ("Evals", ":material/science:", "Evaluate"),
}
# The least role that sees a page. A page a user may not see is not registered at all, so its
# URL answers like a missing page; the page's render() checks the role again.
_ROLES: dict[str, Role] = {"question_bank": "interviewer", "shared": "interviewer",
                           "evals": "admin"}


def page(name: str) -> st.Page:
    title, icon, _ = _PAGES[name]
    url = name.replace("_", "-")
    return st.Page(PAGES_DIR / f"{name}.py", title=title, icon=icon, url_path=url,
                   default=name == "start")


def allowed(name: str, user: User) -> bool:
    return user.can(_ROLES.get(name, "candidate"))


def navigation(user: User) -> st.Page:
    """Register the pages `user` may see, grouped by section, and return the one to run.

    The sidebar menu is drawn with `st.page_link` under a heading per section: Streamlit's
    own menu nests section headers inside its list, which screen readers (and axe-core's
    list rules) reject.
    """
    sections: dict[str, list[st.Page]] = {}
    for name, (_, _, section) in _PAGES.items():
        if allowed(name, user):
            sections.setdefault(section, []).append(page(name))
    current = st.navigation(sections, position="hidden")
    with st.sidebar.container(key="site_nav"):
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for p in pages:
                st.page_link(p, label=p.title, icon=p.icon)
    return current


def library_link(article: str, heading: str | None = None) -> dict[str, str]:
    """Query params that open the Library at ``article`` (and ``heading``)."""
    return {"article": article, **({"heading": heading} if heading else {})}


def go(name: str, session_id: str | None = None) -> None:
    """Switch to page `name`, keeping the session id in the URL."""
    st.switch_page(page(name), query_params={"session": session_id} if session_id else None)
