"""Retrieval: the one API the CLI, the interviewer, the grader and the question bank call."""

from __future__ import annotations

from pydantic import BaseModel

from simulator.corpus.embeddings import get_embedder
from simulator.corpus.store import open_collection
from simulator.settings import Settings

MAX_QUERY_CHARS = 4000


class Hit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    heading: str
    source: str
    score: float  # cosine similarity, 1 is identical
    text: str

    def citation(self) -> str:
        return f"{self.title} > {self.heading}" if self.heading else self.title


class Retriever:
    """Query the corpus collection with the configured embedder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.collection = open_collection(settings)
        self.embedder = get_embedder(settings)

    def search(self, query: str, k: int = 5, doc_ids: list[str] | None = None) -> list[Hit]:
        query = (query or "").strip()
        if not query:
            raise ValueError("empty query: type what you are looking for")
        if k < 1:
            raise ValueError("k must be at least 1")
        where = None
        if doc_ids:
            where = {"doc_id": {"$in": list(doc_ids)}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
        result = self.collection.query(
            query_embeddings=[self.embedder.embed_query(query[:MAX_QUERY_CHARS])],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        hits = []
        for chunk_id, text, meta, dist in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        ):
            hits.append(
                Hit(
                    chunk_id=chunk_id,
                    doc_id=str(meta.get("doc_id")),
                    title=str(meta.get("title")),
                    heading=str(meta.get("heading") or ""),
                    source=str(meta.get("source")),
                    score=round(1.0 - float(dist), 4),
                    text=text,
                )
            )
        return hits

    def search_docs(self, query: str, k: int = 5) -> list[str]:
        """Distinct article ids in rank order (over-fetches chunks to find k articles)."""
        ranked: list[str] = []
        for hit in self.search(query, k=max(k * 4, 10)):
            if hit.doc_id not in ranked:
                ranked.append(hit.doc_id)
        return ranked[:k]
