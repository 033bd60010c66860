"""Read the server-side work in a candidate's message, clause by clause.

For each piece of work named ("resizes the photo", "JSON.parse on a 5 MB blob", "spawns
ffmpeg") the reading records what it is, how costly it is, where it runs and how the candidate
stands toward it: proposing it, diagnosing it as a hazard, moving it elsewhere, wondering
about it, or only estimating its cost. `simulator.reading.event_loop` turns the proposals that
sit somewhere harmful into findings; everything else is context the interviewer must not quote
back as a mistake.

Pure: standard library and pydantic only, no I/O. Vocabularies are in `work_vocab`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from simulator.reading import work_vocab as V
from simulator.reading.work_amounts import Amount, amounts
from simulator.reading.work_clauses import clauses
from simulator.reading.work_places import (
    ANAPHOR_START,
    ClauseReading,
    Cue,
    adopt_named_mechanism,
    carry_known_places,
    fill_forward,
    follow_transfers,
    host_child_processes,
    inherit_places,
    link_sentences,
    live_in,
    one_per_category,
    read_clause,
    rx,
    sentence_text,
)
from simulator.reading.work_stance import stance

WorkCategory = Literal[
    "image",
    "video",
    "crypto",
    "hash",
    "compression",
    "parse",
    "template",
    "sort-aggregate",
    "regex",
    "pdf",
    "browser",
    "ml",
    "fs",
    "dns",
    "child-process",
    "memory",
    "unnamed",  # described without a name the readers know (a judged finding's work)
]
Mechanism = Literal["sync", "js", "pool", "child", "heap", "cpu"]
CostClass = Literal["heavy-by-nature", "heavy-by-size", "light", "tiny"]
Place = Literal[
    "request-path",
    "main-thread",
    "unspecified",
    "libuv-pool",
    "worker-threads",
    "child-process",
    "separate-service",
    "queue-consumer",
    "serverless",
    "batch",
    "startup",
    "client",
    "database",
    "managed-service",
    "background",
    "off-path",
]
Stance = Literal[
    "proposes",
    "diagnoses",
    "fixes",
    "rejects",
    "hypothetical",
    "estimate",
    "reference",
]

HEAVY: tuple[CostClass, ...] = ("heavy-by-nature", "heavy-by-size")
HARMFUL: tuple[Place, ...] = V.HARMFUL_PLACES  # type: ignore[assignment]


class WorkItem(BaseModel):
    """One piece of work the candidate named, read in its clause.

    ``quote`` is the candidate's words (the clause, widened to the words that give it its
    subject); ``span`` its offsets in the message. ``many_at_once`` says the text gives a rate or
    an in-flight count for it; ``bounded`` that the candidate sized the libuv pool, capped the
    child processes or bounded the in-memory state.
    """

    model_config = ConfigDict(frozen=True)

    quote: str
    span: tuple[int, int]
    category: WorkCategory
    cost: CostClass
    place: Place
    stance: Stance
    cue: str
    mechanism: Mechanism
    sentence: int
    many_at_once: bool = False
    bounded: bool = False


_POOL_SIZED, _CONCURRENT = rx(V.POOL_SIZED), rx(V.CONCURRENT)
_CHILD_BOUNDED = rx(V.CHILD_BOUNDED + r"|\bchild[_ ]process pool\b|\bprocess pool\b")
_MEM_UNBOUNDED, _GATHERED = rx(V.MEMORY_UNBOUNDED), rx(V.MEMORY_GATHERED)
_BOUNDED_WORDS = rx(V.MEMORY_BOUNDED)


def _mem_bounded(sentence: str) -> bool:
    """Streaming, paging or an LRU bounds what is held; chunks gathered into one array do not."""
    return bool(_BOUNDED_WORDS.search(_GATHERED.sub(" ", sentence)))
_LARGE, _SMALL, _REDOS = rx(V.LARGE_WORDS), rx(V.SMALL_WORDS), rx(V.REDOS)
_IN_JS, _FAN_IN = rx(V.IN_JS), rx(V.FAN_IN)
_PER_REQUEST = rx(r"\b(?:on |for )?(?:every|each|per) (?:incoming |single )?(?:request|call|hit)\b")
_NODE_CODE = rx(r"\.|\bsharp\b")
_NODE_HINT = rx(
    r"\b(?:node(?:\.js|'s)?|libuv|async|await\w*|promise\w*|callback|sharp)\b|"
    r"\b(?:http|https|fs|zlib|crypto|dns|net|tls)\.\w+"
)
_OBJECT_STOP = rx(
    r"\b(?:in|inside|on|before|after|with|by|using|via|from|into|for|at|so|"
    r"and|then|which|to)\b|[,;:]"
)


def read_work(text: str, prior: list[WorkItem] | None = None) -> list[WorkItem]:
    """Every piece of work named in ``text``, with its cost, place and the candidate's stance.

    ``prior`` is the reading of earlier turns: work the candidate already placed off the request
    path there (``"transcoding moved to a queue"``) keeps that place when a later turn mentions
    it without saying where it runs.
    """
    text = text or ""
    split = clauses(text)
    sentences: dict[int, str] = {}
    for c in split:
        sentences[c.sentence] = sentences.get(c.sentence, "") + " " + c.text
    live = live_in(text)
    readings = [read_clause(c, sentences[c.sentence], live) for c in split]
    inherit_places(readings)
    fill_forward(readings)
    follow_transfers(readings)
    host_child_processes(readings)
    adopt_named_mechanism(readings)
    found = _amounts_by_sentence(text, readings)
    for r in readings:
        for cue in r.cues:
            cue.stance = stance(cue, r, readings)
    link_sentences(readings)
    carry_known_places(readings, prior or [])
    items = []
    pool_sized = _affirmed(_POOL_SIZED, text)
    for r in readings:
        for cue in one_per_category(r.cues):
            items.append(_item(text, cue, readings, found, pool_sized))
    return _resize_from_elaboration(items, readings)


_DENIED = rx(
    r"\b(?:no|not|never|without|nor|none|haven't|hasn't|hadn't|didn't|don't|doesn't|won't|"
    r"isn't|aren't|wasn't|weren't)\b|n't\b"
)
_FRESH_START = rx(r"[.!?;]\s|\bbut\b|\bhowever\b|\bthough\b")


def _affirmed(pattern, text: str) -> bool:
    """Whether ``pattern`` matches somewhere the sentence does not deny it: "we haven't changed
    the thread settings or put a concurrency cap in front of it" bounds nothing."""
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 120) : m.start()]
        starts = list(_FRESH_START.finditer(before))
        if starts:
            before = before[starts[-1].end() :]
        if not _DENIED.search(before):
            return True
    return False


