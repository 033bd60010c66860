"""Whole-answer checks that override the point score: not an answer, the wrong answer, or a
design the Node.js runtime cannot carry.

Each check names a rubric red flag. They sit apart from the feature scoring because they
are gates ("an answer to another problem scores 1 whatever its quality"), not gradations.
"""

from __future__ import annotations

import re

from simulator.content.problems import PHASES, Problem
from simulator.grading.features import Features, numbers_in, sentences

_I = re.IGNORECASE


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), _I)


# -- not an answer ----------------------------------------------------------------------------

_IDK = _rx(
    r"^\W*(i (really |honestly )?(don't|do not|dont) know|no idea|(i'm|i am) not (really )?sure|"
    r"not sure|no clue|dunno|pass\b|skip\b|i have no idea|i can't think of anything|"
    r"i'?d have to (look|check|google)|i haven't (done|thought|used))",
)
_IDK_ANYWHERE = _rx(r"\b(i'?d have to look (it |that )?up|i'?d have to look into it|no idea)\b")


def is_idk(text: str, features: Features) -> bool:
    """'I don't know' (or a short guess that admits it) with nothing reasoned behind it."""
    if features.words > 40:
        return False
    if _IDK.search(text) or _IDK_ANYWHERE.search(text):
        return features.used_quantities == 0 and features.supported_coverage < 0.2
    return False


# -- another problem or another phase --------------------------------------------------------


def other_problem(text: str, problem: Problem, catalog: dict[str, Problem]) -> str | None:
    """The id of another problem whose expectations this answer matches far more than its own.

    Generic cues (latency, availability, Redis) match every problem, so only a clear margin
    counts: at least 1.6 times as many points of the other problem and four more of them.
    """
    own = len(problem.covered(text))
    best, best_hits = None, 0
    for other in catalog.values():
        if other.id == problem.id:
            continue
        hits = len(other.covered(text))
        if hits > best_hits:
            best, best_hits = other.id, hits
    if best is not None and best_hits >= max(1.6 * own, own + 4):
        return best
    return None


# What an answer to each phase talks about, whatever the problem.
PHASE_VOCABULARY: dict[str, re.Pattern[str]] = {
    "clarify": _rx(
        r"\b(requirements?|functional|scope|non-?goals?|must|should|needs? to|support|targets?|"
        r"assum\w*|users? (can|should|need|want)|core (flow|feature|use case)s?|priorit\w*|"
        r"sla|availability|latency|durab\w*|consisten\w*|out of scope|questions?)\b",
    ),
    "estimate": _rx(
        r"\b(per (second|day|month|year)|qps|rps|/s\b|storage|bandwidth|peak|average|tb|gb|pb|"
        r"mb|gbps|mbps|86,?400|cores?|processes|instances|servers?)\b",
    ),
    "design": _rx(
        r"\b(service|api|endpoint|post|get|table|schema|stores?|queue|workers?|cache|database|"
        r"db|flow|handler|consumer|producer|keyed|index|writes? (to|into)|reads? (from)|"
        r"pipeline|gateway|tier|component)s?\b|->|→",
    ),
    "bottlenecks": _rx(
        r"\b(bottlenecks?|break\w*|saturat\w*|hot|spikes?|fail\w*|down|outage|overload\w*|"
        r"slow\w*|lag|limits?|exhaust\w*|storms?|backlog|contention|throttl\w*|degrad\w*|"
        r"mitigat\w*|first to|runs? out|blocks?|stall\w*|starv\w*|pressure|timeouts?|"
        r"what happens when|alert\w*|pile|queue depth)\b",
    ),
    "trade-offs": _rx(
        r"\b(vs\.?|versus|instead of|rather than|over|trade-?offs?|alternatives?|downsides?|"
        r"costs?|switch\w*|flip\w*|choose|chose|pick\w*|prefer\w*|whereas|give up|pros|cons|"
        r"options?|wins?|worth|price|accept\w*|either|or)\b",
    ),
}


