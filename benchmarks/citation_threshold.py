"""Choose the similarity a chunk needs before a turn cites it, on the retrieval set.

    SDSIM_DATA_DIR=... python benchmarks/citation_threshold.py

Each query of `simulator/evals/datasets/retrieval.jsonl` is searched (top 5); a hit is
relevant when its article is one the query lists. For each threshold the script prints the
precision and recall of "cite when score >= threshold" over those hits, and the threshold
with the best F1 over the tune half (queries hashed by text, like the other labelled sets);
the held-out half reports the same figures for that threshold. The chosen value lives in
`simulator.interview.session.CITATION_MIN_SCORE`.
"""

from __future__ import annotations

import hashlib
import json

from simulator.corpus.search import Retriever
from simulator.evals.suite import DATASETS_DIR
from simulator.interview.session import CITATION_MIN_SCORE
from simulator.settings import Settings


def half(query: str) -> str:
    return "tune" if int(hashlib.sha256(query.encode()).hexdigest(), 16) % 2 == 0 else "held-out"


def prf(hits: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    cited = [rel for score, rel in hits if score >= threshold]
    relevant = sum(rel for _, rel in hits)
    tp = sum(cited)
    p = tp / len(cited) if cited else 1.0
    r = tp / relevant if relevant else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    retriever = Retriever(Settings())
    rows = [json.loads(line) for line in
            (DATASETS_DIR / "retrieval.jsonl").read_text().splitlines() if line.strip()]
    hits: dict[str, list[tuple[float, bool]]] = {"tune": [], "held-out": []}
    for row in rows:
        for hit in retriever.search(row["query"], k=5):
            hits[half(row["query"])].append((hit.score, hit.doc_id in row["relevant"]))
    grid = [round(0.20 + 0.01 * i, 2) for i in range(45)]
    best = max(grid, key=lambda t: prf(hits["tune"], t)[2])
    print(f"{len(rows)} queries, {sum(map(len, hits.values()))} hits")
    print("threshold  tune P   tune R   tune F1")
    for t in grid[::5]:
        p, r, f = prf(hits["tune"], t)
        print(f"  {t:.2f}     {p:.3f}    {r:.3f}    {f:.3f}")
    for name in ("tune", "held-out"):
        p, r, f = prf(hits[name], best)
        print(f"best on tune {best:.2f} -> {name}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    p, r, f = prf(hits["held-out"], CITATION_MIN_SCORE)
    print(f"in use {CITATION_MIN_SCORE:.2f} -> held-out: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
