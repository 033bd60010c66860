"""Estimate checker: read the numbers in a candidate's estimate and catch arithmetic slips.

The interviewer should question a back-of-the-envelope estimate only when it does not follow
from the candidate's *own* assumptions, and never because the candidate picked different
assumptions from ours or rounded hard. So the checker recomputes each stated figure from
the numbers stated before it and raises a :class:`Slip` only when the two differ by more
than :data:`TOLERANCE` (3x either way). It favours precision: a chain it cannot read is
skipped, and a figure is flagged only when *every* plausible reading of the candidate's
numbers disagrees with it.

Two readers share the :class:`Quantity` list from :func:`extract_quantities`:

* **arithmetic** - written-out sums such as ``10M x 10 / 86,400 = 1,157`` or
  ``100M writes/day x 1 KB = 100 GB/day``: the left side is evaluated and compared with the
  stated result (with an implied ``/ 86,400`` or ``x 365`` when the units say so);
* **chain** - prose such as ``10M DAU, each doing 10 requests a day, that's 100M
  requests/day, so about 1,200 QPS``: a figure introduced by "so", "that's", "=", "which
  is"... is recomputed from earlier figures (users x per-user rate, per-day / 86,400 s,
  average x peak factor, per-day bytes x 365, ...).

Values are normalised: sizes in bytes (decimal, 1 KB = 1,000 B), event rates per second
(``qps``) or per day (``per_day``), storage rates per second, day or year, durations in
seconds, percentages as fractions.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from simulator.capacity import (
    SECONDS_PER_DAY,
    TrafficAssumptions,
    TrafficEstimate,
    human_bytes,
    human_count,
    traffic,
)

__all__ = [
    "TOLERANCE",
    "CheckResult",
    "Quantity",
    "ReferenceCheck",
    "ReferenceComparison",
    "Slip",
    "check",
    "check_against_reference",
    "extract_quantities",
]

#: A stated figure is a slip when it is more than this factor away from the recomputed one.
TOLERANCE = 3.0
_WINDOW_CHARS = 2_000  # how far back (and ahead, for factors) a chain may reach

Kind = Literal[
    "count",
    "users",
    "connections",
    "per_user_per_day",
    "per_day",
    "qps",
    "bytes",
    "bytes_per_second",
    "bytes_per_day",
    "bytes_per_year",
    "seconds",
    "ratio",
    "percent",
]


class Quantity(BaseModel):
    """One number a candidate stated, with its unit normalised.

    ``value`` is normalised (see the module docstring); ``number`` is the figure as written
    with its K/M/B scale but no unit conversion (``5 years`` -> 5, ``1 KB`` -> 1), because
    candidates multiply "x 5 years" or "1,000 / 5 ms" in the units they wrote.
    """

    model_config = ConfigDict(frozen=True)

    value: float
    kind: Kind
    raw: str
    start: int
    end: int
    number: float
    unit: str = ""
    subject: Literal["read", "write"] | None = None
    noun: str | None = None
    peak: bool = False
    low: float | None = None
    high: float | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class Slip(BaseModel):
    """A stated figure that does not follow from the candidate's own numbers."""

    model_config = ConfigDict(frozen=True)

    message: str
    stated: float
    recomputed: float
    ratio: float  # stated / recomputed; a slip is > TOLERANCE or < 1 / TOLERANCE
    span: tuple[int, int]
    stated_text: str
    working: str  # the candidate's numbers the figure was recomputed from
    source: Literal["arithmetic", "chain"]


class CheckResult(BaseModel):
    quantities: list[Quantity]
    slips: list[Slip]


class ReferenceComparison(BaseModel):
    """One candidate figure next to the problem's reference figure of the same kind."""

    figure: str  # TrafficEstimate field name
    stated: float
    reference: float
    ratio: float  # stated / reference
    within_tolerance: bool
    span: tuple[int, int]
    stated_text: str
    message: str


class ReferenceCheck(BaseModel):
    comparisons: list[ReferenceComparison]

    @property
    def far_off(self) -> list[ReferenceComparison]:
        return [c for c in self.comparisons if not c.within_tolerance]


# -- lexicon ---------------------------------------------------------------------------

_I = re.IGNORECASE
_SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12,
}
_WORD_VALUES = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100, "hundred": 100,
}
_BYTE_PREFIX = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15, "e": 1e18}
_BYTE_WORD = {"kilo": "k", "mega": "m", "giga": "g", "tera": "t", "peta": "p", "exa": "e"}
_TIME_S = {"ms": 1e-3, "µs": 1e-6, "s": 1, "min": 60, "h": 3600, "d": 86400,
           "week": 7 * 86400, "month": 30 * 86400, "year": 365 * 86400}
_TIME_ALIASES = {
    "msec": "ms", "millis": "ms", "millisecond": "ms", "milliseconds": "ms", "us": "µs",
    "microsecond": "µs", "microseconds": "µs", "sec": "s", "secs": "s", "second": "s",
    "seconds": "s", "m": "min", "mins": "min", "minute": "min", "minutes": "min", "hr": "h",
    "hrs": "h", "hour": "h", "hours": "h", "day": "d", "days": "d", "weeks": "week",
    "wk": "week", "wks": "week", "mo": "month", "months": "month", "years": "year",
    "yr": "year", "yrs": "year",
}

_ADVERB_S = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400,
             "yearly": 365 * 86400, "annually": 365 * 86400}
_YEAR_S = 365 * 86400
_RATE_KINDS = ("qps", "bytes_per_second")
_DAY_KINDS = ("per_day", "per_user_per_day", "bytes_per_day")

_READ = {"read", "view", "pageview", "visit", "redirect", "lookup", "get", "fetch", "click",
         "download", "search", "impression", "hit", "open", "play", "stream", "watch", "load"}
_WRITE = {"write", "post", "upload", "tweet", "insert", "update", "send", "create", "shorten",
          "order", "payment", "transaction", "txn", "like", "comment", "checkin", "ride",
          "booking"}
_GENERIC = {"request", "req", "call", "query", "querie", "message", "msg", "event",
            "notification", "push", "email", "sms", "url", "link", "photo", "image", "picture",
            "video", "file", "record", "row", "item", "object", "entry", "entrie", "document",
            "doc", "action", "op", "operation", "job", "task", "delivery", "deliverie",
            "session", "login", "interaction", "song", "chunk", "posting", "api call",
            "short link", "short url", "time", "page", "check", "crawl", "packet", "log",
            "metric", "sample", "trace", "decision", "signup", "match", "bid", "ping"}
_USERS = {"user", "dau", "mau", "people", "customer", "subscriber", "shopper", "visitor",
          "viewer", "reader", "account", "player", "rider", "listener", "driver", "student",
          "merchant", "seller", "buyer", "creator", "device", "client"}
_CONNS = {"connection", "socket", "websocket", "conn"}
_COUNTS = {"replica", "copie", "copy", "shard", "server", "machine", "instance", "node",
           "processe", "process", "core", "cpu", "worker", "pod", "boxe", "box", "host",
           "partition", "region", "zone", "az", "datacenter", "character", "char", "digit",
           "bit", "thread", "follower", "friend", "member", "table", "column", "indexe",
           "bucket", "broker", "container", "vm", "gateway", "tier", "layer", "step"}
_QPS_NOUNS = {"qps", "rps", "tps", "iops"}
_STOP = {"of", "the", "and", "or", "to", "in", "on", "for", "with", "from", "at", "by", "per",
         "each", "a", "an", "is", "are", "was", "that", "which", "so", "it", "we", "this",
         "be", "as", "x", "than", "about", "roughly", "around", "into", "over", "under"}
_VERSION_WORDS = {"node", "node.js", "nodejs", "python", "java", "jdk", "http", "tls", "ssl",
                  "ipv", "es", "ecmascript", "postgres", "postgresql", "mysql", "redis",
                  "react", "angular", "vue", "ubuntu", "debian", "windows", "ios", "android",
                  "kafka", "go", "golang", "rust", "php", "ruby", "rails", "django", "chrome",
                  "firefox", "typescript", "version", "v", "release", "port", "rfc", "status",
                  "error", "code", "gen", "generation", "step", "phase", "level", "chapter",
                  "section", "http/", "raid", "top", "p"}

