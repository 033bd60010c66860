"""Offline interviewer turn latency over scripted interviews.

    python benchmarks/interview.py [--interviews N] [--json]

Runs scripted candidates through every problem of the catalog with grounding on (real
embeddings, real Chroma) after the models are loaded, and prints the time of one candidate
turn -> interviewer turn (analysis, decision, retrieval, SQLite commits) as p50/p95/max.
Target: p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    import simulator  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.content.loader import load_content
from simulator.interview.session import InterviewSession, default_grounder
from simulator.settings import get_settings
from simulator.store.sessions import SessionStore

SCRIPT = [
    "Who are the users and what are the core actions? I assume a global consumer app.",
    "Functional: the core flow must work for logged-in users; out of scope: analytics dashboards.",
    "Non-functional: p99 latency under 200 ms, 99.9% availability, no data loss.",
    "Say 10M DAU, each doing 20 reads and 2 writes a day, so 200M reads/day is about 2,300 QPS.",
    "Writes are 20M/day, about 230 QPS average and 700 at a 3x peak; 1 KB each is 20 GB a day.",
    "I'd put stateless Node.js API servers behind a load balancer, Postgres for metadata, Redis cache.",
    "The upload handler resizes the image with sharp before returning the URL.",
    "Fair point, I'd move that to a queue with separate workers so the event loop stays free.",
    "What fails first is the database write path, then hot keys in the cache.",
    "I'd watch event loop lag and ELU per process and scale on it.",
    "I don't know",
    "Trade-off: SQL gives us transactions; Cassandra would win if writes grew 10x.",
    "/next",
    "Nothing to add, thanks.",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run(interviews: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = get_settings(data_dir=Path(tmp))
        t0 = time.perf_counter()
        grounder = default_grounder(settings)  # loads the model and ingests the corpus
        grounder("warm up", ["five-phase-framework"])
        setup_s = time.perf_counter() - t0
        store = SessionStore(settings.db_path)
        content = load_content(settings.prompts_dir)  # loaded once, passed to every session
        problems = list(content.catalog)
        latencies: list[float] = []
        for i in range(interviews):
            session, _ = InterviewSession.start(
                settings, store, problems[i % len(problems)], seed=i, grounder=grounder,
                clock=lambda: 0.0, content=content,
            )
            clock = 0.0
            for text in SCRIPT:
                clock += 120
                t = time.perf_counter()
                session.answer(text, elapsed_s=clock)
                latencies.append((time.perf_counter() - t) * 1000)
                if session.state.finished:
                    break
        return {
            "interviews": interviews,
            "turns": len(latencies),
            "setup_s": round(setup_s, 2),
            "turn_p50_ms": round(percentile(latencies, 50), 2),
            "turn_p95_ms": round(percentile(latencies, 95), 2),
            "turn_max_ms": round(max(latencies), 2),
            "turn_mean_ms": round(statistics.fmean(latencies), 2),
            "target_p95_ms": 100,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=18)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.interviews)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    verdict = "PASS" if result["turn_p95_ms"] < result["target_p95_ms"] else "MISS"
    print(f"setup (model load + ingest): {result['setup_s']} s")
    print(f"{result['turns']} turns over {result['interviews']} scripted interviews")
    print(f"turn latency p50 {result['turn_p50_ms']} ms  p95 {result['turn_p95_ms']} ms "
          f"(target < 100 ms: {verdict})  max {result['turn_max_ms']} ms")


if __name__ == "__main__":
    main()
