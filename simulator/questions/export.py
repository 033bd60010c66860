"""A bank as Markdown (to read or print), JSON (to validate and load) or CSV (a spreadsheet).

* Markdown: one ``##`` section per question, the rubric as a table, probes grouped by
  phase with Node.js runtime probes marked, so an interviewer can print it and run an
  interview from the page.
* JSON: the :class:`QuestionBank` model dumped as it is; it validates against the
  published schema ``schemas/question_bank.schema.json``.
* CSV: one row per question with a header, list fields joined with ``"; "`` (a ``;`` inside
  an item becomes ``,`` so the join stays unambiguous). The rubric column holds each
  phase's bar anchor; the full 1-4 anchors are in the Markdown and JSON exports.
"""

from __future__ import annotations

import csv
import io
from typing import Literal

from simulator.questions.errors import QuestionBankError
from simulator.questions.models import BankResult, Question, QuestionBank

__all__ = ["CSV_COLUMNS", "FORMATS", "render"]

Format = Literal["md", "json", "csv"]
FORMATS: tuple[str, ...] = ("md", "json", "csv")

CSV_COLUMNS: tuple[str, ...] = (
    "id", "kind", "title", "level", "problem_id", "variant", "topics", "question",
    "assumptions", "clarifications", "estimation_targets", "probes", "nodejs_probes",
    "rubric", "red_flags", "sources",
)

_PHASE_NAMES = {"clarify": "Clarify", "estimate": "Estimate", "design": "Design",
                "bottlenecks": "Bottlenecks", "trade-offs": "Trade-offs"}


def render(bank: QuestionBank | BankResult, fmt: str) -> str:
    """``bank`` in ``fmt`` ('md', 'json' or 'csv'); raises ValueError for another format."""
    if isinstance(bank, BankResult):
        bank = bank.bank
    if fmt == "json":
        return bank.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return _markdown(bank)
    if fmt == "csv":
        return _csv(bank)
    raise QuestionBankError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")


# -- Markdown -----------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _question_md(n: int, q: Question) -> list[str]:
    lines = [
        f"## {n}. {q.title}",
        "",
        f"`{q.id}` | {q.kind} | level: {q.level} | topics: {', '.join(q.topics)}",
        "",
        *[f"> {line}" for line in q.text.splitlines()],
        "",
        "### Clarifications to expect",
        "",
        *[f"- {c}" for c in q.clarifications],
        "",
        "### Estimation targets",
        "",
        "| Figure | Reference | How it is computed |",
        "|---|---|---|",
        *[f"| {_cell(t.label)} | {_cell(t.display)} | {_cell(t.formula)} |"
          for t in q.estimation_targets],
        "",
        "### Probes",
        "",
    ]
    for phase, probes in q.probes.items():
        lines.append(f"**{_PHASE_NAMES[phase]}**")
        lines.append("")
        lines += [f"- {'[Node.js] ' if p.nodejs else ''}{p.text}" for p in probes]
        lines.append("")
    bar = q.rubric[0].bar
    lines += [
        f"### Rubric (bar for {q.level}: {bar})",
        "",
        "| Phase | 1 | 2 | 3 | 4 |",
        "|---|---|---|---|---|",
    ]
    for row in q.rubric:
        cells = []
        for score in (1, 2, 3, 4):
            text = _cell(row.anchor(score))
            cells.append(f"**{text}**" if score == row.bar else text)
        lines.append(f"| {_PHASE_NAMES[row.phase]} | {' | '.join(cells)} |")
    lines += ["", f"**What a {q.level} answer contains here**", ""]
    for row in q.rubric:
        lines.append(f"- *{_PHASE_NAMES[row.phase]}*")
        lines += [f"  - {item}" for item in row.look_for]
    lines += [
        "",
        "### Red flags",
        "",
        *[f"- {flag}" for flag in q.red_flags],
        "",
        "### Sources",
        "",
        *[f"- `{s.id}`: {s.title}" for s in q.sources],
        "",
    ]
    return lines


def _markdown(bank: QuestionBank) -> str:
    s = bank.stats
    filters = []
    if bank.problems:
        filters.append(f"problems: {', '.join(bank.problems)}")
    if bank.topics:
        filters.append(f"topics: {', '.join(bank.topics)}")
    lines = [
        f"# Question bank: {_plural(len(bank.questions), 'question')} for {bank.level} level",
        "",
        f"Seed {bank.seed}" + (f"; {'; '.join(filters)}" if filters else "") + ". "
        f"{s.removed_duplicates} near-duplicates removed (similarity >= "
        f"{bank.dedup_threshold:g}); {s.dropped_invalid} invalid LLM variants dropped; "
        f"{s.llm_added} LLM-proposed questions included.",
        "",
        "Contents:",
        "",
        *[f"{n}. {q.title}" for n, q in enumerate(bank.questions, 1)],
        "",
    ]
    for n, q in enumerate(bank.questions, 1):
        lines += _question_md(n, q)
    return "\n".join(lines).rstrip() + "\n"


# -- CSV ----------------------------------------------------------------------------------------


def _join(items: list[str]) -> str:
    return "; ".join(" ".join(i.split()).replace(";", ",") for i in items)


def _row(q: Question) -> dict[str, str]:
    a = q.assumptions
    return {
        "id": q.id,
        "kind": q.kind,
        "title": q.title,
        "level": q.level,
        "problem_id": q.problem_id,
        "variant": q.variant or "",
        "topics": _join(q.topics),
        "question": q.text,
        "assumptions": _join([f"{k}={v}" for k, v in a.model_dump().items()]),
        "clarifications": _join(q.clarifications),
        "estimation_targets": _join([f"{t.label}: {t.display} ({t.formula})"
                                     for t in q.estimation_targets]),
        "probes": _join([f"{phase}: {p.text}" for phase, ps in q.probes.items() for p in ps]),
        "nodejs_probes": _join([p.text for ps in q.probes.values() for p in ps if p.nodejs]),
        "rubric": _join([f"{r.phase} bar {r.bar}: {r.anchor(r.bar)}" for r in q.rubric]),
        "red_flags": _join(q.red_flags),
        "sources": _join([f"{s.id}: {s.title}" for s in q.sources]),
    }


def _csv(bank: QuestionBank) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for q in bank.questions:
        writer.writerow(_row(q))
    return out.getvalue()
