"""The grader's features of one phase answer, from the answer's reading.

`simulator.reading.answer` reads what the answer does sentence by sentence; this module asks
the grader's questions of that reading for one phase of one problem: which of the phase's
expected points are made, and are they made *with a reason* or as bare nouns; how much of the
rubric's evidence is shown; how many numbers are used to decide something. Counts that grow
with length are capped or divided by the number of sentences, so a long answer earns nothing
for being long.

Everything here is pure and deterministic: the same reading gives the same features.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from simulator.content.problems import Expectation, Problem
from simulator.content.rubric import Rubric
from simulator.reading.answer import AnswerReading, Sentence
from simulator.reading.resemblance import RESEMBLANCE_FULL, TermWeights
from simulator.reading.word_forms import content_stems

#: A sentence saying this share of a point's (weighted) words says the point in its own words;
#: below it, the point earns a proportional part. Tuned on the tune half of the dev set.


@dataclass
class Hit:
    """Where an expectation was recognised: the sentence holding its first cue match."""

    expectation: Expectation
    sentence: Sentence
    start: int  # offset of the cue match in the cleaned text
    end: int
    supported: bool  # the sentence also reasons, quantifies or is specific


@dataclass
class Features:
    words: int = 0
    sentences: int = 0
    coverage: float = 0.0  # weighted share of the phase's expectations matched
    supported_coverage: float = 0.0  # ... matched in a sentence that reasons or quantifies
    # weighted share of the phase's points said, by cue or in the candidate's own words (a
    # point no cue sees earns min(1, resemblance / RESEMBLANCE_FULL) of its weight)
    paraphrase_coverage: float = 0.0
    resembled: list[tuple[Expectation, Sentence]] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    missed: list[Expectation] = field(default_factory=list)
    # points of this phase the candidate made in another phase: (expectation, that phase)
    elsewhere: list[tuple[Expectation, str]] = field(default_factory=list)
    reasoning_sentences: int = 0  # sentences joining a claim to a reason/consequence
    reasoning_density: float = 0.0  # ... per sentence
    quantities: int = 0  # distinct numbers with units (not list markers)
    used_quantities: int = 0  # ... in a sentence that derives or decides something
    derivations: int = 0  # sentences combining numbers
    depth: list[str] = field(default_factory=list)  # staff-depth categories present
    runtime_numbers: bool = False  # Node.js runtime specifics with a number beside them
    tech_terms: int = 0
    bare_choices: int = 0  # options picked with no argument
    adjectives: int = 0
    filler_density: float = 0.0  # filler hits per sentence
    specific_density: float = 0.0  # specific tokens + numbers per sentence
    substance: float = 0.0  # share of sentences that hit, reason or quantify
    checkpoints: dict[int, list[str]] = field(default_factory=dict)  # rubric evidence shown
    checkpoints3: float = 0.0  # share of the phase's level-3 checkpoints shown
    checkpoints4: float = 0.0  # share of the phase's level-4 checkpoints shown
    point_density: float = 0.0  # problem points + rubric checkpoints per 100 words

    def as_dict(self) -> dict[str, float | int | bool | list[str]]:
        """The numbers, rounded, for the transparency record on a grade."""
        return {
            "words": self.words,
            "sentences": self.sentences,
            "coverage": round(self.coverage, 3),
            "supported_coverage": round(self.supported_coverage, 3),
            "paraphrase_coverage": round(self.paraphrase_coverage, 3),
            "reasoning_sentences": self.reasoning_sentences,
            "reasoning_density": round(self.reasoning_density, 3),
            "quantities": self.quantities,
            "used_quantities": self.used_quantities,
            "derivations": self.derivations,
            "depth": list(self.depth),
            "runtime_numbers": self.runtime_numbers,
            "tech_terms": self.tech_terms,
            "bare_choices": self.bare_choices,
            "adjectives": self.adjectives,
            "filler_density": round(self.filler_density, 3),
            "specific_density": round(self.specific_density, 3),
            "substance": round(self.substance, 3),
            "checkpoints3": round(self.checkpoints3, 3),
            "checkpoints4": round(self.checkpoints4, 3),
            "point_density": round(self.point_density, 2),
            "checkpoints": {str(k): v for k, v in self.checkpoints.items()},
        }


def extract(answer: AnswerReading, problem: Problem, phase: str, rubric: Rubric,
            elsewhere: Mapping[str, str] | None = None,
            weights: TermWeights | None = None,
            resembled: Mapping[str, tuple[float, int]] | None = None) -> Features:
    """Every feature of ``answer`` as an answer to ``phase`` of ``problem``.

    ``elsewhere`` maps the ids of points the candidate made in other phases of the same
    interview to that phase: such a point counts as covered (though not as supported, since
    the reason, if any, was given elsewhere) instead of being listed as missed. ``weights``
    (how much each word says) lets a point no cue sees earn partial credit when a sentence
    says it in other words; without it only cues count. ``resembled`` is that measure as the
    turn reader took it (`Reading.resemblance`, over the same sentences): used when given, so
    the grader and the interviewer agree on which points were said in other words.
    """
    f = Features()
    resembled = resembled or {}
    sents = answer.sentences
    f.words = answer.words
    f.sentences = len(sents)
    elsewhere = elsewhere or {}
    if not sents:
        f.missed = list(problem.expectations(phase))
        return f

    # Expectations: first matching cue, preferring a sentence that supports the claim.
    exps = problem.expectations(phase)
    total_w = sum(e.weight for e in exps) or 1
    got_w = supported_w = said_w = 0.0
    hit_sentences: set[int] = set()
    index = {id(s): i for i, s in enumerate(sents)}
    for exp in exps:
        found = answer.cover(exp)
        if found is None:
            if exp.id in elsewhere:
                f.elsewhere.append((exp, elsewhere[exp.id]))
                got_w += exp.weight
                said_w += exp.weight
                continue
            if exp.id in resembled:  # the turn reader's measure, shared with the interviewer
                share, where = resembled[exp.id]
            else:
                share, where = (answer.resembles(_point_stems(exp), weights)
                                if weights is not None else (0.0, -1))
            said_w += exp.weight * min(1.0, share / RESEMBLANCE_FULL)
            if share >= RESEMBLANCE_FULL:
                f.resembled.append((exp, sents[where]))
                hit_sentences.add(where)
            else:
                f.missed.append(exp)
            continue
        hit_sentences.add(index[id(found.sentence)])
        got_w += exp.weight
        said_w += exp.weight
        supported_w += exp.weight if found.supported else 0
        f.hits.append(Hit(exp, found.sentence, found.start, found.end, found.supported))
    f.coverage = got_w / total_w
    f.paraphrase_coverage = said_w / total_w
    f.supported_coverage = supported_w / total_w

    reasoning, numbers, specific = answer.reasoning, answer.numbers, answer.specific
    content = [(i in hit_sentences) or bool(numbers[i]) or answer.tech[i] or specific[i] > 0
               for i in range(len(sents))]
    f.reasoning_sentences = sum(1 for r, c in zip(reasoning, content, strict=True) if r and c)
    f.reasoning_density = f.reasoning_sentences / len(sents)
    f.quantities = len({q for qs in numbers for q in qs})
    f.used_quantities = len({q for qs, r, d in zip(numbers, reasoning, answer.derives, strict=True)
                             if r or d for q in qs})
    f.derivations = sum(answer.derives)
    f.depth = sorted(answer.depth)
    f.runtime_numbers = answer.runtime_numbers
    f.tech_terms = answer.tech_terms
    f.bare_choices = answer.bare_choices
    f.adjectives = answer.adjectives
    f.filler_density = answer.filler_density()
    f.specific_density = (sum(specific) + sum(len(n) for n in numbers)) / len(sents)
    f.substance = sum(
        1
        for i in range(len(sents))
        if i in hit_sentences or numbers[i] or (reasoning[i] and specific[i])
    ) / len(sents)
    phase_rubric = rubric.phases.get(phase)
    f.checkpoints = ({level: [c.id for c in phase_rubric.checkpoints(level) if answer.shows(c)]
                      for level in (3, 4)} if phase_rubric else {})
    for level in (3, 4):
        total = len(phase_rubric.checkpoints(level)) if phase_rubric else 0
        setattr(f, f"checkpoints{level}", len(f.checkpoints.get(level, [])) / max(1, total))
    # Points made per 100 words, over the whole problem (a design answer may rightly touch
    # bottlenecks): high for dense answers, low for rambling ones, whatever their length.
    points_made = (sum(1 for e in problem.all_expectations().values() if answer.shows(e))
                   + sum(len(v) for v in f.checkpoints.values()))
    f.point_density = 100 * points_made / max(f.words, 1)
    return f


_STEMS: dict[str, frozenset[str]] = {}


def _point_stems(exp: Expectation) -> frozenset[str]:
    """The content stems of a point's text (a pure function of the text, so kept by text)."""
    stems = _STEMS.get(exp.text)
    if stems is None:
        stems = _STEMS[exp.text] = content_stems(exp.text)
    return stems