def _resize_from_elaboration(items: list[WorkItem], readings) -> list[WorkItem]:
    """ "... and merge their posts in. That's a merge of a few short lists." sizes the merge."""
    opening = {}
    for r in readings:
        opening.setdefault(r.clause.sentence, r.clause.text)
    small = {
        (i.sentence, i.category)
        for i in items
        if i.cost == "tiny" and ANAPHOR_START.match(opening.get(i.sentence, ""))
    }
    return [
        i.model_copy(update={"cost": "tiny"})
        if i.cost == "heavy-by-size" and (i.sentence + 1, i.category) in small
        else i
        for i in items
    ]


# -- cost, size and the item --------------------------------------------------------------------


def _amounts_by_sentence(text: str, readings: list[ClauseReading]) -> dict[int, list[Amount]]:
    by_sentence: dict[int, list[Amount]] = {}
    spans: dict[int, tuple[int, int]] = {}
    for r in readings:
        a, b = spans.get(r.clause.sentence, (r.clause.start, r.clause.end))
        spans[r.clause.sentence] = (min(a, r.clause.start), max(b, r.clause.end))
    for s, (a, b) in spans.items():
        by_sentence[s] = [
            Amount(x.measure, x.value, x.start + a, x.end + a, x.text) for x in amounts(text[a:b])
        ]
    return by_sentence


