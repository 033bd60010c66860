"""Quantities in a candidate's capacity estimate, read with real units, and the slips among them.

Two steps, both pure:

* :func:`read_quantities` finds every figure in a turn ("10M DAU", "5 Mbps each", "86,400 s",
  "3x peak", "$40", "1.2k/s", "ten million users") and gives it a pint unit: bits and bytes,
  per second / day / month, per user, per node. Versions, ports, years, percentiles ("p99"),
  identifiers ("S3", "4xx") and clock times are not figures and are left out.
* :func:`find_slips` recomputes each figure the candidate *derives* ("= 1M QPS", "so 120 nodes",
  "which is 10 GB/s") from the candidate's own earlier figures and the arithmetic between
  them, and reports the ones more than :data:`TOLERANCE` (3x) away. It prefers silence to a
  wrong accusation: a figure is questioned only when every reading of the candidate's words
  that it can find disagrees with it, and never on the strength of an assumption the
  candidate did not state (an unstated peak factor, a replica count chosen "for headroom").

Where things live: ``units`` (the pint registry and the unit vocabulary), ``numbers`` (digits,
scales and number words), ``unit_phrases`` (the words after a number), this module (the
words around it, and the public models); ``links`` (which figures are derived),
``derivations`` (products of figures by dimension), ``recompute`` (judging one derived
figure) and ``slips`` (the report). Only standard library, pydantic and pint are imported.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Literal

import pint
from pydantic import BaseModel, ConfigDict, field_serializer

from simulator.reading import units as U
from simulator.reading.numbers import FACTOR_OF, Number, read_numbers
from simulator.reading.unit_phrases import UnitPhrase, read_unit

__all__ = ["TOLERANCE", "Quantity", "Slip", "find_slips", "read_quantities"]

#: A derived figure is a slip when it is more than this factor away from the recomputed one.
TOLERANCE = 3.0

_I = re.IGNORECASE
Kind = Literal[
    "rate",
    "size",
    "bandwidth",
    "count",
    "population",
    "nodes",
    "duration",
    "factor",
    "money",
    "other",
]


class Quantity(BaseModel):
    """One figure as the candidate wrote it, with a pint unit.

    ``magnitude`` is in ``unit`` (a pint unit expression, ``"dimensionless"`` for a bare number).
    ``tags`` carry what the surrounding words say: ``approx``, ``peak``, ``average``, ``each``,
    ``per-entity`` (a per-user or per-node figure), ``choice`` ("let's say", "for headroom"),
    ``length`` (how long one item lasts: "10 minutes long"), ``bare`` (no unit),
    ``peak-factor``, ``replication``, ``compression``, ``implicit`` (a unit word with no number:
    "in a year").
    """

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    magnitude: float
    unit: str = "dimensionless"
    kind: Kind = "count"
    noun: str | None = None
    low: float | None = None
    high: float | None = None
    tags: frozenset[str] = frozenset()
    alternatives: tuple[tuple[float, str], ...] = ()  # other readings: "500B" bytes or billion
    entity: str | None = None  # the node noun it counts or is per: "shard" in "50 shards"

    @field_serializer("tags")
    def _sorted_tags(self, tags: frozenset[str]) -> list[str]:
        """Tags in a fixed order, so a stored or compared reading does not depend on the
        interpreter's hash seed."""
        return sorted(tags)

    def to_pint(self) -> pint.Quantity:
        return U.registry().Quantity(self.magnitude, self.unit)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class Slip(BaseModel):
    """A derived figure more than 3x away from what the candidate's own numbers give."""

    model_config = ConfigDict(frozen=True)

    stated: str  # the figure as the candidate wrote it
    start: int
    end: int
    stated_value: float  # in ``unit``
    expected_value: float  # in ``unit``
    unit: str
    expected: str  # "≈ 1.2 GB/s"
    factor: float  # stated / expected: 8.0 is 8x too high, 0.1 is 10x too low
    kind: Literal["arithmetic", "bits-bytes", "time-unit", "magnitude"]
    working: str  # the candidate's own words the figure was recomputed from
    restatement: str


# -- context --------------------------------------------------------------------------------

