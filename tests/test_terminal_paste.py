"""Pastes into the terminal interview through a real pseudo-terminal (`pty.fork`).

A tty in canonical mode cuts a line at 4,095 bytes; `sdsim interview` reads its own line, so a
10,000-character paste arrives whole, a multi-line bracketed paste is one message, and a paste
over MAX_MESSAGE_CHARS is refused with a message, nothing of it stored.
"""

from __future__ import annotations

import os
import pty
import re
import select
import sys
import time

from simulator.settings import Settings
from simulator.store.sessions import SessionStore
from simulator.transcript import MAX_MESSAGE_CHARS

PROMPT = b"You> "


class Terminal:
    """`python -m simulator interview` on the slave side of a pseudo-terminal."""

    def __init__(self, data_dir) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the CLI on the pty, as a person would run it
            os.environ.update(SDSIM_DATA_DIR=str(data_dir), SDSIM_LLM_BACKEND="offline")
            os.execv(sys.executable, [sys.executable, "-m", "simulator", "interview",
                                      "--problem", "chat", "--no-grounding"])
        self.pid, self.fd, self.seen = pid, fd, b""

    def expect(self, pattern: bytes, timeout_s: float = 60) -> bytes:
        """Output up to and including the next ``pattern``, consuming it."""
        deadline = time.monotonic() + timeout_s
        while (at := self.seen.find(pattern)) < 0:
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in {self.seen[-500:]!r}"
            if select.select([self.fd], [], [], left)[0]:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:  # the child closed the terminal
                    assert pattern in self.seen, self.seen[-500:]
        out, self.seen = self.seen[: at + len(pattern)], self.seen[at + len(pattern):]
        return out

    def send(self, data: bytes) -> None:
        # Written in pieces while the output is drained, as a terminal emulator would.
        for i in range(0, len(data), 1024):
            os.write(self.fd, data[i:i + 1024])
            while select.select([self.fd], [], [], 0.01)[0]:
                self.seen += os.read(self.fd, 65536)

    def close(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def paste(text: str) -> bytes:
    return b"\x1b[200~" + text.encode() + b"\x1b[201~"


def words(n_chars: int, seed: str) -> str:
    text = " ".join(f"{seed}{i}" for i in range(n_chars))
    return text[:n_chars].rstrip() + "x" * (n_chars - len(text[:n_chars].rstrip()))


def test_long_pastes_arrive_whole_and_one_over_the_limit_is_refused(tmp_path):
    data = tmp_path / "data"
    term = Terminal(data)
    try:
        term.expect(PROMPT)
        long_answer = words(10_000, "users")
        assert len(long_answer) == 10_000 and len(long_answer.encode()) > 4095
        term.send(long_answer.encode() + b"\r")
        term.expect(b"Interviewer")
        term.expect(PROMPT)

        lines = "Two services:\n  the gateway\n  the message store"
        term.send(paste(lines) + b"\r")
        term.expect(PROMPT)

        too_long = words(MAX_MESSAGE_CHARS + 500, "spam")
        term.send(paste(too_long) + b"\r")
        refusal = term.expect(PROMPT)
        text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z~]", b"", refusal).decode()
        assert f"{MAX_MESSAGE_CHARS + 500:,} characters" in text
        assert f"the limit is {MAX_MESSAGE_CHARS:,}" in text and "Nothing was sent" in text

        term.send(b"/quit\r")
        term.expect(b"Resume with")
    finally:
        assert term.close() == 0

    store = SessionStore(Settings(data_dir=data).db_path)
    [summary] = store.list()
    record = store.get(summary.id)
    said = [t.text for t in record.turns if t.role == "candidate"]
    assert said == [long_answer, lines]  # whole, in one message each; the refused one absent
