"""Reading one candidate message from a terminal, whatever its length.

In canonical mode the kernel's tty line buffer holds 4,095 bytes: a longer paste is cut there
with no warning. On a terminal this reader switches canonical mode off for the prompt and
collects the bytes itself, so a message is as long as the candidate made it, up to
``MAX_MESSAGE_CHARS``; a longer one is refused whole with a message saying so (nothing is
sent cut). Bracketed paste (``ESC [200~ ... ESC [201~``, which terminals send when the
program asks) keeps the newlines of a pasted block inside one message. Backspace, Ctrl-U,
Ctrl-D on an empty line (end of input) and Ctrl-C (``KeyboardInterrupt``) work as before.
When input is not a terminal the ordinary ``input()`` is used.
"""

from __future__ import annotations

import io
import os
import re
import sys
import termios
from dataclasses import dataclass

from simulator.transcript import MAX_MESSAGE_CHARS

_PASTE_ON, _PASTE_OFF = b"\x1b[?2004h", b"\x1b[?2004l"
_PASTE_START, _PASTE_END = b"\x1b[200~", b"\x1b[201~"
_ERASE = (b"\x7f", b"\x08")
_KILL_LINE, _EOF = b"\x15", b"\x04"
_CSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")
#: Bytes that mean something to the reader; runs of anything else are taken in one go.
_SPECIAL = re.compile(rb"[\r\n\x1b\x7f\x08\x15\x04]")


class MessageTooLong(ValueError):
    """A message over ``MAX_MESSAGE_CHARS``: refused whole, nothing of it is sent."""

    def __init__(self, chars: int, limit: int = MAX_MESSAGE_CHARS) -> None:
        super().__init__(f"That message is {chars:,} characters; the limit is {limit:,}. "
                         "Nothing was sent: shorten it and send it again.")
        self.chars = chars


@dataclass
class _Line:
    data: bytearray
    pasting: bool = False


def read_message(prompt: str, fd: int | None = None, limit: int = MAX_MESSAGE_CHARS) -> str:
    """One message typed or pasted at ``prompt``. Raises EOFError, KeyboardInterrupt or
    :class:`MessageTooLong` (after reading the whole of it, so its tail is not taken for
    the next message)."""
    if fd is None:
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, io.UnsupportedOperation):  # a test's fake stdin
            fd = -1
    if fd < 0 or not os.isatty(fd):
        text = input(prompt)
        if len(text) > limit:
            raise MessageTooLong(len(text), limit)
        return text
    old = termios.tcgetattr(fd)
    new = termios.tcgetattr(fd)
    new[3] &= ~(termios.ICANON | termios.ECHO)  # lflag: our own buffer, our own echo
    new[6][termios.VMIN], new[6][termios.VTIME] = 1, 0
    out = sys.stdout
    out.write(prompt)
    out.flush()
    termios.tcsetattr(fd, termios.TCSADRAIN, new)
    os.write(fd, _PASTE_ON)
    try:
        raw = _read_line(fd)
    finally:
        os.write(fd, _PASTE_OFF)
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    text = raw.decode("utf-8", errors="replace")
    if len(text) > limit:
        raise MessageTooLong(len(text), limit)
    return text


def _read_line(fd: int) -> bytes:
    line = _Line(bytearray())
    pending = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError
        pending += chunk
        while pending:
            if pending.startswith(b"\x1b") and len(pending) < len(_PASTE_START):
                break  # maybe the start of a paste marker: wait for the rest
            done, pending = _take(line, pending, fd)
            if done:
                os.write(fd, b"\r\n")
                return bytes(line.data)


def _take(line: _Line, pending: bytes, fd: int) -> tuple[bool, bytes]:
    """Consume the first key or marker of ``pending``; True when the message is complete."""
    for marker, pasting in ((_PASTE_START, True), (_PASTE_END, False)):
        if pending.startswith(marker):
            line.pasting = pasting
            return False, pending[len(marker):]
    key = _CSI.match(pending)
    if key:  # an arrow or function key: no line editing beyond backspace, so ignored
        return False, pending[key.end():]
    byte, rest = pending[:1], pending[1:]
    if byte in (b"\r", b"\n"):
        if line.pasting:
            line.data += b"\n"
            os.write(fd, b"\r\n")
            return False, rest
        return True, rest
    if byte == _EOF and not line.data:
        raise EOFError
    if byte in _ERASE:
        if line.data:
            # drop one whole UTF-8 character, not one byte of it
            while line.data and (line.data[-1] & 0xC0) == 0x80:
                line.data.pop()
            line.data.pop()
            os.write(fd, b"\b \b")
        return False, rest
    if byte == _KILL_LINE:
        line.data.clear()
        os.write(fd, b"\r\x1b[K")
        return False, rest
    plain = _SPECIAL.search(pending)
    end = plain.start() if plain and plain.start() > 0 else (1 if plain else len(pending))
    line.data += pending[:end]
    os.write(fd, pending[:end])
    return False, pending[end:]
