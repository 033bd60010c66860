"""Whole-answer checks that override the point score: not an answer, the wrong answer, or a
design the Node.js runtime cannot carry.

Each check names a rubric red flag. They sit apart from the feature scoring because they
are gates ("an answer to another problem scores 1 whatever its quality"), not gradations.
They ask their questions of the answer's reading (`simulator.reading.answer`), never of the
candidate's text.
"""

from __future__ import annotations

from simulator.content.problems import PHASES, Problem
from simulator.grading.features import Features
from simulator.reading.answer import AnswerReading

# -- not an answer ----------------------------------------------------------------------------


def is_idk(answer: AnswerReading, features: Features) -> bool:
    """'I don't know' (or a short guess that admits it) with nothing reasoned behind it."""
    if features.words > 40:
        return False
    if answer.says_idk():
        return features.used_quantities == 0 and features.supported_coverage < 0.2
    return False


# -- another problem or another phase --------------------------------------------------------


def _covered(answer: AnswerReading, problem: Problem) -> int:
    return sum(1 for e in problem.all_expectations().values() if answer.shows(e))


def other_problem(answer: AnswerReading, problem: Problem,
                  catalog: dict[str, Problem]) -> str | None:
    """The id of another problem whose expectations this answer matches far more than its own.

    Generic cues (latency, availability, Redis) match every problem, so only a clear margin
    counts: at least 1.6 times as many points of the other problem and four more of them.
    """
    own = _covered(answer, problem)
    needed = max(1.6 * own, own + 4)
    best, best_hits = None, 0
    for other in catalog.values():
        if other.id == problem.id:
            continue
        # a problem whose cues cannot all be present cannot reach the margin (and then
        # cannot be the answer): counting what may match needs no regex
        if sum(1 for e in other.all_expectations().values() if answer.may_show(e)) < needed:
            continue
        hits = _covered(answer, other)
        if hits > best_hits:
            best, best_hits = other.id, hits
    if best is not None and best_hits >= needed:
        return best
    return None


def phase_fit(answer: AnswerReading, problem: Problem, phase: str) -> float:
    """How much the answer looks like an answer to ``phase``: expectation coverage plus the
    share of sentences using the phase's own vocabulary (numbers for the estimate)."""
    if not answer.sentences:
        return 0.0
    exps = problem.expectations(phase)
    total = sum(e.weight for e in exps) or 1
    coverage = sum(e.weight for e in exps if answer.shows(e)) / total
    return coverage + answer.phase_vocabulary_share(phase)


def other_phase(answer: AnswerReading, problem: Problem, phase: str) -> str | None:
    """Another phase this answer clearly answers instead of ``phase`` (e.g. the estimate
    recited again when asked for bottlenecks): it fits that phase 2.5 times as well, and by
    a wide absolute margin, so a design answer that mentions a few numbers is not caught."""
    own = phase_fit(answer, problem, phase)
    best, best_fit = None, 0.0
    for other in PHASES:
        if other == phase:
            continue
        fit = phase_fit(answer, problem, other)
        if fit > best_fit:
            best, best_fit = other, fit
    if best is not None and best_fit >= 2.5 * own and best_fit >= own + 0.9:
        return best
    return None


# -- vocabulary without reasoning ------------------------------------------------------------


#: A tour of this many technologies that argues none of the problem's points is a list,
#: however its sentences are joined ("..., so we'd use sharding, with Redis in front").
TOUR_TERMS = 8
#: Quality adjectives that, with nothing reasoned, make a slogan ("secure, reliable, fast").
SLOGAN_ADJECTIVES = 4
#: Options picked with no argument ("SQL vs NoSQL: NoSQL, it scales") that make a list.
BARE_CHOICES = 3


def is_buzzword_list(features: Features) -> bool:
    """Many technologies and quality adjectives, with nothing that reasons or quantifies."""
    if features.used_quantities:
        return False
    if features.bare_choices >= BARE_CHOICES and features.reasoning_sentences <= 1:
        return True
    terms = features.tech_terms + features.adjectives
    if terms < 4 or not features.words:
        return False
    share = terms / features.words
    if features.tech_terms >= TOUR_TERMS and features.supported_coverage < 0.2:
        return True
    if features.reasoning_sentences == 0 and features.adjectives >= SLOGAN_ADJECTIVES:
        return True
    if features.reasoning_sentences <= 1:
        # Acronyms in a list ("4K, HDR, GDPR-compliant") look specific but are vocabulary
        # too: a list that is a third buzzwords, with no reasoning, is a buzzword list.
        return share >= 0.3 and features.reasoning_sentences == 0 or (
            share >= 0.12 and features.specific_density < 1.0)
    return False


def is_rambling(features: Features) -> bool:
    """Long and padded: filler outweighs specifics, so most sentences carry no point."""
    if features.words < 90:
        return False
    return features.filler_density >= 0.5 and features.specific_density < 0.6


def boxes_before_requirements(features: Features) -> bool:
    """Clarify answers that name three or more technologies: drawing boxes before the
    requirements are agreed, the rubric's first clarify red flag."""
    return features.tech_terms >= 3
