"""Benchmark the offline grader on the grading dev set: speed and agreement with human gold.

    python benchmarks/grading.py [--dataset FILE] [--rounds N] [--json]

What is measured, and why:
- throughput: answers graded per second over the whole dev set (after one warm-up pass, best
  of ``--rounds``), offline, single process; the grader runs after every interview and in
  evals, so it must stay cheap.
- agreement: quadratic weighted kappa (QWK), exact and adjacent agreement and the 4x4
  confusion matrix (rows gold 1-4, columns grader 1-4), on the tuning half, on the held-out
  half and overall (halves split by a hash of the id, see simulator.grading.devset). The
  held-out QWK is the honest figure: two careful humans agree at about 0.8.
- the word-count baseline (score by word-count quartile) beside it: a grader that only
  tracked length would score close to it.

Exit code 0 whatever the figures; 2 with a one-line message for a missing or invalid dataset.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

try:
    import simulator  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO_ROOT))

from simulator.content.loader import load_content
from simulator.content.problems import CatalogError
from simulator.content.prompt_set import PromptSetError
from simulator.content.rubric import RubricError
from simulator.grading.devset import DEFAULT_DEV_SET, DevSetError, load_dev_set
from simulator.grading.metrics import agreement, quadratic_weighted_kappa, word_count_baseline
from simulator.grading.offline import grade_answer
from simulator.settings import SettingsError, get_settings


def run(dataset: Path, rounds: int) -> dict:
    content = load_content(get_settings().prompts_dir)  # built-in, under any configured overlay
    rubric = content.rubric
    catalog = content.catalog
    items = [i for i in load_dev_set(dataset) if i.problem in catalog]
    skipped = sum(1 for i in load_dev_set(dataset) if i.problem not in catalog)

    def grade_all() -> list[int]:
        return [
            grade_answer(catalog[i.problem], i.phase, i.answer, rubric, catalog,
                         vocabulary=content.vocabulary(i.problem)).score
            for i in items
        ]

    pred = grade_all()  # warm-up (regex compilation, imports)
    best_s = float("inf")
    for _ in range(max(1, rounds)):
        start = time.perf_counter()
        again = grade_all()
        best_s = min(best_s, time.perf_counter() - start)
        assert again == pred, "grader is not deterministic"

    gold = [i.gold for i in items]
    baseline = word_count_baseline([i.answer for i in items])
    report: dict = {
        "dataset": str(dataset),
        "prompts": content.label,
        "answers": len(items),
        "skipped_unknown_problem": skipped,
        "rubric_hash": rubric.content_hash,
        "answers_per_s": round(len(items) / best_s, 1),
        "ms_per_answer": round(1000 * best_s / len(items), 2),
        "halves": {},
    }
    for name in ("tune", "held-out", "all"):
        idx = [k for k, i in enumerate(items) if name == "all" or i.half == name]
        g = [gold[k] for k in idx]
        p = [pred[k] for k in idx]
        b = [baseline[k] for k in idx]
        result = agreement(g, p).model_dump()
        result["baseline_qwk"] = round(quadratic_weighted_kappa(g, b), 4)
        report["halves"][name] = result
    return report


def _print(report: dict) -> None:
    print(
        f"dataset: {report['dataset']} ({report['answers']} answers, "
        f"{report['skipped_unknown_problem']} skipped for unknown problems)"
    )
    print(f"rubric: {report['rubric_hash']} (prompts: {report['prompts']})")
    print(f"throughput: {report['answers_per_s']} answers/s ({report['ms_per_answer']} ms each)")
    print()
    print(f"{'half':<10} {'n':>4} {'QWK':>7} {'exact':>7} {'adjacent':>9} {'baseline QWK':>13}")
    for name, r in report["halves"].items():
        print(
            f"{name:<10} {r['n']:>4} {r['qwk']:>7.3f} {r['exact']:>7.3f} {r['adjacent']:>9.3f} "
            f"{r['baseline_qwk']:>13.3f}"
        )
    print()
    print("confusion matrix, all answers (rows: gold 1-4, columns: grader 1-4)")
    for gold, row in enumerate(report["halves"]["all"]["confusion"], 1):
        print(f"  gold {gold}: " + " ".join(f"{n:>4}" for n in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DEV_SET)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = run(args.dataset, args.rounds)
    except (DevSetError, RubricError, CatalogError, PromptSetError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
