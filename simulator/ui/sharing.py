"""Candidates share a finished interview with an interviewer; interviewers list those shares.

A share lets the interviewer (named by the email they sign in with) open the scorecard and
transcript read-only; only the candidate who owns the interview continues, shares or unshares
it (the store enforces both).
"""

from __future__ import annotations

import streamlit as st

from simulator.store.sessions import SessionRecord
from simulator.ui import auth, nav, state


def share_control(record: SessionRecord) -> None:
    """"Share with interviewer" under the owner's scorecard (shared mode only)."""
    user = auth.gate()
    if not auth.shared_mode() or record.owner != user.id:
        return
    store = state.store()
    with st.expander("Share with interviewer", icon=":material/share:"):
        with st.form("share_form", clear_on_submit=True, border=False):
            email = st.text_input("Interviewer's email", key="share_email")
            if st.form_submit_button("Share", key="share_submit") and email.strip():
                store.share(record.id, email.strip().lower(), owner=user.id)
        for viewer in store.shared_with(record.id):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.write(f"Shared with {viewer}")
            if right.button("Stop sharing", key=f"unshare_{viewer}"):
                store.unshare(record.id, viewer, owner=user.id)
                st.rerun()


def render() -> None:
    """The interviews candidates shared with the signed-in interviewer, newest first."""
    user = auth.require("interviewer")
    st.title("Shared with me")
    rows = state.store().list(limit=100, shared_with=user.id.lower())
    if not rows:
        st.info("No candidate has shared an interview with you yet.")
        return
    for row in rows:
        with st.container(border=True):
            info, action = st.columns([5, 1], vertical_alignment="center")
            score = f" · score {row.overall_score:.2f}" if row.overall_score is not None else ""
            info.markdown(f"**{row.problem_id}** · `{row.id}` · {row.owner} · {row.level} · "
                          f"{row.status}{score}")
            if action.button("View", key=f"shared_{row.id}", icon=":material/grading:"):
                state.select(row.id)
                nav.go("scorecard", row.id)
