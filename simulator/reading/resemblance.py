"""How closely a sentence says a point in its own words: weighted overlap of content stems.

Cue patterns recognise a point by the vocabulary an engineer would use ("saga", "CAP"); a
candidate who says the same thing in plain words ("each step has an undo", "being right beats
being up") matches none of them. The point's own text is written in plain words, so the share
of its content words a sentence also uses, each word weighted by how rare it is among all the
points (inverse document frequency: "consistency" says more than "data"), measures how much
of the point the sentence says. It is a resemblance, not a recognition: the grader gives it
partial credit beside the cues, never instead of them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from simulator.reading.word_forms import content_stems

#: A sentence that shares this weighted share of a point's words says the point: the
#: interviewer counts it as made and the grader gives it full credit (below it, partial).
RESEMBLANCE_FULL = 0.4


@dataclass(frozen=True)
class TermWeights:
    """Inverse document frequency of stems over a collection of point texts."""

    idf: dict[str, float] = field(default_factory=dict)
    unseen: float = 1.0  # the weight of a stem no point uses
    # each point's total weight, worked out once: every message is measured against every point
    _totals: dict[frozenset[str], float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TermWeights:
        docs = [content_stems(t) for t in texts]
        df = Counter(s for d in docs for s in d)
        n = len(docs)
        idf = {s: math.log((n + 1) / (k + 1)) + 1 for s, k in df.items()}
        return cls(idf=idf, unseen=math.log(n + 1) + 1)

    def weight(self, stem: str) -> float:
        return self.idf.get(stem, self.unseen)

    def resemblance(self, point: frozenset[str], said: frozenset[str]) -> float:
        """The weighted share of ``point``'s stems that ``said`` also has (0 to 1)."""
        total = self._totals.get(point)
        if total is None:
            total = self._totals[point] = sum(self.weight(s) for s in point)
        if not total:
            return 0.0
        return sum(self.weight(s) for s in point & said) / total
