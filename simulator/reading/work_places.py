"""Where each piece of work in a message runs: the clause reading behind `read_work`.

A clause names work ("resizes the photo") and sometimes a place ("in the handler", "a separate
worker fleet", "at boot"). A clause that names no place takes one from its neighbours: the
clause before it in the sentence, a later "..., right inside the refund handler", the sentence
before when this one refers back ("That happens in a worker pool"), or an earlier mention of
the same work. Pure: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from simulator.reading import work_vocab as V
from simulator.reading.anchors import AnchorSet, anchors
from simulator.reading.work_clauses import Clause

HARMFUL = V.HARMFUL_PLACES
# Categories specific enough that a later bare mention ("the transcode") is the same work.
_SPECIFIC = ("image", "video", "pdf", "browser", "ml", "dns")


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


CUES = [(cat, mech, basis, rx(p)) for cat, mech, basis, p in V.WORK_CUES]
_PLACES = [(place, rx(p)) for place, p in V.PLACES]
_CUE_ANCHORS = [None if (a := anchors(c[3])) is None else frozenset(a) for c in CUES]
_PLACE_ANCHORS = [None if (a := anchors(p)) is None else frozenset(a) for _, p in _PLACES]
_ANCHOR_SET = AnchorSet(a for found in _CUE_ANCHORS + _PLACE_ANCHORS for a in found or ())


@dataclass(frozen=True)
class Live:
    """The work cues and places that can occur in one message (by their literal anchors).

    A clause is a slice of its message, so a pattern whose anchors are all absent from the
    message cannot match any of its clauses: each clause then tries only the live ones.
    """

    cues: tuple[tuple[int, tuple[str, str, str, re.Pattern[str]]], ...]
    places: tuple[tuple[str, re.Pattern[str]], ...]
    # the anchors of each live cue and place, so a clause can narrow them again
    cue_anchors: tuple[frozenset[str] | None, ...] = ()
    place_anchors: tuple[frozenset[str] | None, ...] = ()
    # every anchor of a live pattern that occurs in the message
    occurring: tuple[str, ...] = ()

    def within(self, clause_text: str) -> Live:
        """The live patterns that can occur in one clause of the message: a message names
        dozens of cues, a clause one or two, and each pattern tried costs a regex run."""
        fold = clause_text.casefold()
        here = frozenset(a for a in self.occurring if a in fold)
        return Live(
            cues=tuple(c for c, found in zip(self.cues, self.cue_anchors)
                       if found is None or not here.isdisjoint(found)),
            places=tuple(p for p, found in zip(self.places, self.place_anchors)
                         if found is None or not here.isdisjoint(found)),
        )


def live_in(text: str) -> Live:
    fold = text.casefold()
    occurring = _ANCHOR_SET.present(fold)
    cues = [(rank, cue, found) for rank, (cue, found) in enumerate(zip(CUES, _CUE_ANCHORS))
            if found is None or not occurring.isdisjoint(found)]
    places = [(p, found) for p, found in zip(_PLACES, _PLACE_ANCHORS)
              if found is None or not occurring.isdisjoint(found)]
    return Live(
        cues=tuple((rank, cue) for rank, cue, _ in cues),
        places=tuple(p for p, _ in places),
        cue_anchors=tuple(found for _, _, found in cues),
        place_anchors=tuple(found for _, found in places),
        occurring=tuple(occurring),
    )


_QUEUE, _PUBLISH = rx(V.QUEUE_WORDS), rx(V.PUBLISH_VERBS)
_PLACE_NEGATOR = rx(V.PLACE_NEGATORS)
_JOB_AFTER = rx(V.JOB_AFTER)
_ADJ_BEFORE = rx(r"\b(?:the|a|an|our|its|their|each|every|all|per|\d+)\s+$")
ANAPHOR_START, _ANAPHOR_OBJECT = rx(V.ANAPHOR_START), rx(V.ANAPHOR_OBJECT)
_FIX, _HAZARD = rx(V.FIX), rx(V.HAZARD)
_CARRY_START = rx(
    r"^\s*(?:then|there|for each (?:job|message|task|event|one)|each (?:job|"
    r"message|task|event))\b"
)
# A move that is only a plan for later ("we can split it out later if it gets slow").
_DEFERRED = rx(
    r"\b(?:if|later|eventually|someday|down the road|when (?:needed|it|we)|can|"
    r"could|might|may)\b"
)
_TRANSFER = rx(V.TRANSFER)
_PLACING = rx(V.PLACING_PREDICATE)
_LABEL_NOUN = rx(
    r"^\s+(?:map|set|cache|table|index|list|array|key|service|job|step|logic|"
    r"stage|pipeline|filter)s?\b"
)
# "the parse queue", "compression level", "the resize service": a name for a thing, not the act.
_NAME_NOUN = rx(
    r"^\s+(?:queues?|backlogs?|cpu|services?|fleets?|tiers?|clusters?|pools?|workers?|farms?|"
    r"teams?|library|libraries|lib|modules?|settings?|config\w*|options?|params?|parameters?|"
    r"flags?|formats?|ratios?|levels?|quality|stats?|metrics?)\b"
)
# Hash names as fields ("images(id, owner_id, sha256, ...)", "size, type and checksum").
_HASH_NAME = rx(r"^(?:sha-?(?:1|256|512)|md5|crc32|xxhash|checksums?|hmacs?)$")
_HASH_VERB = rx(
    r"\b(?:comput\w*|calculat\w*|generat\w*|hash\w*|verif\w*|check\w*|runs?|running|does|do|"
    r"doing|tak\w*|sign\w*|creat\w*|produc\w*|deriv\w*|recomput\w*|us(?:e|es|ing))\b"
)
_HASH_OBJECT = rx(r"^\s*(?:\(|of|over|on|for each|for every|per|across)\b")
# "kicks off a separate job": a phrasal verb, not a denied place.
_PHRASAL_OFF = rx(
    r"\b(?:kick\w*|fir(?:e|es|ed|ing)|spin\w*|spun|hand\w*|send\w*|sent|ship\w*|set\w*|start\w*|"
    r"split\w*|push\w*|pass\w*|farm\w*|offload\w*) off\s+(?:\w+\s+){0,3}$"
)
# A place after the work introduced as its location ("resizes the image in a separate pool").
_LOCATIVE = rx(r"^(?:in|on|into|onto|to|via|inside|within|by|through|under|across)\b")
_LOCATIVE_BEFORE = rx(
    r"\b(?:in|on|into|onto|to|via|inside|within|by|through|under|across)\s+"
    r"(?:(?:the|a|an|our|its|their|one|some)\s+)?(?:[\w-]+\s+){0,2}$"
)
_VIDEO_CONTEXT = rx(
    r"\b(?:video\w*|mp4|clips?|ffmpeg|h\.?26[45]|codecs?|renditions?|transcod\w*|hls|dash|"
    r"movie\w*|footage|fps|keyframes?|gop|encod\w*|decod\w*)\b"
)
_SYNC_WORD = rx(r"\bsynchronous(?:ly)?\b|\bsync\b")
# A datastore command names work the database does ("SET dedup:{key} NX EX 86400", "ZADD").
# Case matters: "SET" is a command, "set" is a word.
_DB_COMMAND = re.compile(
    r"\b(?:SET|SETNX|GETSET|GETDEL|INCR|INCRBY|DECR|DECRBY|ZADD|ZRANGE|ZREVRANGE|ZRANGEBYSCORE|"
    r"ZINCRBY|ZREM|ZCARD|HSET|HGET|HINCRBY|HGETALL|HMGET|MGET|MSET|EXPIRE|PEXPIRE|EVAL|EVALSHA|"
    r"SADD|SISMEMBER|SMEMBERS|PFADD|PFCOUNT|LPUSH|RPUSH|LTRIM|XADD|XREADGROUP|BF\.ADD|BF\.EXISTS|"
    r"INSERT|UPSERT|SELECT)\b(?=\s+[\w:{(`'\"*])|\bON CONFLICT\b|\bNX\b|\bEX \d"
)
# Off-path hosts: where a child process or a library runs when the sentence names one.
_HOSTS = (
    "separate-service",
    "queue-consumer",
    "serverless",
    "batch",
    "managed-service",
    "background",
    "worker-threads",
    "client",
    "database",
)
# "rank by what hits first", "ranking the risks": an ordering of ideas, not of data.
_META_ORDER = rx(
    r"^\s+(?:by|in order of|on)\s+(?:what|how|which|impact|severity|likelihood|priority|risk|"
    r"urgency|importance|order|blast radius)\b|^\s+(?:of\s+)?(?:the\s+|these\s+|them\s+)?"
    r"(?:bottlenecks|risks|priorities|options|concerns|problems|trade-?offs|approaches|choices)\b"
)
# Dedupe by a key or an id is one lookup ("client_msg_id dedupe", "dedupe by hash").
_KEYED = rx(
    r"_id\b|\bids?\b|\bkeys?\b|\{key\}|idempoten\w*|\bunique\b|\bNX\b|conditional|constraint|"
    r"bloom|\bhash\w*|\bseq\w*|\bsequence\b|\bset\b"
)
# "20 TB a month compressed", "compressed around 5x": the data's state, not the act.
_STATE_AFTER = rx(r"^\s*(?:\(|around|about|roughly|~|at\s+[~$\d]|\d|size|that's|by\s+\d|ratio)")
_RATIO_AFTER = rx(
    r"^\s*(?:(?:it|them|that|this|the data|about|around|roughly|~)\s+)*(?:\d+(?:\.\d+)?\s*(?::\s*\d+|x\b)|"
    r"by (?:about |around |roughly |~)?\d)"
)
_SIZE_BEFORE = rx(r"(?:[kmgtp]i?b|bytes?|%)(?:/\w+)?\s*(?:\w+\s+)?$")
_DATASTORE = rx(
    r"\b(?:redis|memcached?|keydb|dragonfly|aerospike|hazelcast|valkey|postgres\w*|mysql|"
    r"cassandra|dynamo\w*|database|db)\b"
)
_DENIED = rx(r"\b(?:instead of|rather than|not|no|without|than)\s+(?:\w+\s+)?$")
_NODE_HEAP = rx(
    r"\b(?:node|v8|heap|process|gateway|server's|javascript|js|map|set|array|object|instance)\b"
)
_ML_CONTEXT = rx(
    r"\b(?:model|ml|classifier|neural|nsfw|moderation|embedding|ranker|"
    r"inference|tensorflow|onnx)\w*\b"
)


class PriorItem(Protocol):
    """What `carry_known_places` needs from a `WorkItem` of an earlier turn."""

    category: str
    cue: str
    place: str
    stance: str
    cost: str
    mechanism: str


@dataclass
class Cue:
    """One mention of work in a clause, refined as the neighbours are read."""

    clause: Clause
    category: str
    mechanism: str
    basis: str
    start: int  # offset in the message
    end: int
    rank: int  # row in the vocabulary: lower is more specific
    place: str = "unspecified"
    own_place: bool = False
    stance: str = "proposes"
    extend_from: int | None = None


@dataclass
class ClauseReading:
    """A clause's places and work; ``exit_place`` is the place a following clause inherits."""

    clause: Clause
    places: list[tuple[int, str]] = field(default_factory=list)  # (offset, place)
    cues: list[Cue] = field(default_factory=list)
    exit_place: str = "unspecified"
    exit_from: int | None = None


