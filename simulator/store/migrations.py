"""Numbered schema migrations for the session database, the same on SQLite and PostgreSQL.

Each migration is a version number and the statements that take the schema from the previous
version to this one. A statement is plain SQL both databases accept, or a mapping from dialect
to SQL where they differ. `migrate()` runs on every open: it applies, in order, each version
not yet recorded in `schema_migrations`, each in its own write transaction that holds the
migration lock (SQLite's write lock from `BEGIN IMMEDIATE`; a transaction-scoped advisory lock
on PostgreSQL, whose DDL is transactional too), so running it twice, or from two processes or
servers at once, is harmless. Never edit a released migration; append one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from simulator.store.database import Database

# One advisory lock id for "sdsim is migrating this database" (any fixed 64-bit number).
MIGRATION_LOCK_ID = 0x5D5_1A_0001

Statement = str | Mapping[str, str]

MIGRATIONS: tuple[tuple[int, str, tuple[Statement, ...]], ...] = (
    (
        1,
        "sessions, turns and scores",
        (
            {
                # SQLite's REAL and INTEGER are 8 bytes; PostgreSQL's are 4, hence its types.
                dialect: f"""
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                problem_id TEXT NOT NULL,
                level TEXT NOT NULL,
                minutes {real} NOT NULL,
                seed {integer} NOT NULL,
                backend TEXT NOT NULL DEFAULT 'offline',
                model TEXT,
                prompt_hash TEXT,
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished')),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                state_json TEXT NOT NULL
            )
            """
                for dialect, real, integer in (
                    ("sqlite", "REAL", "INTEGER"),
                    ("postgresql", "DOUBLE PRECISION", "BIGINT"),
                )
            },
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


def applied_versions(conn: Connection) -> list[int]:
    rows = conn.execute(text("SELECT version FROM schema_migrations ORDER BY version"))
    return [row[0] for row in rows]


def statement_for(statement: Statement, dialect: str) -> str:
    """The SQL of `statement` for `dialect` ("sqlite" or "postgresql")."""
    return statement if isinstance(statement, str) else statement[dialect]


def _hold_migration_lock(conn: Connection, db: Database) -> None:
    """Serialise migrations across processes (SQLite's BEGIN IMMEDIATE already does)."""
    if db.dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})


def migrate(db: Database) -> list[int]:
    """Bring the schema up to `LATEST_VERSION`; return the versions applied by this call."""
    with db.write() as conn:
        _hold_migration_lock(conn, db)
        conn.execute(text(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        ))
        already = set(applied_versions(conn))
    newest = max(already, default=0)
    if newest > LATEST_VERSION:
        raise SchemaTooNew(
            f"session database {db.location} has schema version {newest}, "
            f"this sdsim knows up to {LATEST_VERSION}; upgrade sdsim"
        )
    applied: list[int] = []
    for version, _name, statements in MIGRATIONS:
        if version in already:
            continue
        with db.write() as conn:
            _hold_migration_lock(conn, db)
            # Re-check under the lock: another process may have just applied it.
            done = conn.execute(
                text("SELECT 1 FROM schema_migrations WHERE version = :version"),
                {"version": version},
            ).first()
            if not done:
                for statement in statements:
                    conn.exec_driver_sql(statement_for(statement, db.dialect))
                conn.execute(
                    text("INSERT INTO schema_migrations (version, applied_at)"
                         " VALUES (:version, :applied_at)"),
                    {"version": version, "applied_at": datetime.now(UTC).isoformat()},
                )
                applied.append(version)
    return applied
