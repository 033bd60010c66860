"""Amounts in a candidate's words: counts, bytes, rates and durations.

"about half a million posts", "a 5 MB blob", "2M rows", "a few thousand at most",
"300 uploads a second", "150 ms of CPU". The event-loop reading needs to know whether the data
a piece of work touches is large (sorting 2M rows) or small (sorting 50), and whether calls
arrive many at a time (a rate, an in-flight count), so each amount is typed by what it measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_I = re.IGNORECASE

Measure = Literal["count", "bytes", "rate", "duration", "other"]

_MULTIPLIER = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "hundred": 1e2,
}
_BYTES = {
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1e3,
    "kilobyte": 1e3,
    "kilobytes": 1e3,
    "mb": 1e6,
    "megabyte": 1e6,
    "megabytes": 1e6,
    "gb": 1e9,
    "gigabyte": 1e9,
    "gigabytes": 1e9,
    "tb": 1e12,
    "terabyte": 1e12,
    "terabytes": 1e12,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
    "meg": 1e6,  # "forty megs", "a couple of gigs": spoken sizes
    "megs": 1e6,
    "gig": 1e9,
    "gigs": 1e9,
}
_WORD_NUMBER = {
    "a few": 3,
    "a couple of": 2,
    "a couple": 2,
    "several": 5,
    "a handful of": 5,
    "half a": 0.5,
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a hundred": 100,
    "hundreds of thousands of": 3e5,
    "hundreds of thousands": 3e5,
    "tens of thousands of": 3e4,
    "tens of thousands": 3e4,
    "hundreds of": 300,
    "tens of": 30,
    "thousands of": 3e3,
    "millions of": 3e6,
    "billions of": 3e9,
    "a dozen": 12,
    "dozens of": 36,
}

_AMOUNT = re.compile(
    r"(?<![\w.])(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    r"(?:hundreds|tens) of thousands(?: of)?|a few|a couple(?: of)?|several|a handful of|half a|hundreds of|tens of|thousands of|"
    r"millions of|billions of|a dozen|dozens of|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"a hundred|a)"
    r"(?:(?:\s*|-)(?P<mult>k|m|mn|b|bn|thousand|million|millions|billion|billions|hundred"
    r"(?: thousand)?)(?![\w]))?"
    r"(?:(?:\s*|-)(?P<unit>kb|mb|gb|tb|kib|mib|gib|tib|bytes?|kilobytes?|megabytes?|gigabytes?|"
    r"terabytes?|megs?|gigs?)"
    r"(?![\w]))?(?![\w])",
    _I,
)
# Bare plural words that are amounts by themselves ("millions of rows" is matched above).
_BARE = re.compile(
    r"\b(?P<word>hundreds of thousands|tens of thousands|millions|billions|thousands|million|"
    r"billion|multi-?megabyte|multi-?gigabyte|gigabytes|megabytes)\b",
    _I,
)
_BARE_VALUE = {
    "hundreds of thousands": (3e5, "count"),
    "tens of thousands": (3e4, "count"),
    "millions": (3e6, "count"),
    "billions": (3e9, "count"),
    "thousands": (3e3, "count"),
    "multi-megabyte": (5e6, "bytes"),
    "multimegabyte": (5e6, "bytes"),
    "multi-gigabyte": (5e9, "bytes"),
    "multigigabyte": (5e9, "bytes"),
    "gigabytes": (5e9, "bytes"),
    "megabytes": (5e6, "bytes"),
    "million": (1e6, "count"),
    "billion": (1e9, "count"),
}
_RATE_AFTER = re.compile(
    r"^[\s\w'-]{0,30}?\b(?:a|per|/|each|an|every)\s?(?:second|sec|s|minute|min|hour|day|month)"
    r"\b|^\s*(?:rps|qps|/s|req/s|requests/s)\b|^[\s\w-]{0,25}?\b(?:in flight|in-flight|at once|"
    r"concurrent\w*|in parallel|simultaneous\w*|open|outstanding|pending|at the same time)\b",
    _I,
)
_DURATION_AFTER = re.compile(
    r"^\s*(?:ms|milliseconds?|µs|us|microseconds?|seconds?|secs?|s\b|minutes?|mins?|hours?|"
    r"hrs?|days?|weeks?|months?|years?|cpu[- ]\w+)\b",
    _I,
)
_OTHER_AFTER = re.compile(
    r"^\s*(?:p\b|x\d|px|%|percent|cores?|pods?|instances?|nodes?|processes|process|machines?|"
    r"threads?|shards?|replicas?|bits?|characters?|chars?|iterations?|mbps|gbps|tbps|kbps|mp\b|"
    r"megapixels?|times|fps|gb/s|mb/s|rounds?|versions?|sizes?|renditions?|regions?|zones?|"
    r"days?|weeks?|hours?|minutes?|seconds?|ms)\b",
    _I,
)
_OTHER_BEFORE = re.compile(
    r"\b(?:cost|level|quality|status|port|http|version|v|-ss|code|factor|top|first|last|n=|"
    r"iterations?|at)\s*$",
    _I,
)


@dataclass(frozen=True)
class Amount:
    """One amount in the text: what it measures, its value in items or bytes, its offsets."""

    measure: Measure
    value: float
    start: int
    end: int
    text: str


def amounts(text: str) -> list[Amount]:
    """Every amount in ``text`` in order, typed by what it measures."""
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for m in _AMOUNT.finditer(text):
        num, mult, unit = m.group("num"), m.group("mult"), m.group("unit")
        if num.lower() in ("a", "one") and not (mult or unit):
            continue
        value = _number(num)
        if value is None:
            continue
        if mult:
            for part in mult.lower().split():
                value *= _MULTIPLIER.get(part, 1)
        after = text[m.end() : m.end() + 40]
        before = text[max(0, m.start() - 12) : m.start()]
        if unit:
            measure: Measure = "bytes"
            value *= _BYTES[unit.lower()]
        elif _DURATION_AFTER.match(after):
            measure = "duration"
        elif _RATE_AFTER.match(after):
            measure = "rate"
        elif _OTHER_AFTER.match(after) or _OTHER_BEFORE.search(before):
            measure = "other"
        else:
            measure = "count"
        found.append(Amount(measure, value, m.start(), m.end(), m.group(0).strip()))
        taken.append((m.start(), m.end()))
    for m in _BARE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value, measure = _BARE_VALUE[m.group("word").lower().replace(" ", " ")]
        after = text[m.end() : m.end() + 40]
        if measure == "count" and _RATE_AFTER.match(after):
            measure = "rate"
        found.append(Amount(measure, value, m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda a: a.start)


def _number(num: str) -> float | None:
    key = num.lower()
    if key in _WORD_NUMBER:
        return float(_WORD_NUMBER[key])
    try:
        return float(num.replace(",", ""))
    except ValueError:
        return None