# -- one clause ---------------------------------------------------------------------------------


def read_clause(clause: Clause, sentence: str, live: Live | None = None) -> ClauseReading:
    """The places and the work named in one clause; ``sentence`` is its whole sentence.
    ``live`` (from `live_in` on the whole message) skips patterns that cannot match."""
    r = ClauseReading(clause)
    t = clause.text
    live = live_in(t) if live is None else live.within(t)
    taken: list[tuple[int, int]] = []
    for place, pattern in live.places:
        for m in pattern.finditer(t):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            negated = bool(_PLACE_NEGATOR.search(t[: m.start()])) and not _PHRASAL_OFF.search(
                t[: m.start()]
            )
            if negated:
                if place in HARMFUL:
                    r.places.append((clause.start + m.start(), "off-path"))
                continue
            r.places.append((clause.start + m.start(), place))
    for m in _DB_COMMAND.finditer(t):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            taken.append((m.start(), m.end()))
            r.places.append((clause.start + m.start(), "database"))
    publish = _PUBLISH.search(t)
    queues = list(_QUEUE.finditer(t))
    if queues and not publish:
        r.places.extend((clause.start + q.start(), "queue-consumer") for q in queues)
    r.places.sort()
    used: list[tuple[int, int]] = []
    for rank, (category, mechanism, basis, pattern) in live.cues:
        for m in pattern.finditer(t):
            if any(a < m.end() and m.start() < b for a, b in used):
                continue
            if _not_work(t, m, category, sentence):
                continue
            used.append((m.start(), m.end()))
            cue = Cue(
                clause,
                category,
                mechanism,
                basis,
                clause.start + m.start(),
                clause.start + m.end(),
                rank,
            )
            if (
                publish
                and queues
                and publish.start() < m.start()
                and (any(q.start() > m.end() for q in queues) or _JOB_AFTER.match(t[m.end() :]))
            ):
                cue.place, cue.own_place = "queue-consumer", True  # "enqueues a resize job"
            r.cues.append(cue)
    r.cues.sort(key=lambda c: c.start)
    startup = any(p == "startup" for _, p in r.places)
    for cue in r.cues:
        # "(10M sockets, ~200 gateway processes)": an aside places only the work inside it.
        places = _same_aside(r.places, cue.start, clause)
        if not cue.own_place and places:
            # "At boot each process reads the rules": when it runs outranks who runs it.
            place = "startup" if startup else nearest_place(places, cue.start)
            # "The handler resizes the image in a separate worker pool": where, not who.
            located = [
                p
                for at, p in places
                if at > cue.end and p in _HOSTS and _locative(t, at - clause.start)
            ]
            if place in HARMFUL and located and not startup:
                place = located[0]
            cue.place, cue.own_place = place, True
    if any(c.mechanism == "child" for c in r.cues):
        for cue in r.cues:
            if cue.mechanism == "cpu":
                cue.mechanism = "child"  # "execs a binary to take the screenshot"
    if _SYNC_WORD.search(t):
        for cue in r.cues:
            if cue.mechanism in ("js", "cpu", "pool") and cue.category != "memory":
                cue.mechanism = "sync"
    outside = _same_aside(r.places, clause.end, clause)
    if outside:
        r.exit_place, r.exit_from = outside[-1][1], clause.start
    return r


