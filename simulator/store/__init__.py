"""Session store on SQLite or PostgreSQL: sessions, turns, notes, usage and scorecards, with
migrations."""

from simulator.store.database import DatabaseUnavailable
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
    "DatabaseUnavailable",
    "SessionNotFound",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "StaleSession",
    "export_html",
    "export_json",
    "export_markdown",
]
