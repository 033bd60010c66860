"""History page: past interviews, a score trend per phase, resume or view any of them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator.store.sessions import SessionSummary
from simulator.ui import auth, nav, scorecard, state
from simulator.ui.practice_plan import render as render_practice_plan

LIMIT = 100


def _trend(rows: list[SessionSummary]) -> None:
    """Per-phase scores of graded interviews over time, oldest first."""
    store = state.store()
    points = []
    for row in reversed(rows):
        if row.overall_score is None:
            continue
        scores = scorecard.phase_scores(store.get_scorecard(row.id) or {})
        if scores:
            points.append({"interview": f"{row.created_at:%m-%d %H:%M} {row.id}", **scores})
    if not points:
        st.caption("A score trend per phase appears here once interviews have been graded.")
        return
    frame = pd.DataFrame(points).set_index("interview")
    st.line_chart(frame, y_label="score (1-4)", x_label="interview")


def _row(row: SessionSummary) -> None:
    with st.container(border=True):
        info, action = st.columns([5, 1], vertical_alignment="center")
        score = f" · score {row.overall_score:.2f}" if row.overall_score is not None else ""
        info.markdown(
            f"**{row.problem_id}** · `{row.id}` · {row.level} · {row.status} · "
            f"{row.turn_count} turns · last phase {row.last_phase or '—'}{score}"
        )
        info.caption(f"started {row.created_at:%Y-%m-%d %H:%M} UTC · "
                     f"updated {row.updated_at:%Y-%m-%d %H:%M} UTC")
        if row.status == "active":
            if action.button("Resume", key=f"resume_{row.id}", icon=":material/play_arrow:"):
                state.select(row.id)
                nav.go("interview", row.id)
        elif action.button("View", key=f"view_{row.id}", icon=":material/grading:"):
            state.select(row.id)
            nav.go("scorecard", row.id)


def render() -> None:
    st.title("History")
    render_practice_plan()
    rows = state.store().list(limit=LIMIT, owner=auth.user_id())
    if not rows:
        st.info("No interviews yet.")
        st.page_link(nav.page("start"), label="Start one", icon=":material/play_arrow:")
        return
    problems = sorted({r.problem_id for r in rows})
    chosen = st.selectbox("Problem", ["all", *problems], key="history_problem")
    if chosen != "all":
        rows = [r for r in rows if r.problem_id == chosen]
    _trend(rows)
    st.caption(f"{len(rows)} interview(s), newest first")
    for row in rows:
        _row(row)
