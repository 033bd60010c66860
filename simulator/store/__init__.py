"""SQLite session store: sessions, turns, notes, usage and scorecards, with migrations."""

from simulator.store.export import export_html, export_json, export_markdown
from simulator.store.sessions import (
    SessionNotFound,
    SessionRecord,
    SessionStore,
    SessionSummary,
)

__all__ = [
    "SessionNotFound",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "export_html",
    "export_json",
    "export_markdown",
]