_PER_TIME = re.compile(
    r"\s*(?:/\s*(?P<t1>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wk|"
    r"months?|mo|years?|yrs?|yr)|(?:per|an?|each|every|in\s+an?)\s+(?P<t2>seconds?|secs?|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?))(?![A-Za-z])"
    r"|\s+(?P<adv>hourly|daily|weekly|monthly|yearly|annually|per annum)\b",
    _I,
)
_PER_USER = re.compile(
    r"\s*(?:/\s*|per\s+|an?\s+|for\s+(?:each|every)\s+|each\s+|every\s+)(?:active\s+)?"
    r"(?P<pu>users?|dau|person|head|customers?|clients?|shoppers?|visitors?|viewers?|readers?|"
    r"subscribers?|accounts?)\b|\s+(?:each|apiece)\b",
    _I,
)
_BITS = re.compile(r"\s?(?P<p>[kKmMgGtT])?(?:bps|bits?/s(?:ec)?|bits? per second)(?![A-Za-z])")
_BYTES = re.compile(
    r"\s?(?:(?P<p>[kKmMgGtTpPeE])i?[bB]|(?P<w>kilo|mega|giga|tera|peta|exa)?bytes?|(?P<B>B))"
    r"(?:s)?(?![A-Za-z])",
)
_BIT_SIZE = re.compile(r"\s?(?P<p>kilo|mega|giga|tera)?bits?(?![A-Za-z/])")
_PERCENT = re.compile(r"\s?(?:%|percent\b|per cent\b|pct\b)", _I)
_RATIO = re.compile(
    r"(?:[xX×](?![A-Za-z0-9])(?!\s*[\d.(])|\s?[x×]\s+(?=(?:the\s+)?(?:avg|average|mean|normal|"
    r"baseline|typical|peak|that|this|it|more|higher|bigger|growth|headroom)\b)"
    r"|\s+times\s+(?=(?:the\s+)?(?:avg|average|mean|normal|baseline|typical|peak|that|this|it|"
    r"more|higher|bigger|as)\b)|-?fold\b)",
    _I,
)
_RATE = re.compile(
    r"\s?(?:(?P<q>qps|rps|tps|iops|ops/s(?:ec)?|req/s(?:ec)?|reqs/s(?:ec)?|rq/s)\b"
    r"|(?P<s>/\s?s(?:ec(?:ond)?s?)?|(?:per|an?|each|every)\s+sec(?:ond)?)(?![A-Za-z])"
    r"|(?P<m>/\s?min(?:ute)?|(?:per|an?|each|every)\s+min(?:ute)?)(?![A-Za-z]))",
    _I,
)
_DURATION = re.compile(
    r"(?:\s?|-)(?P<u>ms|msec|millis(?:econds?)?|milliseconds?|µs|microseconds?|seconds?|secs?|"
    r"mins?|minutes?|hrs?|hours?|days?|weeks?|wks?|months?|years?|yrs?)(?![A-Za-z])"
    r"|\s?(?P<a>s|h|d)(?![A-Za-z0-9])|(?P<us>us)(?![A-Za-z0-9])",
)
_USER_UNIT = re.compile(
    r"\s?(?P<u>daily active users|monthly active users|daily users|monthly users|active users|"
    r"dau|mau)\b(?:\s+(?:a|per|each) day\b|\s+daily\b)?",
    _I,
)
_NUM = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<exp>[eE][+-]?\d{1,2}(?![\w]))?"
)
_WORD_NUM = re.compile(
    r"\b(?P<w>a hundred|one hundred|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\s+"
    r"(?P<s>thousand|million|billion|trillion)\b",
    _I,
)
_SCALE = re.compile(r"(?P<sp>\s?)(?P<s>thousand|million|billion|trillion|mil|mn|bn|tn|[kKmMbBT])"
                    r"(?![A-Za-z0-9])")
_ONE_IN = re.compile(
    r"\b(?P<a>one|1|a)\s+(?:in|out of)\s+(?P<b>\d{1,4}|two|three|four|five|six|seven|eight|nine|"
    r"ten|twenty|fifty|a hundred|hundred|a thousand|thousand)\b",
    _I,
)
_SMALL_WORD = re.compile(
    r"\b(?P<w>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|a hundred|hundred)\b(?!\s+(?:thousand|million|billion|trillion|in\b|"
    r"out of\b))",
    _I,
)
_RATIO_PAIR = re.compile(r"(\d{1,4}(?:\.\d+)?):(\d{1,4}(?:\.\d+)?)(?![\d:])")
# Sentence ends, blank lines, and line breaks before a bullet or a "Label:"; a plain line
# break inside a wrapped paragraph is not a clause end.
_CLAUSE_END = re.compile(
    r"[.!?;](?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]\s|[A-Z][\w /-]{0,30}:))"
)
_WORD = re.compile(r"[ \t]*([A-Za-z](?:[\w'-]|\.(?=\w))*)")

_LINK_TAIL = (
    r"(?:\s*(?:about|roughly|around|approx\.?|approximately|~|≈|some|just|only|nearly|almost|"
    r"like|over|under|call it|say|maybe|a bit (?:over|under)|on average|average|avg|at peak|"
    r"peak|we(?:'ll| will)? need|it's|it is|is|are|of|that's|at|to|which is|so|then|"
    r"(?:a )?total of|in total|,))*\s*$"
)
# Words that say "this figure follows from the previous ones", wherever they stand.
_LINK_STRONG = re.compile(
    r"(?:=|≈|≅|~=|=~|->|=>|→|\bso\b|\bthat'?s\b|\bthat is\b|\bwhich is\b|\bwhich gives(?: us)?"
    r"|\bgives(?: us)?|\bgiving(?: us)?|\bwe get\b|\bmeans\b|\bi\.e\.|\bequals\b|"
    r"\bworks out (?:to|at)\b|\bcomes (?:out )?to\b|\btranslates (?:in)?to\b|\bresults in\b|"
    r"\bbecomes\b|\bhence\b|\bthus\b|\btherefore\b|\brounds? (?:up |down )?to\b|"
    r"\bpeak(?:s|ing)? (?:of|at|is|=|around|near|~)|\bat peak\b|\bin total\b|"
    r"\btotal(?:s|ling|ing)?\b)" + _LINK_TAIL,
    _I,
)
# Punctuation and "is" link only when they follow the previous figure directly
# ("2 photos a day: 0.4 uploads per user"); after a label ("Uploads: 100K/day") they
# introduce a new assumption.
_LINK_WEAK = re.compile(
    r"^\s*\)?\s*,?\s*(?:(?:on average|average|avg|at peak|peak|per day|a day|per year|a year|each|"
    r"in total|total|overall|roughly|about|or so|the|our|daily|yearly|annual|"
    # names of figures that are computed, never assumed: "egress is 46 MB/s"
    r"storage|bandwidth|egress|ingress|throughput|traffic|qps|rps|load|disk|space|data|"
    r"concurrency|network)\s*)*(?:,|:|=|\bis\b|\bare\b|\bor\b|\band\b|\bwould be\b|"
    r"\bcomes to\b)"
    + _LINK_TAIL,
    _I,
)
_PEAK_BEFORE = re.compile(r"\b(peak(s|ing|ed)?|busiest|spikes?)\b(?![^.]*\b(avg|average|mean)\b)",
                          _I)
_PEAK_WORD = re.compile(r"\b(peaks?|peaking|burst\w*|spikes?|spiky|busiest|rush|surges?)\b", _I)
_PEAK_AFTER = re.compile(r"^\W*([\w-]+\s+){0,4}?(peak|busiest)\b", _I)
_AVG_AFTER = re.compile(r"^\W*(\w+\s+){0,2}?(on\s+)?(avg|average|mean)\b", _I)
_MACHINES = (r"(?:node(?:\.js)?\s+)?(?:server|instance|process|node|box|machine|host|core|cpu|"
             r"shard|replica|pod|worker|container|partition|broker|thread|db|database|"
             r"connection|socket)e?s?")
