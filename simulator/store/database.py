"""The session database behind one SQLAlchemy engine: a SQLite file or a PostgreSQL server.

SQLite (the default, one machine) keeps the behaviour the store was built on: WAL journal, a
busy timeout, and write transactions opened with `BEGIN IMMEDIATE`, so the write lock is
taken up front and two writers queue instead of failing on a lock upgrade. Reads open a
plain (deferred) transaction, which in WAL mode never waits for a writer.

PostgreSQL (several app servers, `SDSIM_DATABASE_URL`) runs writes at READ COMMITTED and the
store locks the session row (`SELECT ... FOR UPDATE`) before it checks or changes anything
belonging to that session; reads run in one REPEATABLE READ READ ONLY transaction so a
session's turns always match its state snapshot.

A database URL can carry a password: only `shown_url()` forms of it ever reach a message.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

BUSY_TIMEOUT_MS = 10_000
Dialect = Literal["sqlite", "postgresql"]

# The URL schemes accepted for PostgreSQL; plain `postgresql://` means psycopg 3 too.
_POSTGRES_URL = re.compile(r"^postgresql(?:\+psycopg)?://", re.IGNORECASE)


def is_database_url(value: object) -> bool:
    """Whether `value` names a PostgreSQL server rather than a SQLite file."""
    return isinstance(value, str) and bool(_POSTGRES_URL.match(value))


def shown_url(url: str) -> str:
    """`url` with its password replaced by `***`, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        # Not parseable: show only the scheme, since we cannot tell where a password sits.
        return url.split("://", 1)[0] + "://…" if "://" in url else "(unparseable URL)"


def engine_url(url: str) -> str:
    """The SQLAlchemy URL for a PostgreSQL `url`, with the psycopg 3 driver named."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {shown_url(url)}")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


class DatabaseUnavailable(ValueError):
    """The session database cannot be opened (server down, wrong name or credentials).

    A ValueError like every error a user can cause; the message names the database with its
    password hidden.
    """


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (drivers add hints and SQLAlchemy links)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class Database:
    """An engine for `where` (a SQLite path or a PostgreSQL URL) and its two transaction kinds.

    `location` names the database for people (the path, or the URL with its password hidden);
    it is kept for logs and never put in messages a browser sees.
    """

    def __init__(self, where: Path | str) -> None:
        self.path: Path | None
        if is_database_url(where):
            assert isinstance(where, str)
            self.path = None
            self.location = shown_url(where)
            self.dialect: Dialect = "postgresql"
            self.engine = create_engine(
                engine_url(where), pool_pre_ping=True, pool_size=5, max_overflow=10,
                connect_args={"connect_timeout": 10},
            )
        else:
            self.path = Path(where)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.location = str(self.path)
            self.dialect = "sqlite"
            self.engine = create_engine(
                f"sqlite:///{self.path}",
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            )
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)

    @property
    def lock_row(self) -> str:
        """The clause that locks the rows a write transaction selects (none on SQLite, whose
        `BEGIN IMMEDIATE` already holds the whole database's write lock)."""
        return " FOR UPDATE" if self.dialect == "postgresql" else ""

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction, committed when the block ends, rolled back if it raises."""
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read-only transaction that sees a single snapshot of the database."""
        with self.engine.connect() as conn, conn.begin():
            if self.dialect == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_connect(dbapi_connection, _record) -> None:
    """Per connection: let SQLAlchemy's `begin` event issue BEGIN, and set the pragmas."""
    dbapi_connection.isolation_level = None  # pysqlite must not open transactions itself
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous = NORMAL")  # durable across process crashes
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _use_wal(cursor) -> None:
    """Put the file in WAL mode (persistent, so usually it already is).

    Switching the journal mode needs the file to itself and SQLite does not run the busy
    handler for it: several servers opening a brand-new file at once would see "database is
    locked" at once. So the switch is retried, with a short sleep, for up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for writes (the write lock up front), a deferred BEGIN for reads."""
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
