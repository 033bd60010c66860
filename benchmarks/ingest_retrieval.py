"""Benchmark the corpus pipeline: model load, full and incremental ingest, query latency, quality.

    python benchmarks/ingest_retrieval.py [--corpus DIR] [--queries FILE] [--rounds N] [--json]

Everything runs against a fresh temporary data directory with an embedded Chroma store, so the
user's ~/.sdsim (or SDSIM_DATA_DIR, or a configured Chroma server) is never touched. Other
settings (embedding backend, chunk sizes) come from `get_settings()` as usual.

What is measured, and why:
- model load: wall time of the first `get_embedder()` call (imports plus weights); every
  process pays it once.
- full ingest: `ingest()` into the empty store, with the model already loaded, so the figure
  is chunking + embedding + writing; chunks/s is chunks added over that time.
- re-ingest: `ingest()` again over the unchanged corpus. It should embed nothing, so it costs
  a small fraction of the full ingest (target < 5%).
- query latency: `Retriever.search(query, k=5)` (embed the query + one vector lookup), over
  every query of the retrieval dataset, after a warm-up pass; target p95 < 50 ms.
- recall@5 and MRR over the same dataset (`simulator.evals.retrieval`); target recall >= 0.9.

Exit code 0 whatever the figures; 2 with a one-line message for a missing corpus or dataset.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

try:
    import simulator  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO_ROOT))

from simulator.corpus.embeddings import get_embedder
from simulator.corpus.ingest import ingest
from simulator.corpus.search import Retriever
from simulator.corpus.store import reset_clients
from simulator.evals.retrieval import (
    DatasetError,
    load_queries,
    mean_reciprocal_rank,
    recall_at_k,
)
from simulator.evals.suite import DATASETS_DIR
from simulator.settings import SettingsError, get_settings

DEFAULT_QUERIES = DATASETS_DIR / "retrieval.jsonl"
REINGEST_MAX_RATIO = 0.05
QUERY_P95_MAX_MS = 50.0
RECALL_MIN = 0.9
K = 5


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation), as latency reports usually quote it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def run(corpus_dir: Path | None, queries_path: Path, rounds: int, warmup: int) -> dict:
    cases = load_queries(queries_path)
    if not cases:
        raise DatasetError(f"{queries_path}: no queries")
    with tempfile.TemporaryDirectory(prefix="sdsim-bench-", ignore_cleanup_errors=True) as tmp:
        settings = get_settings(data_dir=Path(tmp) / "data", chroma_url=None)
        # None: the configured corpus (the built-in articles under any corpus_dir overlay).
        corpus = corpus_dir.resolve() if corpus_dir is not None else None
        if corpus is not None and not corpus.is_dir():
            raise FileNotFoundError(f"corpus directory not found: {corpus}")
        if corpus is not None:
            corpus_label = str(corpus)
        elif settings.corpus_dir is not None:
            corpus_label = f"built-in + {settings.corpus_dir}"
        else:
            corpus_label = "built-in"

        started = time.perf_counter()
        embedder = get_embedder(settings)
        model_load_s = time.perf_counter() - started

        full = ingest(settings, corpus)
        again = ingest(settings, corpus)

        retriever = Retriever(settings)
        queries = [case.query for case in cases]
        for query in queries[:warmup]:
            retriever.search(query, k=K)
        latencies_ms = []
        for _ in range(rounds):
            for query in queries:
                # Time a real embedding every query: the embedder's query cache is emptied.
                getattr(retriever.embedder, "_queries", {}).clear()
                t0 = time.perf_counter()
                retriever.search(query, k=K)
                latencies_ms.append((time.perf_counter() - t0) * 1000)

        recall, misses = recall_at_k(retriever, cases, k=K)
        mrr = mean_reciprocal_rank(retriever, cases)
        reset_clients()

    reingest_ratio = again.seconds / full.seconds if full.seconds else 0.0
    p95 = percentile(latencies_ms, 95)
    return {
        "corpus_dir": corpus_label,
        "queries_file": str(queries_path),
        "embedder": embedder.name,
        "files": full.files_seen,
        "chunks": full.chunks_total,
        "skipped_files": [s.model_dump() for s in full.skipped],
        "model_load_s": round(model_load_s, 3),
        "full_ingest_s": full.seconds,
        "chunks_per_s": round(full.chunks_added / full.seconds, 1) if full.seconds else None,
        "reingest_s": again.seconds,
        "reingest_chunks_added": again.chunks_added,
        "reingest_ratio": round(reingest_ratio, 4),
        "queries": len(queries),
        "query_samples": len(latencies_ms),
        "query_p50_ms": round(percentile(latencies_ms, 50), 2),
        "query_p95_ms": round(p95, 2),
        "recall_at_5": round(recall, 4),
        "mrr": round(mrr, 4),
        "misses": [
            {"query": query, "relevant": relevant, "ranked": ranked}
            for query, relevant, ranked in misses
        ],
        "targets": {
            "reingest_ratio_max": REINGEST_MAX_RATIO,
            "query_p95_ms_max": QUERY_P95_MAX_MS,
            "recall_at_5_min": RECALL_MIN,
        },
        "pass": {
            "reingest": reingest_ratio < REINGEST_MAX_RATIO and again.chunks_added == 0,
            "query_p95": p95 < QUERY_P95_MAX_MS,
            "recall_at_5": recall >= RECALL_MIN,
        },
    }


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def render_table(r: dict) -> str:
    ok = r["pass"]
    rows = [
        ("embedding model load", f"{r['model_load_s']:.2f} s", "", ""),
        ("full ingest", f"{r['full_ingest_s']:.2f} s ({r['chunks']} chunks)", "", ""),
        ("ingest throughput", f"{r['chunks_per_s']} chunks/s", "", ""),
        (
            "re-ingest (unchanged)",
            f"{r['reingest_s']:.3f} s, +{r['reingest_chunks_added']} chunks",
            "",
            "",
        ),
        (
            "re-ingest / full",
            f"{r['reingest_ratio']:.2%}",
            f"< {REINGEST_MAX_RATIO:.0%}",
            _verdict(ok["reingest"]),
        ),
        ("query latency p50", f"{r['query_p50_ms']:.1f} ms", "", ""),
        (
            "query latency p95",
            f"{r['query_p95_ms']:.1f} ms",
            f"< {QUERY_P95_MAX_MS:.0f} ms",
            _verdict(ok["query_p95"]),
        ),
        (f"recall@{K}", f"{r['recall_at_5']:.3f}", f">= {RECALL_MIN}", _verdict(ok["recall_at_5"])),
        ("MRR", f"{r['mrr']:.3f}", "", ""),
    ]
    widths = [
        max(len(row[i]) for row in rows + [("metric", "value", "target", "")]) for i in range(4)
    ]
    rounds = r["query_samples"] // max(r["queries"], 1)
    header = (
        f"corpus {r['corpus_dir']}: {r['files']} files; embedder {r['embedder']}; "
        f"{r['queries']} queries x {rounds} rounds"
    )
    lines = [
        header,
        "  ".join(h.ljust(w) for h, w in zip(("metric", "value", "target", ""), widths)).rstrip(),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    for miss in r["misses"]:
        lines.append(f"miss: {miss['query']!r} wants {miss['relevant']}, got {miss['ranked']}")
    for skipped in r["skipped_files"]:
        lines.append(f"skipped {skipped['path']}: {skipped['reason']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        help="corpus directory (default: the built-in corpus under any "
                             "configured corpus_dir overlay)")
    parser.add_argument(
        "--queries",
        type=Path,
        default=DEFAULT_QUERIES,
        help="labelled retrieval queries, JSON lines",
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries first")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not args.queries.is_file():
        print(f"error: queries file not found: {args.queries}", file=sys.stderr)
        return 2
    try:
        results = run(args.corpus, args.queries, args.rounds, args.warmup)
    except (FileNotFoundError, DatasetError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(results, indent=2) if args.json else render_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
