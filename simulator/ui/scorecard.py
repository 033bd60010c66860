"""Scorecard page: scores per phase and dimension, the level call, evidence, what to improve.

The scorecard is built by `simulator.grading.service.Grader` (the LLM judge when the
interview ran on an LLM, else the offline grader) the first time a finished interview is
viewed, and stored with the session, so History and later visits show the same result. Everything quoted from the candidate is shown as plain text.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from simulator.grading import practice
from simulator.grading.review import phase_title
from simulator.grading.scorecard import Scorecard, labels, scorecard_markdown
from simulator.grading.service import Grader
from simulator.llm.errors import LLMConfigError
from simulator.store.export import export_html, export_json, export_markdown
from simulator.store.sessions import SessionNotFound, SessionRecord
from simulator.ui import auth, charts, nav, sharing, state
from simulator.ui.interview import show_turn
from simulator.ui.library import scroll_to
from simulator.ui.text import error_text, plain

TURN_PARAM = "turn"


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
            st.info(f"Graded offline: {error_text(exc)}")
    return Grader(state.settings())


def scorecard_for(record: SessionRecord) -> Scorecard:
    """The stored scorecard of a finished session, graded and stored now if it has none."""
    if record.scorecard:
        try:
            card = Scorecard.model_validate(record.scorecard)
        except ValidationError:
            card = None  # stored by an older grader: grade again
        if card is not None and card.summary:  # older cards lack the reviewer's reading
            return card
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
    # The summary is built from rubric and problem texts (never the candidate's words).
    st.markdown(card.summary or f"Level call: **{card.level.level}**.")


def _charts(card: Scorecard) -> None:
    """Scores on a fixed 1-4 axis, in rubric order, so charts of two sessions compare."""
    theme = st.context.theme.type
    left, right = st.columns(2)
    with left:
        st.header("Per phase")
        st.altair_chart(charts.score_bars([p.phase for p in card.phases],
                                          [p.score for p in card.phases], "phase",
                                          horizontal=False, theme=theme))
    with right:
        st.header("Per dimension")
        st.altair_chart(charts.score_bars([d.name for d in card.dimensions],
                                          [d.score for d in card.dimensions], "dimension",
                                          horizontal=True, theme=theme))


def _change(card: Scorecard, record: SessionRecord) -> None:
    """For a drill or a retry: each phase and dimension against the previous attempt."""
    drilled = practice.drill_phase(record)
    found = practice.previous_attempt(state.store(), record)
    if drilled:
        st.info(f"Drill of {phase_title(drilled)}: only this phase was practised, so the "
                "others show as not reached.")
    if found is None:
        if drilled:
            st.caption("No earlier graded attempt of this problem to compare with.")
        return
    previous_id, previous = found
    st.header("Change against your previous attempt")
    st.caption(f"Compared with session {previous_id}.")
    deltas = practice.compare(previous, card, drilled)
    cols = st.columns(4)
    for i, d in enumerate(deltas):
        cols[i % 4].metric(d.name, f"{d.after}/4", delta=d.change or None,
                           help=f"{d.kind}: {d.before} before, {d.after} now")


def _start_drill(record: SessionRecord, phase: str) -> None:
    session = state.start(record.problem_id, minutes=record.minutes, level=record.level,
                          seed=record.seed, choice=state.backend_choice(), start_phase=phase)
    nav.go("interview", session.id)


def _drills(card: Scorecard, record: SessionRecord) -> None:
    st.header("Three drills")
    if not card.drills:
        st.caption("Every phase scored 4: nothing to drill.")
    for i, d in enumerate(card.drills):
        with st.container(border=True):
            text, action = st.columns([5, 1], vertical_alignment="center")
            text.markdown(f"**{i + 1}. {phase_title(d.phase)}**: {plain(d.probe)}")
            text.caption(plain(d.why))
            if action.button("Practise", key=f"drill_{i}", icon=":material/fitness_center:"):
                _start_drill(record, d.phase)


def _moments(card: Scorecard, record: SessionRecord) -> None:
    st.header("Decisive moments")
    if not card.moments:
        st.caption("No single turn moved a grade.")
    for m in card.moments:
        st.markdown(f"**{phase_title(m.phase)}**: this turn {m.effect} the grade.")
        st.markdown(_quote(m.quote))
        st.caption(plain(m.why))
        st.page_link(nav.page("scorecard"), label=f"Turn {m.turn_index + 1} in the transcript",
                     icon=":material/forum:",
                     query_params={"session": record.id, TURN_PARAM: str(m.turn_index)})


def _phases(card: Scorecard, record: SessionRecord) -> None:
    st.header("Phase by phase")
    for p in card.phases:
        title = f"{phase_title(p.phase)}: {p.score}/4" + ("" if p.reached else " (not reached)")
        with st.expander(title, expanded=p.score < 3 and p.reached):
            st.markdown(f"_{plain(p.anchor)}_")
            if p.earned:
                st.markdown("**What earned it**")
                for q in p.earned:
                    st.markdown(_quote(q.quote))
                    st.caption(plain(q.point))
            if p.missing:
                st.markdown("**What was missing**")
                st.markdown("\n".join(f"- {plain(m)}" for m in p.missing))
            if p.stronger_answer:
                st.markdown("**A stronger answer**")
                st.markdown(plain(p.stronger_answer))
            if p.score < 4 and st.button("Retry this phase", key=f"retry_{p.phase}",
                                         icon=":material/replay:"):
                _start_drill(record, p.phase)


def _adaptation(card: Scorecard) -> None:
    """The answers to the requirement change and the 10x stretch, graded on their own."""
    if not card.adaptation:
        return
    st.header("Adapting to changes")
    for a in card.adaptation:
        what = "The requirement change" if a.kind == "curveball" else "The 10x stretch"
        st.markdown(f"**{what}: {a.score}/4.** {plain('; '.join(a.reasons).capitalize())}.")
        st.caption(plain(a.question))
        if a.quote:
            st.markdown(_quote(a.quote))


def _dimensions(card: Scorecard) -> None:
    st.header("Dimensions")
    for d in card.dimension_notes:
        st.markdown(f"**{plain(d.name)}: {d.score}/4**. {plain(d.meaning)}")
        if d.earned:
            st.markdown(_quote(d.earned))
        if d.missing:
            st.caption(f"To score {d.score + 1}: {plain(d.missing)}")


def _reading(card: Scorecard, record: SessionRecord) -> None:
    names = labels(card)
    left, right = st.columns(2)
    with left:
        st.header("Read next")
        if not card.reading:
            st.caption("Nothing in particular: no weak phase or dimension.")
        for article in card.reading:
            why = ", ".join(names.get(w, w) for w in article.why)
            st.page_link(nav.page("library"), label=f"{article.title} (for {why})",
                         icon=":material/menu_book:",
                         query_params=nav.library_link(article.id, article.heading))
    with right:
        st.header("Cited by the interviewer")
        cited = list(dict.fromkeys((c.doc_id, c.title, c.heading)
                                   for t in record.turns for c in t.grounding))
        if not cited:
            st.caption("No corpus article was cited in this interview.")
        for doc_id, title, heading in cited:
            label = f"{title} › {heading.split('>')[-1].strip()}" if heading else title
            st.page_link(nav.page("library"), label=label, icon=":material/menu_book:",
                         query_params=nav.library_link(doc_id, heading or None))


def _transcript(record: SessionRecord) -> None:
    """The transcript; `?turn=N` opens it and marks turn N (a decisive-moment link)."""
    raw = st.query_params.get(TURN_PARAM)
    wanted = int(raw) if raw and raw.isdigit() else None
    with st.expander("Transcript", expanded=wanted is not None):
        for i, turn in enumerate(record.turns):
            if i == wanted:
                with st.container(border=True):
                    st.subheader(f"Turn {i + 1}", anchor=f"turn-{i}")
                    show_turn(turn)
                continue
            show_turn(turn)
    if wanted is not None:
        scroll_to(f"turn-{wanted}")


def _downloads(card: Scorecard, record: SessionRecord) -> None:
    text = export_markdown(record, scorecard_markdown(card))
    left, middle, right = st.columns(3)
    left.download_button("Download Markdown", text,
                         file_name=f"sdsim-{record.id}.md", mime="text/markdown",
                         icon=":material/download:", key="download_md")
    middle.download_button("Download HTML", export_html(record),
                           file_name=f"sdsim-{record.id}.html", mime="text/html",
                           icon=":material/download:", key="download_html")
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
        record = state.store().get(session_id, viewer=auth.user_id())
    except SessionNotFound as exc:
        st.error(str(exc))
        return
    if record.status != "finished":
        _unfinished(record)
        return
    with st.spinner("Grading the interview…"):
        card = scorecard_for(record)
    record = state.store().get(session_id, viewer=auth.user_id())  # with the stored scorecard
    _headline(card, record)
    _change(card, record)
    _downloads(card, record)
    _charts(card)
    _moments(card, record)
    _drills(card, record)
    _phases(card, record)
    _adaptation(card)
    _dimensions(card)
    _reading(card, record)
    _transcript(record)
    if record.notes.strip():
        with st.expander("Your notes"):
            st.text(record.notes)
    sharing.share_control(record)
