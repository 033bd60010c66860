"""Incremental ingest of a corpus directory into the vector store.

The store itself is the manifest: every chunk records its source file and corpus root, and
its id derives from its content. Each run compares the chunk ids a file should have with the
ids stored for it, embeds only what is missing and deletes only what is stale. That makes a
re-run of an unchanged corpus cost no embedding at all, and makes an interrupted run safe:
new chunks of a file are written before its stale ones are removed, so a file is never
missing from the store, and the next run adds whatever the interrupted one did not.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from simulator.content.prompt_set import PromptSetError, corpus_files
from simulator.corpus.chunking import Chunk, chunk_document
from simulator.corpus.documents import DocumentError, discover, load_document
from simulator.corpus.embeddings import get_embedder
from simulator.corpus.store import open_collection
from simulator.settings import Settings

_BATCH = 64


class SkippedFile(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    corpus_dir: str
    files_seen: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    chunks_added: int = 0
    chunks_deleted: int = 0
    chunks_total: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)
    seconds: float = 0.0


def _stored_ids_by_source(collection, root: str) -> dict[str, set[str]]:
    found = collection.get(where={"corpus_root": root}, include=["metadatas"])
    by_source: dict[str, set[str]] = defaultdict(set)
    for chunk_id, meta in zip(found["ids"], found["metadatas"] or []):
        by_source[str(meta.get("source"))].add(chunk_id)
    return by_source


def _metadata(chunk: Chunk, source: str, root: str, topics: list[str]) -> dict:
    return {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "heading": chunk.heading,
        "chunk_index": chunk.index,
        "tokens": chunk.tokens,
        "source": source,
        "corpus_root": root,
        "topics": ",".join(topics),
    }


#: The corpus root recorded for the configured corpus (built-in articles laid under the user's
#: `corpus_dir`): a name, not a path, so the store stays valid wherever the package is installed.
CONFIGURED_ROOT = "sdsim:corpus"


def _sources(settings: Settings, corpus_dir: Path | None) -> tuple[str, dict[str, Path]]:
    """The corpus root label and the files to ingest by source id."""
    if corpus_dir is None:
        try:
            return CONFIGURED_ROOT, corpus_files(settings.corpus_dir)
        except PromptSetError as exc:
            raise FileNotFoundError(str(exc)) from None
    corpus = corpus_dir.resolve()
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus}")
    return str(corpus), {str(p.relative_to(corpus)): p for p in discover(corpus)}


def ingest(settings: Settings, corpus_dir: Path | None = None, progress=None) -> IngestReport:
    """Bring the store in line with `corpus_dir`, or by default with the configured corpus."""
    started = time.perf_counter()
    root, sources = _sources(settings, corpus_dir)
    report = IngestReport(corpus_dir=root)
    collection = open_collection(settings)
    stored = _stored_ids_by_source(collection, root)
    present: set[str] = set()

    for source, path in sources.items():
        report.files_seen += 1
        try:
            doc = load_document(path, settings.max_file_bytes)
        except DocumentError as exc:
            report.skipped.append(SkippedFile(path=source, reason=exc.reason))
            present.add(source)  # keep what an earlier, readable version stored
            continue
        present.add(source)
        chunks = chunk_document(
            doc, settings.chunk_tokens, settings.chunk_overlap_tokens, settings.token_encoding
        )
        wanted = {c.chunk_id for c in chunks}
        have = stored.get(source, set())
        missing = [c for c in chunks if c.chunk_id not in have]
        stale = sorted(have - wanted)
        if not missing and not stale:
            report.files_unchanged += 1
            continue
        report.files_changed += 1
        if progress:
            progress(f"embedding {source} ({len(missing)} new chunks)")
        embedder = get_embedder(settings)
        for i in range(0, len(missing), _BATCH):
            batch = missing[i : i + _BATCH]
            collection.upsert(
                ids=[c.chunk_id for c in batch],
                embeddings=embedder.embed_documents([c.text for c in batch]),
                documents=[c.text for c in batch],
                metadatas=[_metadata(c, source, root, doc.topics) for c in batch],
            )
            report.chunks_added += len(batch)
        if stale:
            collection.delete(ids=stale)
            report.chunks_deleted += len(stale)

    for source, ids in stored.items():
        if source not in present:
            collection.delete(ids=sorted(ids))
            report.chunks_deleted += len(ids)
            report.files_removed += 1

    report.chunks_total = collection.count()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def is_empty(settings: Settings) -> bool:
    return open_collection(settings).count() == 0
