"""Interview sessions in SQLite: metadata, state snapshot, turns, notes, usage and scorecard.

One database file (`Settings.db_path`) is shared by the CLI, the Streamlit app and replay, so
the store is built for several processes at once: WAL journal, a busy timeout, and every write
in a `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so two writers queue
instead of failing on a lock upgrade). Each write commits before the call returns: a process
killed afterwards loses nothing, one killed mid-call loses only that call.

Within a process one connection is shared by all threads behind a lock (Streamlit runs each
browser session on its own thread).
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, Field

from simulator.store.migrations import migrate
from simulator.transcript import InterviewState, PhaseName, Turn

Status = Literal["active", "finished"]
STATUSES: tuple[Status, ...] = ("active", "finished")

LOCAL_USER = "local"  # the one owner in local mode (no sign-in)
ID_SHOWN_CHARS = 40  # an id quoted in a message is cut to this many characters

BUSY_TIMEOUT_MS = 10_000
ID_ALPHABET = string.ascii_lowercase + string.digits
ID_LENGTH = 8

# Turn fields kept in their own columns; every other Turn field goes to meta_json.
_TURN_COLUMNS = ("role", "phase", "intent", "probe", "text")

# Keys that name credentials. Usage fields such as `prompt_tokens` must not match.
_SECRET_KEY = re.compile(
    r"api[_-]?key|authori[sz]ation|password|passwd|secret|bearer|cookie|access[_-]?token"
    r"|refresh[_-]?token|session[_-]?token",
    re.IGNORECASE,
)
_SECRET_VALUE = re.compile(r"^\s*(bearer\s+\S+|sk-[A-Za-z0-9_-]{16,})", re.IGNORECASE)


class SessionNotFound(KeyError):
    """No session with that id in this database, or none this viewer may see.

    Both cases give the same message, so a stranger's session id cannot be told from a
    missing one; the message never names the database path (browsers show it).
    """

    def __init__(self, session_id: str, path: Path | None = None) -> None:
        self.session_id = session_id
        self.message = (
            f"no session {session_id[:ID_SHOWN_CHARS]!r}; "
            "run `sdsim sessions list` to see session ids"
        )
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class SessionRecord(BaseModel):
    """A stored session, everything included."""

    id: str
    problem_id: str
    level: str
    minutes: float
    seed: int
    backend: str
    model: str | None = None
    prompt_hash: str | None = None
    status: Status
    created_at: datetime
    updated_at: datetime
    state: InterviewState
    turns: list[Turn] = Field(default_factory=list)
    turn_usage: list[dict[str, Any]] = Field(
        default_factory=list, description="token usage of each turn, parallel to `turns`"
    )
    notes: str = ""
    usage: dict[str, Any] = Field(default_factory=dict)
    scorecard: dict[str, Any] | None = None
    owner: str = LOCAL_USER


class SessionSummary(BaseModel):
    """One line of `sdsim sessions list`."""

    id: str
    problem_id: str
    level: str
    status: Status
    created_at: datetime
    updated_at: datetime
    turn_count: int
    last_phase: PhaseName | None = None
    overall_score: float | None = None
    owner: str = LOCAL_USER


def scrub_secrets(value: Any) -> Any:
    """A copy of `value` with credential-like keys (and bearer/sk- values) removed."""
    if isinstance(value, dict):
        return {
            key: scrub_secrets(item)
            for key, item in value.items()
            if not _SECRET_KEY.search(str(key))
            and not (isinstance(item, str) and _SECRET_VALUE.match(item))
        }
    if isinstance(value, list | tuple):
        return [
            scrub_secrets(item)
            for item in value
            if not (isinstance(item, str) and _SECRET_VALUE.match(item))
        ]
    return value


def merge_usage(total: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Sum numeric fields (recursing into dicts); other values take the newest one."""
    out = dict(total)
    for key, value in more.items():
        old = out.get(key)
        if _is_number(value) and _is_number(old):
            out[key] = old + value
        elif isinstance(value, dict) and isinstance(old, dict):
            out[key] = merge_usage(old, value)
        else:
            out[key] = value
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _new_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def overall_score(scorecard: dict[str, Any] | None) -> float | None:
    """The headline number of a scorecard: `overall` (a number or `{score: n}`) or `score`."""
    if not scorecard:
        return None
    for key in ("overall", "overall_score", "score"):
        value = scorecard.get(key)
        if isinstance(value, dict):
            value = value.get("score")
        if _is_number(value):
            return float(value)
    return None


