"""The unit words after a number: "Gbps", "KB", "requests per user per day", "per shard".

:func:`read_unit` turns the words after a figure into pint unit names to multiply and to
divide by ("5 Mbps each" -> megabit / second; "10 reads/user/day" -> read / user / day), the
counted noun ("feed reads"), and what the words say about it (a factor, a length, "each").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simulator.reading import units as U
from simulator.reading.numbers import Number, read_numbers

__all__ = ["UnitPhrase", "read_unit"]

_I = re.IGNORECASE
_STOP = frozenset(
    {
        "of",
        "the",
        "and",
        "to",
        "in",
        "on",
        "for",
        "with",
        "from",
        "at",
        "by",
        "per",
        "each",
        "a",
        "an",
        "is",
        "are",
        "was",
        "were",
        "be",
        "that",
        "which",
        "so",
        "it",
        "we",
        "this",
        "as",
        "x",
        "than",
        "about",
        "roughly",
        "around",
        "into",
        "over",
        "under",
        "or",
        "but",
        "if",
        "when",
        "then",
        "across",
        "would",
        "will",
        "can",
        "could",
        "should",
        "need",
        "needs",
        "gives",
        "give",
        "means",
        "i",
        "you",
        "they",
        "our",
        "your",
        "their",
        "my",
        "its",
        "only",
        "plus",
        "minus",
        "just",
        "all",
        "more",
        "less",
        "most",
        "total",
        "up",
        "down",
        "out",
        "one",
        "every",
        "some",
        "any",
        "no",
        "not",
        "there",
        "here",
        "what",
        "how",
        "why",
        "who",
        "while",
    }
)
_INFO = re.compile(
    r"(?P<pre>[kKmMgGtTpPeE])(?P<bin>i)?(?P<b>[bB])(?P<ps>ps|/s(?:ec)?\b)?(?![A-Za-z])"
    r"|(?P<wpre>kilo|mega|giga|tera|peta)?(?P<word>bytes?|bits?)(?![A-Za-z])"
    r"|(?P<slang>gigs?|megs?|teras?)(?![A-Za-z])"  # "80 gigs", "4 megs"
    r"|(?P<bps>bps)(?![A-Za-z])|(?P<bit>[KkMmGgTt]i?bit)(?:s)?(?![A-Za-z])|(?P<B>B)(?![A-Za-z])",
)
# "five times" with nothing after it that makes it a count of events ("five times a day")
_TIMES_FACTOR = re.compile(
    r"\s+times\b(?=\s*(?:[,.;:)!?]|$|so\b|that\b|over\b|more\b|less\b|bigger\b|smaller\b|"
    r"larger\b|higher\b|lower\b|faster\b|slower\b|the\b|what\b|as\b))", re.IGNORECASE)
_TIME = re.compile(
    # "half a CPU-second per upload": CPU time is time
    r"(?:(?i:cpu|vcpu|core)[ -]?(?=(?:milli)?sec|ms\b))?"
    r"(?P<t>nanoseconds?|microseconds?|milliseconds?|millis|msecs?|ms|µs|us|ns|seconds?|secs?|"
    r"minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|wks?|months?|mos?|years?|yrs?|s|h|d)"
    r"(?![A-Za-z0-9])"
)
_PER = re.compile(
    r"\s*(?:/|\bper\b|\ban?\b|\beach\b|\bevery\b|\b(?:for|on|in|at) (?:each|every)\b)\s*"
    r"(?:(?:[a-z]+ed|active|new|single|online|connected)\s+(?=[a-z]))?(?P<w>[A-Za-z][\w-]*)"
)
_SCALE_ALONE = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_PER_NUMBER = re.compile(
    r"(?P<n>(?:(?:a|one|ten|a hundred)\s+)?(?:hundred|thousand|million|billion))\s+(?P<noun>[A-Za-z][\w-]*)",
    re.IGNORECASE)
_ADVERB = re.compile(
    r"\s+(?:of\s+)?(?P<w>daily|nightly|hourly|weekly|monthly|yearly|annually)\b"  # "2 TB of daily ingest"
    r"|\s+(?:per annum|a year)\b",
    _I,
)
_PERCENT = re.compile(r"\s?(?:%|percent\b|per cent\b|pct\b)", _I)
_FACTOR_X = re.compile(
    r"\s?(?:-?[x×](?![A-Za-z0-9])(?!\s*[~\d.(])|-?fold\b|\s+times\s+(?=(?:the\s+)?"
    r"(?:more|higher|bigger|larger|as|peak|average|avg|normal|that|this|"
    r"baseline|writes|reads)\b))",
    _I,
)
_LENGTH_AFTER = re.compile(
    r"\s*(?:long|in length|of (?:video|content|footage|audio)|videos?|"
    r"clips?|movies?|episodes?|songs?)\b",
    _I,
)
_LENGTH_BEFORE = re.compile(
    r"\b(?:lasting|lasts|long|length of|runtime of|duration of)\s*"
    r"(?:about|roughly|around|~)?\s*$",
    _I,
)


@dataclass
class UnitPhrase:
    num: list[str] = field(default_factory=list)  # pint unit names multiplied
    den: list[str] = field(default_factory=list)  # pint unit names divided
    end: int = 0
    noun: str | None = None
    tags: set[str] = field(default_factory=set)
    alt_num: list[str] | None = None  # another reading of ``num`` (ambiguous bit/byte)
    scale: float = 1.0
    entity: str | None = None  # the node noun counted or divided by: "shard", "worker"

    def expr(self, num: list[str] | None = None) -> str:
        parts = num if num is not None else self.num
        text = " * ".join(parts) if parts else ""
        for d in self.den:
            text = f"{text} / {d}" if text else f"1 / {d}"
        return text or "dimensionless"


def read_unit(text: str, p: int, n: Number) -> UnitPhrase:
    """The unit words right after a number at ``p``."""
    u = UnitPhrase(end=p)
    if n.currency:
        u.num.append("dollar")
    if n.factor:
        u.tags.add("factor")
        return u
    q = p + 1 if p < len(text) and text[p] in " -\u00a0" else p
    if m := _PERCENT.match(text, p):
        u.num.append("percent")
        u.tags.add("factor")
        u.end = m.end()
        return u
    if m := _FACTOR_X.match(text, p):
        u.tags.add("factor")
        u.end = m.end()
        return u
    if re.match(r"\s+times\b", text[p : p + 8], _I) and _NUMBER_NEXT.match(text, p + len(
            re.match(r"\s+times", text[p:], _I).group(0))):
        return u  # "3 times 60", "386 times five": an operator, not "3 times" (events)
    if m := _TIMES_FACTOR.match(text, p):
        u.tags.add("factor")  # "say five times, so ~580": a multiplier, not five events
        u.end = m.end()
        return u
    if (g := re.match(r"[GMT]E?\b", text[p : p + 3])) and _LINK_NOUN.match(text, p + g.end()):
        # "a 10G NIC", "40GE ports": a link's speed in bits a second
        u.num.append(U.INFO_PREFIX[text[p].lower()] + "bit")
        u.den.append("second")
        u.end = p + g.end()
    elif m := _INFO.match(text, q):
        _info_unit(m, u, n)
        u.end = m.end()
        if not u.den and _LINK_NOUN.match(text, u.end):
            # "a 25 gigabit NIC", "a 10 gig network card": a link's speed, per second
            if u.num[-1].endswith("byte") and u.alt_num is None and m.group("slang"):
                u.num[-1] = u.num[-1].replace("byte", "bit")  # "10 gig" of a NIC is gigabits
            if u.num[-1].endswith("bit") or (u.alt_num and u.alt_num[-1].endswith("bit")):
                if u.alt_num:
                    u.num, u.alt_num = u.alt_num, None
                u.den.append("second")
    elif re.match(r"(?:MP|megapixels?)\b", text[q : q + 11]):
        u.num.append("megapixel")
        u.end = q + (
            2 if text[q : q + 2] == "MP" else len(re.match(r"megapixels?", text[q:]).group())
        )
    elif (m := _TIME.match(text, q)) and not (
        m.group("t") in ("s", "h", "d") and q == p + 1 and text[p] == "-"
    ):
        u.num.append(U.TIME_WORDS[m.group("t").lower()])
        u.end = m.end()
        if _LENGTH_AFTER.match(text, u.end) or _LENGTH_BEFORE.search(
            text[max(0, n.start - 30) : n.start]
        ):
            u.tags.add("length")
    elif re.match(r"(?:dollars?|usd|bucks)\b", text[q : q + 8], _I):
        u.num.append("dollar")
        u.end = q + len(re.match(r"\w+", text[q:]).group())
    elif re.match(r"cents?\b", text[q : q + 6], _I):
        u.num.append("cent")
        u.end = q + len(re.match(r"\w+", text[q:]).group())
    else:
        _noun_phrase(text, p, u)
    _per_parts(text, u)
    if u.num in (["user"], ["node"]):
        return u  # "50M DAU each send 40 messages": the "each" belongs to the next figure
    if m := re.match(r"(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s+(?:each|apiece)\b", text[u.end : u.end + 40], _I):
        # "2 KB each", "2 KB of profile data each"
        u.tags.add("each")
        u.end += m.end()
    return u


_LINK_NOUN = re.compile(r"[\s-]+(?:ethernet\s+)?(?:nics?|links?|ports?|uplinks?|downlinks?|network\s+(?:cards?|"
                        r"interfaces?|links?)|interfaces?|ethernet|pipes?|lines?|connections?|"
                        r"(?:audio |video )?streams?)\b", re.IGNORECASE)


def _info_unit(m: re.Match[str], u: UnitPhrase, n: Number) -> None:
    if m.group("bps"):
        u.num.append("bit")
        u.den.append("second")
        return
    if m.group("bit"):  # "128 kbit", "2 Mibit"
        prefixes = U.BINARY_PREFIX if m.group("bit")[1] == "i" else U.INFO_PREFIX
        u.num.append(prefixes[m.group("bit")[0].lower()] + "bit")
        return
    if m.group("B"):
        u.num.append("byte")
        return
    if m.group("slang"):
        u.num.append({"g": "gigabyte", "m": "megabyte", "t": "terabyte"}[m.group("slang")[0]])
        return
    if m.group("word"):
        base = "bit" if m.group("word").startswith("bit") else "byte"
        u.num.append((m.group("wpre") or "").lower() + base)
        return
    pre, b = m.group("pre"), m.group("b")
    prefix = (U.BINARY_PREFIX if m.group("bin") else U.INFO_PREFIX)[pre.lower()]
    if b == "B":
        u.num.append(prefix + "byte")
    elif pre.isupper() or m.group("ps") == "ps":
        u.num.append(prefix + "bit")  # Mb, Gb, Kb, kbps, mbps: bits
    else:
        u.num.append(prefix + "byte")  # kb, mb, gb: usually meant as bytes
        u.alt_num = [prefix + "bit"]
    if m.group("ps"):
        u.den.append("second")


_BARE_ADJECTIVES = frozenset({"new", "more", "extra", "additional", "fresh", "unique", "distinct"})


# After "times": a figure ("3 times 60"), or a number in words the product of which is then
# given ("386 times five is ~2,000"); "seven hundred times ten" alone may be a count of events
_NUMBER_NEXT = re.compile(
    r"\s+(?:[~≈$]?\d|half\s+an?\s|an?\s+(?:quarter|third|tenth)\s+of\s|(?:(?:an?|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)[\s-]*)+"
    r"(?:[a-z]+\s*){0,2},?\s*(?:is|are|=|equals|gives|makes|comes|that'?s|so)\b)", re.IGNORECASE)


_IN_FLIGHT_AFTER = re.compile(
    r"[ \t]+(?:in[- ]flight|at once|concurrently|outstanding)\b"
    r"(?=\s*(?:[,.;:)!?\u2014-]|$|and\b|so\b|which\b|at\b|on\b|per\b|for\b|in\b|with\b|is\b))", _I)


def _noun_phrase(text: str, p: int, u: UnitPhrase) -> None:
    """Up to three words naming what is counted: 'new short URLs', 'feed reads', 'read QPS'."""
    if m := _IN_FLIGHT_AFTER.match(text, p):  # "about 60 in flight", "200 at once"
        u.num.append("request")
        u.noun = "in flight"
        u.tags.add("concurrent")
        u.end = m.end()
        return
    words = []
    pos = p
    for _ in range(4):
        m = re.match(r"(?:[ \t]+|-\s*)([A-Za-z][\w'’.-]*[\w’']|[A-Za-z])", text[pos:])
        if not m:
            break
        words.append((m.group(1).rstrip("."), pos + m.start(1), pos + m.end(1)))
        pos += m.end()
    head = None
    for i, (w, _, _) in enumerate(words):
        if w.lower() in _STOP and w.lower() != "one":
            break
        cls = U.noun_class(w)
        if cls is not None:
            head = i
            nxt = words[i + 1][0] if i + 1 < len(words) else ""
            if (
                U.noun_class(nxt) in ("count", "population", "rate")
                and nxt.lower() not in _STOP
                and nxt.lower() not in ("times", "time")
                # "user requests" is one noun; in "50M monthly actives uploads 30 photos" the
                # plural people are the subject and the next word is their verb
                and not (cls == "population" and U.singular(w) != w.lower())
            ):
                head = i + 1
            break
        if i >= 2:
            break
    if words and (U.singular(words[0][0]) in ("replica", "copy", "copie") or (
            words[0][0].lower() in ("way", "ways")  # "we replicate three ways"
            and re.search(r"\b(?:replicat\w*|mirror\w*)\s+(?:it\s+|that\s+|them\s+)?$",
                          text[max(0, p - 40) : p].rsplit(" ", 1)[0] + " "))):
        u.tags.update({"factor", "replication"})
        u.end = words[0][2]
        return
    if head is None:
        if words and words[0][0].lower() in _BARE_ADJECTIVES:
            # "10M new a day", "2M more per month": the adjective stands for the items
            u.noun = words[0][0]
            u.num.append("item")
            u.end = words[0][2]
            return
        if (
            words
            and words[0][0].lower() not in _STOP
            and words[0][0].isalpha()
            and words[0][0].islower()
            and words[0][0].endswith("s")
            and len(words[0][0]) > 3
        ):
            u.noun = words[0][0]
            u.num.append("item")
            u.end = words[0][2]
        return
    w = words[head][0]
    adjectives = [x.lower() for x, _, _ in words[:head]]
    u.noun = " ".join(x for x, _, _ in words[: head + 1])
    u.end = words[head][2]
    cls = U.noun_class(w)
    sw = U.singular(w)
    if cls == "rate":
        u.num.append(U.COUNT_NOUNS.get(w.lower(), U.COUNT_NOUNS.get(sw, "request")))  # "TPS", not "tp"
        u.den.append("second")
    elif cls == "population":
        u.num.append("user")
        if sw == "mau" or "monthly" in adjectives:
            u.tags.add("monthly")
    elif cls == "node":
        u.num.append("node")
        u.entity = sw
    else:
        u.num.append(U.COUNT_NOUNS.get(sw, U.COUNT_NOUNS.get(w.lower(), "item")))
        for adjective, period in U.TIME_ADVERBS.items():
            if adjective in adjectives:
                u.den.append(period)
    if any(a in ("concurrent", "online", "simultaneous", "open") for a in adjectives):
        u.tags.add("concurrent")
    if "peak" in adjectives:
        u.tags.add("peak")


_PERIODS = frozenset(
    {
        "nanosecond",
        "microsecond",
        "millisecond",
        "second",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
    }
)
_INFO_WORD = re.compile(r"(?P<pre>[kKmMgGtTpP])B")
_MONEY_UNITS = ("dollar", "cent", "euro", "pound")


def _data_unit(word: str) -> str | None:
    """The byte unit a word names: "GB", "gig", "terabyte" -> "gigabyte", "gigabyte", "terabyte"."""
    if m := _INFO_WORD.fullmatch(word):
        return U.INFO_PREFIX[m.group("pre").lower()] + "byte"
    w = word.lower().rstrip("s")
    if w in ("gig", "meg"):
        return {"gig": "gigabyte", "meg": "megabyte"}[w]
    if re.fullmatch(r"(?:kilo|mega|giga|tera|peta)byte", w):
        return w
    return None

_BRIDGE = re.compile(
    r"(?:\s+(?:of|in)\s+[a-z]+(?:\s+[a-z]+)?(?=\s+(?:per|a|an|each|every)\s|\s*/)"
    r"|\s+(?:[a-z]+ed|sent|made|done|written|read|seen|served|held|kept|run|"
    r"taken)(?=\s+(?:per|a|an|each|every)\s+[a-z]|\s*/)"
    # "the whole 3 billion page index every month": one more noun, then "every" and a period
    r"|\s+[a-z]{3,}(?=\s+every\s+(?:second|minute|hour|day|week|month|year)\b))",
    _I,
)


def _per_parts(text: str, u: UnitPhrase) -> None:
    """'/s', 'per user per day', 'a month', 'daily', 'per node': divisors after the unit.

    A short bridge may stand between: "500 hours of video per minute", "20K hours uploaded a
    day", "5 GB stored per uploaded hour", "3 billion page index every month".
    """
    for _ in range(3):
        bridge = _BRIDGE.match(text, u.end)
        m = _PER.match(text, bridge.end() if bridge else u.end)
        if m and bridge and m.group("w").lower() not in U.TIME_WORDS:
            m = None
        if m:
            word = m.group("w")
            link = (
                re.match(r"\s*(/|per|an?|each|every|for|on|in|at)", m.group(0), _I).group(1).lower()
            )
            end = m.end()
            if word.lower() in U.TIME_WORDS and not (
                word in ("s", "d", "h") and link in ("a", "an")
            ):
                if any(d in _PERIODS for d in u.den):
                    break  # "at 3 Mbps a minute is 180 Mb": a rate has one period, the rest is prose
                u.den.append(U.TIME_WORDS[word.lower()])
                u.end = end
                continue
            if (link in ("per", "/") and u.num and u.num[-1] in _MONEY_UNITS and not u.den
                    and (per_n := _PER_NUMBER.match(
                        text, m.start() + re.match(r"\s*(?:/|per)\s*", m.group(0), _I).end()))):
                # "$0.50 per million requests", "a dollar per ten thousand emails": the price
                # of one is the figure over that many
                said = per_n.group("n")
                how_many = next((x.value for x in read_numbers(said)), 1.0)
                if said.split()[0].lower() in _SCALE_ALONE:
                    how_many = _SCALE_ALONE[said.split()[0].lower()]  # "per million": one million
                noun = per_n.group("noun")
                u.den.append("user" if U.noun_class(noun) == "population" else U.COUNT_NOUNS.get(
                    U.singular(noun), U.COUNT_NOUNS.get(noun.lower(), "item")))
                u.scale = 1 / how_many
                u.end = per_n.end()
                break
            cls = U.noun_class(word)
            head, _, period = word.lower().partition("-")
            data = _data_unit(word) or (_data_unit(head) if period in U.TIME_WORDS else None)
            if data and u.num and u.num[-1] in _MONEY_UNITS and not u.den:
                # "two cents a gig", "2 cents per GB", "2.3 cents a gig-month": a price per
                # amount of data (and period)
                u.den.append(data)
                if period in U.TIME_WORDS and not _data_unit(word):
                    u.den.append(U.TIME_WORDS[period])
                u.end = end
                break
            if link in ("a", "an"):
                if cls == "count" and u.num and u.num[-1].endswith(("byte", "bit")) and not u.den:
                    u.tags.add("per-item")  # "100 KB a page": the size of one page
                    u.end = end
                break
            if cls == "population":
                u.den.append("user")
                u.tags.add("per-entity")
            elif cls == "node":
                u.den.append("node")
                u.tags.add("per-entity")
                u.entity = U.singular(word)
                # "per crawler box": the entity is the last noun of the phrase
                if (nxt := re.match(r"[ \t]+([A-Za-z]+)\b", text[end:])) and U.noun_class(
                        nxt.group(1)) == "node":
                    u.entity = U.singular(nxt.group(1))
                    end += nxt.end()
            elif link in ("per", "/") and (info := _INFO_WORD.fullmatch(word.split("-")[0])):
                # "$0.023/GB-month", "$0.02 per GB": a price per amount of data (and period)
                u.den.append(U.INFO_PREFIX[info.group("pre").lower()] + "byte")
                rest = word.split("-", 1)[1].lower() if "-" in word else ""
                if rest in U.TIME_WORDS:
                    u.den.append(U.TIME_WORDS[rest])
                elif rest:
                    break
            elif cls == "count" or (
                link in ("per", "/")
                and word.isalpha()
                and word.lower() not in _STOP
                and word.lower() not in ("cent", "annum")
            ):
                u.tags.add("per-item")
            else:
                break
            u.end = m.end()
            continue
        m = _ADVERB.match(text, u.end)
        if (
            m
            and u.num
            and not any(
                d in ("second", "minute", "hour", "day", "week", "month", "year") for d in u.den
            )
        ):
            word = (m.group("w") or "yearly").lower()
            u.den.append(U.TIME_ADVERBS[word])
            u.end = m.end()
            continue
        break
