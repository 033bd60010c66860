"""The suite's PostgreSQL server: real, on loopback only, and usable by a non-root server user."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.server


def test_the_server_runs_sql_and_listens_on_loopback_only(postgres_server):
    server = postgres_server
    assert server.psql("SHOW listen_addresses") == "127.0.0.1"
    assert server.psql("SELECT current_user || '@' || current_database()") == "sdsim@sdsim"
    server.psql("CREATE TABLE probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    server.psql("INSERT INTO probe VALUES (1, 'first'), (2, 'second')")
    assert server.psql("SELECT string_agg(note, ',' ORDER BY id) FROM probe") == "first,second"
    server.psql("DROP TABLE probe")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass  # the TCP port the SQLAlchemy URL names is open
    assert server.url.startswith("postgresql+psycopg://sdsim@127.0.0.1:")
    assert int(server.psql("SHOW server_version_num")) >= 130000
