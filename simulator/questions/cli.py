"""``sdsim questions``: a thin click layer over :func:`generate_bank` and :func:`render`.

The lead registers it with ``main.add_command(questions_group, "questions")``. This module
must not import ``simulator.cli`` (that module imports this one). Every error a user can
cause, including click's own usage errors, is printed as one line with exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from simulator.cli_errors import OneLineUsage, UserError, one_line
from simulator.questions.export import FORMATS, render
from simulator.questions.generate import MAX_COUNT, generate_bank
from simulator.questions.models import LEVELS

__all__ = ["questions_group"]


def _llm_client(settings: Any) -> Any:
    if settings.llm_backend == "offline":
        return None
    from simulator.llm.client import LLMClient

    return LLMClient(settings)


@click.group(name="questions")
def questions_group() -> None:
    """Generate question banks for interviewers (offline by default)."""


@questions_group.command("generate", cls=OneLineUsage)
@click.option("--problem", "problems", multiple=True, metavar="ID",
              help="catalog problem id; repeat for several (default: all)")
@click.option("--topic", "topics", multiple=True, metavar="T",
              help="only questions with this topic; repeat for several")
@click.option("--level", type=click.Choice(LEVELS), default="senior", show_default=True)
@click.option("--count", type=click.IntRange(1, MAX_COUNT), default=10, show_default=True,
              help="questions in the bank")
@click.option("--seed", type=int, default=0, show_default=True,
              help="same seed, same bank")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="write to FILE instead of standard output")
def generate(problems: tuple[str, ...], topics: tuple[str, ...], level: str, count: int,
             seed: int, fmt: str, out: Path | None) -> None:
    """Generate a bank: catalog variants and corpus deep dives, near-duplicates removed.

    With SDSIM_LLM_BACKEND set, the LLM proposes extra variants; invalid ones are dropped
    and counted, and a failing LLM leaves the offline bank.
    """
    from simulator.llm.errors import LLMConfigError
    from simulator.settings import SettingsError, get_settings

    try:
        settings = get_settings()
        result = generate_bank(settings, list(problems) or None, list(topics) or None, level,
                               count, seed, llm_client=_llm_client(settings))
        text = render(result, fmt)
    except (SettingsError, LLMConfigError, ValueError) as exc:  # QuestionBankError, data files
        raise UserError(one_line(exc)) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    stats = result.bank.stats
    summary = (f"{stats.generated} questions ({stats.removed_duplicates} near-duplicates "
               f"removed, {stats.dropped_invalid} invalid LLM variants dropped)")
    if out is None:
        click.echo(text, nl=False)
        click.echo(summary, err=True)
        return
    # A BOM lets spreadsheet programs detect UTF-8 in a CSV; other formats stay plain UTF-8.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        out.write_text(text, encoding=encoding, newline="")
    except OSError as exc:
        raise UserError(f"{out}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {summary} to {out}", err=True)
