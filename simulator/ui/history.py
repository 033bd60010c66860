"""History page: past interviews, a score trend per phase, resume, view or delete any of them.

The store is read in one place (`_load`), so a filter such as "only this user's sessions"
goes there and nowhere else.
"""

from __future__ import annotations

import streamlit as st

from simulator.content.loader import load_content
from simulator.phases import PHASE_ORDER
from simulator.store.sessions import SessionStore, SessionSummary
from simulator.ui import auth, charts, nav, scorecard, state
from simulator.ui.practice_plan import render as render_practice_plan

LIMIT = 100
ALL = "all"
CONFIRM = "history_confirm_delete"


def plural(count: int, word: str) -> str:
    """'1 turn', '2 turns'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def duration(row: SessionSummary) -> str:
    """Wall-clock time from start to last update, as '12 min' or '1 h 05 min'."""
    minutes = max(0, round((row.updated_at - row.created_at).total_seconds() / 60))
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _titles() -> dict[str, str]:
    return {pid: p.title for pid, p in load_content(state.settings().prompts_dir).catalog.items()}


def _load(store: SessionStore) -> list[SessionSummary]:
    """The signed-in user's sessions, newest first (the one store read of the page)."""
    return store.list(limit=LIMIT, owner=auth.user_id())


def _trend(store: SessionStore, rows: list[SessionSummary]) -> None:
    """Per-phase scores of graded interviews over time, oldest first."""
    points = []
    for row in reversed(rows):
        if row.overall_score is None:
            continue
        scores = scorecard.phase_scores(store.get_scorecard(row.id) or {})
        if scores:
            points.append({"interview": f"{row.created_at:%b %d %H:%M}", **scores})
    if not points:
        st.caption("A score trend per phase appears here once interviews have been graded.")
        return
    seen = {k for p in points for k in p if k != "interview"}
    series = [p for p in PHASE_ORDER if p in seen]
    for i, point in enumerate(points):  # labels must be unique for the x axis
        point["interview"] = f"#{i + 1} {point['interview']}"
    st.header("Score trend per phase")
    st.altair_chart(charts.score_trend(points, series, theme=st.context.theme.type))


def _delete(store: SessionStore, session_id: str) -> None:
    store.delete(session_id, viewer=auth.user_id())
    st.session_state.pop(CONFIRM, None)
    if state.current_id() == session_id:
        state.select(None)


def _row(store: SessionStore, row: SessionSummary, title: str) -> None:
    with st.container(border=True):
        info, action = st.columns([5, 2], vertical_alignment="center")
        score = f" · score {row.overall_score:.2f} / 4" if row.overall_score is not None else ""
        info.markdown(f"**{title}** · {row.level} · {row.status} · "
                      f"{plural(row.turn_count, 'turn')}{score}")
        info.caption(f"{row.created_at:%Y-%m-%d %H:%M} UTC · {duration(row)} · "
                     f"last phase {row.last_phase or '—'} · session {row.id}")
        buttons = action.columns(2)
        if row.status == "active":
            if buttons[0].button("Resume", key=f"resume_{row.id}", icon=":material/play_arrow:"):
                state.select(row.id)
                nav.go("interview", row.id)
        elif buttons[0].button("View", key=f"view_{row.id}", icon=":material/grading:"):
            state.select(row.id)
            nav.go("scorecard", row.id)
        if buttons[1].button("Delete", key=f"delete_{row.id}", icon=":material/delete:"):
            st.session_state[CONFIRM] = row.id
        if st.session_state.get(CONFIRM) == row.id:
            st.warning(f"Delete the interview “{title}” of {row.created_at:%Y-%m-%d %H:%M} "
                       "with its transcript, notes and scorecard? This cannot be undone.")
            yes, no = st.columns(2)
            yes.button("Yes, delete it", key=f"confirm_delete_{row.id}", type="primary",
                       on_click=_delete, args=(store, row.id))
            no.button("Cancel", key=f"cancel_delete_{row.id}", on_click=st.session_state.pop,
                      args=(CONFIRM, None))


def render() -> None:
    st.title("History")
    render_practice_plan()
    store = state.store()
    rows = _load(store)
    if not rows:
        st.info("No interviews yet.")
        st.page_link(nav.page("start"), label="Start one", icon=":material/play_arrow:")
        return
    titles = _titles()
    title = {r.id: titles.get(r.problem_id, r.problem_id) for r in rows}
    problems = sorted({r.problem_id for r in rows}, key=lambda p: titles.get(p, p))
    levels = sorted({r.level for r in rows})
    left, right = st.columns(2)
    chosen = left.selectbox("Problem", [ALL, *problems], key="history_problem",
                            format_func=lambda p: "All problems" if p == ALL
                            else titles.get(p, p))
    level = right.selectbox("Level", [ALL, *levels], key="history_level",
                            format_func=lambda v: "All levels" if v == ALL else v)
    rows = [r for r in rows if chosen in (ALL, r.problem_id) and level in (ALL, r.level)]
    _trend(store, rows)
    st.caption(f"{plural(len(rows), 'interview')}, newest first")
    for row in rows:
        _row(store, row, title[row.id])