def _size_context(cue: Cue, readings, found) -> tuple[list[Amount], str]:
    """Amounts and words that size the work: its sentence, then a neighbour that elaborates."""
    s = cue.clause.sentence
    cue_sentences = {r.clause.sentence for r in readings if r.cues}
    window = [s]
    for n in (s + 1, s - 1):
        if n in found and n not in cue_sentences:
            window.append(n)
    lo, hi = _segment(cue, readings)
    sized = [
        a
        for n in window
        for a in found.get(n, [])
        if a.measure in ("count", "bytes") and (n != s or lo <= a.start < hi)
    ]
    words = " ".join(sentence_text(readings, n) for n in window)
    return sized, words


def _segment(cue: Cue, readings) -> tuple[int, int]:
    """Where amounts that size the cue may sit in its own sentence: from the semicolon before it
    on. "Accounts with >100k followers skip fan-out; their posts are merged in at read time" does
    not size the merge by the followers, while "...; that's a few billion URLs" elaborates."""
    same = [r.clause for r in readings if r.clause.sentence == cue.clause.sentence]
    lo = same[0].start
    for c in same:
        if c.lead == ";" and c.start <= cue.start:
            lo = c.start
    return lo, same[-1].end


def _cost(cue: Cue, readings, found) -> str:
    if cue.basis == "nature" and cue.category != "memory":
        return "heavy-by-nature"
    if cue.category in ("regex", "sort-aggregate") and _REDOS.search(
        sentence_text(readings, cue.clause.sentence)
    ):
        return "heavy-by-nature"
    sized, words = _size_context(cue, readings, found)
    sentence = sentence_text(readings, cue.clause.sentence)
    if cue.category == "memory":
        told = " ".join(sentence_text(readings, n) for n in _told(cue, readings, found))
        if _mem_bounded(sentence) and not _MEM_UNBOUNDED.search(told):
            return "tiny"
        if _MEM_UNBOUNDED.search(told):
            return "heavy-by-size"
    count_at, bytes_at = V.HEAVY_AT.get(cue.category, (100_000, 10_000_000))
    if cue.basis == "size-js" or (cue.basis == "size" and _IN_JS.search(sentence)):
        count_at, bytes_at = V.SIZE_JS_HEAVY_AT
    elif cue.basis == "size-n2":
        count_at, bytes_at = V.QUADRATIC_HEAVY_AT
    if cue.mechanism == "pool":
        # For pool work a count says how many run at once, not how big one call is.
        sized = [a for a in sized if a.measure == "bytes"]
    sized = _relevant_amounts(cue, sized)
    own = cue.clause.sentence
    mine = [a for a in sized if _sentence_of(a, readings) == own]
    if sized and not mine and _SMALL.search(sentence):
        return "tiny"  # "merged with the few celebrities followed": the neighbours' 100k is not it
    sized = mine or sized  # its own sentence's amounts first, a neighbour's only when it has none
    if cue.category in ("sort-aggregate", "regex", "template") and _FAN_IN.search(sentence):
        sized = [
            Amount(a.measure, a.value * 10, a.start, a.end, a.text) if a.measure == "count" else a
            for a in sized
        ]
    if sized:
        if any(
            (a.measure == "count" and a.value >= count_at)
            or (a.measure == "bytes" and a.value >= bytes_at)
            for a in sized
        ):
            return "heavy-by-size"
        tiny_count = V.TINY_BELOW.get(cue.category, count_at / 10)
        small = all(
            (a.measure == "count" and a.value < tiny_count)
            or (a.measure == "bytes" and a.value < bytes_at / 10)
            for a in sized
        )
        return "tiny" if small else "light"
    if _SMALL.search(sentence):
        return "tiny"
    if _LARGE.search(words):
        return "heavy-by-size"
    return "light"


def _told(cue: Cue, readings, found) -> list[int]:
    """The cue's sentence and the one after it when that one names no work of its own: it
    elaborates ("A broadcast goes out to two million devices, kicked off with Promise.all";
    "We never delete entries")."""
    cue_sentences = {r.clause.sentence for r in readings if r.cues}
    nxt = cue.clause.sentence + 1
    return [cue.clause.sentence] + ([nxt] if nxt in found and nxt not in cue_sentences else [])


