"""Runtime findings: work a candidate proposes to run somewhere that hurts a Node.js service.

A Node.js process runs all of its JavaScript on one thread, hands some native work (fs, crypto,
zlib, dns.lookup, sharp) to libuv's pool of four threads, and shares its machine's cores with any
process it spawns. So the same piece of work has very different costs depending on where the
candidate puts it, and an interviewer's probe should name the right one:

- ``main-thread-blocking``: synchronous or CPU-heavy work on the request path; every other
  request on the process waits for it.
- ``libuv-pool-saturation``: many concurrent async crypto/zlib/fs/dns.lookup/sharp calls that
  queue on the default four-thread pool; the event loop is free, the pool is not.
- ``child-process-contention``: a CPU-heavy process spawned per request on the API's machine.
- ``memory-gc``: whole payloads, huge documents or unbounded caches held in the V8 heap.

A finding is raised only for work the candidate *proposes* (see `simulator.reading.work`):
a diagnosis, a fix, a question, an estimate line or small data is never quoted back as a
mistake. Precision comes first: ``main-thread-blocking`` needs the turn (or an earlier turn,
for the same work) to put the work somewhere requests are served (a handler, a route, the API
or gateway process) or to call a synchronous API; work named with no place ("Transcode: ~4
vCPU-min per source minute"), a ranked list of bottlenecks, stages joined by arrows, a
datastore command or a symptom ("transcode backlog", "parsing is slow") is not a proposal.
Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from simulator.reading.acts import sentences
from simulator.reading.text_model import TextModel
from simulator.reading.work import (
    HARMFUL,
    HEAVY,
    CostClass,
    Place,
    WorkCategory,
    WorkItem,
    read_work,
)

__all__ = ["VARIANTS", "FindingKind", "RuntimeFinding", "WorkItem", "judged_findings",
           "read_work", "runtime_findings", "short_quote"]

FindingKind = Literal[
    "main-thread-blocking",
    "libuv-pool-saturation",
    "child-process-contention",
    "memory-gc",
]

#: The probe variants a finding may ask for; their wording lives in the interviewer prompts
#: (`runtime_probes` in `interviewer.yaml`), each with the candidate's words as {quote}.
#: "main-thread-blocking/unspecified" is kept for the prompts but no longer produced: work
#: with no place named is not probed.
VARIANTS = (
    "main-thread-blocking",
    "main-thread-blocking/unspecified",
    "main-thread-blocking/sync",
    "libuv-pool-saturation",
    "child-process-contention",
    "memory-gc",
)

# When one message has several findings, the first probe asked is the most urgent one.
_URGENCY = (
    "main-thread-blocking",
    "child-process-contention",
    "memory-gc",
    "libuv-pool-saturation",
)


class RuntimeFinding(BaseModel):
    """Proposed work in a harmful place, with the interviewer's probe for it."""

    model_config = ConfigDict(frozen=True)

    kind: FindingKind
    quote: str
    category: WorkCategory
    variant: str  # which probe to ask: a key of VARIANTS
    place: Place
    cost: CostClass
    span: tuple[int, int]
    # Raised by the learned reader, not the clause readers: the turn reads like work in a
    # harmful place, but no clause says where it runs. A reason to ask, not yet a mistake.
    judged: bool = False


def finding_kind(item: WorkItem) -> FindingKind | None:
    """The kind of harm a work item does, or None when it does none where it is."""
    if item.stance != "proposes" or item.bounded:
        return None
    if item.place == "libuv-pool":
        # What saturates the pool is how many calls wait at once, not the cost of one; sharp's
        # resize is tens of ms of pool time per call, so one per request is already many.
        many = item.many_at_once or item.category == "image"
        # A small file read per request is still one pool job per request.
        small_ok = item.category == "fs" and item.many_at_once
        return "libuv-pool-saturation" if many and (item.cost != "tiny" or small_ok) else None
    if item.cost not in HEAVY:
        return None
    if item.place == "child-process":
        return "child-process-contention"
    if item.place not in HARMFUL:
        return None
    if item.category == "memory":
        if item.place == "unspecified" and _GENERIC_MEMORY.match(item.cue):
            return None  # "it fits in RAM": no Node process named, no heap to probe
        return "memory-gc"
    if item.place == "unspecified":
        # Nothing in the turn puts the work where requests are served: a bare "Transcode: ~4
        # vCPU-min per source minute" or "transcode to 240p-1080p" is not a proposal to run it
        # in the handler.
        return None
    return "main-thread-blocking"


