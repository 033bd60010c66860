"""Stored sessions as a JSON document, a readable Markdown transcript or an HTML page.

Every text a person or a model wrote goes through `simulator.safe_text`: in Markdown it is
backslash-escaped (no link, image, raw HTML or emphasis of the candidate's survives), in HTML
it is entity-escaped, and bidi controls show as their code points in both. The HTML page is
self-contained (inline style, no script, no external resource) and says so to the browser
with a Content-Security-Policy that allows nothing to be fetched.
"""

from __future__ import annotations

import html
import json
from typing import Any

from simulator.safe_text import markdown_text, visible
from simulator.store.sessions import SessionRecord, overall_score

_md = markdown_text


def export_json(record: SessionRecord) -> str:
    """The whole record (metadata, state, turns, notes, usage, scorecard) as indented JSON."""
    return record.model_dump_json(indent=2)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def _quote(text: str) -> list[str]:
    lines = (text.strip() or "(empty)").splitlines()
    return [f"> {_md(line.strip())}".rstrip() for line in lines]


def _scorecard_lines(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}- **{_md(str(key))}**:")
                lines.extend(_scorecard_lines(item, indent + 1))
            else:
                value_text = _md(json.dumps(item, ensure_ascii=False))
                lines.append(f"{pad}- **{_md(str(key))}**: {value_text}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}-")
                lines.extend(_scorecard_lines(item, indent + 1))
            else:
                text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                lines.append(f"{pad}- {_md(text)}")
    return lines


def export_markdown(record: SessionRecord, scorecard_text: str | None = None) -> str:
    """Transcript grouped by phase, probes marked, then notes and the scorecard if any.

    ``scorecard_text`` is the scorecard as the grader writes it (`scorecard_markdown`, a
    layer above the store); without it the stored scorecard is listed field by field."""
    model = f" ({record.model})" if record.model else ""
    lines = [
        f"# Interview {_md(record.id)}: {_md(record.problem_id)}",
        "",
        f"- Level: {record.level}",
        f"- Length: {record.minutes:g} minutes",
        f"- Status: {record.status}",
        f"- Backend: {_md(record.backend + model)}",
        f"- Started: {record.created_at.isoformat(timespec='seconds')}",
        f"- Turns: {len(record.turns)}",
    ]
    if record.usage:
        usage = ", ".join(f"{key} {value}" for key, value in sorted(record.usage.items()))
        lines.append(f"- Usage: {_md(usage)}")
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
            header += f" · probe `{turn.probe}`"  # an id from the content files
        elif turn.intent:
            header += f" · {_md(turn.intent)}"
        if turn.flags:
            header += " · flags: " + _md(", ".join(turn.flags))
        lines += ["", header, *_quote(turn.text)]
        if turn.grounding:
            sources = "; ".join(
                c.title + (f" › {c.heading}" if c.heading else "") for c in turn.grounding
            )
            lines.append(f"\n_Sources: {_md(sources)}_")
        if turn.notice:
            lines.append(f"\n_Note: {_md(turn.notice)}_")
    notes = [_md(line) + "  " for line in record.notes.strip().splitlines()]
    lines += ["", "## Notes", "", *(notes or ["(none)"])]
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


_STYLE = """body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1f2328}h1,h2,h3{line-height:1.2}.turn{margin:1rem 0}
.who{font-weight:600}.meta{color:#59636e;font-size:.9em}
.text{white-space:pre-wrap;border-left:3px solid #d0d7de;padding-left:.75rem;margin:.25rem 0}
pre{white-space:pre-wrap}"""
#: Nothing may be loaded: no script, image, font, frame or connection; only the inline style.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"


def _h(text: object) -> str:
    return html.escape(visible(str(text)), quote=True)


def export_html(record: SessionRecord) -> str:
    """The transcript as one self-contained HTML page: every text entity-escaped, nothing
    fetched (see the CSP), so it opens safely from a download folder or an attachment."""
    model = f" ({record.model})" if record.model else ""
    facts = [("Level", record.level), ("Length", f"{record.minutes:g} minutes"),
             ("Status", record.status), ("Backend", record.backend + model),
             ("Started", record.created_at.isoformat(timespec="seconds")),
             ("Turns", len(record.turns))]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Interview {_h(record.id)}: {_h(record.problem_id)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Interview {_h(record.id)}: {_h(record.problem_id)}</h1>", "<ul>",
        *(f"<li>{name}: {_h(value)}</li>" for name, value in facts), "</ul>",
        "<h2>Transcript</h2>",
    ]
    if not record.turns:
        parts.append("<p>(no turns yet)</p>")
    phase = None
    for turn in record.turns:
        if turn.phase != phase:
            phase = turn.phase
            parts.append(f"<h3>{_h(phase.capitalize())}</h3>")
        meta = [_clock(turn.elapsed_s)]
        if turn.probe:
            meta.append(f"probe {_h(turn.probe)}")
        elif turn.intent:
            meta.append(_h(turn.intent))
        if turn.flags:
            meta.append("flags: " + _h(", ".join(turn.flags)))
        parts += ['<div class="turn">',
                  (f'<div class="who">{_h(turn.role.capitalize())} '
                   f'<span class="meta">· {" · ".join(meta)}</span></div>'),
                  f'<div class="text">{_h(turn.text.strip() or "(empty)")}</div>']
        if turn.grounding:
            sources = "; ".join(c.title + (f" › {c.heading}" if c.heading else "")
                                for c in turn.grounding)
            parts.append(f'<div class="meta">Sources: {_h(sources)}</div>')
        if turn.notice:
            parts.append(f'<div class="meta">Note: {_h(turn.notice)}</div>')
        parts.append("</div>")
    parts += ["<h2>Notes</h2>", f'<div class="text">{_h(record.notes.strip() or "(none)")}</div>']
    if record.scorecard is not None:
        parts.append("<h2>Scorecard</h2>")
        score = overall_score(record.scorecard)
        if score is not None:
            parts.append(f"<p><strong>Overall: {score:g}</strong></p>")
        parts.append(f"<pre>{_h(json.dumps(record.scorecard, indent=2, ensure_ascii=False))}"
                     "</pre>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
