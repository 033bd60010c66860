"""The `sdsim` command: a thin layer of click commands over library calls.

Errors a user can cause are printed as one line on stderr with exit code 2; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from simulator.settings import Settings, SettingsError, get_settings


class UserError(click.ClickException):
    exit_code = 2


def user_errors(func):
    """Turn the errors a user can cause into a one-line message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from simulator.corpus.store import StoreError

        try:
            return func(*args, **kwargs)
        except (SettingsError, StoreError, FileNotFoundError, ValueError) as exc:
            raise UserError(str(exc)) from None

    return wrapper


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        raise UserError(str(exc)) from None


@click.group()
@click.version_option(package_name="sdsim")
def main() -> None:
    """sdsim: practise system-design interviews (offline by default)."""


@main.command()
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def config(as_json: bool) -> None:
    """Print the effective settings (secrets masked)."""
    values = _settings().masked()
    if as_json:
        click.echo(json.dumps(values, indent=2))
        return
    for key, value in values.items():
        click.echo(f"{key:24} {value}")


@main.command()
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), help="corpus directory")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@user_errors
def ingest(corpus_dir: Path | None, as_json: bool) -> None:
    """Load, chunk, embed and upsert the corpus into the vector store (incremental)."""
    from simulator.corpus.ingest import ingest as run_ingest

    settings = _settings()
    report = run_ingest(
        settings, corpus_dir, progress=None if as_json else lambda m: click.echo(m, err=True)
    )
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(
            f"{report.files_seen} files: {report.files_changed} changed, "
            f"{report.files_unchanged} unchanged, {report.files_removed} removed, "
            f"{len(report.skipped)} skipped; chunks +{report.chunks_added} "
            f"-{report.chunks_deleted} = {report.chunks_total} in {report.seconds:.2f}s"
        )
        for skipped in report.skipped:
            click.echo(f"skipped {skipped.path}: {skipped.reason}", err=True)


@main.command()
@click.argument("query")
@click.option("-k", "k", default=5, show_default=True, help="number of chunks")
@click.option("--json", "as_json", is_flag=True, help="print JSON lines")
@user_errors
def search(query: str, k: int, as_json: bool) -> None:
    """Search the corpus; prints source title, heading path, score and text."""
    from simulator.corpus.search import Retriever

    hits = Retriever(_settings()).search(query, k=k)
    if as_json:
        click.echo(json.dumps([h.model_dump() for h in hits], indent=2))
        return
    if not hits:
        click.echo("no results: run `sdsim ingest` first", err=True)
    for rank, hit in enumerate(hits, 1):
        click.echo(f"{rank}. [{hit.score:.3f}] {hit.citation()}  ({hit.doc_id})")
        click.echo("   " + hit.text[:300].replace("\n", " ") + ("..." if len(hit.text) > 300 else ""))


def run() -> None:  # pragma: no cover - console entry for python -m
    main(prog_name="sdsim")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