def runtime_findings(text: str, prior: list[WorkItem] | None = None, *,
                     work: list[WorkItem] | None = None) -> list[RuntimeFinding]:
    """Findings for ``text``, most urgent first; one per kind and sentence.

    When several clauses of one sentence give the same kind ("loads a TensorFlow.js model and
    runs inference for each request"), the quote covers them all. ``prior`` is `read_work` of the
    candidate's earlier turns, so work they already moved off the request path is not probed
    again when they mention it later. ``work`` is `read_work(text, prior)` when the caller has
    it already (the turn reader does), so a message's work is read once.
    """
    chosen: dict[tuple[str, int], tuple[WorkItem, int]] = {}
    for item in (work if work is not None else read_work(text, prior)):
        kind = finding_kind(item)
        if kind is None:
            continue
        first, end = chosen.get((kind, item.sentence), (item, item.span[1]))
        if item.span[1] - first.span[0] <= _MAX_QUOTE:
            end = max(end, item.span[1])
        chosen[(kind, item.sentence)] = (first, end)
    findings = [_finding(text, kind, item, end) for (kind, _), (item, end) in chosen.items()]
    findings.sort(key=lambda f: (_URGENCY.index(f.kind), f.span[0]))
    return findings


_MAX_QUOTE = 260
_GENERIC_MEMORY = re.compile(r"^(?:in|into) (?:memory|ram)$", re.IGNORECASE)


def _finding(text: str, kind: FindingKind, item: WorkItem, end: int) -> RuntimeFinding:
    variant: str = kind
    if kind == "main-thread-blocking" and item.mechanism == "sync":
        variant = "main-thread-blocking/sync"
    elif kind == "main-thread-blocking" and item.place == "unspecified":
        variant = "main-thread-blocking/unspecified"
    span = (item.span[0], end)
    quote = text[span[0] : span[1]].strip() if end != item.span[1] else item.quote
    return RuntimeFinding(
        kind=kind,
        quote=quote,
        category=item.category,
        variant=variant,
        place=item.place,
        cost=item.cost,
        span=span,
    )


# -- the learned second reader ---------------------------------------------------------------

# What a judged finding is filed under when no work item sits in the sentence it quotes.
_DEFAULT_CATEGORY: dict[str, WorkCategory] = {
    "main-thread-blocking": "unnamed",
    "libuv-pool-saturation": "unnamed",
    "child-process-contention": "child-process",
    "memory-gc": "memory",
}
# A candidate who diagnosed, fixed, set aside or bounded the work they named has shown they
# know where it runs; the learned reader does not overrule that reading.
_SETTLED_STANCES = ("diagnoses", "fixes", "rejects", "hypothetical")


