"""Owners and shares in the session store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from simulator.store import LOCAL_USER, SessionNotFound, SessionStore
from simulator.store.migrations import MIGRATIONS
from simulator.transcript import InterviewState, Turn

PROBLEM = "url-shortener"


@pytest.fixture
def store(database):
    with SessionStore(database.target) as opened:
        yield opened


def new_session(store: SessionStore, owner: str = LOCAL_USER) -> str:
    return store.create(PROBLEM, level="senior", minutes=45, seed=1,
                        state=InterviewState(problem_id=PROBLEM), owner=owner)


def test_a_strangers_session_answers_exactly_like_a_missing_one(store):
    alice = new_session(store, "alice@example.com")
    with pytest.raises(SessionNotFound) as stranger:
        store.get(alice, viewer="bob@example.com")
    with pytest.raises(SessionNotFound) as missing:
        store.get("zzzzzzzz", viewer="bob@example.com")
    assert str(stranger.value).replace(alice, "ID") == str(missing.value).replace("zzzzzzzz", "ID")
    assert store.location not in str(stranger.value)
    assert store.get(alice, viewer="alice@example.com").owner == "alice@example.com"
    assert store.get(alice).owner == "alice@example.com"  # unrestricted: CLI, admin


def test_long_ids_are_cut_in_the_message(store):
    with pytest.raises(SessionNotFound) as caught:
        store.get("x" * 5000)
    assert "x" * 40 in str(caught.value) and "x" * 41 not in str(caught.value)


def test_writes_by_a_stranger_change_nothing(store):
    alice = new_session(store, "alice@example.com")
    turn = Turn(role="candidate", phase="clarify", text="hijack")
    calls = [
        lambda: store.append_turn_and_state(alice, turn, InterviewState(problem_id=PROBLEM),
                                            viewer="bob@example.com"),
        lambda: store.add_turn(alice, turn, viewer="bob@example.com"),
        lambda: store.save_notes(alice, "bob was here", viewer="bob@example.com"),
        lambda: store.save_scorecard(alice, {"overall": 1}, viewer="bob@example.com"),
        lambda: store.delete(alice, viewer="bob@example.com"),
    ]
    for call in calls:
        with pytest.raises(SessionNotFound):
            call()
    record = store.get(alice)
    assert record.turns == [] and record.notes == "" and record.scorecard is None
    store.save_notes(alice, "mine", viewer="alice@example.com")
    assert store.get(alice).notes == "mine"


def test_list_filters_by_owner_and_by_share(store):
    alice = new_session(store, "alice@example.com")
    bob = new_session(store, "bob@example.com")
    local = new_session(store)
    assert [s.id for s in store.list(owner="alice@example.com")] == [alice]
    assert [s.id for s in store.list(owner=LOCAL_USER)] == [local]
    assert {s.id for s in store.list()} == {alice, bob, local}
    assert store.list(shared_with="ivy@example.com") == []

    store.share(alice, "ivy@example.com", owner="alice@example.com")
    store.share(alice, "ivy@example.com", owner="alice@example.com")  # twice is harmless
    assert store.shared_with(alice) == ["ivy@example.com"]
    shared = store.list(shared_with="ivy@example.com")
    assert [(s.id, s.owner) for s in shared] == [(alice, "alice@example.com")]
    assert store.get(alice, viewer="ivy@example.com").id == alice
    with pytest.raises(SessionNotFound):  # a share lets a viewer see, not delete
        store.delete(alice, viewer="ivy@example.com")
    with pytest.raises(SessionNotFound):  # only the owner shares
        store.share(bob, "ivy@example.com", owner="alice@example.com")

    store.unshare(alice, "ivy@example.com", owner="alice@example.com")
    assert store.shared_with(alice) == []
    with pytest.raises(SessionNotFound):
        store.get(alice, viewer="ivy@example.com")
    store.delete(alice, viewer="alice@example.com")
    assert [s.id for s in store.list(owner="alice@example.com")] == []


def test_existing_sessions_become_the_local_users(tmp_path):
    path = tmp_path / "old.db"
    SessionStore(path).close()  # everything, then pretend the database predates owners
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE shares")
    conn.execute("DROP INDEX sessions_by_owner")
    conn.execute("ALTER TABLE sessions DROP COLUMN owner")
    conn.execute("DELETE FROM schema_migrations WHERE version = 4")
    conn.execute(
        "INSERT INTO sessions (id, problem_id, level, minutes, seed, status, created_at,"
        " updated_at, state_json) VALUES ('old00001', ?, 'mid', 45, 1, 'active', ?, ?, ?)",
        (PROBLEM, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00",
         InterviewState(problem_id=PROBLEM).model_dump_json()),
    )
    conn.close()
    assert MIGRATIONS[3][0] == 4
    with SessionStore(path) as store:
        assert store.get("old00001").owner == LOCAL_USER
        assert [s.id for s in store.list(owner=LOCAL_USER)] == ["old00001"]
