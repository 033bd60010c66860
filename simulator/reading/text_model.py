"""A small learned reader: a linear model over word and character n-grams.

The clause readers in `work` know the words they were written for; a candidate who says "we go
through the customer's whole purchase history for every order" in words nobody listed is
missed. This model was fitted on the labelled event-loop turns (`simulator/evals/
train_text_model.py`) and judges a whole turn by everything in it, so it carries over to
wording it never saw. It is inference only, in plain Python with the weights as data: the
features are exactly scikit-learn's ``TfidfVectorizer`` (word 1-2 grams and ``char_wb`` 3-5
grams, lower-cased, sublinear tf, l2-normalised per block) so the fitted model and this one give
the same number, which a test checks. Pure: standard library and pydantic, no I/O.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from itertools import compress

from pydantic import BaseModel, ConfigDict

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACE = re.compile(r"\s\s+")


class Block(BaseModel):
    """One vectoriser: its analyser, n-gram range and, per feature, idf and weights."""

    model_config = ConfigDict(frozen=True)

    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    idf: dict[str, float]
    # one weight per feature per output (one output for a yes/no model, one per label else)
    weights: dict[str, list[float]]

    @functools.cached_property
    def table(self) -> dict[str, tuple[float, tuple[float, ...]]]:
        """Feature -> (idf, weights), one lookup per feature when scoring."""
        return {f: (idf, tuple(self.weights.get(f, ()))) for f, idf in self.idf.items()}

    @functools.cached_property
    def flat(self) -> dict[str, tuple[float, float]]:
        """Feature -> (idf, weight) for a one-output model."""
        return {f: (idf, (self.weights.get(f) or (0.0,))[0]) for f, idf in self.idf.items()}


class TextModel(BaseModel):
    """A linear model (logistic, multinomial or least-squares) over concatenated tf-idf blocks
    and a few named numeric features."""

    model_config = ConfigDict(frozen=True)

    labels: list[str]  # ["yes"] for a yes/no model; the classes of a multinomial one
    intercepts: list[float]
    blocks: list[Block]
    # weights of named numeric features the caller supplies ("rule=2", "log_words")
    extras: dict[str, list[float]] = {}
    threshold: float = 0.5
    # below this probability a yes/no model contradicts another reader's "yes" (0: never)
    floor: float = 0.0
    # for a calibration: how far above / below a score the prediction must be to move it
    margins: tuple[float, float] = (0.5, 0.5)
    trained_on: dict[str, int] = {}  # dataset file -> cases used, for the record

    def scores(self, text: str, extra: dict[str, float] | None = None) -> list[float]:
        """The model's raw score per output for ``text`` (and the named ``extra`` features)."""
        out = list(self.intercepts)
        for name, value in (extra or {}).items():
            for i, wi in enumerate(self.extras.get(name, ())):
                out[i] += wi * value
        log = math.log
        for block in self.blocks:
            grams, times = counts(text, block.analyzer, block.ngram_range)
            if len(out) == 1:  # a yes/no model or a regression: one pass, one dot product
                squares, dot = 0.0, 0.0
                # most n-grams are not in the vocabulary: look them all up, and filter, in C
                hits = list(map(block.flat.get, grams))
                for hit, n in compress(zip(hits, times), hits):
                    v = hit[0] if n == 1 else (1 + log(n)) * hit[0]
                    squares += v * v
                    dot += v * hit[1]
                out[0] += dot / (math.sqrt(squares) or 1.0)
                continue
            table = block.table
            values = [((1 + log(n)) * hit[0], hit[1]) for f, n in zip(grams, times, strict=True)
                      if (hit := table.get(f)) is not None]
            norm = math.sqrt(sum(v * v for v, _ in values)) or 1.0
            for v, w in values:
                for i, wi in enumerate(w):
                    out[i] += wi * v / norm
        return out

    def probability(self, text: str) -> float:
        """For a yes/no model: the probability of "yes"."""
        return 1 / (1 + math.exp(-self.scores(text)[0]))

    def value(self, text: str, extra: dict[str, float] | None = None) -> float:
        """For a regression: the predicted value."""
        return self.scores(text, extra)[0]

    def label(self, text: str) -> str:
        """For a multinomial model: the most likely label."""
        s = self.scores(text)
        return self.labels[max(range(len(s)), key=s.__getitem__)]


@functools.lru_cache(maxsize=16)
def counts(text: str, analyzer: str, ngram_range: tuple[int, int]
           ) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The distinct n-grams of ``text`` and how often each occurs; kept for the last few
    texts, since the event-loop reader and the grader's calibration read the same answer."""
    counted = Counter(_features(text, analyzer, ngram_range))
    return tuple(counted), tuple(counted.values())


def _features(text: str, analyzer: str, ngram_range: tuple[int, int]) -> list[str]:
    text = text.lower()
    lo, hi = ngram_range
    if analyzer == "word":
        tokens = _TOKEN.findall(text)
        grams: list[str] = []
        for n in range(lo, hi + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams
    grams = []
    for word in _SPACE.sub(" ", text).split():
        grams.extend(_word_grams(word, lo, hi))
    return grams


@functools.lru_cache(maxsize=65536)
def _word_grams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    """One word's character n-grams, padded with a space each side (words recur: kept)."""
    w = f" {word} "
    grams = []
    for n in range(lo, hi + 1):
        grams.append(w[:n])
        if len(w) <= n:
            break  # a word shorter than n is one gram, counted once (as scikit-learn does)
        grams.extend(w[i:i + n] for i in range(1, len(w) - n + 1))
    return tuple(grams)
