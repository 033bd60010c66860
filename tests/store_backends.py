"""The two databases the session store runs on, for tests that must pass on both.

The `database` fixture runs a test once on a SQLite file and once on a fresh database of the
suite's real PostgreSQL server (tests/postgres.py); the PostgreSQL run carries the `server`
marker. `TestDatabase` lets a test look at the stored rows directly, the same way on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

TABLES = ("schema_migrations", "sessions", "turns", "scores", "shares")


@dataclass
class TestDatabase:
    """A database for one test: `target` is what `SessionStore(...)` opens."""

    __test__ = False  # not a test class, despite its name

    kind: str  # "sqlite" or "postgresql"
    target: Path | str
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        """A plain SQLAlchemy engine of our own, beside the store's."""
        if self._engine is None:
            url = self.target if self.kind == "postgresql" else f"sqlite:///{self.target}"
            self._engine = create_engine(url)
        return self._engine

    def rows(self, sql: str, **params) -> list[tuple]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]

    def run(self, sql: str, **params) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), params)

    def dump(self) -> str:
        """Every stored row of every table, as text (to search for what must not be there)."""
        return "\n".join(
            repr(row) for table in TABLES for row in self.rows(f"SELECT * FROM {table}")
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def database(request, tmp_path) -> Iterator[TestDatabase]:
    """An empty session database: a SQLite file, or a new database on the test PostgreSQL."""
    if request.param == "sqlite":
        db = TestDatabase("sqlite", tmp_path / "data" / "sessions.db")
        yield db
        db.close()
        return
    server = request.getfixturevalue("postgres_server")
    with server.fresh_database() as url:
        db = TestDatabase("postgresql", url)
        yield db
        db.close()
