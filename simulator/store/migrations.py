"""Numbered schema migrations for the session database.

Each migration is a version number and the statements that take the schema from the previous
version to this one. `migrate()` runs on every open: it applies, in order, each version not yet
recorded in `schema_migrations`, each in its own `BEGIN IMMEDIATE` transaction, so running it
twice (or from two processes at once) is harmless. Never edit a released migration; append one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "sessions, turns and scores",
        (
            """
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                problem_id TEXT NOT NULL,
                level TEXT NOT NULL,
                minutes REAL NOT NULL,
                seed INTEGER NOT NULL,
                backend TEXT NOT NULL DEFAULT 'offline',
                model TEXT,
                prompt_hash TEXT,
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished')),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                state_json TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE turns (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                role TEXT NOT NULL,
                phase TEXT NOT NULL,
                intent TEXT,
                probe TEXT,
                text TEXT NOT NULL,
                meta_json TEXT NOT NULL DEFAULT '{}',
                created_at TEXT NOT NULL,
                PRIMARY KEY (session_id, seq)
            )
            """,
            """
            CREATE TABLE scores (
                session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
                scorecard_json TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ),
    ),
    (
        2,
        "candidate notes and token usage totals",
        (
            "ALTER TABLE sessions ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE sessions ADD COLUMN usage_json TEXT NOT NULL DEFAULT '{}'",
        ),
    ),
    (
        3,
        "indexes for listing sessions",
        (
            "CREATE INDEX sessions_by_created ON sessions(created_at)",
            "CREATE INDEX sessions_by_problem ON sessions(problem_id, created_at)",
        ),
    ),
    (
        4,
        "session owners and shares with interviewers",
        (
            "ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT 'local'",
            "CREATE INDEX sessions_by_owner ON sessions(owner, created_at)",
            """
            CREATE TABLE shares (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                viewer TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (session_id, viewer)
            )
            """,
            "CREATE INDEX shares_by_viewer ON shares(viewer)",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]


class SchemaTooNew(RuntimeError):
    """The database was written by a newer sdsim than this one."""


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [row[0] for row in rows]


def migrate(conn: sqlite3.Connection, where: str = "") -> list[int]:
    """Bring the schema up to `LATEST_VERSION`; return the versions applied by this call.

    `conn` must be in autocommit mode (`isolation_level=None`): transactions are explicit.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    already = set(applied_versions(conn))
    newest = max(already, default=0)
    if newest > LATEST_VERSION:
        raise SchemaTooNew(
            f"session database {where or '(in memory)'} has schema version {newest}, "
            f"this sdsim knows up to {LATEST_VERSION}; upgrade sdsim"
        )
    applied: list[int] = []
    for version, _name, statements in MIGRATIONS:
        if version in already:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the write lock: another process may have just applied it.
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
            ).fetchone()
            if not done:
                for statement in statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, datetime.now(UTC).isoformat()),
                )
                applied.append(version)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied
