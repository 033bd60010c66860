"""The session store on SQLite and on a real PostgreSQL server (real processes where it matters).

Tests taking the `store` or `database` fixture run on both databases; those taking `db` (a
SQLite file) check what only SQLite has: pragmas, WAL files, and databases made by old code.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import free_port
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from store_backends import TestDatabase

from simulator.cli import main
from simulator.settings import REPO_ROOT, get_settings
from simulator.store import (
    LOCAL_USER,
    SessionNotFound,
    SessionRecord,
    SessionStore,
    StaleSession,
    export_json,
    export_markdown,
)
from simulator.store.migrations import LATEST_VERSION, SchemaTooNew
from simulator.transcript import Citation, InterviewState, Turn

PROBLEM = "url-shortener"


@pytest.fixture
def db(tmp_path) -> Path:
    """A SQLite database file, for what only SQLite has."""
    return tmp_path / "data" / "sessions.db"


@pytest.fixture
def store(database: TestDatabase) -> SessionStore:
    with SessionStore(database.target) as opened:
        yield opened


def new_session(store: SessionStore, problem: str = PROBLEM, **kwargs) -> str:
    kwargs.setdefault("level", "senior")
    kwargs.setdefault("minutes", 45)
    kwargs.setdefault("seed", 7)
    return store.create(problem, state=InterviewState(problem_id=problem), **kwargs)


def grounded_turn() -> Turn:
    return Turn(
        role="interviewer",
        phase="design",
        text="How would you keep hot short links fast?\nThink about reads.",
        intent="probe",
        probe="p-cache-hot-keys",
        grounding=[
            Citation(
                chunk_id="caching-strategies#3",
                doc_id="caching-strategies",
                title="Caching strategies",
                heading="Cache-aside",
                score=0.83,
            ),
            Citation(
                chunk_id="load-balancing#1",
                doc_id="load-balancing",
                title="Load balancing",
                score=0.41,
            ),
        ],
        flags=["too-long"],
        elapsed_s=812.5,
        notice="retrieval fell back to keyword search",
    )


def run_child(code: str, *args: str, timeout_s: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=env,
    )


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


# -- round trip -----------------------------------------------------------------------------


def test_create_add_get_round_trip_preserves_every_turn_field(store):
    session_id = store.create(
        PROBLEM,
        level="staff",
        minutes=60,
        seed=42,
        backend="openai",
        model="gpt-4o-mini",
        prompt_hash="abc123",
        state=InterviewState(problem_id=PROBLEM, level="staff", minutes=60),
    )
    assert len(session_id) == 8 and session_id.isalnum() and session_id.islower()
    turn = grounded_turn()
    answer = Turn(role="candidate", phase="design", text="Put a cache in front.", elapsed_s=830)
    assert (
        store.add_turn(session_id, turn, usage={"prompt_tokens": 120, "completion_tokens": 30}) == 1
    )
    assert store.add_turn(session_id, answer) == 2

    record = store.get(session_id)
    assert record.turns == [turn, answer]
    assert record.turns[0].grounding[0] == turn.grounding[0]
    assert record.turns[0].grounding[0].heading == "Cache-aside"
    assert record.turn_usage == [{"prompt_tokens": 120, "completion_tokens": 30}, {}]
    assert record.usage == {"prompt_tokens": 120, "completion_tokens": 30}
    assert (record.problem_id, record.level, record.minutes, record.seed) == (
        PROBLEM,
        "staff",
        60,
        42,
    )
    assert (record.backend, record.model, record.prompt_hash) == ("openai", "gpt-4o-mini", "abc123")
    assert record.status == "active" and record.notes == "" and record.scorecard is None
    assert record.state == InterviewState(problem_id=PROBLEM, level="staff", minutes=60)
    assert record.updated_at >= record.created_at


def test_state_survives_reopen_and_finished_state_finishes_session(database):
    with SessionStore(database.target) as store:
        session_id = new_session(store)
        state = InterviewState(problem_id=PROBLEM, phase="estimate", covered=["qps"], turn_count=4)
        store.save_state(session_id, state)
        assert store.get(session_id).status == "active"
    with SessionStore(database.target) as store:
        assert store.get(session_id).state == state
        store.save_state(session_id, state.model_copy(update={"finished": True}))
        assert store.get(session_id).status == "finished"
        store.save_state(session_id, state, status="active")
        assert store.get(session_id).status == "active"
        with pytest.raises(ValueError, match="status must be one of"):
            store.save_state(session_id, state.model_copy(update={"turn_count": 99}), status="done")
        assert store.get(session_id).state.turn_count == 4  # the bad call changed nothing


def test_create_rejects_state_for_another_problem(store):
    with pytest.raises(ValueError, match="rate-limiter"):
        store.create(
            PROBLEM,
            level="mid",
            minutes=30,
            seed=0,
            state=InterviewState(problem_id="rate-limiter"),
        )
    assert store.list() == []


def test_seq_is_per_session_and_turns_come_back_in_order(store):
    first, second = new_session(store), new_session(store)
    seqs = [
        store.add_turn(first, Turn(role="candidate", phase="clarify", text=f"a{i}"))
        for i in range(5)
    ]
    assert store.add_turn(second, Turn(role="candidate", phase="clarify", text="b0")) == 1
    assert seqs == [1, 2, 3, 4, 5]
    assert [t.text for t in store.get(first).turns] == [f"a{i}" for i in range(5)]
    assert [t.text for t in store.get(second).turns] == ["b0"]


def test_append_turn_and_state_is_one_transaction(store):
    session_id = new_session(store)
    state = InterviewState(problem_id=PROBLEM, turn_count=1)
    assert (
        store.append_turn_and_state(
            session_id, Turn(role="candidate", phase="clarify", text="hi"), state
        )
        == 1
    )

    def broken_update(*args, **kwargs):
        raise RuntimeError("disk on fire")

    store._update_state = broken_update
    with pytest.raises(RuntimeError):
        store.append_turn_and_state(
            session_id,
            Turn(role="candidate", phase="clarify", text="lost"),
            state.model_copy(update={"turn_count": 2}),
        )
    del store._update_state
    record = store.get(session_id)
    assert [t.text for t in record.turns] == ["hi"] and record.state.turn_count == 1
    assert store.add_turn(session_id, Turn(role="candidate", phase="clarify", text="next")) == 2


def test_a_stale_copy_cannot_append_and_the_check_is_in_the_same_transaction(store):
    session_id = new_session(store)
    state = InterviewState(problem_id=PROBLEM)
    first = Turn(role="interviewer", phase="clarify", text="q1")
    assert store.append_turn_and_state(session_id, first, state, expected_turns=0) == 1
    assert store.turn_count(session_id) == 1
    late = Turn(role="candidate", phase="clarify", text="from the other tab")
    with pytest.raises(StaleSession) as caught:
        store.append_turn_and_state(session_id, late, state.model_copy(update={"turn_count": 9}),
                                    expected_turns=0)
    assert (caught.value.expected, caught.value.stored) == (0, 1)
    with pytest.raises(StaleSession):
        store.add_turn(session_id, late, expected_turns=2)
    record = store.get(session_id)
    assert [t.text for t in record.turns] == ["q1"] and record.state.turn_count == 0
    assert store.add_turn(session_id, late, expected_turns=1) == 2
    assert store.append_turn_and_state(session_id, first, state) == 3  # None: no check

    # Many writers that loaded the same copy: exactly one append wins each round.
    def race(tag: str) -> int:
        wins = 0
        for _ in range(30):
            count = store.turn_count(session_id)
            try:
                store.add_turn(session_id, Turn(role="candidate", phase="clarify", text=tag),
                               expected_turns=count)
                wins += 1
            except StaleSession:
                pass
        return wins

    with ThreadPoolExecutor(4) as pool:
        wins = sum(pool.map(race, "abcd"))
    assert store.turn_count(session_id) == 3 + wins
    assert [t.text for t in store.get(session_id).turns][:3] == ["q1", "from the other tab", "q1"]


def test_list_summaries(store):
    old = new_session(store, level="mid")
    other = new_session(store, problem="rate-limiter")
    new = new_session(store)
    store.add_turn(old, Turn(role="interviewer", phase="clarify", text="q"))
    store.add_turn(old, Turn(role="candidate", phase="estimate", text="a"))
    store.save_state(old, InterviewState(problem_id=PROBLEM, phase="estimate", finished=True))
    store.save_scorecard(old, {"overall": {"score": 7.5}, "phases": {"clarify": 8}})

    summaries = store.list()
    assert [s.id for s in summaries] == [new, other, old]
    by_id = {s.id: s for s in summaries}
    assert by_id[old].model_dump(exclude={"created_at", "updated_at"}) == {
        "id": old,
        "problem_id": PROBLEM,
        "level": "mid",
        "status": "finished",
        "turn_count": 2,
        "last_phase": "estimate",
        "overall_score": 7.5,
        "owner": LOCAL_USER,
    }
    assert by_id[new].turn_count == 0 and by_id[new].last_phase == "clarify"
    assert by_id[new].overall_score is None and by_id[new].status == "active"
    assert [s.id for s in store.list(problem_id="rate-limiter")] == [other]
    assert [s.id for s in store.list(limit=2)] == [new, other]


def test_notes_usage_and_scorecard(store):
    session_id = new_session(store)
    store.save_notes(session_id, "QPS ~ 1.2k writes\n100:1 read ratio")
    usage = {
        "prompt_tokens": 10,
        "cost_usd": 0.25,
        "model": "gpt-4o-mini",
        "by_phase": {"clarify": {"calls": 1}},
        "cached": True,
    }
    store.add_usage(session_id, usage)
    totals = store.add_usage(
        session_id, {**usage, "by_phase": {"clarify": {"calls": 2}, "design": {"calls": 1}}}
    )
    assert totals == {
        "prompt_tokens": 20,
        "cost_usd": 0.5,
        "model": "gpt-4o-mini",
        "by_phase": {"clarify": {"calls": 3}, "design": {"calls": 1}},
        "cached": True,
    }
    assert store.get_scorecard(session_id) is None
    store.save_scorecard(session_id, {"overall": 6})
    store.save_scorecard(session_id, {"overall": 8, "notes": ["good estimate"]})
    record = store.get(session_id)
    assert record.notes == "QPS ~ 1.2k writes\n100:1 read ratio"
    assert record.usage == totals
    assert (
        record.scorecard
        == store.get_scorecard(session_id)
        == {
            "overall": 8,
            "notes": ["good estimate"],
        }
    )


def test_delete_cascades_to_turns_and_scores(store, database):
    session_id, kept = new_session(store), new_session(store)
    store.add_turn(session_id, grounded_turn())
    store.save_scorecard(session_id, {"overall": 5})
    store.add_turn(kept, grounded_turn())
    store.delete(session_id)
    with pytest.raises(SessionNotFound):
        store.get(session_id)
    assert database.rows("SELECT session_id FROM turns") == [(kept,)]
    assert database.rows("SELECT COUNT(*) FROM scores") == [(0,)]


def test_unknown_session_id_raises_session_not_found_everywhere(store):
    state = InterviewState(problem_id=PROBLEM)
    turn = Turn(role="candidate", phase="clarify", text="x")
    calls = [
        lambda: store.get("nope1234"),
        lambda: store.add_turn("nope1234", turn),
        lambda: store.save_state("nope1234", state),
        lambda: store.append_turn_and_state("nope1234", turn, state),
        lambda: store.save_notes("nope1234", "n"),
        lambda: store.add_usage("nope1234", {"tokens": 1}),
        lambda: store.save_scorecard("nope1234", {"overall": 1}),
        lambda: store.get_scorecard("nope1234"),
        lambda: store.delete("nope1234"),
    ]
    for call in calls:
        with pytest.raises(KeyError) as caught:
            call()
        assert isinstance(caught.value, SessionNotFound)
        message = str(caught.value)
        assert "'nope1234'" in message and "sdsim sessions list" in message
        assert store.location not in message and "sessions.db" not in message
        assert "127.0.0.1" not in message and "postgresql" not in message
        assert not message.startswith('"')
    assert store.list() == []


def test_session_not_found_caps_a_long_id_and_never_names_the_database(store):
    long_id = "x" * 5_000
    with pytest.raises(SessionNotFound) as caught:
        store.get(long_id)
    message = str(caught.value)
    assert "'" + "x" * 40 + "'…" in message and "x" * 41 not in message
    assert len(message) < 120 and store.location not in message and "/" not in message
    assert caught.value.session_id == long_id  # the caller still has the whole id


def test_owner_defaults_to_local_and_is_stored(store):
    mine = new_session(store)
    alice = new_session(store, owner="alice@example.com")
    assert store.get(mine).owner == LOCAL_USER == "local"
    assert store.get(alice).owner == "alice@example.com"
    assert {s.id: s.owner for s in store.list()} == {mine: "local", alice: "alice@example.com"}


def test_a_viewer_sees_own_and_shared_sessions_and_others_answer_like_missing(store):
    alice = new_session(store, owner="alice@example.com")
    bob = new_session(store, owner="bob@example.com")
    turn = Turn(role="candidate", phase="clarify", text="hi")
    state = InterviewState(problem_id=PROBLEM)
    assert store.get(alice, viewer="alice@example.com").id == alice
    with pytest.raises(SessionNotFound) as missing:
        store.get("nope1234", viewer="bob@example.com")
    calls = [
        lambda: store.get(alice, viewer="bob@example.com"),
        lambda: store.add_turn(alice, turn, viewer="bob@example.com"),
        lambda: store.append_turn_and_state(alice, turn, state, viewer="bob@example.com"),
        lambda: store.save_state(alice, state, viewer="bob@example.com"),
        lambda: store.save_notes(alice, "mine now", viewer="bob@example.com"),
        lambda: store.add_usage(alice, {"tokens": 1}, viewer="bob@example.com"),
        lambda: store.save_scorecard(alice, {"overall": 1}, viewer="bob@example.com"),
        lambda: store.get_scorecard(alice, viewer="bob@example.com"),
        lambda: store.delete(alice, viewer="bob@example.com"),
        lambda: store.share(alice, "bob@example.com", owner="bob@example.com"),
    ]
    for call in calls:
        with pytest.raises(SessionNotFound) as caught:
            call()
        # Exactly the missing-id message, with the id swapped: nothing says "exists".
        assert str(caught.value) == str(missing.value).replace("nope1234", alice)
    record = store.get(alice)
    assert record.turns == [] and record.notes == "" and record.scorecard is None

    store.share(alice, "bob@example.com", owner="alice@example.com")
    store.share(alice, "bob@example.com", owner="alice@example.com")  # twice is harmless
    store.share(alice, "carol@example.com", owner="alice@example.com")
    assert store.shared_with(alice) == ["bob@example.com", "carol@example.com"]
    assert store.get(alice, viewer="bob@example.com").id == alice
    assert [s.id for s in store.list(shared_with="bob@example.com")] == [alice]
    assert [s.id for s in store.list(owner="bob@example.com")] == [bob]
    assert [s.id for s in store.list(owner="alice@example.com")] == [alice]
    # A share lets the interviewer read and score, never delete or re-share.
    store.save_scorecard(alice, {"overall": 3}, viewer="bob@example.com")
    with pytest.raises(SessionNotFound):
        store.delete(alice, viewer="bob@example.com")
    with pytest.raises(SessionNotFound):
        store.share(alice, "dave@example.com", owner="bob@example.com")

    store.unshare(alice, "bob@example.com", owner="alice@example.com")
    with pytest.raises(SessionNotFound):
        store.get(alice, viewer="bob@example.com")
    assert store.list(shared_with="bob@example.com") == []
    store.delete(alice, viewer="alice@example.com")
    assert store.shared_with(bob) == [] and [s.id for s in store.list()] == [bob]
    with pytest.raises(ValueError):
        store.share(bob, "  ", owner="bob@example.com")


def test_secrets_are_never_stored(store, database):
    session_id = new_session(store)
    secret = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX"
    store.add_turn(
        session_id,
        Turn(role="interviewer", phase="clarify", text="q"),
        usage={
            "prompt_tokens": 3,
            "api_key": secret,
            "total_tokens": 5,
            "request": {"headers": {"Authorization": f"Bearer {secret}", "x-trace": "t1"}},
        },
    )
    store.add_usage(
        session_id,
        {
            "OPENAI_API_KEY": secret,
            "completion_tokens": 2,
            "echo": [f"Bearer {secret}", "ok"],
            "auth": f"bearer {secret}",
        },
    )
    store.save_scorecard(session_id, {"overall": 4, "judge": {"apiKey": secret}})

    record = store.get(session_id)
    assert record.turn_usage[0] == {
        "prompt_tokens": 3,
        "total_tokens": 5,
        "request": {"headers": {"x-trace": "t1"}},
    }
    assert record.usage == {
        "prompt_tokens": 3,
        "total_tokens": 5,
        "completion_tokens": 2,
        "request": {"headers": {"x-trace": "t1"}},
        "echo": ["ok"],
    }
    assert record.scorecard == {"overall": 4, "judge": {}}
    dump = database.dump()
    assert "ABCDEFGHIJKLMNOP" not in dump and "prompt_tokens" in dump


# -- database behaviour ---------------------------------------------------------------------


def test_sqlite_pragmas_wal_foreign_keys_busy_timeout_and_immediate_writes(db):
    with SessionStore(db) as store:
        assert store.dialect == "sqlite" and store.path == db
        with store._db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        with sqlite3.connect(db) as conn:  # WAL is a property of the file, seen by any connection
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # A write transaction holds the write lock from its start: another connection cannot
        # even begin one (no lock upgrade half way through a transaction that then fails).
        other = sqlite3.connect(db, timeout=0.05, isolation_level=None)
        with store._write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.execute("SELECT COUNT(*) FROM sessions").fetchone()  # readers go on (WAL)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def test_a_turn_needs_its_session(store):
    with pytest.raises(IntegrityError), store._write() as conn:
        conn.execute(text(
            "INSERT INTO turns (session_id, seq, role, phase, text, created_at)"
            " VALUES ('ghost', 1, 'candidate', 'clarify', 'x', 'now')"
        ))


def test_a_writer_waits_for_the_session_lock_and_then_sees_the_new_turn(store):
    """The stale check runs under the session's lock, so it sees what the holder committed."""
    session_id = new_session(store)
    outcome: dict[str, object] = {}
    started = threading.Event()

    def late_writer() -> None:
        started.set()
        try:
            store.add_turn(session_id, Turn(role="candidate", phase="clarify", text="late"),
                           expected_turns=0)
            outcome["result"] = "appended"
        except StaleSession as exc:
            outcome["result"] = exc
        outcome["at"] = time.monotonic()

    with store._write() as conn:
        store._require(conn, session_id, lock=True)
        writer = threading.Thread(target=late_writer)
        writer.start()
        started.wait(5)
        time.sleep(0.5)
        assert "result" not in outcome  # blocked behind our lock
        store._insert_turn(conn, session_id, Turn(role="candidate", phase="clarify",
                                                  text="first"), None)
        committed_at = time.monotonic()
    writer.join(15)
    assert isinstance(outcome["result"], StaleSession), outcome
    assert (outcome["result"].expected, outcome["result"].stored) == (0, 1)
    assert outcome["at"] >= committed_at
    assert [t.text for t in store.get(session_id).turns] == ["first"]


def migration_rows(database: TestDatabase) -> list[tuple]:
    return database.rows("SELECT version, applied_at FROM schema_migrations ORDER BY version")


def test_migrations_apply_in_order_once(database):
    SessionStore(database.target).close()
    first = migration_rows(database)
    assert [version for version, _ in first] == list(range(1, LATEST_VERSION + 1))
    assert LATEST_VERSION >= 3
    SessionStore(database.target).close()
    SessionStore(database.target).close()
    assert migration_rows(database) == first


def test_stores_opening_at_once_migrate_once(database):
    """Two app servers starting together: both open the store, the schema is made once."""
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: SessionStore(database.target), range(4)))
    for opened in stores:
        opened.close()
    assert [version for version, _ in migration_rows(database)] == list(
        range(1, LATEST_VERSION + 1)
    )



def test_many_servers_creating_a_new_sqlite_file_at_once(tmp_path):
    """The first open switches a new file to WAL, which SQLite will not wait for: every one of
    eight stores racing to create each of twenty fresh files must still open."""
    for attempt in range(20):
        where = tmp_path / f"race{attempt}" / "sessions.db"
        with ThreadPoolExecutor(8) as pool:
            stores = list(pool.map(lambda _, where=where: SessionStore(where), range(8)))
        modes = set()
        for opened in stores:
            with opened._db.read() as conn:
                modes.add(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
            opened.close()
        assert modes == {"wal"}


V1_SCHEMA = """
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, problem_id TEXT NOT NULL, level TEXT NOT NULL, minutes REAL NOT NULL,
    seed INTEGER NOT NULL, backend TEXT NOT NULL DEFAULT 'offline', model TEXT, prompt_hash TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished')),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, state_json TEXT NOT NULL);
CREATE TABLE turns (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    role TEXT NOT NULL, phase TEXT NOT NULL, intent TEXT, probe TEXT, text TEXT NOT NULL,
    meta_json TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, seq));
CREATE TABLE scores (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    scorecard_json TEXT NOT NULL, created_at TEXT NOT NULL);
INSERT INTO schema_migrations VALUES (1, '2025-01-01T00:00:00+00:00');
"""


def test_a_v1_database_upgrades_and_keeps_its_data(db):
    db.parent.mkdir(parents=True)
    state = InterviewState(problem_id=PROBLEM, phase="design", turn_count=1)
    with sqlite3.connect(db) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute(
            "INSERT INTO sessions VALUES ('old00001', ?, 'senior', 45, 3, 'offline', NULL, NULL,"
            " 'active', '2025-01-01T10:00:00+00:00', '2025-01-01T10:05:00+00:00', ?)",
            (PROBLEM, state.model_dump_json()),
        )
        conn.execute(
            "INSERT INTO turns VALUES ('old00001', 1, 'interviewer', 'design', 'question', NULL,"
            " 'Sketch the write path.', ?, '2025-01-01T10:01:00+00:00')",
            (json.dumps({"flags": [], "elapsed_s": 60.0, "grounding": []}),),
        )
    columns_before = {row[1] for row in sqlite3.connect(db).execute("PRAGMA table_info(sessions)")}
    assert "notes" not in columns_before

    with SessionStore(db) as store:
        record = store.get("old00001")
        assert record.notes == "" and record.usage == {} and record.state == state
        assert record.owner == LOCAL_USER  # rows from before owners belong to the local user
        assert store.get("old00001", viewer=LOCAL_USER).id == "old00001"
        with pytest.raises(SessionNotFound):
            store.get("old00001", viewer="someone@example.com")
        assert store.shared_with("old00001") == []
        assert record.turns == [
            Turn(
                role="interviewer",
                phase="design",
                intent="question",
                text="Sketch the write path.",
                elapsed_s=60.0,
            )
        ]
        store.save_notes("old00001", "upgraded")
        store.add_usage("old00001", {"total_tokens": 9})
        assert store.add_turn("old00001", Turn(role="candidate", phase="design", text="ok")) == 2
        assert store.get("old00001").notes == "upgraded"
    rows = migration_rows(TestDatabase("sqlite", db))
    assert [version for version, _ in rows] == list(range(1, LATEST_VERSION + 1))
    assert rows[0][1] == "2025-01-01T00:00:00+00:00"  # v1 was not re-applied
    with sqlite3.connect(db) as conn:
        indexes = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
    assert {"sessions_by_created", "sessions_by_problem"} <= indexes
    assert integrity(db) == "ok"


def test_a_database_from_a_newer_sdsim_is_refused(database):
    SessionStore(database.target).close()
    database.run("INSERT INTO schema_migrations VALUES (999, 'future')")
    with pytest.raises(SchemaTooNew, match="schema version 999"):
        SessionStore(database.target)


@pytest.mark.server
def test_a_password_in_the_database_url_is_never_shown(postgres_server):
    """The test server trusts loopback, so a URL with a password connects; it never shows."""
    with postgres_server.fresh_database() as url:
        with_password = url.replace("://sdsim@", "://sdsim:hunter2-secret@")
        with SessionStore(with_password) as store:
            assert store.dialect == "postgresql" and store.path is None
            assert store.location == with_password.replace("hunter2-secret", "***")
            assert "hunter2" not in repr(store)
            new_session(store)
            store._db.engine.dispose()  # the running store reconnects from its pool
            assert len(store.list()) == 1
        raw = TestDatabase("postgresql", url)
        raw.run("INSERT INTO schema_migrations VALUES (999, 'future')")
        raw.close()
        with pytest.raises(SchemaTooNew) as caught:
            SessionStore(with_password)
        assert "hunter2" not in str(caught.value) and "sdsim:***@127.0.0.1" in str(caught.value)


@pytest.mark.server
def test_the_cli_uses_postgres_when_the_settings_name_it(postgres_server, monkeypatch):
    with postgres_server.fresh_database() as url:
        with SessionStore(url) as store:
            session_id = new_session(store)
            store.add_turn(session_id, Turn(role="interviewer", phase="clarify", text="q"))
        monkeypatch.setenv("SDSIM_DATABASE_URL", url)
        with SessionStore.from_settings(get_settings()) as chosen:
            assert chosen.dialect == "postgresql" and [s.id for s in chosen.list()] == [session_id]
        out = CliRunner().invoke(main, ["sessions", "list", "--json"])
        assert out.exit_code == 0, out.output
        assert [(row["id"], row["turn_count"]) for row in json.loads(out.output)] == [
            (session_id, 1)
        ]
        assert not get_settings().db_path.exists()  # nothing went to the SQLite file
    monkeypatch.delenv("SDSIM_DATABASE_URL")
    with SessionStore.from_settings(get_settings()) as default:
        assert default.dialect == "sqlite" and default.path == get_settings().db_path

    down = f"postgresql://sdsim:hunter2@127.0.0.1:{free_port()}/sdsim"
    monkeypatch.setenv("SDSIM_DATABASE_URL", down)
    out = CliRunner().invoke(main, ["sessions", "list"])
    assert out.exit_code == 2 and "Traceback" not in out.output, out.output
    assert "cannot open the session database postgresql://sdsim:***@127.0.0.1:" in out.output
    assert "Connection refused" in out.output
    assert "hunter2" not in out.output and len(out.output.strip().splitlines()) == 1


# -- crashes and concurrency ----------------------------------------------------------------

KILL_CHILD = """
    import os, signal, sys
    from simulator.transcript import InterviewState, Turn
    from simulator.store.sessions import SessionStore

    path, committed, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    store = SessionStore(path)
    state = InterviewState(problem_id="url-shortener")
    session_id = store.create("url-shortener", level="senior", minutes=45, seed=1, state=state)
    print(session_id, flush=True)
    for i in range(committed):
        state = state.model_copy(update={"turn_count": i + 1})
        if i % 2:
            store.add_turn(session_id, Turn(role="candidate", phase="clarify", text=f"turn {i}"))
            store.save_state(session_id, state)
        else:
            store.append_turn_and_state(
                session_id, Turn(role="candidate", phase="clarify", text=f"turn {i}"), state)

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    lost = state.model_copy(update={"turn_count": 999, "phase": "wrap-up"})
    if mode == "mid-append":
        # The turn row is written, the state is not, nothing is committed: die there.
        store._update_state = die
        store.append_turn_and_state(
            session_id, Turn(role="candidate", phase="clarify", text="lost"), lost)
    else:
        # A transaction big enough to spill uncommitted pages into the WAL file, then die.
        big = Turn(role="candidate", phase="design", text="x" * 20_000)
        with store._write() as conn:
            for _ in range(1_500):
                store._insert_turn(conn, session_id, big, None)
            store._update_state(conn, session_id, lost, None)
            assert os.path.getsize(path + "-wal") > 5_000_000
            die()
    print("unreachable", flush=True)
"""


@pytest.mark.parametrize("mode", ["mid-append", "spilled-transaction"])
def test_a_killed_process_loses_no_committed_turn(db, mode):
    committed = 12
    db.parent.mkdir(parents=True)
    child = run_child(KILL_CHILD, str(db), str(committed), mode)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert "unreachable" not in child.stdout
    session_id = child.stdout.split()[0]

    assert integrity(db) == "ok"
    with SessionStore(db) as store:
        record = store.get(session_id)
        assert [t.text for t in record.turns] == [f"turn {i}" for i in range(committed)]
        assert record.state.turn_count == committed and record.state.phase == "clarify"
        assert (
            store.add_turn(session_id, Turn(role="candidate", phase="clarify", text="after"))
            == committed + 1
        )
    assert integrity(db) == "ok"


WRITER_CHILD = """
    import sys, time
    from pathlib import Path
    from simulator.transcript import Turn
    from simulator.store.sessions import SessionStore

    path, session_id, tag, count, go = sys.argv[1:6]
    store = SessionStore(path)
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.0005)
    for i in range(int(count)):
        turn = Turn(role="candidate", phase="design", text=f"{tag}-{i}")
        store.add_turn(session_id, turn, usage={"total_tokens": 1, tag: 1})
        if i % 10 == 0:
            store.add_usage(session_id, {"judge_calls": 1})
        time.sleep(0.001)  # let the other writer in between our transactions
    store.close()
"""


def test_concurrent_writers_in_two_processes_lose_no_turns(database, tmp_path):
    count = 300
    with SessionStore(database.target) as store:
        session_id = new_session(store)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(WRITER_CHILD),
                str(database.target),
                session_id,
                tag,
                str(count),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for tag in ("a", "b")
    ]
    for child in children:  # both opened the store and wait: start them together
        assert child.stdout.readline() == "ready\n", child.stderr.read()
    go.touch()
    for child in children:
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr

    with SessionStore(database.target) as store:
        record = store.get(session_id)
    texts = [t.text for t in record.turns]
    assert len(texts) == 2 * count
    switches = sum(1 for x, y in pairwise(texts) if x[0] != y[0])
    assert switches >= 20, f"writers barely overlapped ({switches} switches); not a real test"
    for tag in ("a", "b"):
        assert [t for t in texts if t.startswith(f"{tag}-")] == [f"{tag}-{i}" for i in range(count)]
    assert record.usage == {
        "total_tokens": 2 * count,
        "a": count,
        "b": count,
        "judge_calls": 2 * len(range(0, count, 10)),
    }
    seqs = [row[0] for row in database.rows("SELECT seq FROM turns ORDER BY seq")]
    assert seqs == list(range(1, 2 * count + 1))
    if database.kind == "sqlite":
        assert integrity(database.target) == "ok"