class SessionStore:
    """The session database at `path` (created and migrated on open)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path,
            isolation_level=None,  # autocommit; transactions are explicit below
            check_same_thread=False,  # shared across threads, serialised by self._lock
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")  # durable across process crashes
        self._conn.execute("PRAGMA foreign_keys = ON")
        with self._lock:
            migrate(self._conn, str(self.path))

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the database write lock from its first statement."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _require(
        self, conn: sqlite3.Connection, session_id: str, viewer: str | None = None,
        *, owner_only: bool = False,
    ) -> sqlite3.Row:
        """The session's row, if `viewer` may see it (None: anyone); else SessionNotFound.

        A viewer sees the sessions it owns and, unless `owner_only`, those shared with it.
        """
        row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or not self._may_see(conn, row, viewer, owner_only):
            raise SessionNotFound(session_id, self.path)
        return row

    @staticmethod
    def _may_see(
        conn: sqlite3.Connection, row: sqlite3.Row, viewer: str | None, owner_only: bool
    ) -> bool:
        if viewer is None or row["owner"] == viewer:
            return True
        if owner_only:
            return False
        return conn.execute(
            "SELECT 1 FROM shares WHERE session_id = ? AND viewer = ?", (row["id"], viewer)
        ).fetchone() is not None

    def _touch(self, conn: sqlite3.Connection, session_id: str, **columns: Any) -> None:
        columns["updated_at"] = _now()
        assignments = ", ".join(f"{name} = ?" for name in columns)
        conn.execute(
            f"UPDATE sessions SET {assignments} WHERE id = ?", (*columns.values(), session_id)
        )

    def _insert_turn(
        self, conn: sqlite3.Connection, session_id: str, turn: Turn, usage: dict | None
    ) -> int:
        meta = turn.model_dump(mode="json", exclude=set(_TURN_COLUMNS))
        if usage:
            meta["usage"] = scrub_secrets(usage)
        seq = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE session_id = ?", (session_id,)
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO turns (session_id, seq, role, phase, intent, probe, text, meta_json,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                seq,
                turn.role,
                turn.phase,
                turn.intent,
                turn.probe,
                turn.text,
                _dumps(meta),
                _now(),
            ),
        )
        return seq

    def _add_usage(self, conn: sqlite3.Connection, session_id: str, usage: dict) -> None:
        row = conn.execute("SELECT usage_json FROM sessions WHERE id = ?", (session_id,)).fetchone()
        total = merge_usage(json.loads(row["usage_json"] or "{}"), scrub_secrets(usage))
        self._touch(conn, session_id, usage_json=_dumps(total))

    def _update_state(
        self, conn: sqlite3.Connection, session_id: str, state: InterviewState, status: str | None
    ) -> None:
        if status is None and state.finished:
            status = "finished"
        columns: dict[str, Any] = {"state_json": state.model_dump_json()}
        if status is not None:
            if status not in STATUSES:
                raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
            columns["status"] = status
        self._touch(conn, session_id, **columns)

    # -- sessions ---------------------------------------------------------------------------

    def create(
        self,
        problem_id: str,
        *,
        level: str,
        minutes: float,
        seed: int,
        backend: str = "offline",
        model: str | None = None,
        prompt_hash: str | None = None,
        state: InterviewState,
        owner: str = LOCAL_USER,
    ) -> str:
        """Store a new session and return its id (8 random lowercase letters and digits)."""
        if state.problem_id != problem_id:
            raise ValueError(
                f"state is for problem {state.problem_id!r}, session for {problem_id!r}"
            )
        now = _now()
        status = "finished" if state.finished else "active"
        with self._write() as conn:
            while True:
                session_id = _new_id()
                if not conn.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", (session_id,)
                ).fetchone():
                    break
            conn.execute(
                "INSERT INTO sessions (id, problem_id, level, minutes, seed, backend, model,"
                " prompt_hash, status, created_at, updated_at, state_json, owner)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    problem_id,
                    level,
                    minutes,
                    seed,
                    backend,
                    model,
                    prompt_hash,
                    status,
                    now,
                    now,
                    state.model_dump_json(),
                    owner,
                ),
            )
        return session_id

    def get(self, session_id: str, *, viewer: str | None = None) -> SessionRecord:
        """The whole session. `viewer=None` is unrestricted (CLI, admin); otherwise the
        session must be owned by or shared with `viewer`, else SessionNotFound."""
        with self._lock:
            # One read transaction, so the turns match the state snapshot.
            self._conn.execute("BEGIN")
            try:
                row = self._require(self._conn, session_id, viewer)
                turn_rows = self._conn.execute(
                    "SELECT * FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)
                ).fetchall()
                score = self._conn.execute(
                    "SELECT scorecard_json FROM scores WHERE session_id = ?", (session_id,)
                ).fetchone()
            finally:
                self._conn.execute("COMMIT")
        turns, turn_usage = [], []
        for turn_row in turn_rows:
            meta = json.loads(turn_row["meta_json"] or "{}")
            turn_usage.append(meta.pop("usage", {}))
            columns = {name: turn_row[name] for name in _TURN_COLUMNS}
            turns.append(Turn.model_validate({**meta, **columns}))
        return SessionRecord(
            id=row["id"],
            problem_id=row["problem_id"],
            level=row["level"],
            minutes=row["minutes"],
            seed=row["seed"],
            backend=row["backend"],
            model=row["model"],
            prompt_hash=row["prompt_hash"],
            status=row["status"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            state=InterviewState.model_validate_json(row["state_json"]),
            turns=turns,
            turn_usage=turn_usage,
            notes=row["notes"],
            usage=json.loads(row["usage_json"] or "{}"),
            scorecard=json.loads(score["scorecard_json"]) if score else None,
            owner=row["owner"],
        )

    def list(
        self,
        limit: int = 50,
        problem_id: str | None = None,
        *,
        owner: str | None = None,
        shared_with: str | None = None,
    ) -> list[SessionSummary]:
        """The newest sessions first, optionally for one problem, one owner, or only those
        shared with one viewer."""
        conditions, params = [], []
        if problem_id is not None:
            conditions.append("s.problem_id = ?")
            params.append(problem_id)
        if owner is not None:
            conditions.append("s.owner = ?")
            params.append(owner)
        if shared_with is not None:
            conditions.append(
                "EXISTS (SELECT 1 FROM shares sh WHERE sh.session_id = s.id AND sh.viewer = ?)"
            )
            params.append(shared_with)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        query = f"""
            SELECT s.id, s.problem_id, s.level, s.status, s.created_at, s.updated_at,
                   s.state_json, s.owner,
                   (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) AS turn_count,
                   (SELECT phase FROM turns t WHERE t.session_id = s.id
                     ORDER BY seq DESC LIMIT 1) AS last_phase,
                   sc.scorecard_json
            FROM sessions s LEFT JOIN scores sc ON sc.session_id = s.id
            {where}
            ORDER BY s.created_at DESC, s.rowid DESC
            LIMIT ?
        """
        with self._lock:
            rows = self._conn.execute(query, (*params, limit)).fetchall()
        summaries = []
        for row in rows:
            last_phase = row["last_phase"] or json.loads(row["state_json"]).get("phase")
            scorecard = json.loads(row["scorecard_json"]) if row["scorecard_json"] else None
            summaries.append(
                SessionSummary(
                    id=row["id"],
                    problem_id=row["problem_id"],
                    level=row["level"],
                    status=row["status"],
                    created_at=row["created_at"],
                    updated_at=row["updated_at"],
                    turn_count=row["turn_count"],
                    last_phase=last_phase,
                    overall_score=overall_score(scorecard),
                    owner=row["owner"],
                )
            )
        return summaries

    def delete(self, session_id: str, *, viewer: str | None = None) -> None:
        """Remove a session with its turns and scorecard; only its owner (or unrestricted)."""
        with self._write() as conn:
            self._require(conn, session_id, viewer, owner_only=True)
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # -- shares -----------------------------------------------------------------------------

    def share(self, session_id: str, viewer_email: str, *, owner: str) -> None:
        """Let `viewer_email` (an interviewer) see the session; only its owner may share."""
        with self._write() as conn:
            self._require(conn, session_id, owner, owner_only=True)
            conn.execute(
                "INSERT OR IGNORE INTO shares (session_id, viewer, created_at) VALUES (?, ?, ?)",
                (session_id, viewer_email, _now()),
            )

    def unshare(self, session_id: str, viewer_email: str, *, owner: str) -> None:
        """Take back a share; only the session's owner may."""
        with self._write() as conn:
            self._require(conn, session_id, owner, owner_only=True)
            conn.execute(
                "DELETE FROM shares WHERE session_id = ? AND viewer = ?",
                (session_id, viewer_email),
            )

    def shared_with(self, session_id: str) -> list[str]:
        """The viewers a session is shared with, sorted."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT viewer FROM shares WHERE session_id = ? ORDER BY viewer", (session_id,)
            ).fetchall()
        return [row["viewer"] for row in rows]

    # -- turns and state --------------------------------------------------------------------

    def add_turn(
        self, session_id: str, turn: Turn, usage: dict | None = None, *,
        viewer: str | None = None,
    ) -> int:
        """Append a turn (committed on return) and return its seq, 1 for the first turn.

        `usage` is the token usage of producing this turn: kept on the turn and added to the
        session totals. Use `add_usage` for usage not tied to a turn (e.g. a judge call).
        """
        with self._write() as conn:
            self._require(conn, session_id, viewer)
            seq = self._insert_turn(conn, session_id, turn, usage)
            if usage:
                self._add_usage(conn, session_id, usage)
            else:
                self._touch(conn, session_id)
        return seq

    def save_state(
        self, session_id: str, state: InterviewState, status: Status | None = None, *,
        viewer: str | None = None,
    ) -> None:
        """Replace the state snapshot; a finished state marks the session finished."""
        with self._write() as conn:
            self._require(conn, session_id, viewer)
            self._update_state(conn, session_id, state, status)

    def append_turn_and_state(
        self, session_id: str, turn: Turn, state: InterviewState, usage: dict | None = None, *,
        viewer: str | None = None,
    ) -> int:
        """Append a turn and save the state it led to, both or neither; return the seq."""
        with self._write() as conn:
            self._require(conn, session_id, viewer)
            seq = self._insert_turn(conn, session_id, turn, usage)
            if usage:
                self._add_usage(conn, session_id, usage)
            self._update_state(conn, session_id, state, None)
        return seq

    # -- notes, usage, scorecard ------------------------------------------------------------

    def save_notes(self, session_id: str, notes: str, *, viewer: str | None = None) -> None:
        """Replace the candidate's scratchpad."""
        with self._write() as conn:
            self._require(conn, session_id, viewer)
            self._touch(conn, session_id, notes=notes)

    def add_usage(
        self, session_id: str, usage: dict[str, Any], *, viewer: str | None = None
    ) -> dict[str, Any]:
        """Add token usage/cost to the session totals (numeric fields summed); return totals."""
        with self._write() as conn:
            self._require(conn, session_id, viewer)
            self._add_usage(conn, session_id, usage)
            row = conn.execute(
                "SELECT usage_json FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return json.loads(row["usage_json"])

    def save_scorecard(
        self, session_id: str, scorecard: dict[str, Any], *, viewer: str | None = None
    ) -> None:
        """Store (or replace) the session's scorecard."""
        with self._write() as conn:
            self._require(conn, session_id, viewer)
            conn.execute(
                "INSERT INTO scores (session_id, scorecard_json, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT(session_id) DO UPDATE SET"
                " scorecard_json = excluded.scorecard_json, created_at = excluded.created_at",
                (session_id, _dumps(scrub_secrets(scorecard)), _now()),
            )
            self._touch(conn, session_id)

    def get_scorecard(
        self, session_id: str, *, viewer: str | None = None
    ) -> dict[str, Any] | None:
        with self._lock:
            self._require(self._conn, session_id, viewer)
            row = self._conn.execute(
                "SELECT scorecard_json FROM scores WHERE session_id = ?", (session_id,)
            ).fetchone()
        return json.loads(row["scorecard_json"]) if row else None