_CAP_BEFORE = re.compile(
    r"\b(handles?|handling|can (do|handle|serve|take|sustain|support|push|manage|process)|"
    r"could (do|handle|serve)|supports?|capacity|benchmark\w*|tops? out|limit(ed|s)?|up to|"
    r"max(imum)?|ceiling|saturat\w*|headroom|buffer|design(ed)? for|plan(ned)? for|quotas?|"
    r"rate[- ]limit\w*|throttl\w*|"
    r"provision(ed)?|target(ing)?|budget|rated|sustains?|grow(s|th|ing)?|scale to|"
    r"redis|postgres\w*|mysql|cassandra|kafka|dynamo\w*|mongo\w*|memcached?|"
    rf"(per|each|one|a|single) {_MACHINES})\b",
    _I,
)
_CAP_AFTER = re.compile(
    rf"^\W{{0,3}}(\w+\s+){{0,2}}?(per|each|a|/|on one|on a|for one|for a)\s*{_MACHINES}\b"
    r"|^\s*(of )?(capacity|headroom|max\b)"
    # a rate per something that is not a unit of time is a per-entity limit: "per SMS code"
    r"|^\s*(per|/|for each|each)\s+(?!(?:a |the )?(?:second|sec|s|minute|min|hour|hr|day|week|"
    r"month|year|average|peak)\b)[a-z]",
    _I,
)
_PER_USER_BEFORE = re.compile(
    r"\b(each|every|apiece)\b|\bper (user|person|head|capita|dau|shopper|customer)\b|"
    r"\b(a|an|the|one|average|typical|single|every)\s+(\w+\s+)?(users?|person|customer|client|"
    r"visitor|shopper|reader|viewer|subscriber|dau)\b|\b(users|people|shoppers|customers)\s+"
    r"(each|typically|usually|on average|who)\b",
    _I,
)


@dataclass
class _Item:
    """A quantity plus the context the checks need (kept out of the public model)."""

    q: Quantity
    per_user_marked: bool = False
    capacity: bool = False
    linked: bool = False
    years_context: bool = False
    monthly: bool = False
    peak_factor: bool = False  # a ratio stated as peak / average
    peak_clause: bool = False  # a peak figure in the same sentence as a peak factor


def _time_key(unit: str) -> str:
    unit = unit.lower()
    return _TIME_ALIASES.get(unit, unit)


def _singular(word: str) -> str:
    w = word.lower().rstrip(".,")
    w = w.removesuffix("'s")
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def _noun_class(word: str) -> str | None:
    w = _singular(word)
    for name, pool in (("read", _READ), ("write", _WRITE), ("generic", _GENERIC),
                       ("users", _USERS), ("conns", _CONNS), ("count", _COUNTS),
                       ("qps", _QPS_NOUNS)):
        if w in pool or word.lower() in pool:
            return name
    return None


class _Clauses:
    """Clause boundaries of one text, found once: (start, end) of the clause around a position."""

    def __init__(self, text: str) -> None:
        marks = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(text)]
        self._ends = [a for a, _ in marks] + [len(text)]
        self._starts = [0] + [b for _, b in marks]

    def bounds(self, pos: int) -> tuple[int, int]:
        i = min(bisect.bisect_left(self._ends, pos), len(self._ends) - 1)
        return self._starts[i], self._ends[i]


def _glued_before(text: str, i: int) -> bool:
    """True when the digit at ``i`` belongs to a word, version, port, time or price."""
    if i == 0:
        return False
    c = text[i - 1]
    if c in "xX×":
        return i >= 2 and text[i - 2].isalpha()
    if c.isalnum() or c in "_.^#@$£€:\\":
        return True
    if c == "-" and i >= 2 and (text[i - 2].isalnum() or text[i - 2] in "-–"):
        return True
    if c == "/" and i >= 2 and (text[i - 2].isalpha() or text[i - 3:i] == "24/"):
        return True
    return c == "(" and i >= 2 and text[i - 2].isalpha()  # O(1)


def _parse_number(text: str, m: re.Match[str]) -> tuple[float, int] | None:
    """The value and end of a numeric literal, with scientific notation; None if not a number."""
    if re.match(r"24\s?/\s?7(?!\d)", text[m.start():m.start() + 6]):
        return None  # "24/7" is a phrase, not a division
    value = float(m.group("num").replace(",", ""))
    if m.group("exp"):
        value *= 10 ** int(m.group("exp")[1:])
    end = m.end()
    power = re.compile(r"\s?(?:\^|\*\*)\s?([+-]?\d{1,2})(?!\d)").match(text, end)
    if power:
        if m.group("num") != "10":
            return None  # 62^7 and friends: not a figure this checker can read
        return 10.0 ** int(power.group(1)), power.end()
    sci = re.compile(r"\s?[x×*]\s?10\s?(?:\^|\*\*)\s?([+-]?\d{1,2})(?!\d)").match(text, end)
    if sci:
        return value * 10 ** int(sci.group(1)), sci.end()
    nxt = text[end:end + 2]
    if nxt[:1] in (":", ".") and nxt[1:2].isdigit():
        return None  # 1:1, 10:30, 3.11.2 (ratios are read by _RATIO_PAIR)
    if re.match(r"(st|nd|rd|th)(?![A-Za-z])", text[end:end + 3], _I):
        return None  # 99th
    return value, end


def _scale(text: str, p: int) -> tuple[float, int]:
    """Multiplier word after a number (K, M, B, million...): (factor, end)."""
    m = _SCALE.match(text, p)
    if not m:
        return 1.0, p
    word, spaced = m.group("s"), bool(m.group("sp"))
    if word == "B" and _b_means_bytes(text, m.end(), spaced):
        return 1.0, p
    if spaced and word not in ("thousand", "million", "billion", "trillion", "mil", "mn", "bn",
                               "K", "M", "B"):
        return 1.0, p
    return _SCALES[word.lower()], m.end()


def _b_means_bytes(text: str, after: int, spaced: bool) -> bool:
    tail = text[after:after + 40].lower()
    nxt = _WORD.match(tail)
    if nxt and _noun_class(nxt.group(1)) in ("read", "write", "generic", "users", "conns"):
        return False  # 2B messages
    if re.match(r"\s*(/|per|an?|each)\s*(day|d|month|year|yr|hour|week)\b|\s+(daily|monthly)",
                tail):
        return False  # 2B/day
    if spaced:
        return True  # 300 B
    return bool(re.match(r"\s*(/|per\b|each\b|of (data|storage|metadata|payload|text|overhead))",
                         tail))


def _word_after(text: str, p: int, n: int = 3) -> list[tuple[str, int, int]]:
    words = []
    for _ in range(n):
        m = _WORD.match(text, p)
        if not m:
            break
        words.append((m.group(1), m.start(1), m.end(1)))
        p = m.end()
    return words


def _time_period(m: re.Match[str]) -> float:
    if m.group("adv"):
        return _ADVERB_S[m.group("adv").lower().replace("per annum", "annually")]
    return _TIME_S[_time_key(m.group("t1") or m.group("t2"))]


def _tails(text: str, p: int) -> tuple[int, float | None, bool]:
    """Per-time and per-user markers after a noun: (end, period_s, per_user)."""
    period, per_user = None, False
    for _ in range(3):
        m = _PER_TIME.match(text, p)
        if m and period is None:
            period, p = _time_period(m), m.end()
            continue
        m = _PER_USER.match(text, p)
        if m and not per_user:
            per_user, p = True, m.end()
            continue
        break
    return p, period, per_user


