"""An interview bound to its stored record.

The order of writes is the guarantee: the candidate's turn is committed before the
interviewer's answer is produced, and the answer is stored together with the state it led
to. A process killed between the two leaves a candidate turn without an answer; resuming
recomputes that answer from the saved state (the engine is deterministic), so nothing the
candidate typed is lost and nothing is answered twice.

The same interview can be open in several places at once (two tabs, two app servers). Each
write says how many turns this copy has (`expected_turns`); when the store has moved on, the
copy is stale: it reloads the session from the store (waiting for an answer another copy is
still producing) and decides the message again against the stored interview, so the last
writer never overwrites the others and turns stay in order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

from simulator.content.loader import Content, load_content
from simulator.content.problems import Problem
from simulator.interview.engine import Grounder, Interviewer, Reply
from simulator.interview.phrasing import LLMPhraser, Phrased
from simulator.settings import Settings
from simulator.store.sessions import LOCAL_USER, SessionRecord, SessionStore, StaleSession
from simulator.transcript import Citation, InterviewState, Turn

log = logging.getLogger(__name__)

# Simulated seconds a scripted candidate spends on a turn: thinking plus speaking
# (about 150 words a minute), so replays walk the time budget like a real interview.
THINK_S = 25.0
WORDS_PER_S = 2.5


def simulated_seconds(text: str, asked: str = "") -> float:
    """Clock time a scripted answer takes: hearing the question (``asked``), thinking, then
    saying the answer, at a speaking pace."""
    return THINK_S + (len(asked.split()) + len(text.split())) / WORDS_PER_S


#: A chunk is cited only when its cosine similarity to the turn reaches this: below it the
#: best chunk is usually about something else (CAP cited for "how many processes").
#: Chosen as the best F1 on the tune half of the retrieval set; benchmarks/citation_threshold.py
#: prints the sweep and the held-out figures.
CITATION_MIN_SCORE = 0.34


def retriever_grounder(retriever, k: int = 2, min_score: float = CITATION_MIN_SCORE) -> Grounder:
    """Ground a turn in the best chunks of the problem's own articles that are relevant."""

    def ground(query: str, articles: list[str]) -> list[Citation]:
        hits = retriever.search(query, k=k, doc_ids=articles)
        return [
            Citation(chunk_id=h.chunk_id, doc_id=h.doc_id, title=h.title, heading=h.heading,
                     score=h.score)
            for h in hits if h.score >= min_score
        ]

    return ground


_RETRIEVERS: dict[tuple, object] = {}


def default_grounder(settings: Settings) -> Grounder:
    """The corpus retriever for these settings, built (and ingested if empty) once per process."""
    from simulator.corpus.ingest import ingest, is_empty
    from simulator.corpus.search import Retriever

    key = (str(settings.chroma_path), settings.chroma_url, settings.collection,
           settings.embedding_backend)
    if key not in _RETRIEVERS:
        if is_empty(settings):
            ingest(settings)
        _RETRIEVERS[key] = Retriever(settings)
    return retriever_grounder(_RETRIEVERS[key])


BUSY_TIMEOUT_S = 300.0  # longer than the LLM's whole-answer deadline


class SessionBusy(RuntimeError):
    """Another answer of the same session did not finish in time."""


class AnswerStream(Iterator[str]):
    """The interviewer's answer, piece by piece; stores the turn when it ends.

    Reading it to the end, or closing it early, stores the interviewer turn and lets the
    next message of the session go ahead. Closing reads what is left of the answer without
    showing it: the stored turn is the whole answer either way, and the engine state and
    the store never disagree. If the LLM path raises, nothing more is stored: the candidate
    turn stays unanswered and `InterviewSession.resume` answers it.
    """

    def __init__(self, session: InterviewSession, reply: Reply, pieces: Iterator[str],
                 outcome: Phrased | None) -> None:
        self._session = session
        self._reply = reply
        self._pieces = pieces
        self._outcome = outcome
        self._open = True

    def __next__(self) -> str:
        if not self._open:
            raise StopIteration
        try:
            return next(self._pieces)
        except StopIteration:
            self._end(commit=True)
            raise
        except BaseException:
            self._end(commit=False)
            raise

    def close(self) -> None:
        """Finish the answer unseen and store it (no-op once it has ended)."""
        if not self._open:
            return
        log.info("answer stream closed early in session %s; finishing it unseen",
                 self._session.id)
        try:
            for _ in self._pieces:
                pass
        except BaseException:
            self._end(commit=False)
            raise
        self._end(commit=True)

    def _end(self, *, commit: bool) -> None:
        self._open = False
        try:
            if commit:
                self._session._commit(self._reply, self._outcome)
        finally:
            self._session.lock.release()

    def __del__(self) -> None:
        # A consumer dropped it half-read without closing it: still store the answer.
        if getattr(self, "_open", False):
            try:
                self.close()
            except Exception:  # a finaliser must not raise; resume answers the turn
                log.exception("finishing an abandoned answer stream failed")


