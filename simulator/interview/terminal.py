"""The interactive terminal interview behind `sdsim interview`.

Each line the candidate types is one message. `/quit`, end of input and Ctrl-C all leave the
session stored and print how to resume it; nothing typed before is lost because every
candidate turn is committed before the interviewer answers.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from simulator.interview.line_reader import MessageTooLong, read_message
from simulator.interview.session import InterviewSession
from simulator.transcript import Turn

HELP = "Commands: /next (next phase)  /hint  /end (finish)  /quit (leave, resume later)"


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def status_line(session: InterviewSession) -> str:
    engine = session.engine
    state = session.state
    return (
        f"[{state.phase} · phase {_clock(engine.phase_time_left_s())} left · "
        f"total {_clock(engine.total_time_left_s())} left]"
    )


def show_turn(turn: Turn, echo: Callable[[str], None] = click.echo) -> None:
    label = "Interviewer"
    if turn.intent in ("probe", "hint", "transition"):
        label += f" ({turn.intent}{': ' + turn.probe if turn.probe else ''})"
    echo("")
    echo(click.style(label, bold=True))
    echo(turn.text)
    if turn.grounding:
        sources = ", ".join(dict.fromkeys(c.title for c in turn.grounding))
        echo(click.style(f"  grounded in: {sources}", dim=True))
    if turn.notice:
        echo(click.style(f"  note: {turn.notice}", fg="yellow"))


def run_terminal(session: InterviewSession, first: Turn | None, read=read_message) -> str:
    """Run until the interview ends or the candidate leaves; returns 'finished' or 'left'."""
    click.echo(f"Session {session.id} · {session.problem.title} · {HELP}")
    if first is not None:
        show_turn(first)
    while not session.state.finished:
        click.echo("")
        try:
            text = read(f"{status_line(session)}\nYou> ")
        except (EOFError, KeyboardInterrupt):
            text = "/quit"
        except MessageTooLong as exc:
            click.echo(click.style(str(exc), fg="yellow"))
            continue
        if text.strip().lower() == "/quit":
            click.echo(f"\nSession {session.id} saved. Resume with: sdsim interview --resume {session.id}")
            return "left"
        if session.phraser is None:
            reply = session.answer(text)
            if reply.candidate.notice:
                click.echo(click.style(f"  note: {reply.candidate.notice}", fg="yellow"))
            show_turn(reply.interviewer)
            continue
        click.echo("\n" + click.style("Interviewer", bold=True))
        for piece in session.stream_answer(text):  # tokens as the LLM produces them
            click.echo(piece, nl=False)
        click.echo("")
        notice = session.last_reply.interviewer.notice if session.last_reply else None
        if notice:
            click.echo(click.style(f"  note: {notice}", fg="yellow"))
    click.echo(f"\nInterview finished. Scorecard: sdsim report {session.id}")
    return "finished"
