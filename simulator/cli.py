"""The `sdsim` command: a thin layer of click commands over library calls.

Errors a user can cause are printed as one line on stderr with exit code 2; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from simulator.cli_errors import UserError, one_line, user_errors
from simulator.phases import PHASES
from simulator.settings import Settings, SettingsError, get_settings


def _settings(**overrides) -> Settings:
    try:
        return get_settings(**{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        raise UserError(one_line(exc)) from None


def backend_options(func):
    """--backend/--base-url/--model: override SDSIM_LLM_* for one command."""
    func = click.option("--model", "llm_model", help="LLM model name (SDSIM_LLM_MODEL)")(func)
    func = click.option("--base-url", "llm_base_url",
                        help="OpenAI-compatible server URL (SDSIM_LLM_BASE_URL)")(func)
    func = click.option("--backend", "llm_backend",
                        type=click.Choice(["offline", "openai", "openai-compatible"]),
                        help="LLM backend (SDSIM_LLM_BACKEND; default offline)")(func)
    return func


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


def _store():
    from simulator.store.sessions import SessionStore

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SessionStore.from_settings(settings)


@main.command()
@click.option("--problem", "problem_id", help="problem id (see `sdsim problems`)")
@click.option("--minutes", type=click.FloatRange(5, 240), help="total interview time")
@click.option("--seed", type=int, default=0, show_default=True, help="seed for probe order")
@click.option("--level", type=click.Choice(["mid", "senior", "staff"]), default="senior",
              show_default=True)
@click.option("--resume", "resume_id", help="continue a stored session by id")
@click.option("--no-grounding", is_flag=True, help="skip corpus retrieval (faster start)")
@backend_options
@user_errors
def interview(problem_id, minutes, seed, level, resume_id, no_grounding, **llm) -> None:
    """Run an interactive interview in the terminal."""
    from simulator.interview.session import InterviewSession, default_grounder, phraser_for
    from simulator.interview.terminal import run_terminal

    settings = _settings(**llm)
    phraser = phraser_for(settings)
    if not problem_id and not resume_id:
        raise UserError("give --problem ID (see `sdsim problems`) or --resume SESSION_ID")
    grounder = None if no_grounding else default_grounder(settings)
    store = _store()
    if resume_id:
        session, first = InterviewSession.resume(settings, store, resume_id, grounder=grounder,
                                                 phraser=phraser)
        if first is None:
            last = session.record().turns
            first = last[-1] if last else None
    else:
        session, first = InterviewSession.start(
            settings, store, problem_id, minutes=minutes, seed=seed, level=level,
            grounder=grounder, phraser=phraser,
        )
    run_terminal(session, first)


@main.command()
@backend_options
def doctor(**llm) -> None:
    """Check the configured LLM backend with one tiny call; explain any failure."""
    from simulator.llm.doctor import check_backend

    report = check_backend(_settings(**llm))
    click.echo(str(report))
    if not report.ok:
        raise SystemExit(1)


@main.command()
@user_errors
def problems() -> None:
    """List the problem catalog."""
    from simulator.content.loader import load_content

    for problem in load_content(_settings().prompts_dir).catalog.values():
        click.echo(f"{problem.id:16} {problem.title}")


@main.command()
@click.option("--batch", "batch", type=click.File("r"), required=True,
              help="JSONL of {id, problem, start_phase?, candidate_turns}; - for stdin")
@click.option("--json", "as_json", is_flag=True, help="JSON lines out (the only format)")
@click.option("--no-grounding", is_flag=True, help="skip corpus retrieval")
@backend_options
@user_errors
def replay(batch, as_json: bool, no_grounding: bool, **llm) -> None:
    """Drive the interviewer from scripted candidate turns; one JSON line per case."""
    from simulator.interview.replay import replay_batch
    from simulator.interview.session import default_grounder, phraser_for

    settings = _settings(**llm)
    grounder = None if no_grounding else default_grounder(settings)
    failed = 0
    for result in replay_batch(batch, settings, grounder, phraser_for(settings)):
        if result.error:
            failed += 1
            click.echo(result.error, err=True)
        click.echo(result.model_dump_json(exclude={"turns"} if result.error else {"error"}))
    if failed:
        raise UserError(f"{failed} case(s) failed; see the lines above")


@main.group()
def sessions() -> None:
    """List, show and export stored interview sessions."""


@sessions.command("list")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def sessions_list(limit: int, as_json: bool) -> None:
    rows = _store().list(limit=limit)
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    if not rows:
        click.echo("no sessions yet: start one with `sdsim interview --problem chat`")
    for r in rows:
        score = f"{r.overall_score:.1f}" if r.overall_score is not None else "-"
        click.echo(
            f"{r.id}  {r.problem_id:16} {r.level:6} {r.status:8} {r.turn_count:3} turns  "
            f"{r.last_phase or '-':12} score {score:4}  {r.updated_at:%Y-%m-%d %H:%M}"
        )


def _scorecard_text(record) -> str | None:
    """The stored scorecard as the grader writes it, or None (an older or foreign card)."""
    from pydantic import ValidationError

    from simulator.grading.scorecard import Scorecard, scorecard_markdown

    if not record.scorecard:
        return None
    try:
        card = Scorecard.model_validate(record.scorecard)
    except ValidationError:
        return None
    return scorecard_markdown(card) if card.summary else None


@sessions.command("show")
@click.argument("session_id")
@user_errors
def sessions_show(session_id: str) -> None:
    from simulator.store.export import export_markdown

    record = _store().get(session_id)
    click.echo(export_markdown(record, _scorecard_text(record)))


@sessions.command("export")
@click.argument("session_id")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="file (default stdout)")
@user_errors
def sessions_export(session_id: str, fmt: str, out: Path | None) -> None:
    from simulator.store.export import export_json, export_markdown

    record = _store().get(session_id)
    text = export_markdown(record, _scorecard_text(record)) if fmt == "md" else export_json(record)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)


@main.command()
@click.option("--problem", "problem_id", help="problem id")
@click.option("--phase", type=click.Choice(PHASES))
@click.option("--answer-file", type=click.File("r", encoding="utf-8", errors="replace"),
              help="the candidate's answer (- for stdin)")
@click.option("--batch", type=click.File("r", encoding="utf-8", errors="replace"),
              help="JSONL of {id, problem, phase, answer}; one JSON line out per answer")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@backend_options
@user_errors
def grade(problem_id, phase, answer_file, batch, as_json, **llm) -> None:
    """Grade one phase answer (or a batch) against the rubric, with evidence."""
    from simulator.grading.service import Grader, grade_batch

    grader = Grader.from_settings(_settings(**llm))  # models and rubric load once
    if batch is not None:
        failed = 0
        for result in grade_batch(grader, batch):
            failed += bool(result.error)
            if result.error:
                click.echo(result.error, err=True)
            click.echo(result.model_dump_json(exclude={"error"} if not result.error else set()))
        if failed:
            raise UserError(f"{failed} line(s) could not be graded; see above")
        return
    if not (problem_id and phase and answer_file):
        raise UserError("give --problem, --phase and --answer-file, or --batch FILE")
    text = answer_file.read()
    if "\x00" in text:
        raise UserError("the answer file looks binary (NUL bytes); give a text file")
    result = grader.grade(problem_id, phase, text)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    click.echo(f"score {result.score}/4 ({result.grader})  flags: {', '.join(result.flags) or 'none'}")
    for reason in result.reasons:
        click.echo(f"  - {reason}")
    for span in result.evidence:
        click.echo(f'  + "{span.text}" ({span.why})')
    for missing in result.missing:
        click.echo(f"  ? missing: {missing}")


@main.command()
@click.argument("session_id")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="file (default stdout)")
@backend_options
@user_errors
def report(session_id: str, fmt: str, out: Path | None, **llm) -> None:
    """Grade a session and print its scorecard (stored with the session)."""
    from simulator.grading.scorecard import scorecard_markdown
    from simulator.grading.service import Grader

    card = Grader.from_settings(_settings(**llm)).scorecard(_store(), session_id)
    text = scorecard_markdown(card) if fmt == "md" else card.model_dump_json(indent=2)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)


@main.command()
@click.option("--port", type=int, default=8501, show_default=True, help="port to serve on")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="interface to bind (127.0.0.1: this machine only)")
@click.option("--no-ingest", is_flag=True, help="skip building the vector store first")
@user_errors
def app(port: int, address: str, no_ingest: bool) -> None:
    """Start the browser app (builds the vector store first when it is out of date)."""
    import subprocess
    from importlib.resources import files

    from simulator.ui.theme import streamlit_flags  # the app's config.toml is not in the wheel

    if not no_ingest:
        from simulator.corpus.ingest import ingest

        ingest(_settings(), progress=lambda m: click.echo(m, err=True))
    script = str(files("simulator.ui") / "entry.py")
    command = [sys.executable, "-m", "streamlit", "run", script,
               "--server.port", str(port), "--server.address", address,
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "minimal", *streamlit_flags()]
    raise SystemExit(subprocess.call(command))


def _register_groups() -> None:
    from simulator.evals.cli import eval_group
    from simulator.questions.cli import questions_group

    main.add_command(questions_group, "questions")
    main.add_command(eval_group, "eval")


_register_groups()


def run() -> None:  # pragma: no cover - console entry for python -m
    main(prog_name="sdsim")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