def _units(text: str, p: int, value: float) -> dict[str, Any]:
    """Read the unit after a number at ``p``; returns the Quantity fields it decides."""
    out: dict[str, Any] = {"kind": "count", "value": value, "end": p}
    if m := _BITS.match(text, p):
        factor = _BYTE_PREFIX[(m.group("p") or "").lower()]
        return out | {"kind": "bytes_per_second", "value": value * factor / 8, "end": m.end()}
    if m := _BIT_SIZE.match(text, p):
        factor = _BYTE_PREFIX[_BYTE_WORD.get(m.group("p") or "", "")]
        return out | {"kind": "bytes", "value": value * factor / 8, "end": m.end(), "noun": "bits"}
    m = _BYTES.match(text, p)
    if m and not (m.group("B") and not _b_means_bytes(text, m.end(), m.start() < m.start("B"))):
        prefix = m.group("p") or _BYTE_WORD.get((m.group("w") or "").lower(), "")
        size = value * _BYTE_PREFIX[prefix.lower()]
        end, period, per_user = _tails(text, m.end())
        if period is None:
            nxt = re.match(r"\s*(?:per|/|each|for each|of)\s+(\w+)", text[end:end + 30], _I)
            return out | {"kind": "bytes", "value": size, "end": end,
                          "noun": nxt.group(1).lower() if nxt else None}
        if period <= 60:
            return out | {"kind": "bytes_per_second", "value": size / period, "end": end}
        if period >= _YEAR_S:
            return out | {"kind": "bytes_per_year", "value": size, "end": end}
        return out | {"kind": "bytes_per_day", "value": size * 86400 / period, "end": end,
                      "per_user": per_user}
    if m := _PERCENT.match(text, p):
        return out | {"kind": "percent", "value": value / 100, "end": m.end()}
    if m := _RATIO.match(text, p):
        return out | {"kind": "ratio", "end": m.end()}
    if m := _RATE.match(text, p):
        per_s = 60.0 if m.group("m") else 1.0
        return out | {"kind": "qps", "value": value / per_s, "end": m.end()}
    if m := _USER_UNIT.match(text, p):
        monthly = m.group("u").lower().startswith(("m", "monthly"))
        return out | {"kind": "users", "end": m.end(), "noun": m.group("u"), "monthly": monthly}
    if m := _DURATION.match(text, p):
        key = _time_key(m.group("u") or m.group("a") or m.group("us"))
        per_time = _PER_TIME.match(text, m.end())
        if key in _TIME_S and per_time and value >= 1e4:
            # "300M minutes/day" watched: a daily volume, counted like events
            return out | _rate_fields(value, _time_period(per_time), None, per_time.end()) | {
                "noun": m.group(0).strip("- ")}
        if key in _TIME_S:
            return out | {"kind": "seconds", "value": value * _TIME_S[key], "end": m.end()}
    if noun := _noun_fields(text, p, value):
        return out | noun
    end, period, per_user = _tails(text, p)
    if period is not None or per_user:
        return out | _rate_fields(value, period or 86400.0, None, end, per_user)
    return out


def _rate_fields(value: float, period: float, subject: str | None, end: int,
                 per_user: bool = False) -> dict[str, Any]:
    if period <= 60:
        return {"kind": "qps", "value": value / period, "end": end, "subject": subject}
    return {"kind": "per_user_per_day" if per_user else "per_day",
            "value": value * 86400 / period, "end": end, "subject": subject,
            "per_user": per_user, "monthly": period >= 28 * 86400}


def _noun_fields(text: str, p: int, value: float) -> dict[str, Any]:
    """Kind from the noun after a number: '10 requests a day', '1,200 read QPS', '5 servers'.

    Up to two modifiers may precede the noun ('new short URLs'); a noun directly followed by
    another noun is a modifier too ('read QPS', 'websocket connections').
    """
    words = _word_after(text, p, 4)
    first = None
    for i, (word, _, wend) in enumerate(words[:3]):
        if word.lower() in _STOP or not word.replace("-", "").replace("'", "").isalpha():
            break
        if _singular(word) == "time" and not _PER_TIME.match(text, wend):
            break  # "10M keys times 150 B": an operator, not "times a day"
        if _noun_class(word):
            first = i
            break
    if first is None:
        # An unknown noun with a time unit is still a rate: "1B pages/month", "386 pages/s".
        if words and words[0][0].isalpha() and words[0][0].lower() not in _STOP:
            word, _, wend = words[0]
            rate = _RATE.match(text, wend)
            if rate and not rate.group("q"):
                per_s = 60.0 if rate.group("m") else 1.0
                return {"kind": "qps", "value": value / per_s, "end": rate.end(),
                        "noun": word.lower()}
            end, period, per_user = _tails(text, wend)
            if period is not None:
                return _rate_fields(value, period, None, end, per_user) | {"noun": word.lower()}
            if word.islower() and word.endswith("s") and len(word) > 3:
                return {"kind": "count", "end": wend, "noun": word}  # "10M keys"
        return {}
    if first + 1 < len(words) and _noun_class(words[first][0]) in ("read", "write", "generic",
                                                                  "conns"):
        follower = _noun_class(words[first + 1][0])
        if follower in ("read", "write", "generic", "conns", "qps"):
            first += 1
    word, _, wend = words[first]
    cls = _noun_class(word)
    if cls in ("read", "write") and not word.lower().endswith("s") and value != 1 and first:
        return {}  # "1M drivers send ...": a verb after the real (unknown) noun
    adjectives = [w.lower() for w, _, _ in words[:first]]
    subject = None
    for a in (*adjectives, word):
        if a == "new" or _noun_class(a) == "write":
            subject = "write"
        elif _noun_class(a) == "read":
            subject = "read"
    peak = "peak" in adjectives
    noun = " ".join([*adjectives, word]).lower()
    if cls == "qps":
        return {"kind": "qps", "end": wend, "subject": subject, "noun": noun, "peak": peak}
    if cls == "users":
        online = re.match(r"\s+(online|connected|concurrently)\b", text[wend:], _I)
        if online or any(a in ("concurrent", "simultaneous", "online", "connected")
                         for a in adjectives):
            return {"kind": "connections", "end": wend + (online.end() if online else 0),
                    "noun": noun}
        daily = re.match(r"\s+(?:a|per|each) day\b|\s+daily\b", text[wend:], _I)
        return {"kind": "users", "end": wend + (daily.end() if daily else 0), "noun": noun,
                "monthly": bool({"monthly", "registered", "total"} & set(adjectives))}
    if cls == "conns":
        return {"kind": "connections", "end": wend, "noun": noun}
    if cls == "count":
        return {"kind": "count", "end": wend, "noun": noun}
    if _singular(word) == "time" and not _PER_TIME.match(text, wend):
        return {}  # "3 times" is an operator or a ratio, not an action
    rate = _RATE.match(text, wend)
    if rate and not rate.group("q"):
        per_s = 60.0 if rate.group("m") else 1.0
        return {"kind": "qps", "value": value / per_s, "end": rate.end(), "subject": subject,
                "noun": noun, "peak": peak}
    if rate:
        return {"kind": "qps", "end": rate.end(), "subject": subject, "noun": noun, "peak": peak}
    end, period, per_user = _tails(text, wend)
    if period is None and "daily" in adjectives:
        period = 86400.0
    if period is not None:
        return _rate_fields(value, period, subject, end, per_user) | {"noun": noun}
    if per_user:
        return {"kind": "per_user_per_day", "end": end, "subject": subject, "noun": noun,
                "per_user": True}
    return {"kind": "count", "end": wend, "subject": subject, "noun": noun}


def _is_version(text: str, start: int, raw_number: str, scaled: bool) -> bool:
    before = re.search(r"([A-Za-z][\w./]*)\s*v?$", text[max(0, start - 20):start])
    if not before or scaled:
        return False
    word = before.group(1).lower().rstrip(".")
    if word == "port" or word in ("status", "rfc"):
        return True
    return word in _VERSION_WORDS and len(raw_number.split(".")[0]) <= 3 and "," not in raw_number


