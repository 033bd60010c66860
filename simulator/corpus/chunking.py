"""Split documents into token-bounded chunks that remember where they came from.

Markdown headings become the chunk's heading path ("Caching > Stampedes"), so a retrieved
chunk can be cited by section and still make sense out of context. Chunk ids derive from the
content, which is what makes re-ingesting an unchanged corpus a no-op.
"""

from __future__ import annotations

import hashlib

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter
from pydantic import BaseModel

from simulator.corpus.documents import Document
from simulator.tokens import OFFLINE_ENCODING, count_tokens

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]


class Chunk(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    heading: str
    index: int
    text: str
    tokens: int


def chunk_document(
    doc: Document,
    chunk_tokens: int = 320,
    overlap_tokens: int = 40,
    encoding: str = OFFLINE_ENCODING,
) -> list[Chunk]:
    """Split by headings first, then by token count within each section."""

    def length(text: str) -> int:
        return count_tokens(text, encoding)

    sections = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True).split_text(doc.text)
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_tokens,
        chunk_overlap=min(overlap_tokens, chunk_tokens // 2),
        length_function=length,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
    )
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section in sections:
        path = [section.metadata[key] for _, key in _HEADERS if key in section.metadata]
        if path and path[0].strip().lower() == doc.title.strip().lower():
            path = path[1:]  # the article's own H1 repeats its title
        heading = " > ".join(path)
        for piece in splitter.split_text(section.page_content):
            piece = piece.strip()
            if not piece:
                continue
            basis = f"{doc.doc_id}\n{heading}\n{piece}"
            digest = hashlib.sha256(basis.encode()).hexdigest()[:24]
            # Identical text twice in one document still needs two ids.
            seen[digest] = seen.get(digest, 0) + 1
            chunk_id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"
            chunks.append(
                Chunk(
                    chunk_id=chunk_id,
                    doc_id=doc.doc_id,
                    title=doc.title,
                    heading=heading,
                    index=len(chunks),
                    text=piece,
                    tokens=length(piece),
                )
            )
    return chunks
