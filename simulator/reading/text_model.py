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

import math
import re
from collections import Counter

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
    trained_on: dict[str, int] = {}  # dataset file -> cases used, for the record

    def scores(self, text: str, extra: dict[str, float] | None = None) -> list[float]:
        """The model's raw score per output for ``text`` (and the named ``extra`` features)."""
        out = list(self.intercepts)
        for name, value in (extra or {}).items():
            for i, wi in enumerate(self.extras.get(name, ())):
                out[i] += wi * value
        for block in self.blocks:
            counts = Counter(_features(text, block.analyzer, block.ngram_range))
            values = {f: (1 + math.log(n)) * block.idf[f] for f, n in counts.items()
                      if f in block.idf}
            norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
            for f, v in values.items():
                w = block.weights.get(f)
                if w:
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
        w = f" {word} "
        for n in range(lo, hi + 1):
            grams.append(w[:n])
            if len(w) <= n:
                break  # a word shorter than n is one gram, counted once (as scikit-learn does)
            grams.extend(w[i:i + n] for i in range(1, len(w) - n + 1))
    return grams
