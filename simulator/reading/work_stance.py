"""How the candidate stands toward a piece of work they named.

"I'd resize it in the handler" proposes; "the risk is that a sync resize would block the loop"
diagnoses; "we moved resizing to a queue" and "instead of resizing in the handler" fix;
"should the resize happen in the handler?" and "if we resized inline" only wonder; "decoding a
12 MP JPEG is ~150 ms of CPU" estimates; "we never touch pixels in the API" rejects. Only a
proposal can be a finding. Pure: standard library only.
"""

from __future__ import annotations

from simulator.reading import work_vocab as V
from simulator.reading.work_amounts import amounts
from simulator.reading.work_places import (
    ANAPHOR_START,
    HARMFUL,
    ClauseReading,
    Cue,
    rx,
    sentence_text,
)

_NEG_AFTER = rx(
    r"^[^.;,]{0,40}?\b(?:isn't|aren't|is not|are not|never|doesn't|don't|won't|does not|"
    r"do not|will not|no longer)\b"
)
_IF = rx(r"\b(?:if|unless|suppose|supposing|imagine|what if|whether|in case|even if)\b")
_MODAL = rx(r"\b(?:would|could|might)\b")

_NEGATION, _NEG_EXCEPT = rx(V.NEGATION), rx(V.NEGATION_EXCEPTIONS)
_MEM_UNBOUNDED = rx(V.MEMORY_UNBOUNDED)
_FIX, _DIAG_LEAD, _HAZARD = rx(V.FIX), rx(V.DIAGNOSIS_LEAD), rx(V.HAZARD)
_FIRST_MODAL = rx(V.FIRST_PERSON_MODAL)
_ESTIMATE, _AGENT = rx(V.ESTIMATE), rx(V.AGENT)
_REFERENCE = rx(V.REFERENCE_AFTER)
_SUPERSEDED = rx(V.SUPERSEDED)
_SWAP = rx(r"\b(?:swap\w*|replac\w*)\b[^.;]{0,60}?\b(?:for|with|by)\b")
_CONSIDERED, _EXPLANATION = rx(V.CONSIDERED), rx(V.EXPLANATION)
_BOTTLENECKS, _HAZARD_TOPIC = rx(V.BOTTLENECK_CONTEXT), rx(V.HAZARD_TOPIC)
_SYMPTOM, _COST_AFTER, _GENERIC = rx(V.SYMPTOM_AFTER), rx(V.COST_AFTER), rx(V.GENERIC_BEFORE)
_MEASURED = rx(V.MEASURED_BEFORE)
_FIRST_PERSON = rx(r"\b(?:i|we|i'd|we'd|i'll|we'll|i'm|we're)\b")
# A chain of stages that ends in the response is the request path drawn with arrows.
_RESPONSE_STAGE = rx(r"(?:-+>|=>|\u2192)\s*(?:\d{3}\b|respon\w*|return\w*|reply)[^>]*$")