def _locative(t: str, at: int) -> bool:
    return bool(_LOCATIVE.match(t[at:]) or _LOCATIVE_BEFORE.search(t[:at]))


def _asides(clause: Clause) -> list[tuple[int, int]]:
    """Spans (message offsets) of the parenthesised asides in a clause."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(clause.text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((clause.start + start, clause.start + i + 1))
    if depth:
        spans.append((clause.start + start, clause.end))
    return spans


def _same_aside(places: list[tuple[int, str]], at: int, clause: Clause) -> list[tuple[int, str]]:
    """The places in the same aside as offset ``at`` (or outside every aside with it)."""
    spans = _asides(clause)
    if not spans:
        return places

    def aside(x: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in spans if a <= x < b), None)

    mine = aside(at)
    return [p for p in places if aside(p[0]) == mine]


def _not_work(t: str, m: re.Match[str], category: str, sentence: str) -> bool:
    word = m.group(0)
    after = t[m.end() :]
    if category == "ml" and not _ML_CONTEXT.search(sentence):
        return True
    if (
        category == "video"
        and re.search(r"frame", word, re.IGNORECASE)
        and not _VIDEO_CONTEXT.search(sentence.replace(word, " "))
    ):
        return True  # "parses each frame" on a WebSocket gateway
    if category == "crypto" and re.match(r"\s+(?:at rest|in transit)\b", after, re.IGNORECASE):
        return True  # "encrypted at rest": a property of storage, not work done here
    if category == "sort-aggregate" and re.search(
        r"bloom\s*$|profanity\s*$", t[: m.start()], re.IGNORECASE
    ):
        return True
    if (
        category == "hash"
        and _HASH_NAME.match(word)
        and not _HASH_VERB.search(t[: m.start()])
        and not _HASH_OBJECT.match(after)
    ):
        return True  # a column or a field named for a hash, not hashing
    if " " not in word and _NAME_NOUN.match(after) and not _JOB_AFTER.match(after):
        return True
    if category == "sort-aggregate" and _LABEL_NOUN.match(after):
        return True  # "the dedupe map": a name for a structure, not the act
    if category == "sort-aggregate" and _META_ORDER.match(after):
        return True  # "ranking by what hits first": an order of topics
    if category == "sort-aggregate" and re.match(r"de-?dup", word, re.IGNORECASE):
        window = t[max(0, m.start() - 30) : m.end() + 40]
        if _KEYED.search(window) or _DB_COMMAND.search(window):
            return True  # "client_msg_id dedupe", "dedupe with SET ... NX": a keyed lookup
    if (
        category == "compression"
        and word.lower().endswith("ed")
        and (_STATE_AFTER.match(after) or _SIZE_BEFORE.search(t[: m.start()]))
    ):
        return True  # "20 TB a month compressed", "compressed around 5x"
    if category == "compression" and _RATIO_AFTER.match(after):
        return True  # "compress 4:1 to 25 TB": storage arithmetic
    if category == "memory":
        # "Redis ... everything is in memory": the datastore's memory, not the Node heap.
        at = sentence.find(t)
        lead_in = (sentence[:at] if at >= 0 else "") + " " + t[: m.start()]
        store = [
            x for x in _DATASTORE.finditer(lead_in) if not _DENIED.search(lead_in[: x.start()])
        ]
        if store and not _NODE_HEAP.search(lead_in[store[-1].end() :] + " " + word):
            return True
    # "the resized images", "a decoded 12-megapixel image": a product, not an act
    first = word.split()[0].lower()
    if not (first.endswith("ed") and _ADJ_BEFORE.search(t[: m.start()])):
        return False
    return (
        len(word.split()) > 1
        or bool(re.match(r"\s+\w+s\b", after))
        or bool(re.match(r"\s+(?!by|in|with|on|at|using|into|to|for|from|via)[\w-]+\b", after))
    )


def nearest_place(places: list[tuple[int, str]], at: int) -> str:
    before = [p for p in places if p[0] <= at]
    if before:
        return before[-1][1]
    return min(places, key=lambda p: p[0] - at)[1]


def one_per_category(cues: list[Cue]) -> list[Cue]:
    """The most specific cue of each category in a clause ("scryptSync" over "derives a key")."""
    best: dict[str, Cue] = {}
    for cue in cues:
        if cue.category not in best or cue.rank < best[cue.category].rank:
            best[cue.category] = cue
    return sorted(best.values(), key=lambda c: c.start)


# -- places across clauses and sentences --------------------------------------------------------


def inherit_places(readings: list[ClauseReading]) -> None:
    """A clause that names no place runs where the clause before it does.

    Within a sentence that is always so ("the route receives the file, resizes it and returns");
    across sentences only when the new sentence refers back ("It runs sharp", "There, ...").
    """
    previous: ClauseReading | None = None
    for r in readings:
        inherited, origin = "unspecified", None
        if previous is not None:
            same_sentence = previous.clause.sentence == r.clause.sentence
            refers_back = ANAPHOR_START.match(r.clause.text) or _CARRY_START.match(r.clause.text)
            if same_sentence or refers_back:
                inherited, origin = previous.exit_place, previous.exit_from
        for cue in r.cues:
            if not cue.own_place:
                cue.place = inherited
                if (
                    previous is not None
                    and previous.clause.sentence == r.clause.sentence
                    and origin == previous.clause.start
                    and inherited in HARMFUL
                ):
                    cue.extend_from = origin  # quote "the route receives the file, resizes it"
        if not r.places:
            r.exit_place, r.exit_from = inherited, origin
        previous = r


def fill_forward(readings: list[ClauseReading]) -> None:
    """Work with no place yet takes one named later in the same sentence.

    "..., which is a few million rows, right inside the refund handler" fills a request path
    forward; any place is filled forward only through a list of work ending in a placing
    predicate ("thumbnailing, EXIF stripping and conversion all happen in the media workers").
    Otherwise a later "and a worker uploads it" would clear earlier work.
    """
    for i, r in enumerate(readings):
        for cue in r.cues:
            if cue.place != "unspecified" or r.places:
                continue
            for nxt in readings[i + 1 :]:
                if nxt.clause.sentence != r.clause.sentence:
                    break
                if (
                    nxt.places
                    and _PLACING.search(nxt.clause.text)
                    and (nxt.clause.lead in ("", ",", "and", "or", ":"))
                ):
                    cue.place = nearest_place(nxt.places, nxt.clause.end)
                    break
                if nxt.cues:
                    # list items ("decoding, resizing and ...") are passed over
                    if not _PLACING.search(nxt.clause.text) and len(nxt.clause.text.split()) > 3:
                        break
                    continue
                harmful = [p for _, p in nxt.places if p in HARMFUL]
                if harmful:
                    cue.place = harmful[0]
                    break


def follow_transfers(readings: list[ClauseReading]) -> None:
    """ "hands cheerio and link extraction to a worker_threads pool": the work runs there.

    A verb of handing over before the work sends it to the first harmless place named after it
    in the same sentence, even when the object list was split into clauses at "and".
    """
    for i, r in enumerate(readings):
        for cue in r.cues:
            before = r.clause.text[: cue.start - r.clause.start]
            if not _TRANSFER.search(before):
                continue
            later = [(at, p) for at, p in r.places if at > cue.start]
            for nxt in readings[i + 1 :]:
                if nxt.clause.sentence != r.clause.sentence:
                    break
                later.extend(nxt.places)
            for _, place in later:
                if place not in HARMFUL:
                    cue.place, cue.own_place = place, True
                    break


_THERE = rx(r"\bthere\b(?!\s*(?:is|are|was|were|'s|will|would|might|may|could|should|has|have)\b)")


def host_child_processes(readings: list[ClauseReading]) -> None:
    """ "Encoders are a separate spot fleet; Node there just spawns ffmpeg as a child process":
    a child process runs on the host the sentence names, not necessarily beside the API."""
    for i, r in enumerate(readings):
        for cue in r.cues:
            if cue.place != "child-process":
                continue
            host = next((p for _, p in r.places if p in _HOSTS), None)
            for prev in reversed(readings[:i]):
                if host is not None:
                    break
                same = prev.clause.sentence == r.clause.sentence
                if not same and not (
                    _THERE.search(r.clause.text) and prev.clause.sentence == r.clause.sentence - 1
                ):
                    break
                host = next((p for _, p in reversed(prev.places) if p in _HOSTS), None)
            if host is not None:
                cue.place = host


def adopt_named_mechanism(readings: list[ClauseReading]) -> None:
    """A bare "resizes" after "calls sharp" is sharp's work: it runs where sharp runs."""
    named: dict[str, str] = {}
    for r in readings:
        for cue in r.cues:
            if cue.mechanism != "cpu":
                named.setdefault(cue.category, cue.mechanism)
    for r in readings:
        for cue in r.cues:
            if cue.mechanism == "cpu" and cue.category in named:
                cue.mechanism = named[cue.category]