def _extract(text: str) -> list[_Item]:
    items: list[_Item] = []
    matches: list[tuple[int, re.Match[str], str]] = [
        (m.start(), m, "num") for m in _NUM.finditer(text)
    ] + [(m.start(), m, "word") for m in _WORD_NUM.finditer(text)] + [
        (m.start(), m, "pair") for m in _RATIO_PAIR.finditer(text)
    ] + [(m.start(), m, "one_in") for m in _ONE_IN.finditer(text)] + [
        (m.start(), m, "small") for m in _SMALL_WORD.finditer(text)
    ]
    pos = 0
    order = {"one_in": 0, "pair": 1, "word": 2, "num": 3, "small": 4}
    for start, m, how in sorted(matches, key=lambda t: (t[0], order[t[2]])):
        if start < pos:
            continue
        if how == "one_in":
            den = m.group("b").lower()
            den_value = float(den) if den.isdigit() else _WORD_VALUES.get(
                den, 1000.0 if "thousand" in den else 100.0)
            if den_value > 1:
                items.append(_Item(q=Quantity(value=1 / den_value, kind="percent",
                                              raw=m.group(0), start=start, end=m.end(),
                                              number=1 / den_value, unit="in")))
            pos = m.end()
            continue
        if how == "pair":
            a, b = float(m.group(1)), float(m.group(2))
            if a > 0 and b > 0 and not _glued_before(text, start):
                items.append(_Item(q=Quantity(value=a / b, kind="ratio", raw=m.group(0),
                                              start=start, end=m.end(), number=a / b,
                                              unit=":")))
            pos = m.end()
            continue
        if how == "word":
            value = _WORD_VALUES[m.group("w").lower()] * _SCALES[m.group("s").lower()]
            number, p, scaled, raw_num = value, m.end(), True, m.group(0)
        elif how == "small":
            value = float(_WORD_VALUES[m.group("w").lower()])
            number, p, scaled, raw_num = value, m.end(), False, m.group(0)
        else:
            if _glued_before(text, start):
                pos = m.end()
                continue
            parsed = _parse_number(text, m)
            if parsed is None:
                pos = m.end() + 1
                continue
            value, p = parsed
            factor, p = _scale(text, p)
            value *= factor
            number, scaled, raw_num = value, factor != 1.0, m.group("num")
            if _is_version(text, start, raw_num, scaled):
                pos = p
                continue
        low = high = None
        rng = re.compile(r"\s?(?:-|–|to)\s?(?=\d)").match(text, p)
        if rng and how == "num":
            m2 = _NUM.match(text, rng.end())
            parsed2 = _parse_number(text, m2) if m2 else None
            if parsed2:
                v2, p2 = parsed2
                f2, p2 = _scale(text, p2)
                v2 *= f2
                if not scaled and f2 != 1.0 and value * f2 <= v2:
                    value, number = value * f2, number * f2
                if value < v2:
                    low, high, p = value, v2, p2
        fields = _units(text, p, high if high is not None else value)
        end = fields.get("end", p)
        if how == "small" and fields["kind"] not in ("per_day", "qps"):
            pos = max(p, end)
            continue  # "ten times a day" is a rate; "two services" is just words
        # A letter glued to the number that no unit claimed: 2PC, 4xx, 3AZ.
        if end == p and p < len(text) and text[p].isalpha() and text[p - 1].isalnum():
            pos = p
            continue
        if low is not None:
            factor = fields["value"] / high if high else 1.0
            low, high = low * factor, high * factor
            fields["value"] = math.sqrt(low * high)
        if how == "num" and fields["kind"] == "count" and not fields.get("noun") and (
            re.fullmatch(r"(19|20)\d\d", raw_num) and not scaled
        ):
            pos = end
            continue  # a calendar year
        qstart = start - 1 if start > 0 and text[start - 1] in "~≈∼" else start
        if fields["kind"] == "count" and not fields.get("noun") and re.search(
            r"\b(factor of|(peak|burst|spike|growth|safety|headroom|replication) (factor|multiplier)"
            r"( of| is| =|:| ~| around| about)?)\s*~?$", text[max(0, start - 40):start], _I
        ):
            fields["kind"] = "ratio"
        q = Quantity(
            value=fields["value"], kind=fields["kind"], raw=text[qstart:end].strip(),
            start=qstart, end=end, number=(high if high is not None else number),
            unit=text[p:end].strip(), subject=fields.get("subject"), noun=fields.get("noun"),
            peak=fields.get("peak", False), low=low, high=high,
        )
        items.append(_Item(q=q, per_user_marked=fields.get("per_user", False),
                           monthly=fields.get("monthly", False)))
        pos = end
    _add_context(text, items)
    return items


def _add_context(text: str, items: list[_Item]) -> None:
    """Mark what the checks need to know about each figure's surroundings."""
    clause = _Clauses(text).bounds
    has_users = any(it.q.kind == "users" for it in items)
    years = [it for it in items if it.q.kind == "seconds" and it.q.value >= 0.8 * _YEAR_S]
    for it in items:
        if it.q.kind == "ratio":
            c_start, c_end = clause(it.q.start)
            around = text[max(c_start, it.q.start - 30):min(c_end, it.q.end + 30)]
            it.peak_factor = bool(_PEAK_WORD.search(around))
    prev: _Item | None = None
    prev_end = 0
    for it in items:
        q = it.q
        c_start, c_end = clause(q.start)
        before = text[max(c_start, q.start - 50):q.start]
        after = text[q.end:min(c_end, q.end + 40)]
        gap = text[max(prev_end, q.start - 45):q.start]
        it.linked = prev_end > 0 and bool(
            _LINK_STRONG.search(gap) or _LINK_WEAK.match(text[prev_end:q.start]))
        it.capacity = bool(_CAP_BEFORE.search(before) or _CAP_AFTER.search(after))
        if q.kind in ("qps", "bytes_per_second") and not q.peak:
            near = text[max(c_start, prev_end, q.start - 30):q.start]
            after_factor = (prev is not None and prev.peak_factor and prev.q.end >= c_start
                            and not re.search(r"\b(avg|average|mean)\b", text[prev.q.end:q.start]))
            # Look ahead within this phrase only: up to punctuation, a conjunction or another
            # figure (a peak factor like "2x" does not count as one).
            ahead = re.split(r"[,;(]|\b(?:and|but|while|whereas)\b", after, maxsplit=1)[0]
            ahead = re.split(r"~?\d+(?:\.\d+)?(?!\.?\d*\s?[x×])", ahead, maxsplit=1)[0]
            # "Average 1.2K QPS", "avg is ~1.2K"; "..., on average, 70K/s" belongs to the figure before.
            avg_before = re.search(r"(?<!on )\b(avg|average|mean)\b[\s:=~]*(?:(?:is|of|about|around|"
                                   r"roughly)\s*)?~?$", near, _I)
            peak = (_PEAK_BEFORE.search(near) or _PEAK_AFTER.search(ahead) or after_factor) \
                and not _AVG_AFTER.search(ahead) and not avg_before
            if peak:
                it.q = q = q.model_copy(update={"peak": True})
        if q.kind in ("per_day", "count") and not it.per_user_marked and (
            q.kind == "per_day" or q.subject or q.noun
        ):
            window = text[max(c_start, prev_end, q.start - 45):q.start]
            # Nobody does 10K things a day: above that it is a total, whatever "each" says.
            if q.kind == "per_day" and q.value < 10_000 and (
                _PER_USER_BEFORE.search(window)
                or (has_users and not re.search(r"\b(total|overall|in all)\b", before + after, _I))
            ) or q.kind == "count" and q.value < 10_000 and has_users and q.noun and _noun_class(
                q.noun.split()[-1]
            ) in ("read", "write", "generic") and _PER_USER_BEFORE.search(window):
                it.q = q = q.model_copy(update={"kind": "per_user_per_day"})
                it.per_user_marked = True
        it.peak_clause = q.kind in _RATE_KINDS and any(
            o.peak_factor and clause(o.q.start)[0] == c_start for o in items)
        if q.kind == "bytes":
            near = [y for y in years if abs(y.q.start - q.start) < 60
                    and clause(y.q.start)[0] == c_start]
            it.years_context = bool(near) or bool(
                years and re.search(r"\b(in total|total|overall|retention|lifetime)\b",
                                    text[c_start:c_end], _I))
        prev, prev_end = it, q.end


def extract_quantities(text: str) -> list[Quantity]:
    """Every figure with a recognisable meaning in ``text``, in order of appearance.

    Years ("in 2024"), versions ("Node 20"), ports, percentiles ("p99"), ordinals and
    identifiers ("S3", "e2e", "O(1)") are not figures and are left out.
    """
    return [it.q for it in _extract(text)]


# -- shared ----------------------------------------------------------------------------


def _fits(stated: Quantity, recomputed: float) -> bool:
    """Within TOLERANCE of the stated figure (of either end, for a stated range)."""
    if recomputed <= 0 or not math.isfinite(recomputed):
        return False
    low = stated.low if stated.low is not None else stated.value
    high = stated.high if stated.high is not None else stated.value
    return low / TOLERANCE <= recomputed <= high * TOLERANCE


def _clean(raw: str) -> str:
    return " ".join(raw.lstrip("~≈∼ ").split())


def _message(working: str, stated: Quantity) -> str:
    return f"You said {working} is {_clean(stated.raw)} - walk me through that."


# -- arithmetic written out ------------------------------------------------------------

