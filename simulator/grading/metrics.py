"""Agreement metrics between a grader and human gold scores on the 1-4 scale.

Quadratic weighted kappa (QWK) is the headline: it credits near misses, punishes far misses
by the square of the distance, and corrects for the agreement two graders would reach by
chance given how often each uses each score. Exact and adjacent (within one) agreement are
reported beside it because they are what a reader can picture.

The word-count baseline exists to keep the grader honest: long answers tend to be better,
so a grader that merely tracks length can look decent. A grader worth having must beat
"score by word-count quartile" by a wide margin.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

SCORES: tuple[int, ...] = (1, 2, 3, 4)


class Agreement(BaseModel):
    """All agreement figures for one set of (gold, predicted) pairs."""

    n: int
    qwk: float
    exact: float
    adjacent: float
    confusion: list[list[int]]  # rows: gold 1-4, columns: predicted 1-4


def _check(gold: Sequence[int], pred: Sequence[int]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} scores, predictions have {len(pred)}")
    for s in (*gold, *pred):
        if s not in SCORES:
            raise ValueError(f"score {s!r} is not one of {SCORES}")


def confusion_matrix(gold: Sequence[int], pred: Sequence[int]) -> list[list[int]]:
    """4x4 counts; ``m[g-1][p-1]`` is how often gold ``g`` was graded ``p``."""
    _check(gold, pred)
    matrix = [[0] * len(SCORES) for _ in SCORES]
    for g, p in zip(gold, pred, strict=True):
        matrix[g - 1][p - 1] += 1
    return matrix


def quadratic_weighted_kappa(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Cohen's kappa with quadratic weights on the 1-4 scale.

    1.0 is perfect agreement, 0.0 is chance level, negative is worse than chance. When both
    raters give one and the same score to everything, chance agreement is total and kappa is
    undefined; we return 1.0 then (they agree perfectly) rather than dividing by zero.
    """
    _check(gold, pred)
    n = len(gold)
    if n == 0:
        raise ValueError("no scores to compare")
    k = len(SCORES)
    observed = confusion_matrix(gold, pred)
    gold_hist = [sum(row) for row in observed]
    pred_hist = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * observed[i][j]
            den += w * gold_hist[i] * pred_hist[j] / n
    if den == 0:
        return 1.0 if num == 0 else 0.0
    return 1.0 - num / den


def exact_agreement(gold: Sequence[int], pred: Sequence[int]) -> float:
    _check(gold, pred)
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def adjacent_agreement(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Share of pairs that differ by at most one point."""
    _check(gold, pred)
    return sum(abs(g - p) <= 1 for g, p in zip(gold, pred, strict=True)) / len(gold)


def agreement(gold: Sequence[int], pred: Sequence[int]) -> Agreement:
    return Agreement(
        n=len(gold),
        qwk=round(quadratic_weighted_kappa(gold, pred), 4),
        exact=round(exact_agreement(gold, pred), 4),
        adjacent=round(adjacent_agreement(gold, pred), 4),
        confusion=confusion_matrix(gold, pred),
    )


def word_count(text: str) -> int:
    return len(text.split())


def word_count_quartiles(answers: Sequence[str]) -> tuple[float, float, float]:
    """The 25th, 50th and 75th percentile word counts (nearest-rank, so ties stay together)."""
    counts = sorted(word_count(a) for a in answers)
    if not counts:
        raise ValueError("no answers to fit quartiles on")

    def pct(q: float) -> float:
        return float(counts[min(len(counts) - 1, int(q * len(counts)))])

    return pct(0.25), pct(0.5), pct(0.75)


def word_count_baseline(
    answers: Sequence[str], cuts: tuple[float, float, float] | None = None
) -> list[int]:
    """Score each answer 1-4 by which word-count quartile it falls in.

    ``cuts`` default to the quartiles of ``answers`` themselves, which flatters the baseline
    (it sees the distribution it is scored on); the grader must still beat it.
    """
    q1, q2, q3 = cuts if cuts is not None else word_count_quartiles(answers)
    out = []
    for a in answers:
        n = word_count(a)
        out.append(1 if n < q1 else 2 if n < q2 else 3 if n < q3 else 4)
    return out