_NOUNS_RE = "|".join(
    sorted(U.POPULATION_NOUNS | U.NODE_NOUNS | {"dau", "mau"}, key=len, reverse=True)
)
_RESULT_CUE = re.compile(r"\(\s*(?:so|i\.e\.|=)|\bso\b|\bthat's\b|\bwhich is\b|=|≈|->|→", _I)
_ENTITY_BEFORE = re.compile(
    r"\b(?:each|every|per|one|a single|single|a|an|the average|an average|a typical|"
    r"the typical|each of the)\s+(?:[\w./-]+\s+){0,2}?(?P<e>" + _NOUNS_RE + r")s?\b"
    # not "each user with 3 devices ...", "each node and ..."; but "each worker can call the
    # provider at about 300/s" is per worker: the "at" leads straight to the figure
    r"(?![^,;]*\b(?:and|with)\b[^,;]*$)"
    r"(?![^,;]*\bat\b(?!\s*(?:about|around|roughly|up to|most|~|≈)?\s*$)[^,;]*$)",
    _I,
)
_EACH_ALONE = re.compile(r"\b(?:each|every one|apiece)\b(?:\s+of\s+(?:them|those|these))?", _I)
_CLAUSE_END = re.compile(r"[.!?;](?=\s|$)|\n")
_PEAK = re.compile(
    r"\b(?:peak\w*|busiest|bursts?|spikes?|black friday|flash sales?|at most|"
    r"worst case|surges?|launch[- ]day|(?:peak|burst|surge|traffic|load|launch) multiplier)\b",
    _I,
)
_SPLIT_BEFORE = re.compile(
    r"\b(?:shard\w*|partition\w*|split\w*|spread\w*)(?:\s+(?:it\s+|them\s+|that\s+)?(?:across|over|"
    r"into|between|among))?\s*$", _I)
_ADJ_PERIOD = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month",
               "yearly": "year", "annual": "year"}
_PERIOD_OF = re.compile(
    r"\b(?P<adj>hourly|daily|weekly|monthly|yearly|annual)\s+(?:[\w-]+\s+)?(?:quota|limit|budget|cap|"
    r"allowance|volume|total|traffic|spend|bill|usage)\s+(?:is\s+|of\s+)(?:about\s+|roughly\s+|"
    r"around\s+|~\s*)?$",
    _I,
)
_PERIOD_IS = re.compile(
    r"\b(?:a|an|one|each|every|per)\s+(?P<t>second|minute|hour|day|week|month|"
    r"year)(?:\s+of\s+[\w-]+(?:\s+[\w-]+)?)?,?\s+(?:is|=|:|takes|needs|comes to|"
    # "per month it's ~100 TB", "Per year that's about 18 PB"
    r"(?:it|that|this)(?:'s|\s+is|\s+comes to|\s+adds up to|\s+works out to)|we (?:get|add|store)|"
    r"≈|~)\s*(?:about|roughly|around|~)?\s*$",
    _I,
)
_PEAK_AFTER = re.compile(
    r"[ ,]{0,3}(?:(?:at|with|for)\s+(?:an?\s+|the\s+)?(?:[\d.]+x\s+)?)?"
    r"(?:peak|busiest)\b(?!\s*(?:of|is|=|:|~|≈|factor)?\s*[~≈]?\s*\d)",
    _I,
)
_AVERAGE_BEFORE = re.compile(
    r"\b(?:avg|average|on average|mean)\s*(?:is|of|=|:)?\s*"
    r"(?:~|about|roughly|around)?\s*$",
    _I,
)
_AVERAGE_AFTER = re.compile(r"\W{0,3}(?:on\s+)?(?:avg|average|mean)\b", _I)
_CHOICE_BEFORE = re.compile(
    r"(?:\blet'?s (?:say|use|go with|assume|plan for)|\bsay\b|\bassum\w*|\bi'?d (?:say|use|run|"
    r"pick|go with|plan|shard|provision|deploy)\b|\bi'?ll (?:use|run|pick|plan)\b|\bplan for\b|"
    r"\bwe'?ll (?:use|run|plan|provision)\b|\btarget\w*|\bbudget\w*|\bround(?:ing)? up\b)"
    r"[^.;\d]*$",
    _I,
)
_CHOICE_AFTER = re.compile(
    r"^[^.;\d]{0,30}?\b(?:to be safe|for (?:headroom|redundancy|safety|"
    r"failover|growth|bursts)|(?:with|of|enough|some|more) headroom|"
    r"for the spikes|as a buffer)",
    _I,
)
_REPLICATION = re.compile(r"\b(?:replica\w*|replicat\w*|cop(?:y|ies)|triple-?|3-way|rf)\b", _I)
_PERIOD_PHRASE = re.compile(
    r"\b(?:in|over|for|per|within|during)\s+(?P<a>a|an|one|the first|"
    r"the busiest|the peak|a single|the same|that|this)\s+(?P<t>day|week|month|year|"
    r"hour|minute|second)\b",
    _I,
)


