"""The retrieval suite: labelled queries -> the articles that answer them; recall@k and MRR."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from simulator.evals.records import CaseResult
from simulator.evals.suite import EvalContext, MetricSpec, Suite
from simulator.jsonl import load_jsonl


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1)
    relevant: list[str] = Field(min_length=1)
    id: str | None = None


class DatasetError(ValueError):
    """A dataset line that does not parse or validate; names the file and line."""


def load_queries(path: Path) -> list[RetrievalCase]:
    return load_jsonl(path, RetrievalCase, error=DatasetError)


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


# -- the suite ------------------------------------------------------------------------------

#: Depth of the ranking kept per query: MRR looks this deep, recall@5 at the top 5.
MRR_DEPTH = 10
RECALL_K = 5


class _Recorded:
    """A retriever that answers `search_docs` from rankings already fetched, so recall@k and
    MRR above score exactly the rankings recorded in the run, without searching again."""

    def __init__(self, rankings: dict[str, list[str]]) -> None:
        self.rankings = rankings

    def search_docs(self, query: str, k: int = 5) -> list[str]:
        return self.rankings[query][:k]


class RetrievalSuite(Suite[RetrievalCase]):
    name = "retrieval"
    description = "labelled queries -> the corpus articles that answer them"
    dataset_file = "retrieval.jsonl"
    metrics = (
        MetricSpec(f"recall@{RECALL_K}",
                   f"share of queries with a relevant article in the top {RECALL_K}"),
        MetricSpec("mrr", f"mean reciprocal rank of the first relevant article (top {MRR_DEPTH})"),
    )

    def load(self, path: Path, ctx: EvalContext) -> list[RetrievalCase]:
        if not path.is_file():
            raise DatasetError(f"{path}: dataset file not found")
        cases = load_queries(path)
        if not cases:
            raise DatasetError(f"{path}: dataset has no cases")
        for index, case in enumerate(cases, 1):  # lines without an id are numbered
            case.id = case.id or f"q{index:03d}"
        return cases

    def begin(self, ctx: EvalContext) -> str:
        from simulator.corpus.ingest import ingest, is_empty
        from simulator.corpus.search import Retriever

        if is_empty(ctx.settings):
            ingest(ctx.settings)
        self.retriever = Retriever(ctx.settings)
        return f"{ctx.settings.embedding_backend} embeddings"

    def run_case(self, case: RetrievalCase, ctx: EvalContext) -> CaseResult:
        ranked = self.retriever.search_docs(case.query, k=MRR_DEPTH)
        rank = rank_of_first_relevant(ranked, case.relevant)
        return CaseResult(
            id=case.id or case.query,
            passed=bool(rank and rank <= RECALL_K),
            outcome=f"rank {rank}" if rank else "miss",
            output={"query": case.query, "relevant": case.relevant, "rank": rank,
                    "ranked": ranked},
        )

    def score(self, cases: list[RetrievalCase], results: list[CaseResult]):
        recorded = _Recorded({r.output["query"]: r.output["ranked"] for r in results})
        recall, misses = recall_at_k(recorded, cases, k=RECALL_K)
        mrr = mean_reciprocal_rank(recorded, cases, k=MRR_DEPTH)
        details = {"misses": [{"query": q, "relevant": rel, "top": top} for q, rel, top in misses]}
        return {f"recall@{RECALL_K}": round(recall, 4), "mrr": round(mrr, 4)}, details
