"""Stored sessions as a JSON document or a readable Markdown transcript."""

from __future__ import annotations

import json
from typing import Any

from simulator.store.sessions import SessionRecord, overall_score


def export_json(record: SessionRecord) -> str:
    """The whole record (metadata, state, turns, notes, usage, scorecard) as indented JSON."""
    return record.model_dump_json(indent=2)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in (text.strip() or "(empty)").splitlines()]


def _scorecard_lines(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}- **{key}**:")
                lines.extend(_scorecard_lines(item, indent + 1))
            else:
                lines.append(f"{pad}- **{key}**: {json.dumps(item, ensure_ascii=False)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}-")
                lines.extend(_scorecard_lines(item, indent + 1))
            else:
                text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                lines.append(f"{pad}- {text}")
    return lines


def export_markdown(record: SessionRecord, scorecard_text: str | None = None) -> str:
    """Transcript grouped by phase, probes marked, then notes and the scorecard if any.

    ``scorecard_text`` is the scorecard as the grader writes it (`scorecard_markdown`, a
    layer above the store); without it the stored scorecard is listed field by field."""
    model = f" ({record.model})" if record.model else ""
    lines = [
        f"# Interview {record.id}: {record.problem_id}",
        "",
        f"- Level: {record.level}",
        f"- Length: {record.minutes:g} minutes",
        f"- Status: {record.status}",
        f"- Backend: {record.backend}{model}",
        f"- Started: {record.created_at.isoformat(timespec='seconds')}",
        f"- Turns: {len(record.turns)}",
    ]
    if record.usage:
        usage = ", ".join(f"{key} {value}" for key, value in sorted(record.usage.items()))
        lines.append(f"- Usage: {usage}")
    lines += ["", "## Transcript"]
    if not record.turns:
        lines += ["", "(no turns yet)"]
    phase = None
    for turn in record.turns:
        if turn.phase != phase:
            phase = turn.phase
            lines += ["", f"### {phase.capitalize()}"]
        header = f"**{turn.role.capitalize()}** · {_clock(turn.elapsed_s)}"
        if turn.probe:
            header += f" · probe `{turn.probe}`"
        elif turn.intent:
            header += f" · {turn.intent}"
        if turn.flags:
            header += " · flags: " + ", ".join(turn.flags)
        lines += ["", header, *_quote(turn.text)]
        if turn.grounding:
            sources = "; ".join(
                c.title + (f" › {c.heading}" if c.heading else "") for c in turn.grounding
            )
            lines.append(f"\n_Sources: {sources}_")
        if turn.notice:
            lines.append(f"\n_Note: {turn.notice}_")
    lines += ["", "## Notes", "", record.notes.strip() or "(none)"]
    if scorecard_text:
        body = scorecard_text.strip().split("\n")
        if body and body[0].startswith("# "):
            body = body[1:]  # the export's own heading replaces the card's title
        lines += ["", "## Scorecard", *[("#" + ln if ln.startswith("#") else ln) for ln in body]]
    elif record.scorecard is not None:
        lines += ["", "## Scorecard", ""]
        score = overall_score(record.scorecard)
        if score is not None:
            lines += [f"**Overall: {score:g}**", ""]
        lines += _scorecard_lines(record.scorecard)
    return "\n".join(lines) + "\n"
