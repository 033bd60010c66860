"""The one error type the question bank raises for arguments a user can fix."""

from __future__ import annotations


class QuestionBankError(ValueError):
    """Unknown problem, topic, level or format, or a bad count: one line naming the valid
    choices, so the CLI can print it as it is."""
