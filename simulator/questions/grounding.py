"""Corpus articles as the question bank needs them: id, title, topics and interview notes.

Questions cite the articles they are grounded in, deep-dive questions are built from an
article's sections, and an article's "In an interview" section supplies what a strong
answer contains and its common mistakes. Reading this from the corpus (rather than copying
it into code) keeps the bank in step when an article is edited.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from simulator.corpus.documents import DocumentError, load_document

__all__ = ["Article", "load_articles"]

_INTERVIEW_HEADING = re.compile(r"^##\s+In an interview\s*$", re.MULTILINE | re.IGNORECASE)
_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_MISTAKES = re.compile(r"Common mistakes:\s*(.+?)(?:\n\n|\Z)", re.DOTALL)
_SUMMARY_CHARS = 600


class Article(BaseModel):
    """One corpus article, reduced to what questions cite and draw on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    topics: list[str]
    sections: list[str]  # the "##" headings, "In an interview" excluded
    strong_answer: str  # first paragraph of "In an interview", trimmed at a sentence
    mistakes: list[str]  # the "Common mistakes:" items, when the article lists them


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(". ", 0, limit)
    return text[: cut + 1] if cut > 0 else text[:limit].rstrip() + "..."


def _article(path: Path) -> Article | None:
    try:
        doc = load_document(path)
    except DocumentError:
        return None  # ingest reports unusable files; the bank just does not cite them
    text = doc.text
    match = _INTERVIEW_HEADING.search(text)
    interview = text[match.end():] if match else ""
    next_section = _SECTION.search(interview)
    if next_section:
        interview = interview[: next_section.start()]
    paragraphs = [p.strip() for p in interview.split("\n\n") if p.strip()]
    strong = next((p for p in paragraphs if not p.startswith("Common mistakes")), "")
    mistakes_match = _MISTAKES.search(interview)
    mistakes = []
    if mistakes_match:
        raw = " ".join(mistakes_match.group(1).split()).rstrip(".")
        mistakes = [m.strip()[:1].upper() + m.strip()[1:] for m in raw.split(";") if m.strip()]
    sections = [
        s for s in _SECTION.findall(text) if not _INTERVIEW_HEADING.match(f"## {s}")
    ]
    return Article(
        id=doc.doc_id,
        title=doc.title,
        topics=doc.topics,
        sections=sections,
        strong_answer=_trim(strong, _SUMMARY_CHARS),
        mistakes=mistakes,
    )


def load_articles(files: Iterable[Path]) -> dict[str, Article]:
    """Every readable Markdown article among ``files`` keyed by id (cached per mtime)."""
    paths = sorted(Path(p) for p in files if Path(p).suffix == ".md")
    signature = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in paths)
    return dict(_load(signature))


@functools.lru_cache(maxsize=4)
def _load(signature: tuple[tuple[str, int], ...]) -> dict[str, Article]:
    articles: dict[str, Article] = {}
    for name, _ in signature:
        article = _article(Path(name))
        if article is not None:
            articles[article.id] = article
    return articles