_GAP_TOKEN = re.compile(
    r"\s+|(?P<eq>==?|≈|≅|~=|=~|->|=>|→|~)"
    r"|(?P<mul>[x×*∙·](?![A-Za-z])|times\b|multiplied by\b)"
    r"|(?P<div>/|÷|divided by\b)|(?P<over>over\b)|(?P<add>\+|plus\b)|(?P<of>of\b)"
    r"|(?P<lp>\()|(?P<rp>\))|(?P<punct>[,;:.])"
    r"|(?P<eqw>(?:is|are|equals|gives(?: us)?|giving(?: us)?|that'?s|that is|which is|"
    r"which gives(?: us)?|so|or|we get|i\.e\.|means|comes (?:out )?to|works out (?:to|at)|"
    r"makes|rounds? (?:up |down )?to|becomes)\b)"
    r"|(?P<approx>(?:about|roughly|around|approx\.?|approximately|nearly|almost|call it|say|"
    r"some|only|just|like)\b)"
    r"|(?P<filler>(?:each|total|in total|a day|per day|daily|per second|a second|per user|avg|"
    r"average|on average|peak|at peak|requests?|reqs?|seconds?)\b)",
    _I,
)


@dataclass
class _Gap:
    kind: Literal["op", "eq", "break"]
    op: str = ""
    lp: int = 0  # "(" after the operator or equals sign
    rp: int = 0  # ")" before it


def _read_gap(gap: str, left: Quantity, right: Quantity) -> _Gap:
    """What the text between two figures says: an operator, an equals, or neither.

    Only operators, equals words, brackets, "about"-style hedges and a few filler words may
    appear; anything else ("10M users. Storage is 2 TB") breaks the expression.
    """
    ops: list[str] = []
    eqs = lp = rp = 0
    punct_after_op = False
    p = 0
    order: list[str] = []
    while p < len(gap):
        m = _GAP_TOKEN.match(gap, p)
        if not m or m.end() == p:
            return _Gap("break")
        p = m.end()
        kind = m.lastgroup
        if kind is None:
            continue
        order.append(kind)
        if kind in ("eq", "eqw"):
            eqs += 1
        elif kind in ("mul", "div", "over", "add", "of"):
            ops.append(kind)
        elif kind == "lp":
            lp += 1
        elif kind == "rp":
            rp += 1
        elif kind == "punct":
            punct_after_op = punct_after_op or bool(ops)
    if len(ops) > 1 or punct_after_op:
        return _Gap("break")
    if ops:
        op = ops[0]
        if eqs and order.index(op) < max(i for i, k in enumerate(order) if k in ("eq", "eqw")):
            return _Gap("break")  # "x =": not arithmetic this reader trusts
        if op == "of" and left.kind not in ("percent", "ratio"):
            return _Gap("break")
        if op == "over" and not (right.kind == "count" or (
            right.kind == "seconds" and right.value <= 1.3e6)):
            return _Gap("break")
        if "punct" in order and not eqs and order[0] != "punct":
            return _Gap("break")
        symbol = {"mul": "*", "of": "*", "div": "/", "over": "/", "add": "+"}[op]
        return _Gap("op", symbol, lp, rp)
    if eqs:
        return _Gap("eq", lp=lp, rp=rp)
    return _Gap("break")


_Token = tuple[str, Any]  # ("num", Quantity) | ("op", "*") | ("lp", None) | ("rp", None)


def _evaluate(tokens: list[_Token], pick) -> float | None:
    """Left-to-right arithmetic with x and / before +, and parentheses; None if malformed."""
    out: list[float] = []
    ops: list[str] = []
    prec = {"+": 1, "*": 2, "/": 2}

    def reduce() -> bool:
        if len(out) < 2:
            return False
        b, a = out.pop(), out.pop()
        op = ops.pop()
        if op == "/" and b == 0:
            return False
        out.append(a + b if op == "+" else a * b if op == "*" else a / b)
        return True

    for kind, val in tokens:
        if kind == "num":
            out.append(pick(val))
        elif kind == "op":
            while ops and ops[-1] != "(" and prec[ops[-1]] >= prec[val]:
                if not reduce():
                    return None
            ops.append(val)
        elif kind == "lp":
            ops.append("(")
        elif kind == "rp":
            while ops and ops[-1] != "(":
                if not reduce():
                    return None
            if not ops:
                return None
            ops.pop()
    while ops:
        if ops[-1] == "(" or not reduce():
            return None
    return out[0] if len(out) == 1 else None


def _pick_mixed(q: Quantity) -> float:
    return q.number if q.kind == "seconds" else q.value


def _pick_value(q: Quantity) -> float:
    return q.value


def _pick_number(q: Quantity) -> float:
    return q.number


def _working(tokens: list[_Token]) -> str:
    parts = []
    for kind, val in tokens:
        if kind == "num":
            parts.append(_clean(val.raw))
        elif kind == "op":
            parts.append({"*": " x ", "/": " / ", "+": " + "}[val])
        else:
            parts.append("(" if kind == "lp" else ")")
    return re.sub(r"\s+", " ", "".join(parts)).replace("( ", "(").replace(" )", ")")


def _arithmetic_candidates(tokens: list[_Token], stated: Quantity) -> list[tuple[float, float]]:
    """(recomputed, stated) pairs under each plausible reading of the units."""
    nums = [val for kind, val in tokens if kind == "num"]
    has_seconds = any(q.kind == "seconds" or 8e4 <= q.value <= 1.2e5 for q in nums)
    has_per_second = any(q.kind in _RATE_KINDS for q in nums)
    has_365 = any(300 <= q.number <= 400 for q in nums)
    has_per_day = any(q.kind in _DAY_KINDS or q.kind == "users" for q in nums)
    pairs = []
    for pick in (_pick_mixed, _pick_value, _pick_number):
        lhs = _evaluate(tokens, pick)
        if lhs is None:
            continue
        rhs = pick(stated)
        options = [lhs]
        if stated.kind in _RATE_KINDS and not has_seconds and not has_per_second:
            options.append(lhs / SECONDS_PER_DAY)  # "10M x 10 a day, so 1.2K QPS"
        if stated.kind in _DAY_KINDS and has_per_second:
            options.append(lhs * SECONDS_PER_DAY)
        if stated.kind == "bytes_per_year" and not has_365 and has_per_day:
            options.append(lhs * 365)
        pairs += [(o, rhs) for o in options]
    return pairs


@dataclass
class _Equation:
    tokens: list[_Token]
    stated: Quantity


def _equations(text: str, items: list[_Item]) -> list[_Equation]:
    found: list[_Equation] = []
    tokens: list[_Token] = []
    prev: Quantity | None = None
    for it in items:
        q = it.q
        gap = _read_gap(text[prev.end:q.start], prev, q) if prev else _Gap("break")
        if gap.kind == "op":
            tokens += [("rp", None)] * gap.rp + [("op", gap.op)] + [("lp", None)] * gap.lp
            tokens.append(("num", q))
        elif gap.kind == "eq" and not gap.lp:
            tokens += [("rp", None)] * gap.rp
            if any(kind == "op" for kind, _ in tokens):
                found.append(_Equation(list(tokens), q))
            tokens = [("num", q)]
        else:
            lead = re.search(r"(\(\s*)+$", text[prev.end if prev else 0:q.start])
            opened = lead.group(0).count("(") if lead else 0
            tokens = [("lp", None)] * opened + [("num", q)]
        prev = q
    return found


def _arithmetic_slip(eq: _Equation) -> Slip | None:
    stated = eq.stated
    nums = [val for kind, val in eq.tokens if kind == "num"]
    if any(v == "+" for k, v in eq.tokens if k == "op") and len({q.kind for q in nums}) > 1:
        return None  # "(10 + 50 + 200 + 600 KB)": which terms carry the unit is a guess
    pairs = _arithmetic_candidates(eq.tokens, stated)
    if not pairs:
        return None
    if any(r > 0 and l > 0 and 1 / TOLERANCE <= r / l <= TOLERANCE for l, r in pairs):
        return None
    if stated.low is not None and any(_fits(stated, l) for l, _ in pairs):
        return None
    last = [val for kind, val in eq.tokens if kind == "num"][-1]
    if any(v > 0 and 1 / 1.5 <= stated.value / v <= 1.5 for v in (last.value, last.number)):
        return None  # "100M / 86,400 ~ 100K": rounding the divisor, not stating a result
    # Report the reading that came closest, in the units that reading compared.
    recomputed, shown = min(pairs, key=lambda lr: abs(math.log(lr[1] / lr[0]))
                            if lr[0] > 0 and lr[1] > 0 else math.inf)
    if recomputed <= 0 or shown <= 0:
        return None
    working = _working(eq.tokens)
    return Slip(message=_message(working, stated), stated=shown, recomputed=recomputed,
                ratio=shown / recomputed, span=stated.span, stated_text=_clean(stated.raw),
                working=working, source="arithmetic")