def stance(cue: Cue, r: ClauseReading, readings: list[ClauseReading]) -> str:
    """The candidate's stance toward ``cue`` in clause ``r``; the first test that holds wins."""
    c = r.clause
    t = c.text
    at = cue.start - c.start
    before, after = t[:at], t[cue.end - c.start :]
    if c.question:
        return "hypothetical"
    if c.pipeline and not _RESPONSE_STAGE.search(t):
        return "reference"  # "fetchers -> parser pool -> dedupe": stages named, not a handler
    if c.heading and not _place_before(r, cue):
        # "Transcode: ~4 vCPU-min ...", "2) Parsing inline: ...": a topic label
        return "diagnoses" if _bottleneck_list(readings) else "reference"
    if (
        c.item
        and _bottleneck_list(readings)
        and not _FIRST_PERSON.search(before)
        and not _place_before(r, cue)  # "First, the upload handler resizes ..." describes
    ):
        return "diagnoses"  # "2) Parsing inline" in a list of what breaks first
    if c.item and _fragment(r, readings):
        return "reference"  # "2) Parsing inline." on its own: a topic, not a sentence
    if _negated(before, after, cue.category):
        return "rejects"
    swap = _SWAP.search(t)
    if swap and swap.start() < at < swap.end():
        return "fixes"  # "we swapped the unbounded cache for an LRU": the old design, removed
    fix = _FIX.search(t)
    if fix or c.lead in ("instead of", "rather than"):
        denied_alternative = c.lead in ("instead of", "rather than") or (
            fix is not None
            and fix.group(0).lower() in ("instead", "rather than")
            and fix.start() < at
        )
        if denied_alternative or cue.place not in HARMFUL or not cue.own_place:
            return "fixes"
    if _in_diagnosis(r, readings) or _HAZARD.search(t) or _hazard_follows(r, readings):
        return "diagnoses"
    if _SYMPTOM.match(after):
        return "diagnoses"  # "transcode backlog", "Transcoding is also slow"
    if _GENERIC.search(before):
        return "hypothetical"  # "any ranking logic in the handler"
    if _COST_AFTER.match(after) or _MEASURED.search(before):
        return "estimate"  # "parse time", "render latency"
    if _EXPLANATION.search(f"{c.lead} {t}".strip()):
        return "diagnoses"
    if _CONSIDERED.search(before) or _could_but_rather(r, readings, cue):
        return "hypothetical"
    if _SUPERSEDED.search(sentence_text(readings, c.sentence)):
        return "fixes"
    if _IF.search(before) or c.lead == "if" or _condition_continues(r, readings):
        return "hypothetical"
    modal = _MODAL.search(t)
    if (
        modal
        and modal.start() > at
        and not _FIRST_MODAL.search(t[: modal.start()])
        and not (cue.own_place and cue.place in HARMFUL and _place_before(r, cue))
    ):
        return "hypothetical"
    if _is_estimate(cue, r) or _estimate_follows(r, readings):
        return "estimate"
    if _REFERENCE.match(after):
        return "reference"
    return "proposes"


def _negated(before: str, after: str, category: str) -> bool:
    def live(s: str) -> bool:
        s = _NEG_EXCEPT.sub(" ", s)
        return bool(_NEGATION.search(s))

    if category == "memory":
        before = _MEM_UNBOUNDED.sub(" ", before)
        after = _MEM_UNBOUNDED.sub(" ", after)
    if live(before):
        return True
    m = _NEG_AFTER.match(after)
    return bool(m) and live(m.group(0))


_GERUND_START = rx(r"^\s*(?:\(?(?:\d{1,2}|[a-h])[.)]\s*)?\w+ing\b")


def _fragment(r: ClauseReading, readings: list[ClauseReading]) -> bool:
    """A list item that is a bare noun phrase ("2) Parsing inline"), no clause of its own."""
    alone = sum(x.clause.sentence == r.clause.sentence for x in readings) == 1
    return alone and len(r.clause.text.split()) <= 5 and bool(_GERUND_START.match(r.clause.text))


def _bottleneck_list(readings: list[ClauseReading]) -> bool:
    """The message enumerates bottlenecks or risks ("First to hurt: ...", "2) Parsing inline")."""
    return any(_BOTTLENECKS.search(r.clause.text) for r in readings)


def _in_diagnosis(r: ClauseReading, readings: list[ClauseReading]) -> bool:
    """Inside "the risk is that ..." or "Event loop: ..." up to the consequence ("so", ";")."""
    i = readings.index(r)
    for j in range(i, -1, -1):
        c = readings[j].clause
        if c.sentence != r.clause.sentence:
            break
        if c.heading and _HAZARD_TOPIC.match(c.text):
            # "libuv: the limiter barely uses the pool, but dns.lookup runs there ...": the whole
            # sentence discusses the hazard, up to what the candidate does about it
            return not any(
                x.clause.lead in ("so", "so that", "instead", "instead of", "rather than")
                for x in readings[j + 1 : i + 1]
            )
    for j in range(i, -1, -1):
        c = readings[j].clause
        if c.sentence != r.clause.sentence:
            return False
        if _DIAG_LEAD.search(c.text):
            return True
        if c.lead in ("so", "so that", ";", "but", "instead", "instead of", "rather than"):
            return False
    return False


