"""What each page shares: per-browser state and the process-wide heavy resources.

Per browser session (`st.session_state`, never shared between tabs):
- the open interview (`InterviewSession`) and its id, mirrored in the URL as `?session=<id>`
  so a refresh or a server restart resumes it;
- the LLM backend choice, API key included. The key lives only here: it is not written to
  the session store, the URL or a log.

Per process (`st.cache_resource`): the session store (SQLite, or PostgreSQL when
`SDSIM_DATABASE_URL` is set; a thread-safe connection pool) and the corpus grounder (embedding model plus Chroma, ingested on first use if empty).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import streamlit as st
from pydantic import SecretStr

from simulator.interview.engine import Grounder
from simulator.interview.session import InterviewSession, default_grounder, phraser_for
from simulator.settings import Settings, SettingsError, get_settings
from simulator.store.database import DatabaseUnavailable
from simulator.store.migrations import SchemaTooNew
from simulator.store.sessions import SessionNotFound, SessionStore
from simulator.ui import auth

log = logging.getLogger(__name__)

SESSION_PARAM = "session"
BACKENDS = ("offline", "openai", "openai-compatible")

_CHOICE = "llm_choice"
_SESSION_ID = "session_id"
_INTERVIEW = "interview"


@dataclass(frozen=True)
class BackendChoice:
    """The interviewer backend picked on the Start page for this browser session."""

    backend: str = "offline"
    base_url: str = ""
    model: str = ""
    api_key: str = field(default="", repr=False)

    def apply(self, settings: Settings) -> Settings:
        """`settings` with this choice as the LLM configuration (a copy; nothing is saved)."""
        if self.backend == "offline":
            return settings.model_copy(update={"llm_backend": "offline"})
        update: dict = {"llm_backend": self.backend}
        if self.base_url:
            update["llm_base_url"] = self.base_url
        if self.model:
            update["llm_model"] = self.model
        if self.api_key:
            update["llm_api_key"] = SecretStr(self.api_key)
        return settings.model_copy(update=update)


# -- process-wide resources -----------------------------------------------------------------


def settings() -> Settings:
    """The effective settings; a bad setting stops the page with a one-line message."""
    try:
        return get_settings()
    except SettingsError as exc:
        st.error(str(exc))
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_resource(show_spinner=False)
def _store(where: str) -> SessionStore:
    return SessionStore(where)


def store() -> SessionStore:
    """The process-wide store: PostgreSQL if `SDSIM_DATABASE_URL` is set, else SQLite.

    If it cannot be opened the page says so in one line and stops; which database and why
    go to the server log only (a browser never sees a host name or a path).
    """
    current = settings()
    try:
        return _store(current.database_url or str(current.db_path))
    except (DatabaseUnavailable, SchemaTooNew) as exc:
        log.error("%s", exc)
        st.error("The session database is unavailable right now; try again in a moment. "
                 "(The server log says why.)")
        st.stop()
        raise  # unreachable: st.stop() raises


_GROUNDER_LOCK = threading.Lock()


def _load_grounder(settings: Settings) -> Grounder:
    with _GROUNDER_LOCK:  # the warm-up thread and a page never load it twice
        return default_grounder(settings)


def _grounder_key(s: Settings) -> tuple:
    return (str(s.chroma_path), s.chroma_url, s.collection, s.embedding_backend)


@st.cache_resource(show_spinner="Loading the corpus index (first start only)…")
def _grounder(key: tuple, _settings: Settings) -> Grounder:
    return _load_grounder(_settings)


def grounder() -> Grounder:
    s = settings()
    return _grounder(_grounder_key(s), s)


@st.cache_resource(show_spinner=False)
def _warm_up(key: tuple, _settings: Settings) -> threading.Thread:
    def load() -> None:
        try:
            _load_grounder(_settings)
        except Exception:  # the page that needs the grounder reports the error
            log.exception("warming up the corpus index failed")

    thread = threading.Thread(target=load, name="sdsim-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """Start loading the embedding model and Chroma in the background, once per process.

    Importing sentence-transformers and loading the model takes seconds; started on the
    first page view, it is usually done before the candidate clicks "Start interview".
    """
    s = settings()
    _warm_up(_grounder_key(s), s)


# -- per-browser state ----------------------------------------------------------------------


def backend_choice() -> BackendChoice:
    return st.session_state.get(_CHOICE) or BackendChoice()


def set_backend_choice(choice: BackendChoice) -> None:
    st.session_state[_CHOICE] = choice


def llm_settings() -> Settings:
    """Settings with this browser's backend choice applied, for whatever calls the LLM."""
    return backend_choice().apply(settings())