# -- chains told in prose --------------------------------------------------------------


@dataclass
class _Derivation:
    value: float
    working: str
    uses_ratio: bool = False  # scaled by a stated peak factor ("3x")
    identity: bool = False  # an earlier figure of the same kind, restated
    implicit: bool = False  # rests on an assumption the candidate did not state
    from_peak: bool = False  # restates a peak figure


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _raw(q: Quantity) -> str:
    return _clean(q.raw)


def _bases(target: _Item, before: list[_Item], everything: list[_Item]) -> list[_Derivation]:
    """How the target figure could follow from earlier figures, before any multiplier."""
    t = target.q

    def of(*kinds: str) -> list[Quantity]:
        return [it.q for it in before if it.q.kind in kinds]

    users = [u for u in of("users")]
    rates = [r for r in of("per_user_per_day") if _compatible(r.subject, t.subject)]
    days = [d for d in of("per_day") if _compatible(d.subject, t.subject)]
    # "That's 100M requests": an untimed total that may be per day; it can only vouch.
    untimed = [c for c in of("count") if c.noun and _noun_class(c.noun.split()[-1]) in
               ("read", "write", "generic") and c.value >= 1e4
               and _compatible(c.subject, t.subject)]
    qps = [q for q in of("qps") if _compatible(q.subject, t.subject)]
    avg_qps = [q for q in qps if not q.peak]  # a day's volume comes from the average
    sizes = [s for s in of("bytes") if s.value < 1e9]
    bpd, bpy, bps = of("bytes_per_day"), of("bytes_per_year"), of("bytes_per_second")
    seconds = [(86400.0, "86,400 s")] + [
        (s.value, _raw(s)) for s in (it.q for it in everything)
        if s.kind == "seconds" and 600 <= s.value <= 1.3e6
    ]
    daily: list[_Derivation] = []  # events per day, from users x per-user rates
    for u in users:
        if target.monthly or t.kind == "users":
            break
        if u.unit.lower() == "mau" or (u.noun or "").startswith(("monthly", "registered")):
            continue
        for r in rates:
            daily.append(_Derivation(u.value * r.value, f"{_raw(u)} x {_raw(r)}"))
        if len(rates) > 1:
            total = sum(r.value for r in rates)
            daily.append(_Derivation(u.value * total,
                                     f"{_raw(u)} x ({' + '.join(_raw(r) for r in rates)})"))
        # No per-user rate for this action: perhaps one per user per day ("one in ten
        # users posts" then scales it). A generic rate covers a generic target only.
        same = [r for r in rates if r.subject == t.subject]
        if not same and not (t.subject is None and rates):
            daily.append(_Derivation(u.value, _raw(u), implicit=True))
    daily += [_Derivation(d.value, _raw(d), identity=True) for d in days]
    daily += [_Derivation(c.value, _raw(c), implicit=True) for c in untimed]

    out: list[_Derivation] = []
    kind = t.kind
    if kind == "per_day":
        out += [d for d in daily if not d.identity]
        out += [_Derivation(q.value * 86400, f"{_raw(q)} x 86,400 s") for q in avg_qps]
        out += [_Derivation(d.value, d.working, identity=True) for d in daily if d.identity]
    elif kind == "qps":
        for d in daily:
            for secs, label in seconds:
                out.append(_Derivation(d.value / secs, f"{d.working} / {label}",
                                          implicit=d.implicit))
        # For a peak figure an earlier average is a base to scale, not a restatement.
        out += [_Derivation(q.value, _raw(q), identity=not (t.peak and not q.peak),
                            from_peak=q.peak) for q in qps]
    elif kind == "bytes_per_day":
        for s in sizes:
            out += [_Derivation(d.value * s.value, f"{d.working} x {_raw(s)}",
                                implicit=d.implicit) for d in daily]
            out += [_Derivation(q.value * 86400 * s.value, f"{_raw(q)} x 86,400 s x {_raw(s)}")
                    for q in avg_qps]
        out += [_Derivation(y.value / 365, f"{_raw(y)} / 365") for y in bpy]
        # A bandwidth may be one stream's bitrate; it vouches for a daily volume, never accuses.
        out += [_Derivation(b.value * 86400, f"{_raw(b)} x 86,400 s", implicit=True) for b in bps]
        out += [_Derivation(b.value, _raw(b), identity=True) for b in bpd]
    elif kind == "bytes_per_year":
        out += [_Derivation(b.value * 365, f"{_raw(b)} x 365") for b in bpd]
        for s in sizes:
            out += [_Derivation(d.value * s.value * 365, f"{d.working} x {_raw(s)} x 365",
                                implicit=d.implicit) for d in daily]
        out += [_Derivation(b.value, _raw(b), identity=True) for b in bpy]
    elif kind == "bytes" and target.years_context:
        years = [it.q for it in everything if it.q.kind == "seconds" and it.q.value >= 0.8 * _YEAR_S]
        for y in years:
            n = y.value / _YEAR_S
            out += [_Derivation(b.value * n, f"{_raw(b)} x {_raw(y)}") for b in bpy]
            out += [_Derivation(b.value * 365 * n, f"{_raw(b)} x 365 x {_raw(y)}") for b in bpd]
        out += [_Derivation(b.value, _raw(b), identity=True)
                for b in of("bytes") if b.value >= 1e9]
    elif kind == "bytes_per_second":
        for s in sizes:
            out += [_Derivation(q.value * s.value, f"{_raw(q)} x {_raw(s)}")
                    for q in (qps if t.peak else avg_qps)]
            out += [_Derivation(d.value * s.value / 86400, f"{d.working} x {_raw(s)} / 86,400 s",
                                implicit=d.implicit) for d in daily]
        out += [_Derivation(b.value / 86400, f"{_raw(b)} / 86,400 s") for b in bpd]
        out += [_Derivation(b.value, _raw(b), identity=not (t.peak and not b.peak),
                            from_peak=b.peak) for b in bps]
    elif kind == "connections":
        out += [_Derivation(c.value, _raw(c), identity=True) for c in of("connections")]
    return out


def _multipliers(target: _Item, everything: list[_Item]) -> list[tuple[float, str, bool, bool]]:
    """Factors a candidate may apply on top of a derivation: peak factors, shares, replicas.

    Each is (factor, label, is_peak_factor, only_on_a_peak_figure).
    """
    out: list[tuple[float, str, bool, bool]] = []
    for it in everything:
        q = it.q
        if it is target or q.value <= 0:
            continue
        if q.kind == "ratio":
            if not it.peak_factor:  # replication, compression, read:write, growth
                out += [(q.value, _raw(q), False, False), (1 / q.value, f"/ {_raw(q)}", False, False)]
            elif target.q.peak:
                out.append((q.value, _raw(q), True, False))
            elif target.q.kind in _RATE_KINDS:
                out.append((1 / q.value, f"/ {_raw(q)}", False, True))  # an average from a peak
                if target.peak_clause:  # "peak is 3x, so 3.6K QPS" read as an average
                    out.append((q.value, _raw(q), True, False))
        elif q.kind == "percent":
            out.append((q.value, _raw(q), False, False))
        elif q.kind == "count" and q.noun and 2 <= q.value <= 1e4:
            # Fan-out and per-item counts: "50 requests" a session, "200 followers", replicas.
            out.append((q.value, _raw(q), False, False))
    return out


