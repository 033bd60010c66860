"""How every `sdsim` command reports an error the user can fix: one line, exit code 2.

The main CLI and its command groups (`sdsim eval`, `sdsim questions`) share this, so a
missing file, a bad setting or a malformed data line reads the same whichever command hit
it. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools

import click
from pydantic import ValidationError


class UserError(click.ClickException):
    exit_code = 2


def one_line(exc: BaseException) -> str:
    """The message of `exc` on one line; a pydantic error as `field: message`."""
    if isinstance(exc, ValidationError):
        errors = exc.errors(include_url=False)
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{where}: {first['msg']}{more}" if where else f"{first['msg']}{more}"
    return " ".join(str(exc).split())


def user_errors(func):
    """Turn the errors a user can cause into a one-line message and exit code 2.

    Every project error a user can trigger is a ValueError (settings, catalog, rubric,
    datasets, run files, thresholds, question-bank arguments, LLM configuration); besides
    those: a store that cannot be opened, an unknown session id and a missing file.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from simulator.corpus.store import StoreError
        from simulator.store.sessions import SessionNotFound

        try:
            return func(*args, **kwargs)
        except (ValueError, StoreError, SessionNotFound, FileNotFoundError) as exc:
            raise UserError(one_line(exc)) from None

    return wrapper


class OneLineUsage(click.Command):
    """Report a bad option as one line (click's default adds the usage and a hint)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise UserError(exc.format_message()) from None