def link_sentences(readings: list[ClauseReading]) -> None:
    """Later words that re-place or judge work named earlier.

    "The upload route resizes the image. That happens in a worker pool." and "..., but I'd
    move that onto a queue" re-place the earlier work; "That stalls every socket" turns it into
    a diagnosis.
    """
    for i, r in enumerate(readings):
        if r.cues or i == 0:
            continue
        t = r.clause.text
        starts_back = bool(ANAPHOR_START.match(t))
        fix = bool(_FIX.search(t)) and bool(_ANAPHOR_OBJECT.search(t)) and not _DEFERRED.search(t)
        if not (starts_back or fix):
            continue
        target = _previous_with_cues(readings, i)
        if target is None:
            continue
        off_places = [p for _, p in r.places if p not in HARMFUL]
        hazard = bool(_HAZARD.search(t))
        for cue in target.cues:
            if hazard and starts_back and cue.stance == "proposes":
                cue.stance = "diagnoses"
            elif off_places and (starts_back or fix):
                cue.place = off_places[0]
                if fix and cue.stance == "proposes":
                    cue.stance = "fixes"


def _previous_with_cues(readings: list[ClauseReading], i: int) -> ClauseReading | None:
    sentence = readings[i].clause.sentence
    for j in range(i - 1, -1, -1):
        if readings[j].clause.sentence < sentence - 1:
            return None
        if readings[j].cues:
            return readings[j]
    return None