class InterviewSession:
    """Runs one stored interview: `answer()` per candidate message."""

    def __init__(
        self,
        store: SessionStore,
        session_id: str,
        engine: Interviewer,
        clock: Callable[[], float] | None = None,
        phraser: LLMPhraser | None = None,
        history: list[Turn] | None = None,
    ) -> None:
        self.store = store
        self.id = session_id
        self.engine = engine
        self._clock = clock
        self._resumed_at = time.monotonic()
        self._base_elapsed = engine.state.elapsed_s
        self.phraser = phraser
        self.history: list[Turn] = list(history or [])
        self.last_reply: Reply | None = None
        # Held from the moment an answer starts until it is stored. A web page can fire a
        # second message (a button pressed while the first answer streams) from another
        # thread; the lock makes it wait, so turns are stored in the order the engine saw
        # them. A plain Lock, not an RLock: the thread that finishes a stream (a finaliser)
        # need not be the one that started it.
        self.lock = threading.Lock()

    @property
    def state(self) -> InterviewState:
        return self.engine.state

    @property
    def problem(self) -> Problem:
        return self.engine.problem

    # -- construction ---------------------------------------------------------------

    @staticmethod
    def _engine(settings: Settings, content: Content, state: InterviewState,
                grounder: Grounder | None) -> Interviewer:
        return Interviewer(
            content,
            state,
            grounder=grounder,
            max_input_tokens=settings.max_input_tokens,
        )

    @classmethod
    def start(
        cls,
        settings: Settings,
        store: SessionStore,
        problem_id: str,
        *,
        minutes: float | None = None,
        seed: int = 0,
        level: str = "senior",
        grounder: Grounder | None = None,
        backend: str = "offline",
        model: str | None = None,
        clock: Callable[[], float] | None = None,
        phraser: LLMPhraser | None = None,
        content: Content | None = None,
        owner: str = LOCAL_USER,
        start_phase: str = "clarify",
    ) -> tuple[InterviewSession, Turn]:
        """Create the session, store the opening turn and return both.

        ``content`` is the prompt set to interview with (default: the configured one).
        ``start_phase`` later than clarify makes a drill: the interviewer states the problem
        and opens that phase at once (the opening turn's phase tells a drill apart)."""
        content = content or load_content(settings.prompts_dir)
        state = InterviewState(
            problem_id=problem_id,
            seed=seed,
            minutes=minutes or settings.interview_minutes,
            level=level,  # type: ignore[arg-type]
        )
        engine = cls._engine(settings, content, state, grounder)
        opening = engine.opening(start_phase=start_phase)  # type: ignore[arg-type]
        if phraser is not None:
            backend, model = settings.llm_backend, phraser.client.model_name
        session_id = store.create(
            problem_id, level=level, minutes=state.minutes, seed=seed, backend=backend,
            model=model, prompt_hash=content.hash, state=state, owner=owner,
        )
        store.append_turn_and_state(session_id, opening, state)
        return cls(store, session_id, engine, clock, phraser, [opening]), opening

    @classmethod
    def resume(
        cls,
        settings: Settings,
        store: SessionStore,
        session_id: str,
        *,
        grounder: Grounder | None = None,
        clock: Callable[[], float] | None = None,
        phraser: LLMPhraser | None = None,
        content: Content | None = None,
    ) -> tuple[InterviewSession, Turn | None]:
        """Reopen a stored session; answers a candidate turn a crash left unanswered."""
        content = content or load_content(settings.prompts_dir)
        record = store.get(session_id)
        engine = cls._engine(settings, content, record.state, grounder)
        while True:
            engine = cls._engine(settings, content, record.state, grounder)
            session = cls(store, session_id, engine, clock, phraser, record.turns)
            pending = (record.turns[-1]
                       if record.turns and record.turns[-1].role == "candidate" else None)
            engine.load_history(record.turns[:-1] if pending else record.turns)
            if pending is None:
                return session, None
            reply = engine.respond(pending.text, pending.elapsed_s)
            try:
                store.append_turn_and_state(session_id, reply.interviewer, engine.state,
                                            expected_turns=len(record.turns))
            except StaleSession:  # another copy answered it meanwhile: take the stored one
                record = store.get(session_id)
                continue
            session.history.append(reply.interviewer)
            return session, reply.interviewer

    # -- turns ----------------------------------------------------------------------

    def elapsed_s(self) -> float:
        if self._clock is not None:
            return self._clock()
        return self._base_elapsed + (time.monotonic() - self._resumed_at)

    def answer(self, text: str, elapsed_s: float | None = None) -> Reply:
        """Store the candidate's message, then decide, store and return the answer."""
        for _ in self.stream_answer(text, elapsed_s):
            pass
        assert self.last_reply is not None
        return self.last_reply

    def stream_answer(self, text: str, elapsed_s: float | None = None) -> AnswerStream:
        """Like `answer`, giving the interviewer's text as it is produced.

        The candidate turn is decided and committed before this returns, so a caller that
        is stopped before it reads a piece (a Streamlit rerun) loses nothing. The
        interviewer turn is committed (with the state and token usage) after the last
        piece, or when the stream is closed early. `last_reply` holds both turns afterwards.
        Waits while another answer of this session is in progress.
        """
        if not self.lock.acquire(timeout=BUSY_TIMEOUT_S):
            raise SessionBusy(f"session {self.id} is still answering an earlier message")
        try:
            while True:
                when = self.elapsed_s() if elapsed_s is None else elapsed_s
                # Never before the stored clock (a reloaded copy may be behind it).
                reply = self.engine.respond(text, max(when, self.engine.state.elapsed_s))
                try:
                    self.store.add_turn(self.id, reply.candidate,
                                        expected_turns=len(self.history))
                    break
                except StaleSession:
                    log.info("session %s changed elsewhere; reloading before answering",
                             self.id)
                    self.reload()
            self.history.append(reply.candidate)
            phrased = (self.phraser is not None
                       and not set(reply.candidate.flags) & {"empty", "binary"})
            outcome = Phrased() if phrased else None
            pieces = (self.phraser.stream(self.engine, self.history, reply.interviewer, outcome)
                      if phrased else iter((reply.interviewer.text,)))
        except BaseException:
            self.lock.release()
            raise
        return AnswerStream(self, reply, pieces, outcome)

    def is_stale(self) -> bool:
        """Whether the store has turns this copy has not seen (another tab or server)."""
        return self.store.turn_count(self.id) != len(self.history)

    def reload(self, wait_s: float = BUSY_TIMEOUT_S) -> SessionRecord:
        """Replace this copy's engine and history with the stored interview.

        Waits while the stored interview ends with a candidate turn another copy is still
        answering (up to `wait_s`, then SessionBusy), so the reloaded engine starts from an
        answered state. The caller holds `lock` or is not answering.
        """
        deadline = time.monotonic() + wait_s
        while True:
            record = self.store.get(self.id)
            if not record.turns or record.turns[-1].role != "candidate":
                break
            if time.monotonic() > deadline:
                raise SessionBusy(f"session {self.id} is still answering a message elsewhere")
            time.sleep(0.02)
        old = self.engine
        engine = Interviewer(old.content, record.state, grounder=old.grounder,
                             max_input_tokens=old.max_input_tokens)
        engine.load_history(record.turns)
        # The clock carries on from wherever is later: this copy's or the stored one.
        self._base_elapsed = max(self.elapsed_s(), record.state.elapsed_s)
        self._resumed_at = time.monotonic()
        self.engine = engine
        self.history = list(record.turns)
        return record

    def refresh(self, wait_s: float = 5.0) -> bool:
        """Reload this copy if another tab or server moved the interview on; True if it did.

        Skipped while this copy is answering (its own answer is landing) and when another
        copy's answer does not land within `wait_s` (the next message reloads anyway).
        """
        if not self.lock.acquire(blocking=False):
            return False
        try:
            if not self.is_stale():
                return False
            self.reload(wait_s)
            return True
        except SessionBusy:
            return False
        finally:
            self.lock.release()

    def wait_idle(self) -> bool:
        """Wait for an answer in progress (in another thread) to be stored; False if it
        is still running after BUSY_TIMEOUT_S."""
        if not self.lock.acquire(timeout=BUSY_TIMEOUT_S):
            return False
        self.lock.release()
        return True

    def _commit(self, reply: Reply, outcome: Phrased | None) -> None:
        turn = reply.interviewer
        usage: dict = {}
        if outcome is not None:
            turn.text, turn.notice, usage = outcome.text, outcome.notice, outcome.usage
        try:
            self.store.append_turn_and_state(self.id, turn, self.engine.state, usage or None,
                                             expected_turns=len(self.history))
        except StaleSession:
            # Another copy answered our message first (a tab reopened it meanwhile): its
            # answer stands; this copy takes the stored interview instead of overwriting it.
            log.info("session %s: the answer was stored elsewhere; reloading", self.id)
            self.reload()
        else:
            self.history.append(turn)
        self.last_reply = reply

    def record(self) -> SessionRecord:
        return self.store.get(self.id)


def phraser_for(settings: Settings) -> LLMPhraser | None:
    """The LLM phraser when an LLM backend is configured, else None (offline engine only)."""
    if settings.llm_backend == "offline":
        return None
    return LLMPhraser(settings)
