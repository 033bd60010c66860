"""Interview sessions: metadata, state snapshot, turns, notes, usage and scorecard.

One database is shared by the CLI, the Streamlit app and replay: a SQLite file
(`Settings.db_path`, the default) or, for several app servers, a PostgreSQL server
(`Settings.database_url`). `SessionStore.from_settings` picks it; nothing else needs to know.
The store is built for several processes at once (database.py: SQLite's WAL and
`BEGIN IMMEDIATE`, PostgreSQL's row locks). Every write that concerns a session first reads
that session's row under the write lock (`_require(..., lock=True)`), so the checks and the
change happen in one transaction that no other writer of the session can interleave with.
Each write commits before the call returns: a process killed afterwards loses nothing, one
killed mid-call loses only that call.

Within a process, threads (Streamlit runs each browser session on its own) share a small
pool of connections.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import BaseModel, Field
from sqlalchemy import Connection, RowMapping, text
from sqlalchemy.exc import OperationalError

from simulator.store.database import Database, DatabaseUnavailable, first_line
from simulator.store.migrations import migrate
from simulator.transcript import InterviewState, PhaseName, Turn

if TYPE_CHECKING:
    from simulator.settings import Settings

Status = Literal["active", "finished"]
STATUSES: tuple[Status, ...] = ("active", "finished")

LOCAL_USER = "local"  # the owner of every session in local (single-user) mode
ID_SHOWN = 40  # longest id quoted back in a message
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


def shown_id(session_id: str) -> str:
    """`session_id` quoted for a message, cut to ID_SHOWN characters (ids come from URLs)."""
    if len(session_id) > ID_SHOWN:
        return repr(session_id[:ID_SHOWN]) + "…"
    return repr(session_id)


class SessionNotFound(KeyError):
    """No session with that id that this caller may see.

    A session owned by someone else raises exactly this too, so a link to it answers like a
    missing one. The message goes to browsers: it quotes the id cut short and never names the
    database (no internal path).
    """

    def __init__(self, session_id: str, path: Path | None = None) -> None:
        self.session_id = session_id
        self.message = f"no session {shown_id(session_id)}; run `sdsim sessions list` to see session ids"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class StaleSession(RuntimeError):
    """The session gained turns since the caller loaded it: reload it and try again."""

    def __init__(self, session_id: str, expected: int, stored: int) -> None:
        self.session_id, self.expected, self.stored = session_id, expected, stored
        super().__init__(
            f"session {shown_id(session_id)} has {stored} turns, not {expected}: "
            "it changed elsewhere (another tab?); reload it"
        )


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
    """The session database at `where`: a SQLite file path, or a PostgreSQL URL
    (`postgresql://` or `postgresql+psycopg://`). Created and migrated on open."""

    def __init__(self, where: Path | str) -> None:
        self._db = Database(where)
        self.path: Path | None = self._db.path  # None on PostgreSQL
        self.location = self._db.location  # for logs only: the path, or the URL sans password
        self.dialect = self._db.dialect
        try:
            migrate(self._db)
        except OperationalError as exc:
            self._db.close()
            raise DatabaseUnavailable(
                f"cannot open the session database {self.location}: {first_line(exc.orig)}"
            ) from None
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionStore:
        """The store the settings name: PostgreSQL if `database_url` is set, else the
        SQLite file `db_path`."""
        return cls(settings.database_url or settings.db_path)

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SessionStore({self.location!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (see database.py for how each backend locks)."""
        with self._db.write() as conn:
            yield conn

    def _require(
        self, conn: Connection, session_id: str, viewer: str | None = None,
        *, owner_only: bool = False, lock: bool = False,
    ) -> RowMapping:
        """The session's row, if `viewer` may see it (None: anyone); else SessionNotFound.

        A viewer sees sessions they own or that were shared with them (`owner_only`: only
        their own, for deleting and sharing). Someone else's session answers like a missing one.
        `lock` (in a write transaction) holds the row until commit, so no other writer of
        this session runs between our checks and our change.
        """
        row = conn.execute(
            text("SELECT * FROM sessions WHERE id = :id" + (self._db.lock_row if lock else "")),
            {"id": session_id},
        ).mappings().first()
        if row is None:
            raise SessionNotFound(session_id)
        if viewer is None or row["owner"] == viewer:
            return row
        if not owner_only and conn.execute(
            text("SELECT 1 FROM shares WHERE session_id = :id AND viewer = :viewer"),
            {"id": session_id, "viewer": viewer},
        ).first():
            return row
        raise SessionNotFound(session_id)

    @staticmethod
    def _count_turns(conn: Connection, session_id: str) -> int:
        return conn.execute(
            text("SELECT COUNT(*) FROM turns WHERE session_id = :id"), {"id": session_id}
        ).scalar_one()

    def _check_turns(self, conn: Connection, session_id: str, expected: int | None) -> None:
        """Raise StaleSession unless the session has `expected` turns (None: no check)."""
        if expected is None:
            return
        stored = self._count_turns(conn, session_id)
        if stored != expected:
            raise StaleSession(session_id, expected, stored)

    def _touch(self, conn: Connection, session_id: str, **columns: Any) -> None:
        columns["updated_at"] = _now()
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        conn.execute(
            text(f"UPDATE sessions SET {assignments} WHERE id = :session_id"),
            {**columns, "session_id": session_id},
        )

    def _insert_turn(
        self, conn: Connection, session_id: str, turn: Turn, usage: dict | None
    ) -> int:
        meta = turn.model_dump(mode="json", exclude=set(_TURN_COLUMNS))
        if usage:
            meta["usage"] = scrub_secrets(usage)
        seq = conn.execute(
            text("SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE session_id = :id"),
            {"id": session_id},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO turns (session_id, seq, role, phase, intent, probe, text, meta_json,"
                " created_at) VALUES (:session_id, :seq, :role, :phase, :intent, :probe, :text,"
                " :meta_json, :created_at)"
            ),
            {
                "session_id": session_id,
                "seq": seq,
                "role": turn.role,
                "phase": turn.phase,
                "intent": turn.intent,
                "probe": turn.probe,
                "text": turn.text,
                "meta_json": _dumps(meta),
                "created_at": _now(),
            },
        )
        return seq

    def _add_usage(self, conn: Connection, session_id: str, usage: dict) -> None:
        stored = conn.execute(
            text("SELECT usage_json FROM sessions WHERE id = :id"), {"id": session_id}
        ).scalar_one()
        total = merge_usage(json.loads(stored or "{}"), scrub_secrets(usage))
        self._touch(conn, session_id, usage_json=_dumps(total))

    def _update_state(
        self, conn: Connection, session_id: str, state: InterviewState, status: str | None
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
                    text("SELECT 1 FROM sessions WHERE id = :id"), {"id": session_id}
                ).first():
                    break
            conn.execute(
                text(
                    "INSERT INTO sessions (id, problem_id, level, minutes, seed, backend, model,"
                    " prompt_hash, status, created_at, updated_at, state_json, owner)"
                    " VALUES (:id, :problem_id, :level, :minutes, :seed, :backend, :model,"
                    " :prompt_hash, :status, :created_at, :updated_at, :state_json, :owner)"
                ),
                {
                    "id": session_id,
                    "problem_id": problem_id,
                    "level": level,
                    "minutes": minutes,
                    "seed": seed,
                    "backend": backend,
                    "model": model,
                    "prompt_hash": prompt_hash,
                    "status": status,
                    "created_at": now,
                    "updated_at": now,
                    "state_json": state.model_dump_json(),
                    "owner": owner,
                },
            )
        return session_id

    def get(self, session_id: str, *, viewer: str | None = None) -> SessionRecord:
        """The whole session; `viewer` (None: unrestricted) must own it or have it shared."""
        # One read transaction, so the turns match the state snapshot.
        with self._db.read() as conn:
            row = self._require(conn, session_id, viewer)
            turn_rows = conn.execute(
                text("SELECT * FROM turns WHERE session_id = :id ORDER BY seq"),
                {"id": session_id},
            ).mappings().all()
            score = conn.execute(
                text("SELECT scorecard_json FROM scores WHERE session_id = :id"),
                {"id": session_id},
            ).scalar_one_or_none()
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
            scorecard=json.loads(score) if score else None,
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
        """The newest sessions first; optionally one problem's, one owner's, or those shared
        with one viewer (the filters combine). Sessions created in the same microsecond come
        in descending id order, on either database."""
        conditions, params = [], {"limit": limit}
        if problem_id is not None:
            conditions.append("s.problem_id = :problem_id")
            params["problem_id"] = problem_id
        if owner is not None:
            conditions.append("s.owner = :owner")
            params["owner"] = owner
        if shared_with is not None:
            conditions.append(
                "EXISTS (SELECT 1 FROM shares sh WHERE sh.session_id = s.id"
                " AND sh.viewer = :shared_with)"
            )
            params["shared_with"] = shared_with
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        query = f"""
            SELECT s.id, s.problem_id, s.level, s.status, s.created_at, s.updated_at,
                   s.state_json, s.owner,
                   (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) AS turn_count,
                   (SELECT phase FROM turns t WHERE t.session_id = s.id
                     ORDER BY seq DESC LIMIT 1) AS last_phase,
                   sc.scorecard_json
            FROM sessions s LEFT JOIN scores sc ON sc.session_id = s.id
            {where}
            ORDER BY s.created_at DESC, s.id DESC
            LIMIT :limit
        """
        with self._db.read() as conn:
            rows = conn.execute(text(query), params).mappings().all()
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
        """Remove a session with its turns, scorecard and shares (its owner only, if `viewer`)."""
        with self._write() as conn:
            self._require(conn, session_id, viewer, owner_only=True, lock=True)
            conn.execute(text("DELETE FROM sessions WHERE id = :id"), {"id": session_id})

    # -- shares -----------------------------------------------------------------------------

    def share(self, session_id: str, viewer_email: str, *, owner: str) -> None:
        """Let `viewer_email` (an interviewer) read `owner`'s session; sharing twice is harmless."""
        viewer_email = viewer_email.strip()
        if not viewer_email:
            raise ValueError("share with whom? the viewer's email is empty")
        with self._write() as conn:
            self._require(conn, session_id, owner, owner_only=True, lock=True)
            conn.execute(
                text(
                    "INSERT INTO shares (session_id, viewer, created_at)"
                    " VALUES (:id, :viewer, :created_at)"
                    " ON CONFLICT(session_id, viewer) DO NOTHING"
                ),
                {"id": session_id, "viewer": viewer_email, "created_at": _now()},
            )

    def unshare(self, session_id: str, viewer_email: str, *, owner: str) -> None:
        """Stop sharing `owner`'s session with `viewer_email` (no-op if it was not shared)."""
        with self._write() as conn:
            self._require(conn, session_id, owner, owner_only=True, lock=True)
            conn.execute(
                text("DELETE FROM shares WHERE session_id = :id AND viewer = :viewer"),
                {"id": session_id, "viewer": viewer_email.strip()},
            )

    def shared_with(self, session_id: str) -> list[str]:
        """Who the session is shared with, sorted."""
        with self._db.read() as conn:
            self._require(conn, session_id)
            rows = conn.execute(
                text("SELECT viewer FROM shares WHERE session_id = :id ORDER BY viewer"),
                {"id": session_id},
            ).scalars().all()
        return list(rows)

    # -- turns and state --------------------------------------------------------------------

    def add_turn(
        self, session_id: str, turn: Turn, usage: dict | None = None, *,
        viewer: str | None = None, expected_turns: int | None = None,
    ) -> int:
        """Append a turn (committed on return) and return its seq, 1 for the first turn.

        `usage` is the token usage of producing this turn: kept on the turn and added to the
        session totals. Use `add_usage` for usage not tied to a turn (e.g. a judge call).
        """
        with self._write() as conn:
            self._require(conn, session_id, viewer, lock=True)
            self._check_turns(conn, session_id, expected_turns)
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
            self._require(conn, session_id, viewer, lock=True)
            self._update_state(conn, session_id, state, status)

    def append_turn_and_state(
        self, session_id: str, turn: Turn, state: InterviewState, usage: dict | None = None,
        *, viewer: str | None = None, expected_turns: int | None = None,
    ) -> int:
        """Append a turn and save the state it led to, both or neither; return the seq.

        `expected_turns` is the number of turns the caller's copy of the session has: if the
        store holds another number (another tab or server answered meanwhile), nothing is
        written and StaleSession is raised. The check runs inside the write transaction that
        holds the session's lock, so two writers that loaded the same copy cannot both append.
        """
        with self._write() as conn:
            self._require(conn, session_id, viewer, lock=True)
            self._check_turns(conn, session_id, expected_turns)
            seq = self._insert_turn(conn, session_id, turn, usage)
            if usage:
                self._add_usage(conn, session_id, usage)
            self._update_state(conn, session_id, state, None)
        return seq

    def turn_count(self, session_id: str, *, viewer: str | None = None) -> int:
        """How many turns are stored: a cheap check whether a loaded copy is stale."""
        with self._db.read() as conn:
            self._require(conn, session_id, viewer)
            return self._count_turns(conn, session_id)

    # -- notes, usage, scorecard ------------------------------------------------------------

    def save_notes(self, session_id: str, notes: str, *, viewer: str | None = None) -> None:
        """Replace the candidate's scratchpad."""
        with self._write() as conn:
            self._require(conn, session_id, viewer, lock=True)
            self._touch(conn, session_id, notes=notes)

    def add_usage(
        self, session_id: str, usage: dict[str, Any], *, viewer: str | None = None
    ) -> dict[str, Any]:
        """Add token usage/cost to the session totals (numeric fields summed); return totals."""
        with self._write() as conn:
            self._require(conn, session_id, viewer, lock=True)
            self._add_usage(conn, session_id, usage)
            stored = conn.execute(
                text("SELECT usage_json FROM sessions WHERE id = :id"), {"id": session_id}
            ).scalar_one()
        return json.loads(stored)

    def save_scorecard(
        self, session_id: str, scorecard: dict[str, Any], *, viewer: str | None = None
    ) -> None:
        """Store (or replace) the session's scorecard."""
        with self._write() as conn:
            self._require(conn, session_id, viewer, lock=True)
            conn.execute(
                text(
                    "INSERT INTO scores (session_id, scorecard_json, created_at)"
                    " VALUES (:id, :scorecard_json, :created_at)"
                    " ON CONFLICT(session_id) DO UPDATE SET"
                    " scorecard_json = excluded.scorecard_json, created_at = excluded.created_at"
                ),
                {
                    "id": session_id,
                    "scorecard_json": _dumps(scrub_secrets(scorecard)),
                    "created_at": _now(),
                },
            )
            self._touch(conn, session_id)

    def get_scorecard(
        self, session_id: str, *, viewer: str | None = None
    ) -> dict[str, Any] | None:
        with self._db.read() as conn:
            self._require(conn, session_id, viewer)
            stored = conn.execute(
                text("SELECT scorecard_json FROM scores WHERE session_id = :id"),
                {"id": session_id},
            ).scalar_one_or_none()
        return json.loads(stored) if stored else None