def _hazard_follows(r: ClauseReading, readings: list[ClauseReading]) -> bool:
    """ "X, Y or Z in the handler, stalls every redirect": the list's predicate is a hazard."""
    i = readings.index(r)
    for nxt in readings[i + 1 :]:
        if nxt.clause.sentence != r.clause.sentence:
            return False
        if nxt.cues:
            if nxt.clause.lead in (",", "or", "and", "plus") and len(nxt.clause.text.split()) <= 8:
                continue  # another item of the same list
            return False
        joined = nxt.clause.lead in (
            "which",
            "so",
            "and",
            "and then",
            ",",
            "but",
        ) or ANAPHOR_START.match(nxt.clause.text)
        return bool(joined) and bool(_HAZARD.search(f"{nxt.clause.lead} {nxt.clause.text}"))
    return False


def _estimate_follows(r: ClauseReading, readings: list[ClauseReading]) -> bool:
    """ "decode plus four resizes and encodes is about 200 ms of CPU": a list of work that is the
    subject of a cost line is estimated, not proposed."""
    if any(at < r.clause.end for at, p in r.places if p in HARMFUL):
        return False
    i = readings.index(r)
    for nxt in readings[i + 1 :]:
        c = nxt.clause
        if c.sentence != r.clause.sentence or c.lead not in (",", "and", "or", "plus"):
            return False
        if len(c.text.split()) > 14:
            return False
        if _ESTIMATE.search(c.text) and not _AGENT.search(c.text):
            return True
    return False


def _condition_continues(r: ClauseReading, readings: list[ClauseReading]) -> bool:
    """ "if each one does its own JSON.stringify and compression on the main thread": the
    condition covers the items joined to it."""
    i = readings.index(r)
    j = i
    # Only "and"/"or" continue the condition: after "If someone sends a photo, ..." comes the
    # main clause, which is the design.
    while j > 0 and readings[j].clause.lead in ("and", "or", "plus"):
        prev = readings[j - 1].clause
        if prev.sentence != r.clause.sentence:
            return False
        if prev.lead == "if" or _IF.search(prev.text):
            return True
        j -= 1
    return False


_COULD = rx(r"\b(?:we|i|you|one) (?:could|might|can)\b(?! not)")
_BUT_RATHER = rx(
    r"\bbut\b[^.;]{0,25}?\b(?:rather|prefer\w*|instead|would not|wouldn't|won't|don't|not going to)\b"
)


def _could_but_rather(r: ClauseReading, readings: list[ClauseReading], cue: Cue) -> bool:
    """ "We could shell out to ImageMagick from the API, but I'd rather keep it in separate
    containers": the option set aside is not the design."""
    t = r.clause.text
    if not _COULD.search(t[: cue.start - r.clause.start]):
        return False
    rest = " ".join(
        x.clause.lead + " " + x.clause.text
        for x in readings
        if x.clause.sentence == r.clause.sentence and x.clause.start > r.clause.start
    )
    return bool(_BUT_RATHER.search(t[cue.end - r.clause.start :] + " " + rest))


def _place_before(r: ClauseReading, cue: Cue) -> bool:
    return any(at < cue.start for at, p in r.places if p in HARMFUL)


def _is_estimate(cue: Cue, r: ClauseReading) -> bool:
    """A cost line ("decoding a 12 MP JPEG is ~150 ms of CPU"), not a statement of design."""
    t = r.clause.text
    if cue.own_place and cue.place in HARMFUL and any(p in HARMFUL for _, p in r.places):
        return False
    has_cost = bool(_ESTIMATE.search(t)) or any(a.measure == "rate" for a in amounts(t))
    if not has_cost:
        return False
    return not _AGENT.search(t[: cue.start - r.clause.start + 1])
