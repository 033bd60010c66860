"""The practice plan: spaced review of the two weakest dimensions of the last interview.

`simulator.grading.practice.plan` decides what is due; this only shows it, with a drill
button for each dimension that is due or overdue (all offline, from the session database).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from simulator.grading import practice
from simulator.store.sessions import SessionStore
from simulator.ui import auth, nav, state

STATUS_ICONS = {"overdue": ":material/warning:", "due": ":material/today:",
                "upcoming": ":material/event:", "done": ":material/check_circle:"}


def render(store: SessionStore | None = None, today: date | None = None) -> None:
    """Show the plan; nothing (but a one-line hint) until an interview has been graded."""
    reviews = practice.plan(store or state.store(), today, owner=auth.user_id())
    st.header("Practice plan")
    if not reviews:
        st.caption("Finish and grade an interview: its two weakest dimensions are then "
                   "scheduled for review 1, 3, 7 and 14 days later.")
        return
    session_id = reviews[0].session_id
    st.caption(f"Review of the two weakest dimensions of interview {session_id}, "
               f"{', '.join(str(d) for d in practice.REVIEW_DAYS)} days after it.")
    by_dim: dict[str, list[practice.Review]] = {}
    for r in reviews:
        by_dim.setdefault(r.dimension_id, []).append(r)
    for items in by_dim.values():
        with st.container(border=True):
            first = items[0]
            st.markdown(f"**{first.name}** (scored {first.score}/4)")
            cols = st.columns(len(items))
            for col, r in zip(cols, items, strict=True):
                col.markdown(f"{STATUS_ICONS[r.status]} Day {r.day}: {r.due:%d %b} · "
                             f"**{r.status}**")
            if any(r.status in ("due", "overdue") for r in items):
                st.page_link(nav.page("scorecard"), label="Open its scorecard to pick a drill",
                             icon=":material/fitness_center:",
                             query_params={"session": session_id})