def judged_findings(text: str, work: list[WorkItem], findings: list[RuntimeFinding],
                    model: TextModel | None, kinds: TextModel | None) -> list[RuntimeFinding]:
    """``findings``, plus one finding from the learned reader when the clause readers found none
    and the model, which reads the turn as a whole, says an interviewer would probe it; or
    none, when the model puts the turn below its floor (see `train_text_model`).

    The clause readers know the words they were written for; the model was fitted on labelled
    turns and carries over to wording nobody listed ("we go through the customer's whole
    purchase history for every order"). Its probe asks where the work runs rather than
    asserting it, since nothing here names the place; the quote is the sentence the model
    scores highest.
    """
    if model is None or not text.strip():
        return findings
    if findings:
        # The model, reading the whole turn, finds it far from anything an interviewer probed
        # in the labelled turns: the clause readers matched words, not a design.
        # In a long turn on many things the rest of the design dilutes the turn's score, so the
        # sentence the finding stands in is read too.
        # Only just below the floor, then, the finding's own sentence decides.
        turn = model.probability(text)
        if turn >= model.floor or (all(f.kind == "libuv-pool-saturation" for f in findings)
                                   and _DEFAULT_POOL.search(text)):
            return findings  # "UV_THREADPOOL_SIZE left at default": the pool named outright
        if turn < model.floor * _NEAR_FLOOR:
            return []
        return [f for f in findings if model.probability(_sentence_at(text, f.span)) >= model.floor]
    if any(i.stance in _SETTLED_STANCES or i.bounded for i in work):
        return findings
    if _AT_STARTUP.search(text) and not _PER_REQUEST_OR_BIG.search(text):
        return findings  # "we load the 70 MB GeoIP file one time when the process starts"
    if model.probability(text) < model.threshold:
        return findings
    kind: FindingKind = kinds.label(text) if kinds is not None else "main-thread-blocking"  # type: ignore[assignment]
    parts = [s for s in sentences(text) if s.text.strip()] or []
    best = max(parts, key=lambda s: model.probability(s.text), default=None)
    span = (best.start, best.end) if best else (0, len(text))
    quote = text[span[0]:span[1]].strip().rstrip(".!;")  # the probe closes the quote itself
    here = [i for i in work if span[0] <= i.span[0] < span[1]]
    variant = "main-thread-blocking/unspecified" if kind == "main-thread-blocking" else kind
    return [RuntimeFinding(
        kind=kind,
        quote=quote,
        category=here[0].category if here else _DEFAULT_CATEGORY[kind],
        variant=variant,
        place=here[0].place if here else "unspecified",
        cost=here[0].cost if here else "heavy-by-size",
        span=span,
        judged=True,
    )]


# The candidate leaves libuv's pool at its four threads, said outright
_DEFAULT_POOL = re.compile(
    r"\bUV_THREADPOOL_SIZE\b[^.;]{0,40}?\b(?:default|4|four|unchanged|untouched|as is)\b|"
    r"\b(?:default|4|four)[- ](?:thread(?:ed)?)\s+(?:libuv\s+)?(?:thread\s*)?pool\b",
    re.IGNORECASE)

# Work done once when the process starts is on no request's path
_AT_STARTUP = re.compile(
    r"\b(?:once|one time|only)\b[^.;]{0,30}?\b(?:at|on|when|during)\s+(?:the\s+)?(?:process(?:'s)?\s+)?"
    r"(?:start\w*|boot\w*|launch\w*)|\b(?:at|on|during)\s+(?:process\s+)?(?:startup|boot)\b",
    re.IGNORECASE)

# ... unless the turn also does work per request, or loads something huge
_PER_REQUEST_OR_BIG = re.compile(
    r"\b(?:every|each|per)\s+(?:\w+\s+)?(?:request|call|order|checkout|candidate|message|upload|"
    r"user|time)\b|\bon the request\b|\bfor each\b|\b(?:thousand|million|billion)s?\b|"
    r"\w+Sync\b|\b(?:middleware|handler|route)s?\b|"
    r"\d\s*(?:[MB]\b|GB|TB|gigabytes?|terabytes?)", re.IGNORECASE)

#: How far below the floor a turn may score and still have its findings' sentences read.
_NEAR_FLOOR = 2 / 3


def _sentence_at(text: str, span: tuple[int, int]) -> str:
    """The sentence holding the start of ``span`` (the whole text when none does)."""
    for s in sentences(text):
        if s.start <= span[0] < s.end:
            return s.text
    return text


def short_quote(quote: str, limit: int = 200) -> str:
    """The candidate's words for a probe: one line, cut at a word near ``limit``, without the
    sentence's full stop (the probe closes the quotation and its own sentence)."""
    quote = " ".join(quote.split())
    if quote.endswith(".") and not quote.endswith(".."):
        quote = quote[:-1]
    return quote if len(quote) <= limit else quote[: limit - 1].rsplit(" ", 1)[0] + "…"
