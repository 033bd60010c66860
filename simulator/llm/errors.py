"""Errors of the LLM layer, each carrying a one-line explanation a user can act on.

Every failure of a call, whatever the SDK or HTTP library raised underneath, reaches the rest
of sdsim as `LLMFailed` (or its `StreamBroken` subclass), so callers catch one type and show
`str(exc)` as it is.
"""

from __future__ import annotations


class LLMConfigError(ValueError):
    """The settings cannot build an LLM client (no key, no URL, offline backend)."""


class LLMFailed(RuntimeError):
    """A call failed for good; `reason` is one line saying why and what to check.

    `kind` is a short machine-readable tag: config, connection, timeout, rate_limit, quota,
    server, auth, forbidden, not_found, bad_request, context, malformed, stream, no_recording,
    deadline.
    """

    def __init__(self, reason: str, *, kind: str = "error", status: int | None = None,
                 attempts: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.status = status
        self.attempts = attempts


class StreamBroken(LLMFailed):
    """A stream stopped after some tokens arrived; `partial_text` holds what was received, so
    the caller can keep it on screen (and in the transcript) instead of losing it."""

    def __init__(self, partial_text: str, reason: str) -> None:
        super().__init__(reason, kind="stream")
        self.partial_text = partial_text
