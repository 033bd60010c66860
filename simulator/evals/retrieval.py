"""The retrieval suite: labelled queries -> the articles that answer them; recall@k and MRR."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1)
    relevant: list[str] = Field(min_length=1)
    id: str | None = None


class DatasetError(ValueError):
    """A dataset line that does not parse or validate; names the file and line."""


def load_queries(path: Path) -> list[RetrievalCase]:
    cases: list[RetrievalCase] = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            cases.append(RetrievalCase.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise DatasetError(f"{path}:{number}: {first}") from None
    return cases


def rank_of_first_relevant(ranked: list[str], relevant: list[str]) -> int | None:
    for position, doc_id in enumerate(ranked, 1):
        if doc_id in relevant:
            return position
    return None


def recall_at_k(retriever, cases: list[RetrievalCase], k: int = 5):
    """Share of queries with a relevant article in the top k; also returns the misses."""
    hits, misses = 0, []
    for case in cases:
        ranked = retriever.search_docs(case.query, k=k)
        if rank_of_first_relevant(ranked, case.relevant):
            hits += 1
        else:
            misses.append((case.query, case.relevant, ranked))
    return hits / len(cases), misses


def mean_reciprocal_rank(retriever, cases: list[RetrievalCase], k: int = 10) -> float:
    total = 0.0
    for case in cases:
        rank = rank_of_first_relevant(retriever.search_docs(case.query, k=k), case.relevant)
        total += 1.0 / rank if rank else 0.0
    return total / len(cases)
