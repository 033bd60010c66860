"""The unit vocabulary of capacity estimates, and the one pint registry that does their algebra.

Conversions are pint's job, never a table here: bits vs bytes, KB vs MB, per second vs per
day vs per month all come out of ``UnitRegistry`` arithmetic. This module only says which
words candidates use for which pint unit ("Gbps" -> gigabit / second, "DAU" -> user, "shard"
-> node) and defines the few domain units pint lacks:

* ``bit = [information]``: pint ships bits as dimensionless, which would let "1 GB" equal
  "1,000,000,000 requests"; information gets its own dimension so sizes never mix with counts;
* ``user = [user]`` for people and their connections, so "10 requests per user per day" times
  "10M DAU" is 100M / day by the algebra, and a per-user rate cannot pass for a total;
* ``node = [node]`` for servers, shards, partitions, processes: "100K QPS over 20 shards" is
  5K / second / node, which only a per-node figure can match;
* ``dollar = [currency]``; requests, messages, views... are plain counts (scale 1).

The registry is built once, lazily, on first use (about 0.1 s).
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import pint

__all__ = [
    "COUNT_NOUNS",
    "NODE_NOUNS",
    "POPULATION_NOUNS",
    "TIME_WORDS",
    "format_quantity",
    "human_number",
    "noun_class",
    "registry",
    "singular",
    "time_ratios",
]

_REGISTRY: pint.UnitRegistry | None = None

# Domain units: counts are dimensionless with scale 1 (so "request / second" prints well).
_COUNT_UNITS = (
    "request",
    "message",
    "event",
    "view",
    "upload",
    "post",
    "video",
    "photo",
    "notification",
    "payment",
    "transaction",
    "order",
    "page",
    "link",
    "read",
    "write",
    "fetch",
    "check",
    "operation",
    "item",
    "play",
    "call",
    "record",
    "key",
    "query",
    "insert",
)
_DEFINITIONS = (
    "user = [user]",
    "node = [node]",
    "dollar = [currency] = usd",
    "cent = 0.01 dollar",
    *(f"{name} = 1" for name in _COUNT_UNITS),
)


def registry() -> pint.UnitRegistry:
    """The module-wide registry (pint's defaults, information as a dimension, domain units)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _build_registry()
    return _REGISTRY


def _build_registry() -> pint.UnitRegistry:
    root = resources.files("pint")
    lines: list[str] = []
    found_bit = False
    for line in (root / "default_en.txt").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("@import"):
            name = line.split()[1]
            lines += (root / name).read_text(encoding="utf-8").splitlines()
        elif line.strip() == "bit = []":
            lines.append("bit = [information]")
            found_bit = True
        else:
            lines.append(line)
    ureg = pint.UnitRegistry(None)
    ureg.load_definitions(lines)
    if not found_bit:  # a future pint may already give bits a dimension
        ureg.define("bit = [information]")
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


# -- vocabulary: candidate words -> pint unit names --------------------------------------

TIME_WORDS: dict[str, str] = {
    "ns": "nanosecond",
    "nanosecond": "nanosecond",
    "nanoseconds": "nanosecond",
    "µs": "microsecond",
    "us": "microsecond",
    "microsecond": "microsecond",
    "microseconds": "microsecond",
    "ms": "millisecond",
    "msec": "millisecond",
    "msecs": "millisecond",
    "millis": "millisecond",
    "millisecond": "millisecond",
    "milliseconds": "millisecond",
    "s": "second",
    "sec": "second",
    "secs": "second",
    "second": "second",
    "seconds": "second",
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "minutes": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "night": "day",
    "nights": "day",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "mo": "month",
    "mos": "month",
    "month": "month",
    "months": "month",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
}
TIME_ADVERBS: dict[str, str] = {
    "secondly": "second",
    "hourly": "hour",
    "daily": "day",
    "nightly": "day",
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
    "annually": "year",
    "annual": "year",
}

# People and what each of them holds open: all carry the [user] dimension.
POPULATION_NOUNS = frozenset(
    {
        "user",
        "dau",
        "mau",
        "wau",
        "people",
        "person",
        "viewer",
        "subscriber",
        "customer",
        "client",
        "device",
        "account",
        "member",
        "follower",
        "reader",
        "visitor",
        "shopper",
        "player",
        "listener",
        "driver",
        "rider",
        "merchant",
        "tenant",
        "creator",
        "student",
        "watcher",
        "connection",
        "socket",
        "websocket",
        "stream",
        "caller",
        "sender",
        "recipient",
        "active",  # "50M monthly actives"
    }
)
# Things that run or hold a share of the work: all carry the [node] dimension.
NODE_NOUNS = frozenset(
    {
        "node",
        "server",
        "shard",
        "machine",
        "instance",
        "process",
        "core",
        "cpu",
        "pod",
        "host",
        "box",
        "worker",
        "partition",
        "broker",
        "container",
        "vm",
        "gateway",
        "nic",
        "crawler",
        "fetcher",
        "consumer",
        "thread",
        "replica-set",
        "cluster",
        "primary",
        "database",
        "db",
    }
)
# Counted things: dimensionless; a known one maps to its own unit for readable output.
COUNT_NOUNS: dict[str, str] = {
    "request": "request",
    "req": "request",
    "qps": "request",
    "rps": "request",
    "call": "call",
    "api": "call",
    "query": "query",
    "querie": "query",
    "search": "query",
    "message": "message",
    "msg": "message",
    "chat": "message",
    "tweet": "post",
    "event": "event",
    "view": "view",
    "pageview": "view",
    "impression": "view",
    "visit": "view",
    "redirect": "read",
    "click": "read",
    "lookup": "read",
    "get": "read",
    "load": "read",
    "refreshe": "read",
    "refresh": "read",
    "open": "read",
    "download": "read",
    "upload": "upload",
    "post": "post",
    "comment": "post",
    "like": "event",
    "video": "video",
    "photo": "photo",
    "image": "photo",
    "picture": "photo",
    "notification": "notification",
    "push": "notification",
    "pushe": "notification",
    "email": "notification",
    "sms": "notification",
    "alert": "notification",
    "payment": "payment",
    "transaction": "transaction",
    "txn": "transaction",
    "tps": "transaction",
    "order": "order",
    "purchase": "order",
    "entry": "record",
    "entrie": "record",
    "posting": "record",
    "page": "page",
    "url": "link",
    "link": "link",
    "read": "read",
    "write": "write",
    "fetch": "fetch",
    "fetche": "fetch",
    "crawl": "fetch",
    "check": "check",
    "op": "operation",
    "ops": "operation",
    "operation": "operation",
    "iops": "operation",
    "insert": "insert",
    "update": "write",
    "play": "play",
    "start": "play",
    "record": "record",
    "row": "record",
    "log": "record",
    "key": "key",
    "counter": "key",
    "id": "key",
    "item": "item",
    "object": "item",
    "file": "item",
    "chunk": "item",
    "segment": "item",
    "job": "item",
    "document": "item",
    "doc": "item",
    "blob": "item",
    "attachment": "item",
    "thumbnail": "photo",
    "clip": "video",
    "story": "post",
    "span": "event",
    "trace": "event",
    "sample": "event",
    "task": "item",
    "delivery": "event",
    "deliverie": "event",
    "heartbeat": "event",
    "ping": "event",
    "packet": "event",
    "hit": "request",
    "time": "event",
}
RATE_NOUNS = frozenset({"qps", "rps", "tps", "iops"})  # count per second in one word

INFO_PREFIX = {"": "", "k": "kilo", "m": "mega", "g": "giga", "t": "tera", "p": "peta", "e": "exa"}
BINARY_PREFIX = {"k": "kibi", "m": "mebi", "g": "gibi", "t": "tebi", "p": "pebi", "e": "exbi"}


def singular(word: str) -> str:
    w = word.lower().strip("'’")
    w = w.removesuffix("'s").removesuffix("’s")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ses", "xes", "ches", "shes")) and len(w) > 4:
        return w[:-2]
    return w[:-1] if w.endswith("s") and len(w) > 2 and not w.endswith("ss") else w


def plural(noun: str) -> str:
    """The plural of one of the registry's count nouns: 'fetch' -> 'fetches'."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def noun_class(word: str) -> str | None:
    """'population', 'node', 'count', 'rate' (QPS) or None for a word after a number."""
    w, low = singular(word), word.lower()
    if low in RATE_NOUNS or w in RATE_NOUNS:
        return "rate"
    if w in POPULATION_NOUNS or low in POPULATION_NOUNS:
        return "population"
    if w in NODE_NOUNS or low in NODE_NOUNS:
        return "node"
    if w in COUNT_NOUNS or low in COUNT_NOUNS:
        return "count"
    return None


@lru_cache(maxsize=1)
def time_ratios() -> tuple[tuple[float, str, str], ...]:
    """(how many ``small`` in one ``big``, small, big) for the periods candidates convert between.

    Computed by pint: a bare "86,400" or "365" in a candidate's sum is usually one of these.
    """
    ureg = registry()
    pairs = [
        ("second", "minute"),
        ("second", "hour"),
        ("second", "day"),
        ("second", "month"),
        ("second", "year"),
        ("minute", "hour"),
        ("minute", "day"),
        ("hour", "day"),
        ("hour", "month"),
        ("hour", "year"),
        ("day", "week"),
        ("day", "month"),
        ("day", "year"),
        ("week", "year"),
        ("month", "year"),
    ]
    return tuple((ureg.Quantity(1, big).to(small).magnitude, small, big) for small, big in pairs)


# -- output -----------------------------------------------------------------------------

_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def human_number(x: float) -> str:
    """1157.4 -> '1.2K', 2e9 -> '2B', 0.0347 -> '0.035': two significant figures."""
    if x == 0 or not math.isfinite(x):
        return str(x)
    for scale, suffix in _SUFFIXES:
        if abs(x) >= scale:
            return f"{_sig(x / scale)}{suffix}"
    return _sig(x)


def _sig(x: float) -> str:
    """Two significant figures, as estimates are said: 23, 1.2, 0.035; whole above 100."""
    if abs(x) >= 99.5:
        return f"{x:,.0f}"
    text = f"{x:.2g}"
    return text if "e" not in text else f"{x:.1e}"


_INFO_STEPS = (
    ("peta", 1e15),
    ("tera", 1e12),
    ("giga", 1e9),
    ("mega", 1e6),
    ("kilo", 1e3),
    ("", 1.0),
)


_PERIODS = {"second", "minute", "hour", "day", "week", "month", "year"}
# the things candidates count, as the registry names them (a request, a user, a node)
_COUNTED = frozenset(COUNT_NOUNS.values()) | {"user", "node"}


def format_quantity(magnitude: float, unit: str) -> str:
    """A value in ``unit`` for people: '1.2 GB/s', '6.2 Tbit/s', '1.2K request/s'.

    Sizes get the prefix that keeps the number between 1 and 1,000 (in bits when ``unit``
    counts bits, in bytes otherwise); counts get K/M/B suffixes.
    """
    ureg = registry()
    units = ureg.parse_units(unit)
    info = [name for name in units._units if name.endswith(("bit", "byte"))]
    if len(info) != 1 or units._units[info[0]] != 1:
        if units._units and all(power == -1 for power in units._units.values()):
            # a count of nothing named, per period (and per node): "9.2K a second", not "1/s"
            per = sorted((name.replace("_", " ") for name in units._units),
                         key=lambda name: name not in _PERIODS)
            return f"{human_number(magnitude)} a {' per '.join(per)}"
        named = [n for n, power in units._units.items() if power == 1]
        if named == ["dollar"] and all(p == -1 for n, p in units._units.items() if n != "dollar"):
            # "$100K a day", "$2.3 a payment": money is written with its sign
            per = sorted((n.replace("_", " ") for n in units._units if n != "dollar"),
                         key=lambda name: name not in _PERIODS)
            amount = f"${human_number(magnitude)}"
            return f"{amount} a {' per '.join(per)}" if per else amount
        if len(units._units) == 1 and len(named) == 1 and named[0] in _COUNTED:
            # "≈ 100 nodes", "≈ 3M users"
            noun = named[0] if abs(magnitude - 1) < 1e-9 else plural(named[0])
            return f"{human_number(magnitude)} {noun}"
        if (len(named) == 1 and named[0] in _COUNTED and len(units._units) > 1
                and all(p == -1 for n, p in units._units.items() if n != named[0])):
            # "1B notifications a day", "116 transactions a second per node", not "1B
            # notification/d"
            per = sorted((n.replace("_", " ") for n in units._units if n != named[0]),
                         key=lambda name: name not in _PERIODS)
            noun = named[0] if abs(magnitude - 1) < 1e-9 else plural(named[0])
            return f"{human_number(magnitude)} {noun} a {' per '.join(per)}"
        text = f"{units:~P}" if str(units) != "dimensionless" else ""
        return f"{human_number(magnitude)} {text}".strip()
    base = "bit" if info[0].endswith("bit") else "byte"
    in_base = ureg.Quantity(magnitude, unit).to(
        units / ureg.parse_units(info[0]) * ureg.parse_units(base)
    )
    amount = in_base.magnitude
    for prefix, scale in _INFO_STEPS:
        if abs(amount) >= scale or prefix == "":
            shown = units / ureg.parse_units(info[0]) * ureg.parse_units(prefix + base)
            per = [n for n, p in units._units.items() if p == -1]
            if len(per) == 1 and per[0] in _PERIODS and per[0] != "second":
                # "308 GB a day", not "308 GB/d"
                size = ureg.parse_units(prefix + base)
                return f"{_sig(amount / scale)} {size:~P} a {per[0]}"
            return f"{_sig(amount / scale)} {shown:~P}"
    raise AssertionError("unreachable")