def _sentence_of(a: Amount, readings) -> int | None:
    for r in readings:
        if r.clause.start <= a.start < r.clause.end + 1:
            return r.clause.sentence
    return None


def _relevant_amounts(cue: Cue, sized: list[Amount]) -> list[Amount]:
    """The amounts that size this work: its own object first, in the dimension it scales with.

    Parsing scales with bytes ("2,000 posts, around 15 MB" is 15 MB to stringify); sorting,
    regexes and templates with the number of items.
    """
    counted = ("sort-aggregate", "regex", "template")
    primary = "count" if cue.category in counted and cue.basis != "size-js" else "bytes"
    obj = _object_amounts(cue, sized)
    for group in (
        [a for a in obj if a.measure == primary],
        [a for a in sized if a.measure == primary],
        obj,
        sized,
    ):
        if group:
            return group
    return []


def _object_amounts(cue: Cue, sized: list[Amount]) -> list[Amount]:
    """Amounts inside the work's own object ("sorts the 50 most recent messages")."""
    c = cue.clause
    rest = c.text[cue.end - c.start :]
    stop = _OBJECT_STOP.search(rest, 1)
    end = cue.end + (stop.start() if stop else min(len(rest), 50))
    return [a for a in sized if cue.end <= a.start < end]


def _item(text: str, cue: Cue, readings, found, pool_sized: bool) -> WorkItem:
    sentence = sentence_text(readings, cue.clause.sentence)
    around = " ".join(
        sentence_text(readings, n)
        for n in (cue.clause.sentence - 1, cue.clause.sentence, cue.clause.sentence + 1)
    )
    rates = [
        a
        for n in (cue.clause.sentence - 1, cue.clause.sentence, cue.clause.sentence + 1)
        for a in found.get(n, [])
        if a.measure == "rate"
    ]
    # With no place named, pool work counts as the service's own only when the sentence itself
    # says how many run at once and names it as Node code ("zlib.gzip ... all 20,000 at once"),
    # not "argon2id or bcrypt make each of billions of guesses a second expensive".
    own = _told(cue, readings, found)
    told = " ".join(sentence_text(readings, n) for n in own)
    many_here = (
        bool(_CONCURRENT.search(told))
        or any(a.value >= 100 for n in own for a in found.get(n, []) if a.measure == "rate")
    ) and bool(_NODE_CODE.search(text[cue.start : cue.end]) or _NODE_HINT.search(sentence))
    many = bool(_CONCURRENT.search(told)) or any(a.value >= 100 for a in rates)
    if cue.category == "fs" and cue.mechanism == "pool" and _PER_REQUEST.search(sentence):
        many = True  # a file read on every request is as many pool jobs as there are requests
    place = cue.place
    mechanism = cue.mechanism
    if cue.category == "memory" and place == "startup":
        place = "main-thread"  # loaded once, held in the heap for the life of the process
    if mechanism == "sync" and place == "unspecified":
        place = "main-thread"
    elif mechanism == "pool" and place in HARMFUL and (place != "unspecified" or many_here):
        place = "libuv-pool"
    elif mechanism == "child" and place in HARMFUL:
        place = "child-process"
    bounded = False
    if place == "libuv-pool":
        bounded = pool_sized
    elif place == "child-process":
        bounded = _affirmed(_CHILD_BOUNDED, around)
    elif cue.category == "memory":
        bounded = _mem_bounded(sentence) and not _MEM_UNBOUNDED.search(sentence)
    start = cue.extend_from if cue.extend_from is not None else cue.clause.start
    if cue.clause.end - start > 260:
        start = cue.clause.start
    return WorkItem(
        quote=text[start : cue.clause.end].strip(),
        span=(start, cue.clause.end),
        category=cue.category,  # type: ignore[arg-type]
        cost=_cost(cue, readings, found),  # type: ignore[arg-type]
        place=place,  # type: ignore[arg-type]
        stance=cue.stance,  # type: ignore[arg-type]
        cue=text[cue.start : cue.end],
        mechanism=mechanism,  # type: ignore[arg-type]
        sentence=cue.clause.sentence,
        many_at_once=many,
        bounded=bounded,
    )