def test_threads_share_one_store(store, database):
    session_id = new_session(store)
    other = SessionStore(database.target)  # a second store in the same process, as a second app

    def write(target: SessionStore, tag: str) -> None:
        for i in range(40):
            target.add_turn(session_id, Turn(role="candidate", phase="design", text=f"{tag}{i}"))
            target.get(session_id)

    pairs = ((store, "a"), (store, "b"), (store, "c"), (other, "d"))
    with ThreadPoolExecutor(max_workers=len(pairs)) as pool:
        futures = [pool.submit(write, target, tag) for target, tag in pairs]
    for future in futures:
        future.result()  # re-raises anything a thread hit
    other.close()
    record = store.get(session_id)
    assert len(record.turns) == 160
    for tag in "abcd":
        assert [t.text for t in record.turns if t.text[0] == tag] == [
            f"{tag}{i}" for i in range(40)
        ]


# -- export ---------------------------------------------------------------------------------


def exported_session(store: SessionStore) -> SessionRecord:
    session_id = new_session(store, backend="openai", model="gpt-4o-mini")
    store.add_turn(
        session_id,
        Turn(
            role="interviewer",
            phase="clarify",
            intent="question",
            text="What should the service do?",
            elapsed_s=5,
        ),
    )
    store.add_turn(
        session_id,
        Turn(role="candidate", phase="clarify", text="Shorten URLs and redirect.", elapsed_s=40),
    )
    store.add_turn(
        session_id,
        Turn(
            role="interviewer",
            phase="estimate",
            intent="question",
            text="How many redirects per second?",
            elapsed_s=300,
        ),
    )
    store.add_turn(session_id, grounded_turn(), usage={"total_tokens": 50})
    store.save_notes(session_id, "100M links/month")
    store.save_scorecard(
        session_id,
        {"overall": 7.5, "phases": {"clarify": {"score": 8}}, "strengths": ["clear scope"]},
    )
    return store.get(session_id)


