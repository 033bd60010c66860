"""Stored interviews: commit order, a killed process, resume, replay and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from click.testing import CliRunner

from simulator.cli import main
from simulator.interview.session import InterviewSession
from simulator.store.sessions import SessionStore

CLARIFY = ("Is it one to one messaging plus group chats with a member cap? Offline users get "
           "missed messages on reconnect and a push notification; history on multiple devices; "
           "read receipts and presence. Delivery latency sub-second, per-conversation ordering "
           "must be consistent, and no message may be lost. Voice calls are out of scope.")


def test_every_turn_and_the_state_are_stored(settings, tmp_path):
    store = SessionStore(tmp_path / "s.db")
    session, opening = InterviewSession.start(settings, store, "chat", seed=2, clock=lambda: 90.0)
    reply = session.answer(CLARIFY)
    record = store.get(session.id)
    assert [t.role for t in record.turns] == ["interviewer", "candidate", "interviewer"]
    assert record.turns[0].text == opening.text
    assert record.turns[1].text == CLARIFY and record.turns[1].elapsed_s == 90.0
    assert record.turns[2].text == reply.interviewer.text
    assert record.state.turn_count == 1 and record.state.covered == session.state.covered
    assert record.prompt_hash and len(record.prompt_hash) == 16



def test_a_stream_closed_after_its_first_piece_still_stores_the_answer(settings, tmp_path):
    """A Streamlit rerun can interrupt the page mid-stream; the answer must not be lost."""
    store = SessionStore(tmp_path / "s.db")
    session, _ = InterviewSession.start(settings, store, "chat", seed=2, clock=lambda: 90.0)
    stream = session.stream_answer(CLARIFY)
    assert store.get(session.id).turns[-1].text == CLARIFY  # stored before anything is read
    first = next(stream)
    stream.close()
    record = store.get(session.id)
    assert [t.role for t in record.turns] == ["interviewer", "candidate", "interviewer"]
    assert record.turns[-1].text == first
    assert record.state.turn_count == session.state.turn_count == 1
    follow_up = session.answer("/next")
    assert follow_up.interviewer.intent == "transition"
    assert follow_up.interviewer.phase != record.turns[-1].phase
    assert [t.role for t in store.get(session.id).turns][-2:] == ["candidate", "interviewer"]



def test_a_stream_dropped_unread_is_still_answered_and_frees_the_session(settings, tmp_path):
    store = SessionStore(tmp_path / "s.db")
    session, _ = InterviewSession.start(settings, store, "chat", seed=2, clock=lambda: 90.0)
    stream = session.stream_answer("Who are the users?")
    del stream  # never read, never closed: the finaliser finishes it
    assert [t.role for t in store.get(session.id).turns] == ["interviewer", "candidate",
                                                            "interviewer"]
    assert session.wait_idle()
    session.answer("/next")  # the session is free for the next message
    assert len(store.get(session.id).turns) == 5


CRASH = textwrap.dedent("""
    import os, signal, sys
    from simulator.settings import get_settings
    from simulator.interview.session import InterviewSession
    from simulator.store.sessions import SessionStore
    settings = get_settings()
    store = SessionStore(sys.argv[1])
    session, _ = InterviewSession.start(settings, store, "chat", seed=5, clock=lambda: 60.0)
    session.answer("Is this one to one messaging with group chats too?")
    # The next message is committed, then the process dies before the interviewer answers.
    reply = session.engine.respond("Do offline users get a push notification?", 120.0)
    store.add_turn(session.id, reply.candidate)
    print(session.id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_killed_process_loses_no_committed_turn_and_resume_answers_it(settings, tmp_path):
    db = tmp_path / "crash.db"
    proc = subprocess.run([sys.executable, "-c", CRASH, str(db)], capture_output=True, text=True,
                          env={**os.environ}, timeout=120, check=False)
    assert proc.returncode == -9, proc.stderr
    session_id = proc.stdout.strip()
    store = SessionStore(db)
    before = store.get(session_id)
    assert [t.role for t in before.turns] == ["interviewer", "candidate", "interviewer", "candidate"]
    assert before.turns[-1].text == "Do offline users get a push notification?"
    assert before.state.turn_count == 1  # the state is the one saved with the last answer

    _, answered = InterviewSession.resume(settings, store, session_id)
    assert answered is not None and answered.role == "interviewer"
    after = store.get(session_id)
    assert [t.role for t in after.turns] == ["interviewer", "candidate"] * 2 + ["interviewer"]
    assert after.state.turn_count == 2
    # Resuming again answers nothing twice.
    _, again = InterviewSession.resume(settings, store, session_id)
    assert again is None and len(store.get(session_id).turns) == 5


def test_resume_continues_phase_and_clock(settings, tmp_path):
    store = SessionStore(tmp_path / "s.db")
    session, _ = InterviewSession.start(settings, store, "chat", clock=lambda: 200.0)
    session.answer("/next")
    assert session.state.phase == "estimate"
    resumed, pending = InterviewSession.resume(settings, store, session.id)
    assert pending is None
    assert resumed.state.phase == "estimate"
    assert resumed.elapsed_s() >= 200.0
    reply = resumed.answer("/next")
    assert reply.interviewer.phase == "design"


def _write(path, lines):
    path.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n")
    return path


def test_replay_batch_interleaves_turns_and_names_bad_lines(tmp_path):
    batch = _write(tmp_path / "in.jsonl", [
        {"id": "a", "problem": "chat", "candidate_turns": [CLARIFY, "/next"]},
        {"id": "b", "problem": "image-upload", "start_phase": "design",
         "candidate_turns": ["The upload handler resizes the photo with sharp and returns the URL."]},
        "{not json",
        {"id": "d", "problem": "no-such-problem", "candidate_turns": ["hi"]},
    ])
    result = CliRunner().invoke(main, ["replay", "--batch", str(batch), "--json", "--no-grounding"])
    assert result.exit_code == 2
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    by_id = {x["id"]: x for x in lines}
    a = by_id["a"]["turns"]
    assert [t["role"] for t in a] == ["interviewer", "candidate", "interviewer", "candidate", "interviewer"]
    # A good clarify answer a minute in is followed up (pacing is by the clock); /next moves on.
    assert a[2]["phase"] == "clarify" and a[2]["intent"] in ("probe", "answer")
    assert a[4]["intent"] == "transition" and a[4]["phase"] == "estimate"
    assert set(a[0]) >= {"role", "phase", "intent", "probe", "text"}
    b = by_id["b"]["turns"]
    assert b[0]["phase"] == "design" and b[-1]["probe"].startswith("event-loop")
    assert "line 3" in by_id["line-3"]["error"]
    assert "no-such-problem" in by_id["d"]["error"] and "line 4" in by_id["d"]["error"]
    assert "line 3" in result.stderr


def test_replay_is_deterministic_and_grounded(corpus_store, monkeypatch, tmp_path):
    monkeypatch.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
    batch = _write(tmp_path / "in.jsonl", [
        {"id": "x", "problem": "chat", "seed": 4, "candidate_turns": [CLARIFY, "I don't know", "10M DAU"]},
    ])
    runs = [CliRunner().invoke(main, ["replay", "--batch", str(batch), "--json"]) for _ in range(2)]
    assert runs[0].exit_code == 0, runs[0].output
    assert runs[0].stdout == runs[1].stdout
    turns = json.loads(runs[0].stdout)["turns"]
    interviewer = [t for t in turns if t["role"] == "interviewer"]
    assert all(t["sources"] for t in interviewer)
    chat_articles = {"design-chat", "websocket-scaling", "five-phase-framework", "clarifying-requirements",
                     "capacity-estimation"}
    assert any(set(t["sources"]) & chat_articles for t in interviewer)


def test_terminal_interview_quit_resume_and_export(tmp_path):
    runner = CliRunner()
    first = runner.invoke(main, ["interview", "--problem", "chat", "--no-grounding"],
                          input=f"{CLARIFY}\n/quit\n")
    assert first.exit_code == 0, first.output
    assert "Design a chat service" in first.output and "[clarify" in first.output
    session_id = first.output.split("Resume with: sdsim interview --resume ")[1].split()[0]

    listed = runner.invoke(main, ["sessions", "list"])
    assert session_id in listed.output and "active" in listed.output

    second = runner.invoke(main, ["interview", "--resume", session_id, "--no-grounding"],
                           input="/end\n")
    assert second.exit_code == 0, second.output
    assert "Interview finished" in second.output

    exported = runner.invoke(main, ["sessions", "export", session_id, "--format", "json"])
    data = json.loads(exported.stdout)
    assert data["status"] == "finished"
    assert [t["text"] for t in data["turns"] if t["role"] == "candidate"] == [CLARIFY, "/end"]
    md = runner.invoke(main, ["sessions", "show", session_id]).output
    assert CLARIFY[:40] in md


def test_ctrl_c_and_end_of_input_keep_the_session(tmp_path):
    result = CliRunner().invoke(main, ["interview", "--problem", "url-shortener", "--no-grounding"],
                                input="")
    assert result.exit_code == 0 and "saved" in result.output


def test_unknown_session_and_problem_are_clear_errors():
    runner = CliRunner()
    missing = runner.invoke(main, ["sessions", "show", "nope1234"])
    assert missing.exit_code == 2 and "nope1234" in missing.output
    bad = runner.invoke(main, ["interview", "--problem", "tetris", "--no-grounding"])
    assert bad.exit_code == 2 and "tetris" in bad.output and "chat" in bad.output


def test_two_copies_of_one_interview_interleave_without_losing_turns(settings, database):
    """One interview open in two tabs (or on two servers): 50 messages from each, interleaved.

    Each client has its own store connection and its own loaded copy; a copy that finds the
    store moved on reloads it instead of overwriting it, so nothing is lost or repeated.
    Runs on SQLite and on PostgreSQL.
    """
    db = database.target
    with SessionStore(db) as store:
        first, _ = InterviewSession.start(settings, store, "chat", seed=2)
        sid = first.id
    reloads = {"A": 0, "B": 0}
    copies: dict[str, InterviewSession] = {}
    go = threading.Barrier(2, timeout=60)

    def client(tag: str) -> None:
        own = SessionStore(db)
        copy, _ = InterviewSession.resume(settings, own, sid)
        reload = copy.reload

        def counted_reload(*args):
            reloads[tag] += 1
            return reload(*args)

        copy.reload = counted_reload
        copies[tag] = copy
        go.wait()
        for i in range(50):
            copy.answer(f"{tag}{i:02d}: we could shard the message table by conversation.")
            time.sleep(0.001)  # let the other client in between

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(client, tag) for tag in "AB"]:
            done.result(timeout=300)  # re-raises a client's error

    with SessionStore(db) as store:
        record = store.get(sid)
    said = [t.text.split(":")[0] for t in record.turns if t.role == "candidate"]
    assert len(said) == 100 and len(set(said)) == 100
    for tag in "AB":
        assert [s for s in said if s.startswith(tag)] == [f"{tag}{i:02d}" for i in range(50)]
    # Every message is answered right after it: roles alternate, opening first.
    assert [t.role for t in record.turns] == ["interviewer"] + ["candidate", "interviewer"] * 100
    assert record.state.turn_count == 100  # the stored state saw every message
    clock = [t.elapsed_s for t in record.turns]
    assert clock == sorted(clock)  # the interview clock never runs backwards
    probes = [t.probe for t in record.turns if t.probe]
    assert len(probes) == len(set(probes))  # no probe asked twice
    assert reloads["A"] + reloads["B"] > 0  # the copies really did go stale and reload
    for copy in copies.values():
        copy.reload()
        assert copy.history == record.turns
    assert copies["A"].history == copies["B"].history
