"""Interview page: the conversation, phase progress and clocks, commands, notes, calculator.

Every message goes through `InterviewSession.answer`, which stores the candidate's turn
before the interviewer's answer, so the page itself keeps nothing that a refresh could lose.
The buttons send the same commands a candidate can type: `/next`, `/hint`, `/end`.

Layout of one run: a header container is created first and filled last, so the phase,
clocks and buttons always show the state *after* the message this run answered.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from simulator.interview.session import AnswerStream, InterviewSession, SessionBusy
from simulator.store.sessions import SessionNotFound, SessionRecord
from simulator.transcript import PHASE_ORDER, Turn
from simulator.ui import auth, calculator_panel, nav, state
from simulator.ui.text import clock, error_text, plain, sources

_HERE = Path(__file__).parent
_PAGE_JS = (_HERE / "interview_page.js").read_text(encoding="utf-8")
_NOTES_CSS = (_HERE / "interview_notes.css").read_text(encoding="utf-8")

PENDING = "pending_message"
CHAT_KEY = "chat_answer"
CALCULATOR_PHASES = ("estimate", "bottlenecks")
#: The five phases the header counts; the close (wrap-up) is shown apart from them.
FIVE = tuple(p for p in PHASE_ORDER if p != "wrap-up")
CLOSE = "wrap-up"
#: A message longer than this (characters or lines) is shortened, with "Show all".
LONG_CHARS = 2_000
LONG_LINES = 40
#: Height of the scrolling chat box: the notes and calculator stay beside it.
CHAT_HEIGHT_PX = 620
LABELS = {"probe": "probe", "hint": "hint", "transition": "next phase", "wrap-up": "wrap-up"}
#: Session keys of the view toggles. Sources are behind a toggle and probe ids only in the
#: debug view: a candidate reads the conversation, not the machinery (replay JSON keeps both).
SHOW_SOURCES = "show_sources"
DEBUG_VIEW = "debug_view"


def _queue(text: str) -> None:
    """Queue a message for the next run. A list, because a second click can come before the
    run that takes the first has started: both are answered, in order."""
    st.session_state.setdefault(PENDING, []).append(text)


def _queue_chat() -> None:
    _queue(st.session_state.get(CHAT_KEY) or "")


def _save_notes(session_id: str, key: str) -> None:
    state.store().save_notes(session_id, st.session_state.get(key, ""),
                             viewer=auth.user_id())


def _body(text: str, key: str | None) -> None:
    """A message as plain text; a long one (a big paste) shows its start and a "Show all"
    button, so one message never makes the page tens of thousands of pixels tall."""
    lines = text.splitlines()
    if len(text) <= LONG_CHARS and len(lines) <= LONG_LINES:
        st.markdown(plain(text))
        return
    if key is not None and st.session_state.get(f"show_all_{key}"):
        st.text(text)
        return
    head = "\n".join(lines[:LONG_LINES])[:LONG_CHARS]
    st.markdown(plain(head) + " …")
    st.caption(f"Shortened: {len(text):,} characters, {len(lines):,} lines.")
    if key is not None:
        st.button("Show all", key=f"show_all_btn_{key}", on_click=st.session_state.__setitem__,
                  args=(f"show_all_{key}", True), icon=":material/unfold_more:")


def show_turn(turn: Turn, key: str | None = None) -> None:
    """One chat bubble. Everything typed or generated is shown as plain text. `key` (unique
    on the page) lets a long message be expanded in place."""
    if turn.role == "interviewer":
        with st.chat_message("assistant", avatar=":material/person:"):
            if st.session_state.get(DEBUG_VIEW):
                label = LABELS.get(turn.intent or turn.role, turn.intent or "")
                st.caption(f"{label}{' · ' + turn.probe if turn.probe else ''}")
            _body(turn.text, key)
            if turn.grounding and st.session_state.get(SHOW_SOURCES):
                st.caption("Sources: " + plain(sources(turn.grounding)))
            if turn.notice:
                st.caption("Note: " + plain(turn.notice))
    else:
        with st.chat_message("user", avatar=":material/face:"):
            if turn.text:
                _body(turn.text, key)
            else:
                st.markdown("_(empty message)_")
            if turn.notice:
                st.caption("Note: " + plain(turn.notice))


def _transcript(turns: list[Turn]) -> None:
    phase = None
    for i, turn in enumerate(turns):
        if turn.phase != phase:
            phase = turn.phase
            st.caption(f"— {phase} —")
        show_turn(turn, key=f"turn{i}")


def _start_answers(session: InterviewSession, pending: list[str]) -> AnswerStream | None:
    """Store every queued message now and return the stream answering the last one.

    Called before the run draws anything: Streamlit stops a run only inside its own calls,
    so once the messages are taken from the queue they are stored before anything can stop
    this run. Earlier messages (a double click) are answered in full first. Raises what
    `stream_answer` raises; messages not yet stored are put back in the queue.
    """
    for i, text in enumerate(pending):
        try:
            if i < len(pending) - 1:
                session.answer(text)
            else:
                return session.stream_answer(text)
        except SessionBusy:
            st.session_state[PENDING] = pending[i:] + st.session_state.get(PENDING, [])
            raise
    return None


def _answer(session: InterviewSession, stream: AnswerStream, text: str) -> None:
    """Show the candidate's message, then stream the interviewer's answer in place.

    The bubble is redrawn from the stored turn once the stream ends, so it looks the same
    as it will after a reload (label, sources, any fallback notice).
    """
    if text.strip():
        with st.chat_message("user", avatar=":material/face:"):
            _body(text, None)
    slot = st.empty()
    try:
        # Offline the stream is one piece; streaming it anyway measured faster in the
        # browser (0.34 s median a turn) than drawing the finished bubble (0.46 s, p90 0.94 s).
        with slot.container(), st.chat_message("assistant", avatar=":material/person:"):
            st.write_stream(plain(piece) for piece in stream)
    except Exception as exc:  # noqa: BLE001 - a backend failure must not lose the page
        state.drop_interview()  # the next run reopens it from the store and answers
        slot.error(f"The interviewer could not answer: {error_text(exc)}. Your message is saved and is "
                   "answered when the page next reloads.")
        return
    reply = session.last_reply
    with slot.container():
        if reply.interviewer.phase != reply.candidate.phase:
            st.caption(f"— {reply.interviewer.phase} —")
        show_turn(reply.interviewer, key=f"turn{len(session.record().turns) - 1}")


def _progress(session: InterviewSession) -> None:
    """"Phase 2 of 5" over the five phases of the framework; the close (wrap-up) is shown
    apart, as the Start page counts five phases."""
    phase = session.state.phase
    closing = phase == CLOSE or session.state.finished
    done = len(FIVE) if closing else FIVE.index(phase)
    label = ("Closing: wrap-up" if phase == CLOSE and not session.state.finished
             else "All five phases done" if session.state.finished
             else f"Phase {done + 1} of {len(FIVE)}: **{phase}**")
    st.progress(done / len(FIVE), text=label)
    steps = []
    for i, name in enumerate(FIVE):
        if i < done:
            steps.append(f"✓ {name}")
        elif i == done:
            steps.append(f"▶ **{name}**")
        else:
            steps.append(name)
    close = f"▶ **{CLOSE}**" if phase == CLOSE and not session.state.finished else CLOSE
    st.caption("  ·  ".join(steps) + f"  ·  then the close: {close}")


# Ticks the countdowns in the browser, so a running clock costs the server nothing (a
# once-a-second rerun made every answer wait behind it). The page is our own template with
# two integers filled in; no candidate or model text ever goes into it.
_CLOCK_SCRIPT = """<script>
(() => {
  const fmt = (s) => {
    const sign = s < 0 ? "-" : "";
    s = Math.floor(Math.abs(s));
    return sign + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  };
  const tick = () => document.querySelectorAll("[data-sdsim-left]").forEach((el) => {
    if (!el.dataset.deadline) {
      el.dataset.deadline = Date.now() + 1000 * Number(el.dataset.sdsimLeft);
    }
    el.textContent = fmt((Number(el.dataset.deadline) - Date.now()) / 1000);
  });
  clearInterval(window.sdsimClock);
  tick();
  window.sdsimClock = setInterval(tick, 1000);
})();
</script>"""


def _clock_cell(label: str, seconds_left: float) -> str:
    left = int(seconds_left)
    return (f'<div><div style="font-size:0.875rem;opacity:0.7">{label}</div>'
            f'<div style="font-size:1.75rem" data-sdsim-left="{left}">{clock(left)}</div></div>')


def _clocks(session: InterviewSession) -> None:
    """Countdowns for the phase and the whole interview, ticking in the browser."""
    if session.state.finished:
        st.caption("Interview finished; the clock has stopped.")
        return
    since_last_turn = max(0.0, session.elapsed_s() - session.state.elapsed_s)
    phase_left = session.engine.phase_time_left_s() - since_last_turn
    total_left = session.engine.total_time_left_s() - since_last_turn
    st.html('<div style="display:flex;gap:3rem" title="When the phase clock runs out, the '
            'interviewer moves on at your next answer.">'
            + _clock_cell("Phase time left", phase_left)
            + _clock_cell("Interview time left", total_left)
            + "</div>" + _CLOCK_SCRIPT, unsafe_allow_javascript=True)


def _controls(session: InterviewSession) -> None:
    finished = session.state.finished
    cols = st.columns(3)
    cols[0].button("Next phase", key="cmd_next", on_click=_queue, args=("/next",),
                   disabled=finished, icon=":material/skip_next:", width="stretch")
    cols[1].button("Hint", key="cmd_hint", on_click=_queue, args=("/hint",),
                   disabled=finished, icon=":material/lightbulb:", width="stretch")
    cols[2].button("End interview", key="cmd_end", on_click=_queue, args=("/end",),
                   disabled=finished, icon=":material/stop_circle:", width="stretch")


def _notes(session_id: str, saved: str) -> None:
    key = f"notes_{session_id}"
    if key not in st.session_state:
        st.session_state[key] = saved
    st.text_area("Notes and diagram", key=key, height=240, on_change=_save_notes,
                 args=(session_id, key),
                 placeholder="Requirements, numbers, an ASCII box diagram…",
                 help="Saved with the session as you type (and when you click outside).")


def _browser_side(session_id: str) -> None:
    """Monospace notes (so ASCII diagrams line up), draft and notes autosave, chat focus.

    Both the style and the script are files of this package; only the session id, which
    the store makes from [a-z0-9], is filled in."""
    if not re.fullmatch(r"[a-z0-9]{1,32}", session_id):
        return
    st.markdown(f"<style>{_NOTES_CSS}</style>", unsafe_allow_html=True)
    st.html("<script>" + _PAGE_JS.replace("SESSION_ID", session_id) + "</script>",
            unsafe_allow_javascript=True)


def _open_session() -> InterviewSession | None:
    try:
        session = state.interview()
    except SessionNotFound as exc:
        st.error(str(exc))
        state.select(None)
        return None
    if session is None:
        st.title("Interview")
        st.info("No interview is open.")
        st.page_link(nav.page("start"), label="Start one", icon=":material/play_arrow:")
    return session


def _settled_record(session: InterviewSession) -> SessionRecord:
    """The stored session once any answer another run of this page is streaming has landed.

    A click while an answer streams starts a new run on another thread and interrupts the
    old one; the interrupted answer is still finished and stored (see `AnswerStream`), and
    this waits for it so the transcript shows it.
    """
    if not session.wait_idle():
        st.warning("The previous answer is still being prepared; it appears on the next "
                   "message or reload.")
    return session.record()


def render() -> None:
    session = _open_session()
    if session is None:
        return
    pending = st.session_state.pop(PENDING, None) or []
    try:
        stream = _start_answers(session, pending)
    except SessionBusy as exc:
        st.warning(f"{error_text(exc)}; your message is kept and is sent when the page next updates.")
        _page(session, None, session.record())
        return
    try:
        record = _settled_record(session) if stream is None else session.record()
        _page(session, stream, record)
    finally:
        if stream is not None:
            # A click during the stream stops this run with Streamlit's rerun exception;
            # closing the stream here finishes and stores the answer now, not whenever the
            # garbage collector gets to it, so the next run (waiting on the session) goes on.
            stream.close()


def _page(session: InterviewSession, stream: AnswerStream | None,
          record: SessionRecord) -> None:
    # While a stream runs, the stored candidate turn it answers is drawn by `_answer`.
    turns = record.turns[:-1] if stream is not None else record.turns
    header = st.container()
    chat, tools = st.columns([3, 2], gap="large")

    with chat:
        with st.container(height=CHAT_HEIGHT_PX, border=True, key="chat_box"):
            _transcript(turns)
            if stream is not None:
                _answer(session, stream, record.turns[-1].text)
        if session.state.finished:
            st.success("The interview is over. Your scorecard is ready.")
            if st.button("See your scorecard", key="to_scorecard", type="primary"):
                nav.go("scorecard", session.id)

    with header:
        who = "offline interviewer" if session.phraser is None else (
            f"{record.backend} · {session.phraser.client.model_name}")
        st.title(session.problem.title)
        st.caption(f"Session {session.id} · level {session.state.level} · "
                   f"{session.state.minutes:g} minutes · {who}")
        _progress(session)
        _clocks(session)
        _controls(session)

    with tools, st.container(height=CHAT_HEIGHT_PX, border=False, key="tools_box"):
        views = st.columns(2)
        views[0].toggle("Show sources", key=SHOW_SOURCES,
                        help="The articles each interviewer turn is grounded in")
        views[1].toggle("Debug view", key=DEBUG_VIEW,
                        help="Each turn's intent and probe id, for prompt engineers")
        _notes(session.id, record.notes)
        if session.state.phase in CALCULATOR_PHASES and not session.state.finished:
            with st.expander("Capacity calculator", expanded=True, icon=":material/calculate:"):
                calculator_panel.render(key=session.id)

    st.chat_input("Your answer — or /next, /hint, /end", key=CHAT_KEY, on_submit=_queue_chat,
                  disabled=session.state.finished, submit_mode="disable")
    _browser_side(session.id)