def test_export_markdown(store):
    record = exported_session(store)
    text = export_markdown(record)
    assert text.startswith(f"# Interview {record.id}: {PROBLEM}\n")
    assert "- Backend: openai (gpt-4o-mini)" in text
    clarify, estimate, design = (text.index(f"### {p}") for p in ("Clarify", "Estimate", "Design"))
    assert clarify < text.index("Shorten URLs and redirect.") < estimate < design
    assert text.count("### Clarify") == 1
    assert "**Interviewer** · 13:32 · probe `p-cache-hot-keys` · flags: too-long" in text
    assert "> How would you keep hot short links fast?\n> Think about reads." in text
    assert "_Sources: Caching strategies › Cache-aside; Load balancing_" in text
    assert "_Note: retrieval fell back to keyword search_" in text
    assert "**Interviewer** · 00:05 · question" in text
    notes, scorecard = text.index("## Notes"), text.index("## Scorecard")
    assert design < notes < text.index("100M links/month") < scorecard
    assert "**Overall: 7.5**" in text and "- clear scope" in text
    assert "- **score**: 8" in text


def test_export_markdown_without_scorecard_or_turns(store):
    record = store.get(new_session(store))
    text = export_markdown(record)
    assert "(no turns yet)" in text and "## Notes\n\n(none)" in text
    assert "## Scorecard" not in text


def test_export_json_round_trips(store):
    record = exported_session(store)
    data = json.loads(export_json(record))
    assert data["id"] == record.id and data["notes"] == "100M links/month"
    assert [t["phase"] for t in data["turns"]] == ["clarify", "clarify", "estimate", "design"]
    assert data["turns"][3]["grounding"][0]["chunk_id"] == "caching-strategies#3"
    assert data["turns"][3]["probe"] == "p-cache-hot-keys"
    assert data["scorecard"]["overall"] == 7.5 and data["usage"] == {"total_tokens": 50}
    assert SessionRecord.model_validate_json(export_json(record)) == record
