"""Benchmark the shared reader: how long one candidate message takes to read, per reader.

    python benchmarks/reading.py [--rounds N] [--json]

The interviewer reads every message before it answers, and the grader reads the record, so
``read_turn`` must stay far below a conversational pause: the target is p95 < 30 ms per turn
on one core. Messages are the grading dev set's answers (all phases, all problems), each read
with its own problem's vocabulary. Percentiles are printed, never asserted.
Exit code 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from simulator.content.loader import load_content
from simulator.evals.suite import DATASETS_DIR
from simulator.reading.turn import read_turn


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    content = load_content()
    rows = [json.loads(line) for line in
            (DATASETS_DIR / "grading_dev.jsonl").read_text().splitlines() if line.strip()]
    cases = [(content.vocabulary(r["problem"]), r["answer"]) for r in rows
             if r["problem"] in content.catalog]
    for vocabulary, text in cases[:5]:
        read_turn(text, vocabulary)  # warm-up: unit registry and compiled patterns
    times: list[float] = []
    for _ in range(args.rounds):
        for vocabulary, text in cases:
            start = time.perf_counter()
            read_turn(text, vocabulary)
            times.append((time.perf_counter() - start) * 1000)
    figures = {"turns": len(times), "p50_ms": round(_percentile(times, 50), 2),
               "p95_ms": round(_percentile(times, 95), 2), "max_ms": round(max(times), 2),
               "words_mean": round(statistics.mean(len(t.split()) for _, t in cases), 1)}
    if args.json:
        print(json.dumps(figures))
        return
    print(f"read_turn over {figures['turns']} turns ({figures['words_mean']} words on average): "
          f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms "
          "(target p95 < 30 ms)")


if __name__ == "__main__":
    main()
