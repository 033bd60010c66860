"""Figures in a candidate's words: digits, scales, powers of ten, and numbers in words.

"10M", "1.2k", "3 billion", "1e6", "10^5", "2 x 10^6", "62^7", "one hundred twenty million",
"half a million", "4:1", "one in ten", "double": each becomes a :class:`Number` with its
span. Versions ("Node 20"), ports, status codes, calendar years, clock times, ordinals and
identifiers ("p99", "S3", "HTTP/2", "24/7") are not figures and are skipped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.reading import units as U

__all__ = ["SCALE", "SCALE_WORDS", "Number", "read_numbers"]

SCALE_WORDS = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mil": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "tn": 1e12,
}
_FACTOR_WORDS = {
    "half": 0.5,
    "double": 2,
    "twice": 2,
    "triple": 3,
    "thrice": 3,
    "quadruple": 4,
    "tenfold": 10,
}
_I = re.IGNORECASE
#: "a peak factor of three": a number word after it is a figure even with no unit
# "a peak factor of three", "peak factor, let's say three", "divide by eight": a factor in words
FACTOR_OF = re.compile(
    r"\b(?:factor|multiplier)(?:\s+of|,?\s+(?:let'?s\s+say|say|maybe|is|of\s+about|"
    r"about|around|roughly)){1,2}\s+$|\b(?:divid\w*|multipl\w*)\s+(?:it\s+|that\s+)?by\s+$|"
    r"[\d)]\s+(?:times|x|×)\s+$|\b(?:hundred|thousand|million|billion)\s+(?:times|over)\s+$", _I)
_NUM = re.compile(
    r"(?P<cur>\$\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:[eE](?P<exp>[+-]?\d{1,2})(?![\w]))?"
)
_POWER = re.compile(r"\s?(?:\^|\*\*)\s?(?P<p>[+-]?\d{1,2})(?!\d|\.\d)")
_SCI = re.compile(r"\s?[x×*]\s?10\s?(?:\^|\*\*)\s?(?P<p>[+-]?\d{1,2})(?!\d|\.\d)")
_UNITS_WORDS = {
    "a": 1,
    "an": 1,
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "few": 3,
    "couple": 2,
    "half": 0.5,
}
#: Digits said after "point": "one point two million", "sixteen point seven thousand".
_DIGIT_WORDS = {"zero": 0, "oh": 0, **{w: v for w, v in _UNITS_WORDS.items()
                                       if isinstance(v, int) and 0 < v < 10 and len(w) > 2}}
_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
# "five twenty-minute videos": the tens word is part of a compound, not 520
_COMPOUND_UNIT = re.compile(r"(?:second|minute|hour|day|week|month|year|ms\b|milli|micro|gig|meg|"
                            r"tera|byte|bit|core|node|char|item|user|person)", re.IGNORECASE)
_WORD_NUM = re.compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|few|couple|half|"
    r"and|of|zero|point)(?:[\s-]+|\b)){1,8}",
    _I,
)
_FRACTION_D = {"third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "tenth": 10,
               "hundredth": 100, "thousandth": 1000}
_FRACTION = re.compile(
    r"\b(?P<n>a|one|two|three|four|nine)[\s-]+(?P<d>thirds?|quarters?|fourths?|fifths?|sixths?|"
    r"tenths?|hundredths?|thousandths?)\b(?=\s+(?:of|are|is|were|will|would|hold|have|use)\b)", _I)
_HALF_A_UNIT = re.compile(
    r"\bhalf\s+an?(?=\s+(?:(?:cpu|vcpu|core)[ -]?)?(?:(?:milli|micro)?seconds?\b|ms\b|minutes?\b|"
    r"hours?\b|days?\b|(?:kilo|mega|giga|tera)bytes?\b|[kmgt]b\b))", _I)
_FACTOR_WORD = re.compile(r"\b(?P<w>half|double|twice|triple|thrice|quadruple|tenfold)(?:d)?\b", _I)
_ONE_IN = re.compile(
    r"\b(?:one|1|a)\s+(?:in|out of)\s+(?P<n>\d{1,4}|ten|twenty|fifty|a hundred|"
    r"hundred|a thousand|thousand)\b",
    _I,
)
_RATIO = re.compile(r"(?<![\d:.])(?P<a>\d{1,4}(?:\.\d+)?):(?P<b>\d{1,4}(?:\.\d+)?)(?![\d:])"
                    # "compresses about 5 to 1": a ratio said in words
                    r"|(?<![\d.])(?P<wa>\d{1,3}(?:\.\d+)?)\s+to\s+(?P<wb>1)"
                    r"(?=\s*(?:[,.;)]|$|with\b|compression\b|ratio\b|in\b|on\b|for\b|using\b))")
SCALE = re.compile(  # "10 millions" (the plural is common in non-native English)
    r"(?P<sp>\s?)(?P<s>(?:thousand|million|billion|trillion)s?|mil|mn|bn|tn|[kKmMbBT])"
    r"(?![A-Za-z0-9])"
)
_VERSION_BEFORE = re.compile(
    r"\b(?:node(?:\.js)?|nodejs|python|java|jdk|postgres(?:ql)?|mysql|redis|kafka|http|tls|ssl|"
    r"ipv|es|ecmascript|ubuntu|debian|windows|ios|android|react|vue|angular|go|golang|rust|php|"
    r"ruby|rails|django|chrome|firefox|typescript|version|v|release|port|rfc|status|error|code|"
    r"step|phase|level|chapter|section|gen|generation|raid|top|mongo(?:db)?|cassandra|"
    r"elasticsearch|k8s|kubernetes|q|h|sha|md|utf|base|int|uint|float)\s*$",
    _I,
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z])", _I)


@dataclass
class Number:
    start: int
    end: int
    value: float
    scaled: bool = False  # carried a K/M/B or "million"
    currency: bool = False
    word: bool = False  # written in words
    factor: bool = False  # "double", "half", "one in ten", "4:1"
    alt_bytes: bool = False  # a glued "B" that may mean bytes rather than billion


def _glued_before(text: str, i: int) -> bool:
    """True when the digit at ``i`` belongs to a word, version, path, price or identifier."""
    if i == 0:
        return False
    c = text[i - 1]
    if c in "xX×*":
        return i >= 2 and text[i - 2].isalpha()
    if c.isalnum() or c in "_.^#@£€:\\'":
        return True
    if c == "-" and i >= 2 and text[i - 2].isalnum():
        return not (i >= 3 and text[i - 2].isdigit())  # "50-100K" is a range: read by the caller
    if c == "/" and i >= 2 and text[i - 2].isalpha():
        return True
    return c == "(" and i >= 2 and text[i - 2].isalpha()  # O(1)


def read_numbers(text: str) -> list[Number]:
    found: list[Number] = []
    for m in _RATIO.finditer(text):
        a, b = float(m.group("a") or m.group("wa")), float(m.group("b") or m.group("wb"))
        clock = re.fullmatch(r"\d{1,2}:\d{2}", m.group(0)) and a <= 24 and b < 60 and b != 1
        if a > 0 and b > 0 and not clock and not _glued_before(text, m.start()):
            found.append(Number(m.start(), m.end(), a / b, factor=True))
    for m in _ONE_IN.finditer(text):
        n = m.group("n").lower()
        value = (
            float(n)
            if n.isdigit()
            else {"ten": 10, "twenty": 20, "fifty": 50}.get(n, 1000.0 if "thousand" in n else 100.0)
        )
        found.append(Number(m.start(), m.end(), 1 / value, factor=True, word=True))
    for m in _FRACTION.finditer(text):  # "a fifth of them", "two thirds of the reads"
        parts = m.group("n").lower(), m.group("d").lower().rstrip("s")
        value = _UNITS_WORDS.get(parts[0], 1) / _FRACTION_D[parts[1]]  # "a" fifth: one
        found.append(Number(m.start(), m.end(), value, factor=True, word=True))
    for m in _HALF_A_UNIT.finditer(text):  # "half a second", "half a CPU-second": 0.5 of it
        found.append(Number(m.start(), m.end(), 0.5, word=True))
    for m in _FACTOR_WORD.finditer(text):
        found.append(
            Number(
                m.start(),
                m.end(),
                float(_FACTOR_WORDS[m.group("w").lower()]),
                factor=True,
                word=True,
            )
        )
    for m in _WORD_NUM.finditer(text):
        if (n := _word_number(text, m)) is not None:
            found.append(n)
            if (n.end < m.end() and (gap := re.match(r"\s+and\s+", text[n.end : m.end()]))
                    and (rest := _WORD_NUM.match(text, n.end + gap.end()))
                    and (second := _word_number(text, rest)) is not None):
                found.append(second)  # "between twelve hundred and two thousand three hundred"
    for m in _NUM.finditer(text):
        n = _read_digits(text, m)
        if n is not None:
            found.append(n)
    found.sort(key=lambda n: (n.start, -n.end))
    out: list[Number] = []
    for n in found:
        if out and n.start < out[-1].end:
            continue
        out.append(n)
    return out


# "a terabyte a day", "a dollar an hour", "under a millisecond": one of a unit of size, money
# or a short time (never "a second", "a day": those are periods)
_ONE_SIZE = re.compile(r"\s+(?:(?:kilo|mega|giga|tera|peta)(?:byte|bit)s?|dollar|euro|pound|buck|"
                       r"(?:milli|micro)second)\b", _I)


def _word_number(text: str, m: re.Match[str]) -> Number | None:
    """'one hundred twenty million', 'fourteen thousand', 'a million', 'three': a figure in words.

    A lone small word counts only before a unit or a counted noun ("three reminders a day"),
    and a lone "a", "one" or "half" never does ("a day", "one node").
    """
    words = re.findall(r"[a-z]+", m.group(0).lower())
    if "and" in words[1:] and re.search(r"\bbetween\s+$", text[max(0, m.start() - 12) : m.start()]):
        words = words[: words.index("and", 1)]  # "between twelve hundred and two thousand": two
    if (words and words[0] in ("a", "one") and (unit := _ONE_SIZE.match(text, m.start() + len(words[0])))
            and not re.match(r"\s+or\s+(?:two|three|so)\b", text[unit.end() :], _I)):  # "a ms or two"
        return Number(m.start(), m.start() + len(words[0]), 1.0, word=True)
    while words and words[-1] in ("and", "of", "a", "an"):
        words.pop()
    while words and words[0] in ("and", "of"):
        words.pop(0)
    while words and words[-1] == "point":  # "three point" then digits: not a decimal
        words.pop()
    if not words:
        return None
    total = current = 0.0
    scaled = False
    half = words[0] == "half" and len(words) > 2 and words[1] in ("a", "an")
    if half:
        words = words[2:]
    words = [
        w
        for i, w in enumerate(words)  # "a few thousand": the "a" is an article
        if not (
            w in ("a", "an") and i + 1 < len(words) and words[i + 1] in ("few", "couple", "dozen")
        )
    ]
    if len(words) > 1 and words[0] in ("a", "an") and words[1] in _UNITS_WORDS:
        words = words[1:]  # "a ten-year horizon": the "a" is an article, not a one
    # "eight and a half": the "a" before "half" is an article too (8.5, not 9.5)
    words = [w for i, w in enumerate(words)
             if not (w in ("a", "an") and 0 < i < len(words) - 1 and words[i - 1] == "and"
                     and words[i + 1] == "half")]
    if (len(words) >= 2 and words[0] in _DIGIT_WORDS and words[1] in _TENS
            and not set(words) & {"hundred", "point", *SCALE_WORDS}
            and not (m.group(0).endswith("-") and _COMPOUND_UNIT.match(text, m.end()))):
        # "three-eighty-six pages a second": hundreds said the short way, 386
        short_hundreds = True
    else:
        short_hundreds = False
    place = 0.0  # after "point": the value of the next digit word ("sixteen point seven")
    for w in words:
        if w in ("and", "of"):
            continue
        if w == "point":
            if place:
                return None
            place = 0.1
        elif place and w in _DIGIT_WORDS:
            current += _DIGIT_WORDS[w] * place
            place /= 10
        elif place and w not in SCALE_WORDS:
            return None  # "two point fifty": not how a decimal is said
        elif w == "zero":
            continue
        elif w in _UNITS_WORDS:
            if short_hundreds and w in _TENS:
                current, short_hundreds = current * 100, False
            current += _UNITS_WORDS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in SCALE_WORDS:
            total += max(current, 1) * SCALE_WORDS[w]
            current, scaled, place = 0.0, True, 0.0
        else:
            return None
    value = (total + current) * (0.5 if half else 1.0)
    if value == 0:
        return None  # "zero downtime": a goal, not a figure to reckon with
    start = m.start() + m.group(0).lower().index("half" if half else words[0])
    end = start
    for w in words:  # the end of the last word kept
        end = m.group(0).lower().index(w, end - m.start()) + m.start() + len(w)
    if (k := re.match(r"\s?[kK](?![A-Za-z0-9'])", text[end : end + 3])) and words not in (["a"], ["an"]):
        value, end, scaled = value * 1e3, end + k.end(), True  # "fifty K", "two hundred K"
    if not scaled and "hundred" not in words:
        if len(words) == 1 and words[0] in ("a", "an", "one", "half", "few", "couple"):
            return None
        if not re.match(
            r"\s+(?:times?\b|(?:[a-z]+\s+)?[a-z]+s\b|percent|%|[a-z]+\s+(?:per|a|an|each)\s)"
            r"|-(?:second|minute|hour|day|week|month|year)\b"  # "a ten-year horizon"
            r"|-?[x×](?![A-Za-z0-9])"  # "a three-x peak"
            r"|-(?:v?cpus?|cores?)\b"  # "four-vCPU workers"
            r"|-(?:dollars?|cents?|(?:kilo|mega|giga|tera|peta)?(?:bytes?|bits?)|gigs?|megs?)\b"
            r"|\s+(?:a|an|per|each)\s+(?:second|minute|hour|day|week|month|year)\b",  # "forty a second"
            text[end : end + 30],
            _I,
        ) and not FACTOR_OF.search(text[max(0, start - 30) : start]):
            return None  # "two services": words, not figures
    return Number(start, end, value, scaled=scaled, word=True)


def _read_digits(text: str, m: re.Match[str]) -> Number | None:
    start = m.start() if m.group("cur") else m.start("num")
    if _glued_before(text, m.start("num") if not m.group("cur") else m.start()):
        return None
    raw = m.group("num")
    if re.match(r"24\s?/\s?7(?!\d)", text[m.start("num") : m.start("num") + 6]):
        return None
    value = float(raw.replace(",", ""))
    if m.group("exp"):
        value *= 10 ** int(m.group("exp"))
    end = m.end()
    nxt = text[end : end + 2]
    if nxt[:1] in (":", ".") and nxt[1:2].isdigit():
        return None  # 10:30, 3.11.2 (ratios are read apart)
    if _ORDINAL.match(text, end):
        return None
    if re.fullmatch(r"[1-5]\d\d", raw) and re.match(r"s\b", text[end : end + 2]):
        return None  # "FCM 429s", "500s": status codes
    if (p := _POWER.match(text, end)) and "." not in raw and "," not in raw:
        return Number(start, p.end(), value ** int(p.group("p")))
    if (s := _SCI.match(text, end)) and value < 10:
        return Number(start, s.end(), value * 10 ** int(s.group("p")))
    before = text[max(0, start - 24) : start]
    if re.search(r"\b(?:port|status|rfc|error|code|http)\s*$", before, _I) or re.search(
        r"24\s?/\s?$", before
    ):
        return None  # port 8080, status 429, the 7 of 24/7
    if (
        _VERSION_BEFORE.search(before)
        and not SCALE.match(text, end)
        and "," not in raw
        and value < 1000
    ):
        return None
    scaled, alt_bytes = False, False
    if sc := SCALE.match(text, end):
        letter = sc.group("s")
        spaced = bool(sc.group("sp"))
        ok = (not spaced or letter.lower().removesuffix("s") in SCALE_WORDS
              or letter in ("K", "M"))
        if letter == "B" and _b_means_bytes(text, sc.end(), spaced):
            ok = False
        if letter == "m" and not re.match(r"\s*(?:/|[A-Za-z])", text[sc.end() : sc.end() + 3]):
            ok = False  # "every 5m": minutes
        if ok:
            word = letter.lower().removesuffix("s") if len(letter) > 4 else letter.lower()
            scale = SCALE_WORDS.get(
                word, {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}.get(letter.lower(), 1.0)
            )
            value *= scale
            end, scaled = sc.end(), True
            alt_bytes = letter == "B" and not spaced and _b_maybe_bytes(text, sc.end())
    elif re.fullmatch(r"(19|20)\d\d", raw) and not re.match(
        r"\s*(?:[a-zA-Z%$/]|x\b)", text[end : end + 3]
    ):
        return None  # a calendar year
    return Number(
        start, end, value, scaled=scaled, currency=bool(m.group("cur")), alt_bytes=alt_bytes
    )


def _b_means_bytes(text: str, after: int, spaced: bool) -> bool:
    """Whether a "B" after a number is bytes ("300 B per message") rather than billions."""
    tail = text[after : after + 40]
    word = re.match(r"\s*([A-Za-z]+)", tail)
    if word and U.noun_class(word.group(1)) is not None:
        return False  # "2B messages", "3 B users"
    if re.match(
        r"\s*(?:/|per|an?|each)\s*(?:day|d|month|year|yr|hour|week|sec|s)\b|\s+(?:daily|"
        r"monthly)",
        tail,
        _I,
    ):
        return False  # "2B/day"
    if spaced:
        return True
    return bool(
        re.match(
            r"\s*(?:/\s*[a-z]|per\b|each\b|of\s+(?:data|storage|metadata|payload|"
            r"text|overhead))",
            tail,
            _I,
        )
    )


def _b_maybe_bytes(text: str, after: int) -> bool:
    """A glued "B" read as billion that could still be bytes ("* 500B = 3.2TB")."""
    return not re.match(r"\s*(?:[A-Za-z]|/\s*(?:day|s|sec|month|year))", text[after : after + 12])
