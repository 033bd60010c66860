"""Scorecard page: scores per phase and dimension, the level call, evidence, what to improve.

The scorecard is built by `simulator.grading.service.Grader` (the LLM judge when the
interview ran on an LLM, else the offline grader) the first time a finished interview is
viewed, and stored with the session, so History and later visits show the same result. Everything quoted from the candidate is shown as plain text.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from simulator.grading.scorecard import Quote, Scorecard, scorecard_markdown
from simulator.grading.service import Grader
from simulator.llm.errors import LLMConfigError
from simulator.store.export import export_json, export_markdown
from simulator.store.sessions import SessionNotFound, SessionRecord
from simulator.ui import charts, nav, state
from simulator.ui.interview import show_turn
from simulator.ui.text import plain


def phase_scores(card: dict[str, Any]) -> dict[str, float]:
    """Phase -> score from a stored scorecard (empty when it has none)."""
    return {
        p["phase"]: float(p["score"])
        for p in card.get("phases") or []
        if isinstance(p, dict) and "phase" in p and "score" in p
    }


def _grader(record: SessionRecord) -> Grader:
    """The LLM judge when this interview ran on an LLM and this browser still has it chosen,
    else the offline grader. A judge that cannot be built (no key any more) is said, not hidden.
    """
    choice = state.backend_choice()
    if record.backend != "offline" and choice.backend != "offline":
        try:
            return Grader.from_settings(state.llm_settings())
        except LLMConfigError as exc:
            st.info(f"Graded offline: {exc}")
    return Grader(state.settings())


def scorecard_for(record: SessionRecord) -> Scorecard:
    """The stored scorecard of a finished session, graded and stored now if it has none."""
    if record.scorecard:
        try:
            return Scorecard.model_validate(record.scorecard)
        except ValidationError:
            pass  # stored by an older grader: grade again
    return _grader(record).scorecard(state.store(), record.id)


def _quote(text: str) -> str:
    return "> " + plain(" ".join(text.split()))


def _headline(card: Scorecard, record: SessionRecord) -> None:
    st.title(f"Scorecard: {card.problem_title}")
    st.caption(f"Session {record.id} · {record.created_at:%Y-%m-%d %H:%M} UTC · "
               f"{len(record.turns)} turns · grader {card.grader} · "
               f"rubric v{card.rubric_version}")
    cols = st.columns(3)
    cols[0].metric("Level call", card.level.level)
    cols[1].metric("Target level", record.level)
    cols[2].metric("Average phase score", f"{card.overall:.2f} / 4")
    st.caption(f"Level rule that decided it: `{card.level.rule}`")


def _charts(card: Scorecard) -> None:
    """Scores on a fixed 1-4 axis, in rubric order, so charts of two sessions compare."""
    theme = st.context.theme.type
    left, right = st.columns(2)
    with left:
        st.subheader("Per phase")
        st.altair_chart(charts.score_bars([p.phase for p in card.phases],
                                          [p.score for p in card.phases], "phase",
                                          horizontal=False, theme=theme))
    with right:
        st.subheader("Per dimension")
        st.altair_chart(charts.score_bars([d.name for d in card.dimensions],
                                          [d.score for d in card.dimensions], "dimension",
                                          horizontal=True, theme=theme))


def _quoted_points(title: str, points: list[Quote], none_yet: str) -> None:
    st.subheader(title)
    if not points:
        st.caption(none_yet)
    for q in points:
        st.markdown(f"**{q.phase}**: {plain(q.point)}")
        if q.quote:
            st.markdown(_quote(q.quote))


def _evidence(card: Scorecard) -> None:
    left, right = st.columns(2)
    with left:
        _quoted_points("Strengths", card.strengths, "No phase or dimension reached 3 yet.")
    with right:
        _quoted_points("Gaps", card.gaps, "No phase or dimension below 3.")


def _phases(card: Scorecard) -> None:
    st.subheader("Phase by phase: what a stronger answer adds")
    for p in card.phases:
        title = f"{p.phase}: {p.score}/4" + ("" if p.reached else " (not reached)")
        with st.expander(title, expanded=p.score < 3 and p.reached):
            st.markdown(f"_{plain(p.anchor)}_")
            if p.note:
                st.caption(plain(p.note))
            if p.grade and p.grade.evidence:
                st.markdown("**What earned credit**")
                for span in p.grade.evidence[:4]:
                    st.markdown(_quote(span.text))
                    st.caption(plain(span.why))
            if p.stronger_answer:
                st.markdown("**A stronger answer**")
                st.markdown(plain(p.stronger_answer))
            if p.missing:
                st.markdown("**Points for this problem that were not made**")
                st.markdown("\n".join(f"- {plain(m)}" for m in p.missing))


def _dimensions(card: Scorecard) -> None:
    st.subheader("Dimensions")
    for d in card.dimensions:
        st.markdown(f"**{plain(d.name)}: {d.score}/4**. {plain(d.anchor)}")
        if d.quotes:
            st.markdown(_quote(d.quotes[0]))


def _reading(card: Scorecard, record: SessionRecord) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Read next")
        if not card.reading:
            st.caption("Nothing in particular: no weak phase or dimension.")
        for article in card.reading:
            st.markdown(f"- **{plain(article.title)}** (`{article.id}`) for "
                        f"{plain(', '.join(article.why))}")
    with right:
        st.subheader("Cited by the interviewer")
        cited = list(dict.fromkeys(c.title for t in record.turns for c in t.grounding))
        if cited:
            st.markdown("\n".join(f"- {plain(title)}" for title in cited))
        else:
            st.caption("No corpus article was cited in this interview.")


def _downloads(card: Scorecard, record: SessionRecord) -> None:
    transcript = export_markdown(record.model_copy(update={"scorecard": None}))
    left, right = st.columns(2)
    left.download_button("Download Markdown", scorecard_markdown(card) + "\n---\n\n" + transcript,
                         file_name=f"sdsim-{record.id}.md", mime="text/markdown",
                         icon=":material/download:", key="download_md")
    right.download_button("Download JSON", export_json(record),
                          file_name=f"sdsim-{record.id}.json", mime="application/json",
                          icon=":material/download:", key="download_json")


def _unfinished(record: SessionRecord) -> None:
    st.title("Scorecard")
    st.info(f"Interview {record.id} is still running ({record.state.phase} phase). "
            "The scorecard is ready once it ends.")
    left, right = st.columns(2)
    if left.button("Continue the interview", key="scorecard_continue"):
        nav.go("interview", record.id)
    if right.button("End it now and grade", key="scorecard_end"):
        session = state.interview()
        if session is not None:
            session.answer("/end")
        st.rerun()


def render() -> None:
    session_id = state.current_id()
    if not session_id:
        st.title("Scorecard")
        st.info("No interview selected. Finish one, or pick one from History.")
        st.page_link(nav.page("history"), label="History", icon=":material/history:")
        return
    try:
        record = state.store().get(session_id)
    except SessionNotFound as exc:
        st.error(str(exc))
        return
    if record.status != "finished":
        _unfinished(record)
        return
    with st.spinner("Grading the interview…"):
        card = scorecard_for(record)
    record = state.store().get(session_id)  # now with the stored scorecard
    _headline(card, record)
    _downloads(card, record)
    _charts(card)
    _evidence(card)
    _phases(card)
    _dimensions(card)
    _reading(card, record)
    with st.expander("Transcript"):
        for turn in record.turns:
            show_turn(turn)
    if record.notes.strip():
        with st.expander("Your notes"):
            st.text(record.notes)