def carry_known_places(readings: list[ClauseReading], prior: Iterable[PriorItem]) -> None:
    """Work placed in an earlier turn keeps that place when named again bare.

    Work moved off the request path stays off it ("transcoding moved to a queue", then "the
    transcode takes 2x realtime"); specific work proposed in the handler stays there ("In the
    same handler we resize with Jimp", then "Jimp returns a promise"). What this turn says
    outranks an earlier turn. A bare "parsing" after "parse it with cheerio" is the same heavy
    work.
    """
    earlier: dict[str, str] = {}
    heavy: set[str] = set()
    for item in prior:
        if item.stance not in ("proposes", "fixes"):
            continue
        if item.cost == "heavy-by-nature":
            heavy.add(item.category)
        off_path = item.place not in HARMFUL and item.place not in _MECHANISM_PLACES
        in_handler = (
            item.stance == "proposes"
            and item.category in _SPECIFIC
            and item.place in ("request-path", "main-thread")
            and item.mechanism != "sync"
        )
        if off_path or in_handler:
            earlier[_key(item.category, item.cue)] = item.place
    cues = [c for r in readings for c in r.cues]
    now: dict[str, str] = {}
    for cue in cues:
        if cue.stance in ("proposes", "fixes") and cue.basis == "nature":
            heavy.add(cue.category)
        if (
            cue.place not in HARMFUL
            and cue.place not in _MECHANISM_PLACES
            and cue.stance in ("proposes", "fixes")
        ):
            now.setdefault(_key(cue.category, _cue_text(cue)), cue.place)
    for cue in cues:
        if cue.category in heavy and cue.basis == "size" and _BARE_VERB.match(_cue_text(cue)):
            cue.basis = "nature"  # "parse it with cheerio" ... "Parsing happens in the callback"
        if cue.place == "unspecified" and not cue.own_place:
            key = _key(cue.category, _cue_text(cue))
            place = now.get(key) or earlier.get(key)
            if place:
                cue.place = place


# Places that name how work runs, not which host runs it.
_MECHANISM_PLACES = ("libuv-pool", "child-process")
# A bare verb for work whose cost a named library elsewhere in the interview settles.
_BARE_VERB = rx(r"^(?:pars\w*|render\w*)$")


def _key(category: str, cue: str) -> str:
    if category in _SPECIFIC:
        return category
    return category + ":" + re.sub(r"[^a-z]", "", cue.lower())[:5]


def _cue_text(cue: Cue) -> str:
    c = cue.clause
    return c.text[cue.start - c.start : cue.end - c.start]


def sentence_text(readings: list[ClauseReading], s: int) -> str:
    return " ".join(r.clause.text for r in readings if r.clause.sentence == s)
