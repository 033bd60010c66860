"""Near-duplicate removal by embedding similarity.

Two questions that differ only in a number ("chat for 5M DAU" and "chat for 10M DAU") or
in an LLM's paraphrase are the same question to a candidate, and no string comparison sees
that. The corpus embedder (local MiniLM by default) does: candidates are compared by cosine
similarity of their question texts and a candidate at or above ``settings.dedup_threshold``
to one already kept is dropped. Selection is greedy in pool order, so what is kept depends
only on the order (which the seed fixes), and embedding is done in batches only as far into
the pool as needed to fill the bank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from simulator.corpus.embeddings import Embedder, get_embedder
from simulator.questions.models import Question
from simulator.settings import Settings

__all__ = ["Selection", "dedupe", "select_distinct"]

T = TypeVar("T")


@dataclass
class Selection(Generic[T]):
    """The kept items, with how many were removed and how many were looked at."""

    kept: list[T] = field(default_factory=list)
    removed: int = 0
    considered: int = 0


_CACHE_SIZE = 4096
_vector_cache: dict[tuple[str, str], np.ndarray] = {}


def _embed(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Unit vectors for ``texts``, reusing vectors of texts seen before in this process.

    Banks for different seeds or levels share most of their candidate texts, and on a CPU
    embedding is the slow step, so a UI or test that regenerates pays only for new texts.
    """
    name = getattr(embedder, "name", type(embedder).__name__)
    missing = list(dict.fromkeys(t for t in texts if (name, t) not in _vector_cache))
    if missing:
        if len(_vector_cache) + len(missing) > _CACHE_SIZE:
            _vector_cache.clear()
        for text, vector in zip(missing, _unit(embedder.embed_documents(missing)), strict=True):
            _vector_cache[(name, text)] = vector
    return np.stack([_vector_cache[(name, t)] for t in texts])


def _unit(vectors: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)  # OpenAI vectors need not be unit length


def select_distinct(
    items: Sequence[T],
    text_of: Callable[[T], str],
    key_of: Callable[[T], str],
    embedder: Embedder,
    threshold: float,
    limit: int,
) -> Selection:
    """Up to ``limit`` items of ``items``, in order, none within ``threshold`` of another.

    Items with a key already kept are removed too (an exact repeat is the extreme
    near-duplicate, even if float noise puts it a hair under a threshold of 1.0).
    """
    out: Selection[T] = Selection()
    kept = out.kept
    keys: set[str] = set()
    vectors = np.zeros((0, 0))
    batch = min(64, limit + 4)
    start = 0
    while start < len(items) and len(kept) < limit:
        chunk = items[start:start + batch]
        start += batch
        embedded = _embed(embedder, [text_of(item) for item in chunk])
        for item, vector in zip(chunk, embedded, strict=True):
            if len(kept) >= limit:
                break
            out.considered += 1
            duplicate = key_of(item) in keys or (
                len(kept) > 0 and float(np.max(vectors @ vector)) >= threshold)
            if duplicate:
                out.removed += 1
                continue
            kept.append(item)
            keys.add(key_of(item))
            vectors = vector[None, :] if len(kept) == 1 else np.vstack([vectors, vector])
    return out


def dedupe(questions: Sequence[Question], settings: Settings) -> tuple[list[Question], int]:
    """``questions`` without near-duplicates (first one kept) and the number removed."""
    selection = select_distinct(questions, lambda q: q.text, lambda q: q.id,
                                get_embedder(settings), settings.dedup_threshold, len(questions))
    return selection.kept, selection.removed