def _clause_start(text: str, pos: int) -> int:
    start = 0
    for m in _CLAUSE_END.finditer(text, 0, pos):
        start = m.end()
    return start


@lru_cache(maxsize=512)
def _kind_of(unit: str) -> Kind:
    dims = dict(U.registry().parse_units(unit).dimensionality)
    info, time = dims.get("[information]", 0), dims.get("[time]", 0)
    if dims.get("[currency]"):
        return "money"
    if info == 1:
        return "bandwidth" if time == -1 else "size"
    if info:
        return "other"
    if time == -1:
        return "rate"
    if time == 1:
        return "duration"
    if dims.get("[user]", 0) == 1:
        return "population"
    if dims.get("[node]", 0) == 1:
        return "nodes"
    return "count"


def read_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` with its pint unit, in order of appearance."""
    out: list[Quantity] = []
    numbers = read_numbers(text)
    i = 0
    while i < len(numbers):
        n = numbers[i]
        low = high = None
        # a range: "50-100K sockets", "2 to 3 replicas"
        if (
            i + 1 < len(numbers)
            and re.fullmatch(r"\s?(?:-|–|to)\s?", text[n.end : numbers[i + 1].start])
            and not n.word
            and not numbers[i + 1].word
            and not n.factor
            and not numbers[i + 1].factor
        ):
            m2 = numbers[i + 1]
            scale = (
                m2.value / float(re.sub(r"[^\d.]", "", text[m2.start : m2.end].split()[0]) or 1)
                if not n.scaled and m2.scaled
                else 1.0
            )
            lo, hi = n.value * (scale if scale > 1 else 1.0), m2.value
            if 0 < lo < hi:
                low, high = lo, hi
                n = Number(
                    n.start,
                    m2.end,
                    math.sqrt(lo * hi),
                    scaled=m2.scaled,
                    currency=n.currency,
                    alt_bytes=m2.alt_bytes,
                )
                i += 1
        if re.match(r"[\s-]*nines\b", text[n.end : n.end + 8], _I):
            i += 1
            continue  # "four nines": an availability, said the way people say it
        if out and n.start < out[-1].end:
            i += 1
            continue  # "two cents a gigabyte": the "a" is the last figure's unit, read already
        u = read_unit(text, n.end, n)
        if (
            u.end == n.end
            and n.end < len(text)
            and text[n.end].isalpha()
            and text[n.end - 1].isalnum()
            and not n.scaled
        ):
            i += 1
            continue  # 4xx, 2PC, 3AZ: an identifier
        if (
            n.word
            and not n.scaled
            and not n.factor
            and not u.num
            and not u.den
            and "factor" not in u.tags
            # "a peak factor of three": a factor in words
            and not FACTOR_OF.search(text[max(0, n.start - 30) : n.start])
            # "forty a second, a hundred and twenty at peak": the peak of the rate just said
            and not re.match(r"\s+(?:at|during|in)\s+(?:the\s+)?peak\b", text[n.end : n.end + 24], _I)
            # "the number in flight is around two hundred and fifty": a result said in words
            and not ("hundred" in text[n.start : n.end].lower() and _STATED_AS.search(
                text[max(0, n.start - 30) : n.start]))
            # "no wait, four hundred each": a share in words
            and not ("hundred" in text[n.start : n.end].lower() and "each" in u.tags)
        ):
            i += 1
            continue
        q = _make_quantity(text, n, u, low, high)
        if q is not None:
            out.append(q)
        i += 1
    out = _add_context(text, _per_group(text, out))
    return _add_period_phrases(text, _share_each(text, _of_them(text, _k_said_for_kb(out))))


def _share_each(text: str, qs: list[Quantity]) -> list[Quantity]:
    """"80,000 a second on 20 pods, so 4,000 each": a bare share right after a node count is
    the figure before it per node, in that figure's unit."""
    out = list(qs)
    for i in range(2, len(out)):
        q, nodes, whole = out[i], out[i - 1], out[i - 2]
        if not {"bare", "each", "per-entity"} <= q.tags or nodes.kind != "nodes" \
                or whole.unit in ("dimensionless", "node") or "bare" in whole.tags \
                or re.search(r"[.;!?]\s", text[nodes.end : q.start]) \
                or len(text[nodes.end : q.start].split()) > 6:
            continue
        out[i] = q.model_copy(update={"unit": f"{whole.unit} / node", "kind": whole.kind,
                                      "tags": q.tags - {"bare"}})
    return out


_OF_THEM = re.compile(r"\s+of\s+(?:them|those|these)\b", _I)


def _of_them(text: str, qs: list[Quantity]) -> list[Quantity]:
    """"with 64-gig boxes I'd want around 140 of them": a bare figure "of them" counts the
    machines the same sentence just named."""
    out = list(qs)
    for i, q in enumerate(out):
        if "bare" not in q.tags or not _OF_THEM.match(text, q.end):
            continue
        start = max(text.rfind(". ", 0, q.start), text.rfind("\n", 0, q.start), 0)
        nouns = [w for w in re.findall(r"[A-Za-z]+", text[start : q.start])
                 if U.singular(w.lower()) in U.NODE_NOUNS]
        if nouns:
            noun = U.singular(nouns[-1].lower())
            out[i] = q.model_copy(update={"unit": "node", "kind": "nodes", "entity": noun,
                                          "noun": nouns[-1], "tags": q.tags - {"bare"}})
    return out


_SAID_K = re.compile(r"[A-Za-z]\s?[kK]$")


def _k_said_for_kb(qs: list[Quantity]) -> list[Quantity]:
    """"30 KB each ... thirty million times thirty K": a "K" after a number in words is the
    kilobytes said before when the same figure was given in KB, else a thousand."""
    out = list(qs)
    for i, q in enumerate(out):
        if "bare" not in q.tags or not _SAID_K.search(q.text) or q.magnitude <= 0:
            continue
        if any(p.unit == "kilobyte" and abs(p.magnitude * 1000 - q.magnitude) < 1e-6 * q.magnitude
               for p in out[:i]):
            out[i] = q.model_copy(update={"magnitude": q.magnitude / 1000, "unit": "kilobyte",
                                          "kind": "size", "tags": q.tags - {"bare"}})
    return out


_EACH_COSTS = re.compile(r"\b(?:each|every|a single|one|per)\s+(?:[\w-]+\s+){0,2}?(?:costs?|is|takes?|weighs|"
                         r"uses|needs|comes to|averages)\s+(?:us\s+|them\s+)?(?:about|around|roughly|"
                         r"maybe|~)?\s*$", _I)
_LEADING_PERIOD = re.compile(
    r"(?:^|[.;:!?\n]\s*)(?:(?P<adv>daily|monthly|weekly|yearly|annually|hourly)|(?:per|each|every|in a|"
    r"in one) (?P<p>day|week|month|year|hour)),?\s+(?:we|they|users?|customers?|people|the [\w-]+|"
    r"our [\w-]+)\b[^.;:!?\d]{0,40}$", _I)
_SO_AFTER_FACTOR = re.compile(r"[^.;\d]{0,12}?[,;]?\s*(?:so|which means|meaning|giving|that'?s)\b[^.;\d]{0,30}",
                              _I)
_OVER_AVERAGE = re.compile(r"\s*(?:times\s+|x\s+)?(?:the\s+|our\s+)?(?:average|avg|normal|baseline|"
                           r"mean|steady[- ]state)\b", _I)
_MARKUP_BEFORE = re.compile(r"\b(?:another|an? extra|extra|additional|plus|add(?:ing)?)\s*(?:of\s*)?"
                            r"(?:about|around|roughly|maybe|~)?\s*$|\+\s*$", _I)
_MARKUP_AFTER = re.compile(r"\s*(?:more|extra|on top|overhead|headroom|of overhead|of headroom)\b", _I)
_STATED_AS = re.compile(r"\b(?:is|are|numbers?|totals?|comes? to|works? out to|that'?s|gives|=|≈)\s*(?:about|around|roughly|"
                        r"approximately|some|~)?\s*$", _I)


def _divided_count(text: str, q: Quantity, out: list[Quantity]) -> str | None:
    """The unit of the count a bare "N per node" shares out, when the same sentence has just
    named it ("10M connections across 200 processes is 50k per process": connections)."""
    if not out:
        return None
    if re.search(r"[.!?;]\s", text[out[-1].end : q.start]):
        # "... 3 million concurrent sockets. A Node process can hold maybe 30K": what one node
        # holds of the count said just before
        p = out[-1]
        if (p.kind in ("population", "count") and "/" not in p.unit and "bare" not in p.tags
                and _HOLDS.search(text[max(0, q.start - 40) : q.start])):
            return p.unit
        return None
    for p in reversed(out[-3:]):
        if re.search(r"[.!?;]\s", text[p.end : q.start]):
            break
        if p.kind in ("population", "count") and "/" not in p.unit and "bare" not in p.tags:
            return p.unit
    return None


_HOLDS = re.compile(r"\b(?:can |could |will )?(?:hold|handle|take|serve|keep|support|manage|fit)s?\s+"
                    r"(?:about|around|roughly|maybe|up to|~)?\s*$", _I)
_PER_GROUP = re.compile(r"\s+(?:per|for every|for each|out of every|in every)\s+$", _I)


_ONE_PER = re.compile(r"\b(?:one|a|an)\s+(?:[a-z-]+\s+){0,3}?(?:per|for every|for each|"
                      r"out of every|in every)\s+", _I)


def _per_group(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """'1 new link per 10 users a day' is 0.1 link per user per day, not two figures.

    Read apart, the "10 users a day" looks like a rate to multiply by, and a correct
    estimate is questioned as 100x off.
    """
    out: list[Quantity] = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        if (nxt is not None and q.kind == "count" and nxt.magnitude > 0
                and _PER_GROUP.search(text[q.end:nxt.start]) and text[q.end:nxt.start].strip()
                and nxt.unit.split(" / ")[0] == "user"):
            period = nxt.unit.split(" / ", 1)[1:] or []
            noun = q.unit if q.unit != "dimensionless" else "1"
            unit = " / ".join([noun, "user", *period])
            out.append(q.model_copy(update={
                "text": text[q.start:nxt.end], "end": nxt.end,
                "magnitude": q.magnitude / nxt.magnitude, "unit": unit,
                "kind": _kind_of(unit), "tags": q.tags | {"per-entity"}}))
            i += 2
            continue
        single = _ONE_PER.search(text, out[-1].end if out else 0, q.start)
        if (single is not None and single.end() == q.start and q.magnitude > 0
                and q.unit.split(" / ")[0] == "user"):
            period = q.unit.split(" / ", 1)[1:] or []
            unit = " / ".join(["1", "user", *period])
            out.append(q.model_copy(update={
                "text": text[single.start():q.end], "start": single.start(),
                "magnitude": 1 / q.magnitude, "unit": unit, "kind": _kind_of(unit),
                "tags": q.tags | {"per-entity"}}))
            i += 1
            continue
        out.append(q)
        i += 1
    return out


_TIME_PER_TIME = re.compile(
    r"(second|minute|hour|day|week|month|year) / (second|minute|hour|day|week|month|year)"
)


_CORES_EACH = re.compile(r"-(?:v?cpus?|cores?)[ \t]+(?:\w+[ \t]+)?(?:workers?|boxes|box|instances?|pods?|"
                         r"machines?|servers?|nodes?|hosts?|vms?)\b", re.IGNORECASE)


def _make_quantity(
    text: str, n: Number, u: UnitPhrase, low: float | None, high: float | None
) -> Quantity | None:
    start = n.start
    if start > 0 and text[start - 1] in "~≈∼":
        start -= 1
    tags = set(u.tags)
    if not u.num and not u.den and "factor" not in tags:
        tags.add("bare")
    if start != n.start or re.search(
        r"\b(?:about|roughly|around|approx\w*|nearly|almost|~)\s*$",
        text[max(0, start - 16) : start],
        _I,
    ):
        tags.add("approx")
    unit = u.expr()
    try:
        kind = _kind_of(unit)
    except pint.errors.PintError:
        return None
    alternatives: list[tuple[float, str]] = []
    if u.alt_num is not None:
        alternatives.append((n.value, u.expr(u.alt_num)))
    if n.alt_bytes and unit == "dimensionless":
        alternatives.append((n.value / 1e9, "byte"))
    if "factor" in tags:
        kind = "factor"
    if unit == "dollar" and n.value < 1:
        alternatives.append((n.value, "dollar / gigabyte"))  # "at $0.02": a price per GB
    if (m := _TIME_PER_TIME.fullmatch(unit)) and m.group(1) != m.group(2):
        alternatives.append((n.value, f"1 / {m.group(2)}"))  # "300M minutes a day": a count
    if (n.end < len(text) and text[n.end] == "-" and u.end > n.end + 1 and (u.num or u.noun)
            and kind != "duration"):  # "a 10-year horizon" is as long as "10 years"
        if (m := _CORES_EACH.match(text, n.end)) and kind == "nodes":
            # "4-vCPU workers": cores per worker, what a count of busy cores divides by
            unit, kind = "node / node", "factor"
            tags |= {"per-entity", "cores-each"}
        else:
            tags.add("spec")  # "a 64-byte counter", "8-core boxes": describes a thing, counts none
    return Quantity(
        text=text[start : u.end],
        start=start,
        end=u.end,
        magnitude=n.value * u.scale,
        unit=unit,
        kind=kind,
        noun=u.noun,
        low=low,
        high=high,
        tags=frozenset(tags),
        alternatives=tuple(alternatives),
        entity=u.entity,
    )


_ONLY_PERIOD = re.compile(r"^1 / (second|minute|hour|day|week|month|year)$")


def _add_context(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Tags and per-entity units that depend on the words around each figure."""
    out: list[Quantity] = []
    for i, q in enumerate(quantities):
        c_start = _clause_start(text, q.start)
        prev_end = max(c_start, out[-1].end if out else 0)
        before = text[prev_end : q.start]
        after = text[q.end : q.end + 40]
        after = _CLAUSE_END.split(after, maxsplit=1)[0]
        tags = set(q.tags)
        unit = q.unit
        entity_word = q.entity
        if (re.search(r"\bways?$", q.text, _I) or "bare" in tags) and _SPLIT_BEFORE.search(before):
            # "sharded 8 ways", "split 128 ways": a count of shards
            q = q.model_copy(update={"unit": "node", "kind": "nodes"})
            unit, entity_word = "node", "shard"
            tags.discard("bare")
        if "bare" in tags and (label := _label_unit(before)) is not None:
            unit, tags = label, tags - {"bare"}  # "Online users: 30M", "Peak QPS = 12K"
        if (
            (m := _PERIOD_IS.search(before))
            and q.kind in ("size", "count", "money")
            and "/" not in unit
        ):
            unit = f"{unit} / {U.TIME_WORDS[m.group('t').lower()]}"  # "an hour of video is 1 GB"
            tags.add("inferred-unit")
        elif (
            (m := _PERIOD_OF.search(before))
            and q.kind in ("size", "count", "money")
            and "/ " + _ADJ_PERIOD[m.group("adj").lower()] not in unit
            and not re.search(r"/ (?:second|minute|hour|day|week|month|year)", unit)
        ):
            # "a daily quota of 100k calls": the adjective gives the figure its period
            unit = f"{unit} / {_ADJ_PERIOD[m.group('adj').lower()]}"
            tags.add("inferred-unit")
        if (q.kind in ("count", "money", "size") and "/" not in unit
                and (m := _LEADING_PERIOD.search(text[max(0, q.start - 90) : q.start]))):
            # "Monthly we process 900 million payments": the period said first
            word = (m.group("adv") or m.group("p")).lower()
            period = _ADJ_PERIOD.get(word, word)
            unit = f"{unit} / {period}" if unit != "dimensionless" else f"1 / {period}"
        if "per-entity" not in tags and q.kind not in ("factor", "nodes"):
            entity, word = _entity_before(text, before, q, out, c_start)
            if entity is not None:
                unit = f"{unit} / {entity}" if unit != "dimensionless" else f"1 / {entity}"
                tags.add("per-entity")
                if entity == "node":
                    entity_word = word
        if unit == "1 / node" and (counted := _divided_count(text, q, out)) is not None:
            unit = f"{counted} / node"  # "10M connections across 200 processes is 50k per process"
            tags.discard("bare")  # it has the unit of what it shares out now
        near_before = re.split(r",|\band\b|\bwhile\b", before)[-1]
        if _PEAK.search(near_before) or _PEAK_AFTER.match(after):
            tags.add("peak")
        applied = bool(out and "peak-factor" in out[-1].tags and "/" in unit
                       and (re.fullmatch(r"\s*(?:=|≈|->|→|is|gives|that's|so)?\s*", before)
                            or _SO_AFTER_FACTOR.fullmatch(text[out[-1].end : q.start])))
        if applied:
            # "peak 3x = ~70k/s", "the multiplier is 6x, so we need to absorb 48K rps": the
            # factor applied is the peak
            tags.add("peak")
        if _AVERAGE_BEFORE.search(near_before) or _AVERAGE_AFTER.match(after):
            tags.add("average")
            tags.discard("peak")
        if (_CHOICE_BEFORE.search(before) and not applied) or _CHOICE_AFTER.match(after):
            tags.add("choice")  # "so plan capacity for 20K/s" right after the factor: worked out
        if "bare" in tags and re.search(
            r"\b(?:factor|multiplier|fan-?out|ratio)\s*(?:of|is|=|:|~|"
            r"around|about|at)?,?\s*(?:let'?s\s+say|say|maybe)?\s*~?$",
            before,
            _I,
        ):
            tags = (tags - {"bare"}) | {"factor"}
            q = q.model_copy(update={"kind": "factor"})
        if q.kind == "money" and "/" not in unit and _EACH_COSTS.search(
                text[c_start : q.start]):
            tags.add("each")  # "Each payment costs us $2.29": the figure for one of them
        if q.unit == "percent" and (_MARKUP_BEFORE.search(before[-24:])
                                    or _MARKUP_AFTER.match(after)):
            # "index overhead is maybe another 30 percent": 1.3x the figure, not 0.3x of it
            unit = "dimensionless"
            q = q.model_copy(update={"magnitude": 1 + q.magnitude / 100, "unit": unit})
            tags.add("markup")
        if q.kind == "factor":
            nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(text)
            around = text[max(prev_end, q.start - 40) : min(nxt, q.end + 30)]
            if (_PEAK.search(around) or _OVER_AVERAGE.match(text, q.end)) and q.unit != "percent" \
                    and q.magnitude >= 1 and ":" not in q.text:  # "~100:1 read-heavy" is a ratio
                tags.add("peak-factor")  # "peak is 3x", "could be 20 times average"
            if _REPLICATION.search(around):
                tags.add("replication")
                if re.match(r"\s*(?:in\s+)?(?:total|all|altogether|overall)\b", after, _I):
                    tags.add("total")  # "so four copies total": the copies said before are in it
            if re.search(
                r"compress\w*\s*(?:by\s*)?(?:about|~)?\s*$", text[c_start : q.start], _I
            ) or re.match(r"\s*(?:compression|compressed)", text[q.end : q.end + 14], _I):
                tags.add("compression")
        if q.kind == "duration" and (
            re.match(r"^\s*(?:each|per)\s+(?:play|view|video|session)", after, _I)
        ):
            tags.add("length")
        if (out and out[-1].kind == "money" and (m := _ONLY_PERIOD.match(unit))
                and q.noun is None and len(before.split()) <= 8):
            # "$150,000 a day, so, um, about 450 thousand a month": the same money, per month
            money = out[-1].unit.split(" / ")[0]
            unit = f"{money} / {m.group(1)}"
        if unit != q.unit:
            try:
                kind = _kind_of(unit)
            except pint.errors.PintError:
                unit, kind = q.unit, q.kind
        else:
            kind = q.kind
        out.append(
            q.model_copy(
                update={"tags": frozenset(tags), "unit": unit, "kind": kind, "entity": entity_word}
            )
        )
    return out


_LABEL = re.compile(
    r"(?:^|[\n.;(]|\b)\s*(?:[-*•]\s*)?(?:\w+\s+)?(?P<noun>[A-Za-z]+)\s*(?::|=|\bis\b|"
    r"\bare\b|\bof\b)\s*(?:~|≈|about|roughly|around)?\s*$"
)


def _label_unit(before: str) -> str | None:
    """The unit a label gives a bare number right after it: 'Online users: 30M' -> user."""
    m = _LABEL.search(before)
    if not m:
        return None
    noun = m.group("noun")
    cls = U.noun_class(noun)
    if cls == "population":
        return "user"
    if cls == "node":
        return "node"
    if cls == "rate":
        return f"{U.COUNT_NOUNS.get(noun.lower(), U.COUNT_NOUNS.get(U.singular(noun), 'request'))} / second"
    return None


def _entity_before(
    text: str, before: str, q: Quantity, done: list[Quantity], c_start: int
) -> tuple[str | None, str | None]:
    """'user' or 'node' when the words before a figure make it per user or per node, and the
    noun that said so ("worker" in "one worker pushes 500/s")."""
    if (m := _ENTITY_BEFORE.search(before)) and not (
        # "a fifth hold an open socket (so ten million connections)": a result, not per socket
        re.match(r"(?:an?|one|a single|single)\s", m.group(0), _I)
        and _RESULT_CUE.search(before[m.end() :])
    ):
        cls = U.noun_class(m.group("e"))
        if cls in ("population", "node") and not re.search(r"\d", before[m.end() :]):
            # "one crawler box does 20/s": the entity is the last noun of the phrase
            # ("each sender process": a process, not a sender)
            word = U.singular(m.group("e"))
            for w in re.findall(r"[A-Za-z-]+", before[m.end() :])[:2]:
                if U.noun_class(w) in ("population", "node"):
                    cls, word = U.noun_class(w), U.singular(w)
                else:
                    break
            return ("user" if cls == "population" else "node"), word
    if _EACH_ALONE.search(before) or "each" in q.tags:
        # "50M DAU each send 40 messages", "10M viewers at 5 Mbps each": per the last
        # population or fleet named in the same clause.
        for other in reversed(done):
            if other.start < c_start - 200:
                break
            if other.kind == "population":
                return "user", None
            if other.kind == "nodes":
                return "node", other.entity
            if other.kind not in ("factor",) and "each" not in q.tags:
                break
            if other.kind in ("count", "rate") and "per-entity" not in other.tags:
                break  # "1.5B photos a month ... at 2 MB each": each photo, not each user
    return None, None


def _add_period_phrases(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """'in a year', 'over a month': a period stated without a number is still a duration."""
    taken = [(q.start, q.end) for q in quantities]
    extra = []
    for m in _PERIOD_PHRASE.finditer(text):
        a, b = m.start("a"), m.end("t")
        if any(s <= a < e or s < b <= e for s, e in taken):
            continue
        if m.group(0).lower().startswith("per"):
            continue
        before = max((i for i, q in enumerate(quantities) if q.end <= m.start()), default=None,
                     key=lambda i: quantities[i].end)
        if (before is not None and quantities[before].kind == "count"
                and "/" not in quantities[before].unit and quantities[before].unit != "dimensionless"
                and re.fullmatch(r"\s*", text[quantities[before].end : m.start()])
                and m.group("a").lower() in ("that", "the busiest", "the peak", "a single", "one")):
            # "2M posts in that hour", "in the busiest hour": the count is that period's
            q = quantities[before]
            quantities[before] = q.model_copy(update={
                "unit": f"{q.unit} / {U.TIME_WORDS[m.group('t').lower()]}", "kind": "rate",
                "end": b, "text": text[q.start : b]})
            taken.append((a, b))
            continue
        extra.append(
            Quantity(
                text=text[a:b],
                start=a,
                end=b,
                magnitude=1.0,
                unit=U.TIME_WORDS[m.group("t").lower()],
                kind="duration",
                tags=frozenset({"implicit"}),
            )
        )
    return sorted(quantities + extra, key=lambda q: q.start)


def find_slips(text: str, prior: list[Quantity] | None = None,
               quantities: list[Quantity] | None = None) -> list[Slip]:
    """The figures the candidate derived in ``text`` that are more than 3x off their own working.

    ``prior`` lets quantities from earlier turns act as inputs; ``quantities`` is
    ``read_quantities(text)`` when already read (reading them is a third of the checker's time).
    See :mod:`simulator.reading.slips`.
    """
    from simulator.reading import slips  # the checker builds on the reader defined above

    return slips.find_slips(text, prior, quantities)