def current_id() -> str | None:
    return st.session_state.get(_SESSION_ID)


def select(session_id: str | None) -> None:
    """Make `session_id` this browser's current session and put it in the URL."""
    if session_id != st.session_state.get(_SESSION_ID):
        st.session_state.pop(_INTERVIEW, None)
    st.session_state[_SESSION_ID] = session_id
    if session_id:
        st.query_params[SESSION_PARAM] = session_id
    elif SESSION_PARAM in st.query_params:
        del st.query_params[SESSION_PARAM]


def sync_with_url() -> None:
    """Adopt `?session=` on a fresh page load; otherwise keep the URL showing our session.

    Page navigation clears the query string, so it is written back on every run.
    """
    wanted = st.query_params.get(SESSION_PARAM)
    current = current_id()
    if wanted and wanted != current:
        try:
            store().get(wanted, viewer=auth.user_id())
        except SessionNotFound as exc:
            st.warning(f"{exc}. Start a new interview or pick one from History.")
            select(current)
            return
        select(wanted)
    elif current and not wanted:
        st.query_params[SESSION_PARAM] = current


def drop_interview() -> None:
    """Forget the open session object; the next `interview()` reopens it from the store."""
    st.session_state.pop(_INTERVIEW, None)


def _phraser(choice: BackendChoice):
    """The LLM phraser for `choice`, or None offline. Raises LLMConfigError (one line)."""
    return phraser_for(choice.apply(settings()))


def interview() -> InterviewSession | None:
    """The current session, reopened from the store when this browser has not got it yet.

    Reopening answers a candidate turn a crash left unanswered (see `InterviewSession.resume`).
    A tab that has no backend choice of its own (a reload, another browser) continues with
    the backend the session was started with when the environment configures it, else with
    the offline interviewer, and says so. The same interview open in several tabs stays
    one interview: each tab's copy reloads from the store when another tab moved it on.
    """
    session_id = current_id()
    if not session_id:
        return None
    cached: InterviewSession | None = st.session_state.get(_INTERVIEW)
    if cached is not None and cached.id == session_id:
        # Another tab or server may have moved the interview on: continue from the stored
        # one, never from this tab's older copy (its next save would be refused as stale).
        cached.refresh()
        return cached
    # Only the owner continues an interview: one shared with an interviewer is read-only.
    owner = auth.user_id()
    record = store().get(session_id, viewer=owner)
    if record.owner != owner:
        raise SessionNotFound(session_id)
    choice = st.session_state.get(_CHOICE)
    if choice is None and record.backend != "offline" and record.status == "active":
        choice = BackendChoice(record.backend, model=record.model or "")
    phraser = None
    if choice is not None and choice.backend != "offline" and record.status == "active":
        from simulator.llm.errors import LLMConfigError

        try:
            phraser = _phraser(choice)
        except LLMConfigError as exc:
            st.info(f"Continuing with the offline interviewer: {exc}")
    session, _ = InterviewSession.resume(settings(), store(), session_id, grounder=grounder(),
                                         phraser=phraser)
    st.session_state[_INTERVIEW] = session
    return session


def start(problem_id: str, *, minutes: float, level: str, seed: int,
          choice: BackendChoice, start_phase: str = "clarify") -> InterviewSession:
    """Create and store a new interview and make it current (a drill when ``start_phase``
    is later than clarify).

    Raises LLMConfigError when the chosen LLM backend cannot work (missing key or URL).
    """
    configured = choice.apply(settings())
    phraser = phraser_for(configured)
    session, _ = InterviewSession.start(
        configured, store(), problem_id, minutes=minutes, seed=seed, level=level,
        grounder=grounder(), backend=choice.backend, phraser=phraser, owner=auth.user_id(),
        start_phase=start_phase,
    )
    set_backend_choice(choice)
    select(session.id)
    st.session_state[_INTERVIEW] = session
    return session