@dataclass
class _Chain:
    """The ways a figure could follow from the figures before it.

    ``derivations`` are explicit; each may also be scaled by one of ``factors`` (shares,
    replicas, fan-out counts), which are only searched, never listed: a long answer has
    hundreds of figures and the cross product would be large.
    """

    derivations: list[_Derivation]
    factors: list[tuple[float, bool]] = field(default_factory=list)  # (factor, peak_only)

    def __post_init__(self) -> None:
        self._any = sorted({f for f, _ in self.factors})
        self._plain = sorted({f for f, peak_only in self.factors if not peak_only})

    def _scaled_fits(self, stated: Quantity, d: _Derivation) -> bool:
        if d.value <= 0:
            return False
        low = (stated.low if stated.low is not None else stated.value) / TOLERANCE / d.value
        high = (stated.high if stated.high is not None else stated.value) * TOLERANCE / d.value
        values = self._any if d.from_peak else self._plain
        i = bisect.bisect_left(values, low)
        return i < len(values) and values[i] <= high

    def fits(self, stated: Quantity, strong_only: bool = False) -> bool:
        """Some reading gives the stated figure within 3x.

        ``strong_only`` accepts only the candidate's own chain, unscaled: the bar for
        overruling arithmetic they wrote out.
        """
        if strong_only:
            return any(_fits(stated, d.value) for d in self.strong)
        return any(
            _fits(stated, d.value) or self._scaled_fits(stated, d) for d in self.derivations
        )

    @property
    def strong(self) -> list[_Derivation]:
        return [d for d in self.derivations if not (d.identity or d.implicit)]


def _chain_derivations(target: _Item, items: list[_Item]) -> _Chain:
    t = target.q
    # Prose chains draw on nearby figures; the window also keeps long answers fast.
    near = [it for it in items if abs(it.q.start - t.start) <= _WINDOW_CHARS]
    before = [it for it in near if it.q.end <= t.start]
    everything = [it for it in near if it is not target]
    if t.kind in ("users", "connections"):
        users = [it.q for it in before if it.q.kind == "users"]
        shares = [it.q for it in everything if it.q.kind == "percent"]
        if t.kind == "users" and not (t.unit.lower() == "dau" or "daily" in (t.noun or "")):
            return _Chain([])
        out = [_Derivation(u.value * p.value, f"{_raw(u)} x {_raw(p)}")
               for u in users for p in shares if u.start != t.start]
        if t.kind == "connections" and out:
            out += _bases(target, before, everything)
        return _Chain(out)
    bases = _bases(target, before, everything)
    mults = _multipliers(target, everything)
    if t.peak:
        # A peak follows from an average only through a stated peak factor.
        return _Chain([_Derivation(b.value * f, f"{b.working} x {label}", uses_ratio=True,
                                   implicit=b.implicit)
                       for b in bases if not b.identity
                       for f, label, is_ratio, _ in mults if is_ratio]
                      + [b for b in bases if b.identity])
    return _Chain(bases, [(f, peak_only) for f, _, _, peak_only in mults])


def _checkable(it: _Item) -> bool:
    q = it.q
    if not (it.linked or (q.peak and it.peak_clause)) or it.capacity or it.per_user_marked or q.value <= 0:
        return False
    if q.kind == "bytes":
        return it.years_context
    return q.kind in ("per_day", "qps", "bytes_per_day", "bytes_per_year", "bytes_per_second",
                      "connections", "users")


def _chain_slip(target: _Item, chain: _Chain) -> Slip | None:
    # A restatement or the implied "one action per user" may explain a figure, but a figure
    # is never questioned on their strength alone: a different number of the same kind is
    # usually a different thing (reads vs writes, another component).
    strong = chain.strong
    if not strong or chain.fits(target.q):
        return None
    # Quote the most natural working: the candidate's own chain, with the peak factor for
    # a peak figure.
    pool = [d for d in strong if d.uses_ratio] if target.q.peak else strong
    q = target.q
    best = min(pool or strong, key=lambda d: abs(math.log(q.value / d.value))
               if d.value > 0 else math.inf)
    if best.value <= 0:
        return None
    return Slip(message=_message(best.working, q), stated=q.value, recomputed=best.value,
                ratio=q.value / best.value, span=q.span, stated_text=_clean(q.raw),
                working=best.working, source="chain")


# -- public API ------------------------------------------------------------------------


def check(text: str) -> CheckResult:
    """Quantities in ``text`` and the slips among them (see the module docstring).

    A figure is a slip only when it is more than 3x away from what the candidate's own
    earlier numbers give, under every reading this checker can find.
    """
    items = _extract(text)
    slips: dict[tuple[int, int], Slip] = {}
    by_span = {it.q.span: it for it in items}
    equations = _equations(text, items)
    for eq in equations:
        slip = _arithmetic_slip(eq)
        if slip is None or eq.stated.span in slips:
            continue
        target = by_span[eq.stated.span]
        if target.q.kind != "count" and _chain_derivations(target, items).fits(
            target.q, strong_only=True
        ):
            continue  # the candidate's other figures explain it: the equation was misread
        slips[eq.stated.span] = slip
    stated_in_equations = {eq.stated.span for eq in equations}
    for it in items:
        if it.q.span in slips or it.q.span in stated_in_equations or not _checkable(it):
            continue
        slip = _chain_slip(it, _chain_derivations(it, items))
        if slip is not None:
            slips[it.q.span] = slip
    return CheckResult(quantities=[it.q for it in items],
                       slips=sorted(slips.values(), key=lambda s: s.span))


_FIGURES: dict[str, tuple[str, ...]] = {
    "users": ("assumptions.dau",),
    "connections": ("concurrent_connections",),
    "per_day": ("requests_per_day", "reads_per_day", "writes_per_day"),
    "qps": ("total_qps_avg", "read_qps_avg", "write_qps_avg"),
    "qps_peak": ("peak_qps", "read_qps_peak", "write_qps_peak"),
    "bytes_per_day": ("storage_bytes_per_day",),
    "bytes_per_year": ("storage_bytes_per_year",),
    "bytes": ("storage_bytes_retention",),
    "bytes_per_second": ("ingress_bytes_per_s_avg", "egress_bytes_per_s_avg"),
    "bytes_per_second_peak": ("ingress_bytes_per_s_peak", "egress_bytes_per_s_peak"),
}


def _figure(estimate: TrafficEstimate, name: str) -> float:
    if name == "assumptions.dau":
        return float(estimate.assumptions.dau)
    return float(getattr(estimate, name))


def check_against_reference(text: str, reference: Any) -> ReferenceCheck:
    """Compare the candidate's figures with a problem's reference figures.

    ``reference`` is a :class:`TrafficEstimate`, a :class:`TrafficAssumptions`, or anything
    with ``reference_estimate()`` (a catalog ``Problem``). Candidates may choose different
    assumptions, so this is information for the grader and the scorecard, not a slip: each
    figure is matched to the closest reference figure of its kind (a QPS to read, write or
    total QPS; "peak" to the peak figures) and marked within tolerance or not.
    """
    if hasattr(reference, "reference_estimate"):
        reference = reference.reference_estimate()
    if isinstance(reference, TrafficAssumptions):
        reference = traffic(reference)
    if not isinstance(reference, TrafficEstimate):
        raise TypeError(
            f"reference must be a TrafficEstimate, TrafficAssumptions or Problem, "
            f"got {type(reference).__name__}"
        )
    comparisons: list[ReferenceComparison] = []
    for it in _extract(text):
        q = it.q
        if it.capacity or it.per_user_marked or q.value <= 0 or it.monthly:
            continue
        key = q.kind + ("_peak" if q.peak and q.kind in _RATE_KINDS else "")
        if q.kind == "bytes" and not it.years_context:
            continue
        if q.kind == "users" and (q.unit.lower() == "mau" or "monthly" in (q.noun or "")):
            continue
        names = _FIGURES.get(key, ())
        if q.subject and q.kind in ("qps", "per_day"):
            names = tuple(n for n in names if n.startswith(q.subject)) or names
        options = [(n, _figure(reference, n)) for n in names]
        options = [(n, v) for n, v in options if v > 0]
        if not options:
            continue
        name, ref = min(options, key=lambda nv: abs(math.log(q.value / nv[1])))
        ratio = q.value / ref
        within = 1 / TOLERANCE <= ratio <= TOLERANCE
        shown = human_bytes(ref) if "bytes" in name else human_count(ref)
        comparisons.append(ReferenceComparison(
            figure=name.removeprefix("assumptions."), stated=q.value, reference=ref,
            ratio=ratio, within_tolerance=within, span=q.span, stated_text=_clean(q.raw),
            message=(f"{_clean(q.raw)} is {'close to' if within else f'{ratio:.3g}x'} the "
                     f"reference {name.removeprefix('assumptions.').replace('_', ' ')} "
                     f"of {shown}."),
        ))
    return ReferenceCheck(comparisons=comparisons)
