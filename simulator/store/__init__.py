"""SQLite session store: sessions, turns, notes, usage and scorecards, with migrations."""

from simulator.store.export import export_json, export_markdown
from simulator.store.sessions import (
    LOCAL_USER,
    SessionNotFound,
    SessionRecord,
    SessionStore,
    SessionSummary,
)

__all__ = [
    "LOCAL_USER",
    "SessionNotFound",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "export_json",
    "export_markdown",
]
