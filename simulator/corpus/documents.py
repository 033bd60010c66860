"""Read corpus files (Markdown, plain text, HTML) into typed documents.

Every failure a user can cause (empty, binary, undecodable, unreadable, bad front matter)
raises `DocumentError` naming the file, so ingest can report it and carry on.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from simulator.corpus.clean import html_to_text, strip_boilerplate

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


class DocumentError(ValueError):
    """A corpus file that cannot be used; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Document(BaseModel):
    doc_id: str
    title: str
    topics: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    text: str
    path: Path
    content_hash: str


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise DocumentError(path, "empty file")
    if b"\x00" in raw[:8192]:
        raise DocumentError(path, "binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not valid UTF-8 (byte {exc.start})") from None
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > 0.01 * min(len(text), 8192):
        raise DocumentError(path, "binary file (control characters)")
    return text


def _first_heading(text: str) -> str | None:
    match = re.search(r"^#{1,3}\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def load_document(path: Path, max_bytes: int = 5_000_000) -> Document:
    """Load one file; raise DocumentError for anything that is not a usable article."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(path, f"unsupported file type {suffix or '(none)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(path, f"too large ({size} bytes > {max_bytes})")
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"unreadable ({exc.strerror or exc})") from None
    text = _decode(path, raw)
    meta: dict = {}
    if suffix in (".md", ".markdown"):
        match = _FRONT_MATTER.match(text)
        if match:
            try:
                meta = yaml.safe_load(match.group(1)) or {}
            except yaml.YAMLError as exc:
                raise DocumentError(path, f"bad YAML front matter ({exc.__class__.__name__})")
            if not isinstance(meta, dict):
                raise DocumentError(path, "front matter is not a mapping")
            text = text[match.end():]
        title = str(meta.get("title") or _first_heading(text) or path.stem)
    elif suffix in (".html", ".htm"):
        html_title, text = html_to_text(text)
        title = html_title or _first_heading(text) or path.stem
    else:
        text = strip_boilerplate(text)
        title = _first_heading(text) or _first_line(text) or path.stem
    if not text.strip():
        raise DocumentError(path, "no article text after removing boilerplate")
    topics = meta.get("topics") or []
    sources = meta.get("sources") or []
    return Document(
        doc_id=str(meta.get("id") or path.stem),
        title=title,
        topics=[str(t) for t in topics] if isinstance(topics, list) else [str(topics)],
        sources=[str(s) for s in sources] if isinstance(sources, list) else [str(sources)],
        text=text.strip(),
        path=path,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def discover(corpus_dir: Path) -> list[Path]:
    """All regular files under the corpus directory, sorted, hidden files excluded."""
    return sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    )
