"""SQLite session store: sessions, turns, notes, usage and scorecards, with migrations."""

from simulator.store.export import export_html, export_json, export_markdown
from simulator.store.sessions import (
    LOCAL_USER,
    SessionNotFound,
    SessionRecord,
    SessionStore,
    SessionSummary,
    StaleSession,
)

__all__ = [
    "LOCAL_USER",
    "SessionNotFound",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "StaleSession",
    "export_html",
    "export_json",
    "export_markdown",
]