def phase_fit(text: str, problem: Problem, phase: str) -> float:
    """How much the answer looks like an answer to ``phase``: expectation coverage plus the
    share of sentences using the phase's own vocabulary (numbers for the estimate)."""
    sents = sentences(text)
    if not sents:
        return 0.0
    exps = problem.expectations(phase)
    total = sum(e.weight for e in exps) or 1
    coverage = sum(e.weight for e in exps if e.matches(text)) / total
    if phase == "estimate":
        vocab = sum(1 for s in sents if len(numbers_in(s.text)) >= 2) / len(sents)
    elif phase == "clarify":
        vocab = sum(
            1 for s in sents if s.text.endswith("?") or PHASE_VOCABULARY[phase].search(s.text)
        ) / len(sents)
    else:
        vocab = sum(1 for s in sents if PHASE_VOCABULARY[phase].search(s.text)) / len(sents)
    return coverage + vocab


def other_phase(text: str, problem: Problem, phase: str) -> str | None:
    """Another phase this answer clearly answers instead of ``phase`` (e.g. the estimate
    recited again when asked for bottlenecks): it fits that phase 2.5 times as well, and by
    a wide absolute margin, so a design answer that mentions a few numbers is not caught."""
    own = phase_fit(text, problem, phase)
    best, best_fit = None, 0.0
    for other in PHASES:
        if other == phase:
            continue
        fit = phase_fit(text, problem, other)
        if fit > best_fit:
            best, best_fit = other, fit
    if best is not None and best_fit >= 2.5 * own and best_fit >= own + 0.9:
        return best
    return None


# -- vocabulary without reasoning ------------------------------------------------------------


def is_buzzword_list(features: Features) -> bool:
    """Many technologies and quality adjectives, with nothing that reasons or quantifies."""
    terms = features.tech_terms + features.adjectives
    if terms < 4 or not features.words:
        return False
    dense_terms = terms / features.words >= 0.12
    return (
        dense_terms
        and features.reasoning_sentences <= 1
        and features.used_quantities == 0
        and features.specific_density < 1.0
    )


def is_rambling(features: Features) -> bool:
    """Long and padded: filler outweighs specifics, so most sentences carry no point."""
    if features.words < 90:
        return False
    return features.filler_density >= 0.5 and features.specific_density < 0.6


def boxes_before_requirements(features: Features) -> bool:
    """Clarify answers that name three or more technologies: drawing boxes before the
    requirements are agreed, the rubric's first clarify red flag."""
    return features.tech_terms >= 3


# -- Node.js runtime red flags (blocking work is read by simulator.reading) -------------

# Per-process state that breaks as soon as there is a second process.
_LOCAL_STATE = _rx(
    r"\b(map|set|array|object|dictionary|dict|list)\b[^.;]{0,40}\b(in (process )?memory|"
    r"in the process|global)\b",
    r"\b(in[- ]memory|in[- ]process|global|module[- ]level)\b[^.;]{0,25}\b(map|set|array|"
    r"store|queue|registry|object|counter|dictionary|list)\b",
    r"\b(javascript|js) (map|set|array|object)\b",
)
_LOCAL_STATE_OK = _rx(
    r"\blru\b|\bttl\b|\bbounded\b|\bcapped\b|\bcap (it|them|the)\b|\b\d+k? entries\b|"
    r"\bredis\b|\bshared\b|\bregistry\b|\bpub/?sub\b|\bcache[- ]aside\b|\bper[- ]process cache\b|"
    r"\bpreview\b|\bsingle[- ]flight\b|\bfallback\b|\bleas\w*\b|\bonly\b",
)
_SCALE_OUT = _rx(
    r"\bcluster (mode|module)\b|\bmore (processes|instances|servers|pods|nodes)\b|"
    r"\b\d+ (pods|instances|processes|replicas)\b|\bscale (out|horizontally)\b|\ball the cores\b",
)


def local_state_flaw(text: str) -> str | None:
    """A sentence keeping shared state in one process's memory while the design runs many."""
    if not _SCALE_OUT.search(text):
        return None
    for s in sentences(text):
        if _LOCAL_STATE.search(s.text) and not _LOCAL_STATE_OK.search(s.text):
            return s.text
    return None
