"""Recomputing a derived figure from the candidate's own working, and judging it.

* :func:`judge_sum`: a written sum, evaluated with pint's dimensions (each bare "86,400" or
  "365" also read as the unit conversion it usually is, and a bare number that repeats an
  earlier figure read with that figure's unit);
* :func:`judge_prose`: a figure linked by words, against products of the figures since the
  previous derived one (see :mod:`simulator.reading.derivations`); one earlier figure is
  brought in only when those cannot give the figure's dimensions.

Each returns True (some reading fits within 3x), None (nothing to check it against) or a
:class:`Verdict` (every reading is off; the most natural one is kept for the message).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from simulator.reading import derivations as D
from simulator.reading import units as U
from simulator.reading.links import CONTINUATION, RESULT_WORDS, TRANSFER_TIME, Result
from simulator.reading.numbers import read_numbers
from simulator.reading.quantities import Quantity

__all__ = [
    "Turn",
    "Verdict",
    "conversion_log",
    "judge_period_division",
    "judge_prose",
    "judge_sum",
    "log_of",
    "quote",
    "ratio_unit",
    "restated_earlier",
]


def log_of(q: Quantity, value: float | None = None, unit: str | None = None) -> float | None:
    v = q.magnitude if value is None else value
    if v is None or v <= 0:
        return None
    return math.log10(v) + D.base(unit or q.unit)[0]


# -- recomputing ------------------------------------------------------------------------------


@dataclass
class Turn:
    text: str
    qs: list[Quantity]  # this turn's figures, then the prior turns' (start offsets of those are
    own: int  # how many of ``qs`` are this turn's
    starts: list[int]
    linked: frozenset[int] = frozenset()  # this turn's figures linked to a working (results)
    corrected: dict[int, float] = field(default_factory=dict)  # slips: log10 of what they'd be
    # figures cleared loosely: the inputs of the most recent reading that gave them
    inputs: dict[int, frozenset[int]] = field(default_factory=dict)

    def sentence(self, i: int) -> int:
        if i >= self.own:
            return -1
        pos = self.qs[i].start
        n = 0
        for k, s in enumerate(self.starts):
            if s <= pos:
                n = k
        return n


def _period_options(turn: Turn, r: int, conversion: bool) -> list[D.Period]:
    """Periods a total may be spread over for figure ``r``: its own, or the context's day."""
    q = turn.qs[r]
    own = _own_period(q.unit)
    if conversion:
        return [own]
    before = turn.text[: q.start].lower()
    if own.name != "second" and own.name != "dimensionless":
        return [own]
    if r < turn.own and "/" not in q.unit and (m := _OVER_PERIOD.search(turn.text[turn.starts[turn.sentence(r)] : q.start])):
        # "Over a full year that comes to ...": the period the sentence itself names
        return [D.Period(m.group(1).lower(), D.base(m.group(1).lower())[0])]
    if re.search(r"\b(?:dau|daily|a day|per day|/\s*day|/d\b|each day|every day)\b", before):
        return [D.Period("day", math.log10(86400))]
    if re.search(r"\b(?:mau|monthly|a month|per month|/\s*month|/mo\b)", before):
        return [D.Period("month", D.base("month")[0])]
    return [own]


_OVER_PERIOD = re.compile(r"\b(?:over|in|across|during|for)\s+(?:a|an|one|the)\s+(?:(?:full|whole|entire|"
                          r"single|calendar)\s+)?(day|week|month|year)\b", re.IGNORECASE)


def _own_period(unit: str) -> D.Period:
    for name in ("second", "minute", "hour", "day", "week", "month", "year"):
        if re.search(rf"/ {name}\b", unit):
            return D.Period(name, D.base(name)[0])
    return D.Period("second", 0.0)


def conversion_log(q: Quantity) -> float | None:
    """A bare 86,400 / 365 / 3,600 (or '86,400 s') read as the unit conversion it stands for."""
    if q.kind not in ("count", "duration") or q.magnitude <= 0:
        return None
    seconds = q.magnitude * (10 ** D.base(q.unit)[0]) if q.kind == "duration" else None
    for n, small, big in U.time_ratios():
        if q.kind == "count" and "bare" in q.tags and abs(math.log10(q.magnitude / n)) < 0.07:
            return math.log10(q.magnitude / n)  # "365" -> 365 day / year, about 1
        if seconds is not None and small == "second" and abs(math.log10(seconds / n)) < 0.07:
            return math.log10(seconds / n)  # "86,400 s" -> 86,400 s / day
    return None


def restated_earlier(turn: Turn, k: int) -> Quantity | None:
    """The earlier figure with a unit that a bare number repeats ("2B/day ... 2B / 86,400")."""
    q = turn.qs[k]
    for j in range(k - 1, -1, -1):
        other = turn.qs[j]
        if "bare" not in other.tags and other.kind != "factor" and other.magnitude == q.magnitude:
            return other
        dollars = other.magnitude / 100 if other.unit.startswith("cent") else other.magnitude
        if (other.kind == "money" and q.magnitude > 0 and dollars > 0
                and abs(math.log10(dollars / q.magnitude)) < 0.01):
            return other  # "two cents a gig ... times 0.02": the price again, in dollars
    if "peak" in q.tags:
        # "Peak maybe 2x, so 70K ... 70K × 20 KB = 1.4 GB/s": a bare peak is a peak of the
        # rate named last, in its unit
        for j in range(k - 1, -1, -1):
            other = turn.qs[j]
            dims = D.base(other.unit)[1] if "bare" not in other.tags else None
            if dims is not None and dims[D.TIME_AXIS] < 0 and other.kind != "factor":
                return other.model_copy(update={"magnitude": q.magnitude, "low": None,
                                                "high": None, "alternatives": ()})
    return None


def ratio_unit(n: float) -> str | None:
    """The smaller unit of the time ratio ``n`` stands for: 365 -> 'day', 86,400 -> 'second'."""
    for ratio, small, _big in U.time_ratios():
        if abs(math.log10(n / ratio)) < 0.07:
            return small
    return None


def _stated_logs(q: Quantity) -> list[float]:
    logs = [x for x in (log_of(q), log_of(q, q.low), log_of(q, q.high)) if x is not None]
    if q.low and q.high:
        logs += [log_of(q, math.sqrt(q.low * q.high)) or logs[0]]
    return logs


def _evaluate(
    tokens: list[tuple[str, object]], values: dict[int, tuple[float, D.Dims]], over: str
) -> tuple[float, D.Dims] | None:
    """A written sum in base units (linear values), x and / before +; None if malformed."""
    out: list[tuple[float, D.Dims]] = []
    ops: list[str] = []
    prec = {"+": 1, "*": 2, "/": 2}

    def reduce() -> bool:
        if len(out) < 2:
            return False
        (b, bd), (a, ad) = out.pop(), out.pop()
        op = ops.pop()
        if op == "+":
            if ad != bd:
                return False
            out.append((a + b, ad))
        elif op == "*":
            out.append((a * b, D.add(ad, bd)))
        else:
            if b == 0:
                return False
            out.append((a / b, D.add(ad, bd, -1)))
        return True

    for kind, val in tokens:
        if kind == "num":
            out.append(values[val])  # type: ignore[index]
        elif kind == "op":
            op = over if val == "?" else str(val)
            while ops and ops[-1] != "(" and prec[ops[-1]] >= prec[op]:
                if not reduce():
                    return None
            ops.append(op)
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


@dataclass
class Verdict:
    expected_log: float
    terms: list[tuple[int, int]]
    how: str
    working: str
    period: str | None = None  # the period a total was spread over


_FULL_STOP = re.compile(r"(?<!\d)[.!?](?=\s)|\n\s*\n")


def _joins_sentences(turn: Turn, res: Result) -> bool:
    """Whether the sum multiplies a figure by one from the next sentence: "over 86,400
    seconds" may carry a division across a full stop, but "At 300 B each" starts a new step."""
    prev: int | None = None
    op = None
    for kind, value in res.tokens:
        if kind == "op":
            op = value
        elif kind == "num":
            k = int(value)  # type: ignore[arg-type]
            if (prev is not None and op == "*"
                    and _FULL_STOP.search(turn.text, turn.qs[prev].end, turn.qs[k].start)):
                return True
            prev, op = k, None
    return False


_PER_PERIOD = re.compile(r"/ (second|minute|hour|day|week|month|year)$")
_DIVIDED = re.compile(r"\s*(?:/|÷|over|divided by)\s*", re.IGNORECASE)


def judge_period_division(turn: Turn, ri: int) -> Verdict | bool | None:
    """A total per day (month) divided by the seconds of another period, said as a rate per
    second: "20M posts daily ... twenty million over 3,600, about 5,500 a second". The division
    is done right; the divisor is another period's, so the rate is the total over its own.

    Only for "X over N" right before the figure, where X restates a figure with a period and N
    is a bare count of seconds in another period: True when the figure fits anyway, a verdict
    when it does not, None when the shape is not there.
    """
    r = turn.qs[ri]
    if ri < 2 or ri >= turn.own or not r.unit.endswith("/ second"):
        return None
    total, divisor = turn.qs[ri - 2], turn.qs[ri - 1]
    if "bare" not in divisor.tags or not _DIVIDED.fullmatch(turn.text[total.end : divisor.start]):
        return None
    if len(turn.text[divisor.end : r.start].split()) > 6:
        return None
    big = next((b for n, small, b in U.time_ratios()
                if small == "second" and abs(math.log10(divisor.magnitude / n)) < 0.07), None)
    named = restated_earlier(turn, ri - 2) if "bare" in total.tags else total
    own = _PER_PERIOD.search(named.unit) if named is not None else None
    if big is None or own is None or own.group(1) in (big, "second"):
        return None
    expected = log_of(named)
    if expected is None:
        return None
    if any(abs(s - expected) <= D.LOG_TOLERANCE for s in _stated_logs(r)):
        return True
    working = f'"{quote(turn.text, named.start, named.end)}"'
    return Verdict(expected, [(ri - 2, 1), (ri - 1, -1)], "period", working, own.group(1))


# "in-flight = rate × latency", "Little's law: arrivals times time in system": the working
# named in words, with the figures themselves in the sentences before
_LITTLE_NAMED = re.compile(
    r"little'?s law|\b(?:rate|arrivals?|throughput|qps|rps)\s*(?:[x×*]|times)\s*"
    r"(?:the\s+)?(?:latency|duration|time|round[- ]?trip|rtt)\b", re.IGNORECASE)


def judge_littles_law(turn: Turn, ri: int) -> Verdict | bool | None:
    """Things in flight worked out by name from a rate and a time said before: "Peak is ~580
    payments/s and the PSP round trip is ~2 s. Little's law, in-flight = rate × latency =
    about 120 concurrent PSP calls". The figures are not in the step's own sentence, so the
    sentence must name the law (or "rate × latency") and have no figure of its own before
    the result; the nearest rate and time of the two sentences before are the working.
    """
    r = turn.qs[ri]
    dims = D.base(r.unit)[1]
    if ri >= turn.own or dims is None or any(dims) or r.kind == "factor":
        return None
    here = turn.sentence(ri)
    start = turn.starts[here]
    if not _LITTLE_NAMED.search(turn.text[start : r.start]):
        return None
    if any(turn.sentence(k) == here for k in range(ri)):
        return None  # the sentence has its own figures: the other judges read it
    window = [k for k in range(ri) if here - 2 <= turn.sentence(k) < here]
    rate = next((k for k in reversed(window) if (d := D.base(turn.qs[k].unit)[1]) is not None
                 and d[0] == -1 and not any(d[1:]) and "per-entity" not in turn.qs[k].tags), None)
    time = next((k for k in reversed(window) if turn.qs[k].kind == "duration"
                 and conversion_log(turn.qs[k]) is None), None)
    if rate is None or time is None:
        return None
    a, b = log_of(turn.qs[rate]), log_of(turn.qs[time])
    if a is None or b is None:
        return None
    expected = a + b
    if any(abs(s - expected) <= D.LOG_TOLERANCE for s in _stated_logs(r)):
        return True
    rd = D.Reading(((rate, 1), (time, 1)), expected, "exact", None)
    return Verdict(expected, list(rd.terms), "exact", _prose_working(turn, rd))


def _bits_or_bytes(unit: str) -> str | None:
    has_bit, has_byte = "bit" in unit, "byte" in unit
    return "bit" if has_bit and not has_byte else "byte" if has_byte and not has_bit else None


def _crosses_bits_and_bytes(turn: Turn, r: Quantity, keys: list[int], k: int) -> bool:
    """Whether the sum goes from bytes to bits (or back): its result in one, a figure of its
    working in the other."""
    side = _bits_or_bytes(r.unit)
    others = {_bits_or_bytes(turn.qs[j].unit) for j in keys if j != k}
    return side is not None and bool(others - {None, side})


# "We keep ninety days", "links live ten years", "retention is 7 years": how long a total is kept
_KEPT_FOR = re.compile(
    r"(?:\bkeep\w*|\bkept|\bretain\w*|\bretention|\bstor\w*|\blive|\blives|\bhold\w*|"
    r"\bpromise\w*|\bfor)\b[^.;\d]{0,30}$", re.IGNORECASE)


def judge_retention(turn: Turn, ri: int) -> Verdict | bool | None:
    """A stored total after a growth rate and how long it is kept, said over a few sentences:
    "... a terabyte a day. We keep ninety days for support lookups. And then, with three
    replicas we're at about 3 TB on disk". The total is the rate over the retention (times the
    replicas said before it); True when any such reading fits, a verdict when none does, None
    when the shape is not there (no rate of bytes, no retention in the step's two sentences).
    """
    qs = turn.qs
    r = qs[ri]
    if ri >= turn.own or r.kind != "size" or "/" in r.unit or r.tags & {"each", "per-item"}:
        return None
    here = turn.sentence(ri)
    window = [k for k in range(ri) if here - 1 <= turn.sentence(k) <= here]
    kept = [k for k in window if qs[k].kind == "duration" and qs[k].magnitude > 0
            and re.search(r"day|week|month|year", qs[k].unit)
            and _KEPT_FOR.search(turn.text[max(0, qs[k].start - 40) : qs[k].start])]
    if not kept:
        return None
    rates = [k for k in range(ri) if here - 2 <= turn.sentence(k) <= here
             and (d := D.base(qs[k].unit)[1]) is not None and d[0] == -1 and d[1] == 1
             and not any(d[2:]) and not qs[k].tags & {"each", "per-item"}]
    if not rates:
        return None
    replicas = [k for k in range(rates[-1] + 1, ri)
                if "replication" in qs[k].tags and qs[k].magnitude > 0]
    copies = sum(math.log10(qs[k].magnitude) for k in replicas)

    def total(p: int, t: int) -> float | None:
        a, b = log_of(qs[p]), log_of(qs[t])
        return None if a is None or b is None else a + b + copies

    options = [lg for p in rates for t in kept if (lg := total(p, t)) is not None]
    if not options:
        return None
    if any(abs(s - lg) <= D.LOG_TOLERANCE for s in _stated_logs(r) for lg in options):
        return True
    expected = total(rates[-1], kept[-1])
    if expected is None:
        return None
    rd = D.Reading(((rates[-1], 1), (kept[-1], 1), *((k, 1) for k in replicas)), expected,
                   "exact", None)
    return Verdict(expected, list(rd.terms), "exact", _prose_working(turn, rd))


def judge_sum(turn: Turn, res: Result) -> Verdict | None | bool:
    """A written sum against its stated result: a verdict (slip), True (fits), None (unknown)."""
    r = turn.qs[res.index]
    target_log, target = log_of(r), D.base(r.unit)[1]
    if target_log is None or target is None:
        return None
    keys = [int(v) for k, v in res.tokens if k == "num"]  # type: ignore[arg-type]
    if _joins_sentences(turn, res):
        return None  # "~70k/s. At 300 B each that's 600 GB/day": two sentences are no product
    if (flipped := _wrong_operation(turn, res, keys, target)) is not None:
        return flipped
    options: dict[int, list[tuple[float, D.Dims, bool]]] = {}
    for k in keys:
        q = turn.qs[k]
        lg, dims = log_of(q), D.base(q.unit)[1]
        if lg is None or dims is None:
            return None
        opts = [(lg, dims, False)]
        for value, unit in q.alternatives:
            alt_dims = D.base(unit)[1]
            if alt_dims is not None and (alt := log_of(q, value, unit)) is not None:
                opts.append((alt, alt_dims, False))
        same = restated_earlier(turn, k) if "bare" in q.tags else None
        if same is not None:
            same_log, same_dims = log_of(same), D.base(same.unit)[1]
            if same_log is not None and same_dims is not None:
                # "20M URLs/day -> 20M x 365 x 10": the same big figure, so the same unit
                opts = [] if q.magnitude >= 1000 else opts
                opts.append((same_log, same_dims, False))
                for value, unit in same.alternatives:
                    alt_dims = D.base(unit)[1]
                    if alt_dims is not None and (alt := log_of(same, value, unit)) is not None:
                        opts.append((alt, alt_dims, False))
        if "bare" in q.tags and q.magnitude == 8 and _crosses_bits_and_bytes(turn, r, keys, k):
            # "100 TB times 8 ... 9 gigabits": the 8 turns bytes into bits, which reading both
            # in base units has already done; taken as a plain 8 it would count twice
            opts = [(0.0, D.NO_DIMS, True)]
        if k in turn.corrected:  # a slip already questioned, at its right value
            opts.append((turn.corrected[k], dims, False))
        if same is None and (conv := conversion_log(q)) is not None:
            opts.append((conv, D.NO_DIMS, True))
            if "bare" in q.tags and (small := ratio_unit(q.magnitude)) is not None:
                opts.append((log_of(q, q.magnitude, small), D.base(small)[1], True))
        options[k] = opts
    readings: list[tuple[float, str, bool]] = []  # (log, how, used a conversion)
    overs = ["*", "/"] if any(v == "?" for _, v in res.tokens) else ["*"]
    choices = _product([options[k] for k in keys], limit=64)
    for choice in choices:
        values = {k: (10**lg, dims) for k, (lg, dims, _) in zip(keys, choice, strict=True)}
        conversion = any(c for _, _, c in choice)
        for over in overs:
            got = _evaluate(res.tokens, values, over)
            if got is None or got[0] <= 0:
                continue
            periods = _period_options(
                turn,
                res.index,
                conversion or any(conversion_log(turn.qs[k]) is not None for k in keys),
            )
            # "~240 TB/yr, x3 replicas ~720 TB": a total said bare is over its terms' period
            periods += [p for k in keys if (p := _own_period(turn.qs[k].unit)).name != "second"
                        and p not in periods]
            for how, adjust, period in D.match(got[1], target, periods, soft=False) + D.match(
                got[1], target, periods, soft=True
            ):
                readings.append((math.log10(got[0]) + adjust, how, conversion, period))
    stated = _stated_logs(r)
    working = quote(turn.text, turn.qs[keys[0]].start, turn.qs[keys[-1]].end)
    measured = any(
        turn.qs[k].kind in ("duration", "size", "bandwidth") and "bare" not in turn.qs[k].tags
        for k in keys
    )  # "386 x 10 ms = 3.9 CPU-seconds": the result is in a unit it does not name
    # "= 1,157": units aside; and "86,400 × 30 ≈ 260k seconds": bare numbers give a duration
    # or a count in the result's own unit
    only_numbers = all("bare" in turn.qs[k].tags for k in keys) and r.kind in (
        "duration", "count", "nodes")
    plain = (_evaluate(res.tokens, {k: (turn.qs[k].magnitude, D.NO_DIMS) for k in keys}, "/")
             if "bare" in r.tags or only_numbers else None)
    if plain and plain[0] > 0:
        plain_log = math.log10(plain[0]) + D.base(r.unit)[0]
        if not measured and (only_numbers or not res.worded):
            readings.append((plain_log, "bare", False, None))
        elif "bare" in r.tags and any(abs(s - plain_log) <= D.LOG_TOLERANCE for s in stated):
            # a result with no unit may be the product as written, which clears it but is too
            # loose to question it: "10M viewers a day at 30 minutes each, so 300M minutes"
            return True
    if not readings:
        return None
    if any(abs(s - lg) <= D.LOG_TOLERANCE + 1e-9 for lg, *_ in readings for s in stated):
        # "20 instances at 5 cents an hour, so a dollar an hour": the dollar stands for both
        turn.inputs[res.index] = frozenset(keys)
        return True
    last = turn.qs[keys[-1]]
    last_log = log_of(last)
    if (
        last_log is not None
        and D.base(last.unit)[1] == target
        and abs(last_log - target_log) < 0.18
    ):
        return True  # "100M / 86,400 ~ 100K": rounding the divisor, not a result
    if _each_of_a_sum(turn, res, keys, choices, target, stated):
        return True
    best = min(readings, key=lambda t: (t[1] == "soft", min(abs(s - t[0]) for s in stated)))
    return Verdict(best[0], [(k, 1) for k in keys], best[1], working, best[3])


def _wrong_operation(turn: Turn, res: Result, keys: list[int], target: D.Dims) -> Verdict | None:
    """Two figures said again as bare numbers and divided where the units say multiply, or the
    other way round: "200 million users ... each receives 5 notifications daily. 200 million
    over 5 gives forty million notifications a day" (200M x 5 = 1B a day). Only when the
    operation as written gives no reading of the result's units at all, the other one gives an
    exact one, and the stated figure is more than 3x from it."""
    ops = [v for k, v in res.tokens if k == "op"]
    if len(keys) != 2 or len(ops) != 1 or ops[0] not in ("*", "/", "?"):
        return None
    values: dict[int, tuple[float, D.Dims]] = {}
    said: list[str] = []
    units: list[str] = []
    for k in keys:
        q = turn.qs[k]
        same = restated_earlier(turn, k) if "bare" in q.tags else None
        if same is None or same.kind in ("factor", "count", "duration") and "/" not in same.unit:
            return None  # a plain number may be just that; a duration is a period's length
        lg, dims = log_of(same), D.base(same.unit)[1]
        if lg is None or dims is None:
            return None
        values[k] = (10**lg, dims)
        said.append(f'"{quote(turn.text, same.start, same.end)}"')
        units.append(same.unit)
    written = "/" if ops[0] == "?" else str(ops[0])
    other = "*" if written == "/" else "/"
    periods = _period_options(turn, res.index, False)
    got = _evaluate(res.tokens, values, written)
    # "40k posts a second ... 25 followers each ... 40k over 25": a fan-out (followers per
    # account) multiplies, though dividing by it leaves the units as they were
    fan_out = written == "/" and units[-1] == "user / user"
    if got is None or D.match(got[1], target, periods, soft=False) and not fan_out:
        return None
    alt = _evaluate(res.tokens, values, other) if ops[0] == "?" else _evaluate(
        [(k, other if k == "op" else v) for k, v in res.tokens], values, other)
    if alt is None or alt[0] <= 0:
        return None
    # "100k messages a second ... 20 members": each member gets each message; never a per-node
    # figure ("1,000 / 40 instances = 25 each")
    ways = [w for w in D.match(alt[1], target, periods, soft=False) if w[0] == "exact"
            or w[0] == "each" and alt[1][D.NODE_AXIS] == target[D.NODE_AXIS]]
    if not ways:
        return None
    how, adjust, period = ways[0]
    expected = math.log10(alt[0]) + adjust
    if any(abs(s_ - expected) <= D.LOG_TOLERANCE for s_ in _stated_logs(turn.qs[res.index])):
        return None
    working = f" {'x' if other == '*' else '/'} ".join(said)
    return Verdict(expected, [(k, 1) for k in keys], how, working, period)


def _each_of_a_sum(
    turn: Turn,
    res: Result,
    keys: list[int],
    choices: list[tuple],
    target: D.Dims,
    stated: list[float],
) -> bool:
    """'100k/day x 5 min at 8 Mbps = 300 MB each': a result said to be *each* may leave out
    the count it is each of; '6B rows over 5 years at 250 B = 1.5 TB': a sum in words ("over",
    "at") may carry a qualifier that is no operand. One term dropped, the sum may fit."""
    r = turn.qs[res.index]
    after = turn.text[r.end : r.end + 12]
    if not (
        res.worded
        or r.tags & {"each", "per-entity"}
        or re.match(r"\s*(?:each|apiece|per\b)", after, re.IGNORECASE)
    ):
        return False
    if any(k == "op" and v == "+" for k, v in res.tokens):
        return False
    periods = [D.Period("second", 0.0)]
    for drop in keys:
        for choice in choices[:16]:
            values = {k: (10**lg, dims) for k, (lg, dims, _) in zip(keys, choice, strict=True)}
            values[drop] = (1.0, D.NO_DIMS)
            for over in ("*", "/"):
                got = _evaluate(res.tokens, values, over)
                if got is None or got[0] <= 0:
                    continue
                for _how, adjust, _p in D.match(got[1], target, periods, soft=False, loose=True):
                    lg = math.log10(got[0]) + adjust
                    if any(abs(s - lg) <= D.LOG_TOLERANCE + 1e-9 for s in stated):
                        return True
    return False


def _product(lists: list[list], limit: int) -> list[tuple]:
    out: list[tuple] = [()]
    for options in lists:
        out = [prev + (o,) for prev in out for o in options][:limit]
    return out


def quote(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].lstrip("~≈ ").split())


def _signs(q: Quantity, target: D.Dims, peak: bool) -> tuple[int, ...]:
    """The exponents a figure may take in prose: a peak factor multiplies, a length too..."""
    if "cores-each" in q.tags:
        return (-1,)  # "4-vCPU workers": busy cores are divided by it, never multiplied
    if q.kind == "factor":
        if "markup" in q.tags:
            # "another 30 percent" only ever adds, and a markup under 2x is within the 3x a
            # figure may be off anyway: never a term of the working
            return (1,) if q.magnitude > 2 else ()
        if "peak-factor" in q.tags:
            return (1,) if peak else ()
        if "compression" in q.tags:
            return (-1, 1)
        if "replication" in q.tags or q.unit == "percent":
            return (1,)
        return (1, -1)
    if "length" in q.tags or "bare" in q.tags:
        return (1,)
    if q.kind == "population" and "per-entity" not in q.tags and target[2] >= 0:
        return (1,)  # users multiply; dividing by them only makes a per-user figure
    return (1, -1)


def _operand(turn: Turn, k: int, target: D.Dims, peak: bool, local: bool) -> D.Operand | None:
    q = turn.qs[k]
    lg, dims = log_of(q), D.base(q.unit)[1]
    if ("bare" in q.tags and q.magnitude >= 1000 and k < turn.own
            and (same := restated_earlier(turn, k)) is not None and "/" in same.unit):
        # "≈ 23K/s ... Egress: 23K × ~10 KB page ≈ 230 MB/s": the big figure said again is
        # the rate it was, in its unit
        lg, dims = log_of(same), D.base(same.unit)[1]
        if lg is None or dims is None:
            return None
        return D.Operand(k, lg, dims, (1, -1), local)
    if lg is None or dims is None:
        return None
    signs = _signs(q, target, peak)
    if k < turn.own and _seconds_in_period(turn.qs, k):
        # "Divide by 86,400, which I'll round to a hundred thousand": the unit algebra already
        # turns "ten million a day" into a rate per second, so the constant only marks the step
        lg = 0.0
        if _divides_by(turn, k - 1 if _rounded(turn.qs, k) else k):
            signs = (-1,)
    return D.Operand(k, lg, dims, signs, local) if signs else None


def _seconds_in_period(qs: list[Quantity], k: int) -> bool:
    """A bare 86,400 (or its rounding, "a hundred thousand"): the seconds of a period, which
    the unit algebra already applies when it reads "ten million a day" per second."""
    q = qs[k - 1] if _rounded(qs, k) else qs[k]
    return "bare" in q.tags and q.magnitude > 0 and ratio_unit(q.magnitude) == "second"


_DIVIDE_BY = re.compile(r"\b(?:divid(?:e|ed|ing)|split)(?: (?:it|that|this|them))? (?:by|across|over)"
                        r"\s*[~≈]?\s*$", re.IGNORECASE)


def _divides_by(turn: Turn, k: int) -> bool:
    """Whether the words right before figure ``k`` divide by it: "divide by 86,400"."""
    q = turn.qs[k]
    return k < turn.own and bool(_DIVIDE_BY.search(turn.text[max(0, q.start - 30) : q.start]))


_ONE_ITEM = frozenset({"each", "per-item"})


def _item_then_total(prev: Quantity, r: Quantity) -> bool:
    """ "a Bloom filter at ~9.6 bits each ≈ 12 GB": a figure for one item, then the total; the
    total is never that one item said again."""
    return bool(prev.tags & _ONE_ITEM) and not r.tags & _ONE_ITEM


def _period_restated(qs: list[Quantity], k: int) -> bool:
    return k > 0 and qs[k].kind == "duration" and "implicit" in qs[k - 1].tags


def _rounded(qs: list[Quantity], k: int) -> bool:
    """"Divide by 86,400, which I'll round to a hundred thousand": a bare figure that rounds
    the bare one just before it is that figure again, not a step of the working."""
    a, b = (qs[k - 1], qs[k]) if k > 0 else (None, qs[k])
    return (a is not None and "bare" in a.tags and "bare" in b.tags and a.magnitude > 0
            and b.magnitude > 0 and abs(math.log10(b.magnitude / a.magnitude)) <= D.LOG_TOLERANCE)


def _note_line(turn: Turn, n: int) -> bool:
    """Whether sentence ``n`` is a short line of notes: it ends at a line break and has at most
    eight words and one figure."""
    start = turn.starts[n]
    end = turn.starts[n + 1] if n + 1 < len(turn.starts) else len(turn.text)
    line = turn.text[start:end]
    own = [k for k in range(turn.own) if turn.sentence(k) == n]
    return line.endswith("\n") and len(line.split()) <= 8 and len(own) == 1


def judge_prose(
    turn: Turn, ri: int, results: set[int], direct: bool, symbol: bool = False
) -> Verdict | bool | None:
    """A figure linked by words ("so", "that's", "which is") against the figures it follows.

    Two pools of readings:

    * to *clear* the figure, anything the candidate may have meant: the figures of its step, the
      figures after it in the same sentence ("3.75 TB if we keep 30 days"), the nearest
      earlier ones, any period the sentence names, users and nodes taken loosely (threads per
      process, sockets per gateway). One reading within 3x and the figure stands.
    * to *question* it, only the step itself: the figures since the previous derived one in
      the same sentence (or the one before, when this sentence continues it: "so", "that's"),
      and at most one figure of the sentence just before it, with dimensions that line up
      exactly. Per-node and Little's-law readings need the words to say so (an operator, the
      same node noun, "concurrent"/"in flight"); a lone figure restated in other units only
      when said outright ("which is", "i.e.") or off by a classic mix-up (8 bits, 1,000x,
      86,400 s).
    """
    r = turn.qs[ri]
    target = D.base(r.unit)[1]
    if log_of(r) is None or target is None or "spec" in r.tags:
        return None
    if "per-item" in r.tags and r.kind in ("count", "population"):
        return None  # "so about 100 reads per write": a ratio of two counts, not a product
    if r.noun and _CODE_LENGTH.match(r.noun):
        return None  # "over 500x headroom, so seven chars is plenty": a length is chosen
    qs = turn.qs
    if direct and ri > 0 and r.kind == "bandwidth" and qs[ri - 1].kind == "size" and (
            amount := log_of(r, unit=r.unit.split(" / ")[0])) is not None and (
            said := log_of(qs[ri - 1])) is not None and abs(amount - said) < 0.05:
        return True  # "2e9 x 100 B = 2e11 B = 200 GB/day": the day's bytes, said per day
    if (r.kind == "size" and ri > 0 and qs[ri - 1].kind == "bandwidth"
            and qs[ri - 1].unit.endswith("/ second") and turn.sentence(ri - 1) == turn.sentence(ri)
            and (amount := log_of(r)) is not None
            and (rate := log_of(qs[ri - 1], unit=qs[ri - 1].unit.split(" / ")[0])) is not None
            and abs(amount - rate) < D.LOG_TOLERANCE):
        return True  # "46 MB/s, so roughly 370 megabits": the rate again, its "a second" dropped
    if "bare" in r.tags:
        # No unit: only a restatement of the figure just before can be checked, as written.
        prev = qs[ri - 1] if ri else None
        # "40,000 a second. A peak factor of three gives us about 500K at peak": a bare peak
        # right after the candidate's own peak factor is that factor applied, however linked.
        peak_applied = (prev is not None and ri >= 2 and "peak-factor" in prev.tags
                        and "peak" in r.tags and "bare" not in qs[ri - 2].tags)
        if (not (direct and symbol) and not peak_applied) or prev is None or prev.magnitude <= 0 \
                or "bare" in prev.tags:
            return None  # two bare numbers: "peak (x3) ≈ 3.5k" says too little to check
        if "spec" in prev.tags or "^" in r.text or (prev.noun and _CODE_LENGTH.match(prev.noun)):
            return None  # "7-char base62 key → 62^7": a formula built on a spec, not a restatement
        if re.search(r"(?:[x×*/÷]|\btimes|\bover)\s*[~≈]?\s*$", turn.text[max(0, prev.start - 12) : prev.start],
                     re.IGNORECASE):
            return None  # "~4 vCPU-min per source minute x 500K minutes/day = 2M": a product's result
        if prev.kind == "duration":
            return None  # "calls take ~2 s, so ~1,200 are in flight": what the time leads to
        lg = math.log10(prev.magnitude)
        terms, working = [(ri - 1, 1)], f'"{quote(turn.text, prev.start, prev.end)}"'
        if prev.kind == "factor":  # "23K QPS (peak 3x ≈ 70K)": the factor applied, as written
            if ri < 2 or qs[ri - 2].magnitude <= 0:
                return None
            lg += math.log10(qs[ri - 2].magnitude)
            base = qs[ri - 2]
            terms = [(ri - 2, 1), (ri - 1, 1)]
            working = f'"{quote(turn.text, base.start, base.end)}" x {working}'
        if abs(lg - math.log10(r.magnitude)) <= D.LOG_TOLERANCE:
            return True
        if "per-entity" in prev.tags:
            # After a rate per node ("1,000/s per process, so ~14") a bare figure is as likely
            # the count it divides into as a restatement: too little to question.
            return None
        return Verdict(lg, terms, "bare", working)
    own_sentence = turn.sentence(ri)
    sentence = own_sentence
    if sentence > 0 and _continues(turn, ri, sentence):
        sentence -= 1
        if sentence > 0 and _note_line(turn, sentence) and _note_line(turn, sentence - 1):
            sentence -= 1  # "10M sockets / ~20 KB per conn / → 20 GB": notes, one line a figure
    window = [k for k in range(ri) if turn.sentence(k) >= sentence]
    # "Over a month (~730 hours) that's ...": a period said again in hours is no step of its own
    anchor = max((k for k in window if k in results and not _period_restated(qs, k)
                  and not _rounded(qs, k)), default=None)
    local = [k for k in window if anchor is None or k > anchor]
    if anchor is not None:
        local.append(anchor)
    same_kind = [k for k in local if D.base(qs[k].unit)[1] == target]
    peak = "peak" in r.tags or any("peak-factor" in qs[k].tags for k in local)
    # A peak scaled from an average needs the candidate's own peak factor.
    needs_factor = (
        peak
        and any("peak" not in qs[k].tags for k in same_kind)
        and not any("peak" in qs[k].tags for k in same_kind)
    )
    trailing: list[int] = []  # "3.75 TB if we keep 30 days", "75 shards of 64 GB"
    for k in range(ri + 1, turn.own):
        if turn.sentence(k) != own_sentence or k in turn.linked:
            break
        trailing.append(k)
    later = [k for k in trailing if "peak-factor" in qs[k].tags]
    earlier = [
        k
        for k in reversed(range(len(qs)))
        if k not in local and k != ri and (k < ri or k >= turn.own) and "bare" not in qs[k].tags
    ]
    # A figure worked out earlier in this turn stands for the figures it was worked out from:
    # "so 1 billion a day. There are 86,400 seconds in a day so that's roughly 1,160 per
    # second" is neither cleared nor questioned from the 100M users behind the billion.
    used = _consumed(turn, ri, target)
    # "3.2 TB for 500M users. We only need the 200M actives, so ~1.3 TB": a total worked out
    # for one user count may be scaled to another, dividing by the first
    rescale = [k for k in range(ri) if qs[k].kind == "population" and turn.sentence(k) < sentence]
    earlier = [k for k in earlier if k not in used]
    local = [k for k in local if k not in used]
    periods = _period_options(turn, ri, any(conversion_log(qs[k]) is not None for k in local))
    stated = _stated_logs(r)
    if _same_number_restated(turn, ri) and (
            D.base(qs[ri - 1].unit)[1] == target
            or _bits_bytes_swap(qs[ri - 1], r) and _same_but_time(D.base(qs[ri - 1].unit)[1], target)):
        # "180 megabits, so, okay, 180 megabytes": that figure alone is the working
        rd = D.Reading(((ri - 1, 1),), log_of(qs[ri - 1]) or 0.0, "exact", None)
        if rd.fits(stated) or ri - 1 in turn.corrected:
            return True
        return Verdict(rd.log, list(rd.terms), rd.how, _prose_working(turn, rd), None)
    if (direct and symbol and ri > 0 and ri - 1 in results and qs[ri - 1].unit == r.unit
            and "bare" not in r.tags and (prev_log := log_of(qs[ri - 1])) is not None):
        # "1 GB a second, or 8 Gbps, hmm, call it 80 Gbps": the same figure rounded, in its unit
        rd = D.Reading(((ri - 1, 1),), prev_log, "exact", None)
        if rd.fits(stated) or ri - 1 in turn.corrected:
            return True
        return Verdict(rd.log, list(rd.terms), "restated", _prose_working(turn, rd), None)
    said_outright = (
        direct
        and ri > 0
        and ri - 1 in local
        and "bare" not in qs[ri - 1].tags
        and not _item_then_total(qs[ri - 1], r)
        and qs[ri - 1].unit != r.unit
        and "inferred-unit" not in r.tags
        and D.base(qs[ri - 1].unit)[1] == target
    )
    if said_outright:
        # "1B requests/day, which is about 1,200/s": that figure alone is the working
        fixed = turn.corrected.get(ri - 1)
        if fixed is not None and any(abs(s_ - fixed) <= D.LOG_TOLERANCE for s_ in stated):
            return True  # it restates the right value of a figure already questioned
    elif _cleared(turn, ri, target, local, trailing, earlier, stated, sentence, rescale):
        return True
    if _ADDITIVE.search(turn.text[turn.starts[own_sentence] : r.start]):
        # "200 bytes, plus four postings of 200 bytes": sums in prose are not read; a sum in
        # the sentence this one carries on ("~150 bytes request+response. At 80k/s that's
        # 12 MB/s") is an input's own make-up, not this step's working
        return None
    factors = [k for k in local + later if "peak-factor" in qs[k].tags]
    if needs_factor and not factors:
        return None  # a peak from an unstated factor: the candidate's own assumption
    required = [frozenset({k}) for k in factors] if needs_factor else [frozenset()]
    ops = [
        o
        for k in local + later
        if not _counts_nothing(qs[k]) and not (k + 1 in local and _rounded(qs, k + 1))
        and (o := _operand(turn, k, target, peak, True)) is not None
    ]
    for o in list(ops):  # "300M minutes/day" is also a count a day
        for value, unit in qs[o.key].alternatives:
            alt, alt_dims = log_of(qs[o.key], value, unit), D.base(unit)[1]
            if alt is not None and alt_dims is not None and "/" in unit:
                ops.append(D.Operand(o.key, alt, alt_dims, o.signs, True))
        if "/" not in r.unit and (amount := _period_total(qs[o.key])) is not None:
            # "Over a year that's ~7.3 TB, and with 3x replication ~22 TB of disk": the year's
            # total is an amount the next step multiplies
            alt, alt_dims = log_of(qs[o.key], qs[o.key].magnitude, amount), D.base(amount)[1]
            if alt is not None and alt_dims is not None:
                ops.append(D.Operand(o.key, alt, alt_dims, o.signs, True))
    local_keys = set(local) | set(later)
    time_ratio = bool(_TIME_OVER_TIME.search(r.unit))
    before = _sentence_before(turn, ri, sentence)
    previous = {k for k in range(ri) if turn.sentence(k) == before}
    # what this step's working must use; a change-of-period constant ("86,400 seconds") may
    # be folded into the period instead
    inputs = {o.key for o in ops if qs[o.key].kind != "factor" and "bare" not in qs[o.key].tags
              and not (qs[o.key].kind == "duration" and conversion_log(qs[o.key]) is not None)}

    def restated(rd: D.Reading) -> bool:
        if rd.size != 1 or rd.terms[0] != (ri - 1, 1):
            return False
        prev = qs[ri - 1]
        if "inferred-unit" in prev.tags or _core(prev.unit) == _core(r.unit):
            return False  # a guessed per-minute; or "40K reads/s, so 4K writes/s": a new ratio
        if _item_then_total(prev, r):
            return False
        in_units = bool(_IN_OTHER_UNITS.search(turn.text[turn.starts[own_sentence] : r.start]))
        if local != [ri - 1] and not direct and not in_units:
            return False
        # said outright ("which is", "in bytes that's"), or off by a classic unit mix-up: "83
        # MB/s, so 100 Mbps"
        return direct or in_units or _confusion(rd.distance(stated), prev.unit, r.unit)

    said_over = _OVER_PERIOD.search(turn.text[turn.starts[own_sentence] : r.start]) \
        if ri < turn.own and "/" not in r.unit else None
    over_period = said_over.group(1).lower() if said_over else None

    def usable(rd: D.Reading) -> bool:
        terms = [qs[k] for k, _ in rd.terms]
        if _copies_twice(terms):
            return False
        if time_ratio and not any(
            (D.base(q.unit)[1] or D.NO_DIMS)[0] != 0 or q.kind == "duration" for q in terms
        ):
            return False  # "52 minutes a year" is time over time: a bare count cannot give it
        if rd.size == 1 and rd.terms[0][1] == 1 and terms[0].unit == r.unit:
            return False  # "10M DAU, about 2M concurrent": a new assumption, not a result
        if len({k for k, _ in rd.terms}) < rd.size or _squared(qs, rd):
            return False  # one figure twice (in two units), or two sizes multiplied
        if all(q.kind == "factor" or "bare" in q.tags for q in terms):
            return False  # "100x" alone is not a rate
        if any(q.kind == "size" and "per-item" in q.tags for q in terms) and all(
                q.kind == "size" and "per-item" in q.tags or q.kind == "duration" for q in terms):
            return False  # "1 KB per notification, 90-day retention -> 1 TB/day": one item's
            # size over a time is no total; the count it needs was said sentences before
        if rd.size == 1 and rd.how == "period" and (rd.period == over_period
                                                     or _per_period_by_working(turn, rd)):
            # "500 writes a second ... Over a full year that comes to ..."; "five searches a day
            # each, so a billion searches, which is about ... a second"
            return True
        if rd.size == 1 and rd.how == "period":
            # "200K keys" is not "200K requests per second" by itself; but "10M KB, which is
            # 10 TB a day" restates a day's worth outright
            prev = qs[rd.terms[0][0]]
            return (
                direct
                and rd.period == _own_period(r.unit).name
                and not prev.tags & {"per-item", "per-entity", "each"}
                and restated(rd)
                and _confusion(rd.distance(stated), prev.unit, r.unit)
            )
        if rd.how == "period" and not any(
            sign == 1 and (q.kind == "population" or q.kind == "count" and q.magnitude >= 1000)
            for q, (_, sign) in zip(terms, rd.terms)
        ):
            return False  # a total spread over a day must be a total, not "2 ops" or a rate
        if rd.how == "period" and not any(_events(q) for q in terms):
            return False  # "50M users x 3 devices per user" are devices, not pushes a day
        if (
            "peak" in r.tags
            and not any("peak" in q.tags or "peak-factor" in q.tags for q in terms)
            and any(
                (D.base(q.unit)[1] or D.NO_DIMS)[0] < 0 and "per-entity" not in q.tags
                for q in terms
            )
        ):
            return False  # a peak from an average rate needs the candidate's own peak factor
        if (
            "peak" not in r.tags
            and re.search(r"/ (?:day|week|month|year)", r.unit)
            and any("peak" in q.tags and "/" in q.unit for q in terms)
        ):
            return False  # a day's (month's) total comes from the average, never the peak
        # "1 / 8 hours" is a rate only for one worker: "each can do 500/s"
        return not (
            rd.size == 1
            and rd.terms[0][1] == -1
            and not (_throughput(qs, rd) and "per-entity" in r.tags)
        )

    # "100M links a month. Dividing by the 86,400 seconds in a day, that's 1,150/s": the step
    # is a change of period, so the total read in the result's period is the working.
    converts = any(conversion_log(qs[k]) is not None and qs[k].kind == "duration"
                   for k in local if k < ri)

    def accusable(rd: D.Reading) -> bool:
        used = [qs[k] for k, _ in rd.terms]
        if any("bare" in q.tags and (same := restated_earlier(turn, k)) is not None
               and any(u is same for u in used) for (k, _), q in zip(rd.terms, used, strict=True)):
            return False  # "two cents a gig ... times 0.02": one price, never counted twice
        if (not r.tags & _ONE_ITEM and any(q.tags & _ONE_ITEM for q in used)
                and all(q.tags & _ONE_ITEM or q.kind == "factor" for q in used)
                and not any("replication" in q.tags for q in used)):
            # "10 bits per entry: 100 gigabits" needs the entries counted; "4 TB per copy"
            # times three replicas does not
            return False
        if any(q.noun and _CODE_LENGTH.match(q.noun) for q in used):
            return False  # "six characters (~57 billion)": a code's length is an exponent
        if rd.size == 1 and rd.terms[0][1] == 1 and not (rd.how == "period" and (
                rd.period == over_period or _per_period_by_working(turn, rd))):
            # "10 Gbps, which is 10 GB/s": a conversion, questioned only when said outright
            if not (restated(rd) and rd.how in ("exact", "each", "soft", "period")) and not (
                converts and rd.how == "exact" and _core(qs[rd.terms[0][0]].unit) != _core(r.unit)
            ):
                return False
        elif rd.how not in ("exact", "each", "period") and not (
            rd.how == "soft" and _throughput(qs, rd)
        ):
            return False
        terms = [qs[k] for k, _ in rd.terms]
        if not any(
            k in local_keys and q.kind != "factor" and "bare" not in q.tags
            for (k, _), q in zip(rd.terms, terms)
        ) and not (
            any(k in local_keys for k, _ in rd.terms)
            and all(k in local_keys or k in previous for k, _ in rd.terms)
        ) and not (converts and all(k in previous for k, _ in rd.terms)):
            # a "10x" on a figure from turns ago is not this sentence's working; a change of
            # period ("A day has 86,400 seconds, so that's ...") works on the sentence before
            return False
        return converts and rd.size == 1 or _said_so(turn, ri, rd, sentence)

    readings = [
        rd
        for need in required
        for rd in D.combinations(ops, target, periods, required=need)
        if usable(rd)
    ]
    if not any(accusable(rd) for rd in readings):
        # Bring in one figure of the sentence before: "... is 6 TB/day. Keeping 3 replicas for
        # 5 years gives 33 TB"; or a user count for a per-user figure of this step.
        for k in _inputs_before(turn, ri, sentence, before, earlier, ops, previous):
            c = _operand(turn, k, target, peak, False)
            if c is None:
                continue
            for need in required:
                for rd in D.combinations(ops + [c], target, periods, required=need | {k}):
                    if usable(rd) and inputs <= {t for t, _ in rd.terms}:
                        readings.append(rd)  # the figure completes this step's working
    if not any(accusable(rd) for rd in readings):
        # "2 ms a check, so a single connection does 500/s"; "10 Gbps a box, which is 10 GB/s"
        readings += [
            rd
            for need in required
            for rd in D.combinations(ops, target, periods, soft=True, required=need)
            if usable(rd) and (_throughput(qs, rd) or restated(rd))
        ]
    pool = [rd for rd in readings if accusable(rd)]
    if not pool:
        # "10M uploads a day at 4 MB is 40 TB a day, about 460 uploads per second": the step
        # before is the bytes, but the same noun earlier in the sentence is the same quantity
        # in another period
        same = _same_noun_rate(turn, ri, target, own_sentence)
        if same is None or "approx" not in r.tags and not direct:
            return None
        rd = D.Reading(((same, 1),), log_of(qs[same]) or 0.0, "exact", None)
        if rd.fits(stated):
            return True
        return Verdict(rd.log, list(rd.terms), rd.how, _prose_working(turn, rd), None)
    # a single figure spread over the period the sentence names questions a figure, never
    # clears one: it may be another quantity entirely
    fitting = [rd for rd in readings if rd.fits(stated)
               and not (rd.size == 1 and rd.how == "period" and rd.period == over_period)]
    if fitting:
        _remember_inputs(turn, ri, fitting)
        return True
    best = max(
        pool,
        key=lambda rd: (
            restated(rd) and rd.how != "period",  # "10M KB, which is 10 TB a day" comes last
            rd.how != "period",
            sum(1 for k, _ in rd.terms if k in local_keys),
            anchor is not None and any(k == anchor for k, _ in rd.terms),
            -rd.distance(stated),
        ),
    )
    if _unread_between(turn, [k for k, _ in best.terms if k < turn.own], ri):
        return None  # "keys times a hundred times 20 bytes": a figure of the product not read
    return Verdict(best.log, list(best.terms), best.how, _prose_working(turn, best), best.period)


# "Which in bytes is about ...": the figure before, said again in other units
_IN_OTHER_UNITS = re.compile(r"\b(?:in|into|as) (?:bytes|bits|gigabytes|megabytes|terabytes|"
                             r"gigabits|megabits|terabits)\b", re.IGNORECASE)

# only linking, thinking and hedging words between a figure and the next: "so, um, about"
_RESTATING_GAP = re.compile(
    r"[\s,.…]*(?:(?:so|or|that's|that is|which is|i\.e\.?|meaning|um+|uh+|okay|ok|well|about|"
    r"roughly|around|approximately|call it|~|≈)[\s,.]*){1,5}", re.IGNORECASE)


def _same_number_restated(turn: Turn, ri: int) -> bool:
    """ "180 megabits, so, okay, 180 megabytes"; "$150,000 a day, so, um, about $450,000 a
    month": the figure just before said again in another unit, linked by nothing but "so" and
    hesitation, is a conversion said outright; that figure alone is the working."""
    if ri < 1 or ri >= turn.own:
        return False
    p, r = turn.qs[ri - 1], turn.qs[ri]
    # not the last factor of a product: "keys times a hundred times ~20 bytes ≈ 20 GB"
    operand = re.search(r"(?:\btimes|\bx|×|\*|/|\bover|\bat)\s*[~≈]?\s*$",
                        turn.text[max(0, p.start - 12) : p.start], re.IGNORECASE)
    head = (p.unit.split(" / ")[0], r.unit.split(" / ")[0])
    other_period = (head[0] == head[1] and bool(_PER_PERIOD.search(p.unit))
                    and bool(_PER_PERIOD.search(r.unit)))
    return (p.unit != r.unit and not operand and "bare" not in p.tags
            and p.kind != "factor"
            and (p.magnitude == r.magnitude or other_period or _bits_bytes_swap(p, r))
            and bool(_RESTATING_GAP.fullmatch(turn.text[p.end : r.start])))


def _bits_bytes_swap(p: Quantity, r: Quantity) -> bool:
    """ "1.2 million megabits... so about 1.2 terabytes a second": the same figure with bits
    read as bytes (or back), exactly 8x off."""
    a, b = log_of(p), log_of(r)
    sides = {_bits_or_bytes(p.unit), _bits_or_bytes(r.unit)}
    return (a is not None and b is not None and sides == {"bit", "byte"}
            and abs(abs(a - b) - math.log10(8)) < 0.05)


def _same_but_time(p_dims: D.Dims | None, target: D.Dims) -> bool:
    """The dimensions of an amount and of the same amount a second: "1.2 million megabits" said
    for a rate of megabits a second, restated "1.2 terabytes a second"."""
    return (p_dims is not None and p_dims[0] == 0 and target[0] == -1
            and p_dims[1:] == target[1:])


def _unread_between(turn: Turn, terms: list[int], ri: int) -> bool:
    """Whether a number said inside the working (from its first figure, or the start of the
    result's sentence, to the result) with an operator next to it is not among the figures
    read, so the product is only partly known."""
    if not terms:
        return False
    start = min([turn.qs[k].start for k in terms] + [turn.starts[turn.sentence(ri)]])
    spans = [(q.start, q.end) for q in turn.qs[: turn.own]]
    for n in read_numbers(turn.text[start : turn.qs[ri].start]):
        a, b = start + n.start, start + n.end
        if any(x <= a < y or x < b <= y for x, y in spans):
            continue
        near = turn.text[max(0, a - 8) : min(len(turn.text), b + 8)]
        if re.search(r"\btimes\b|\bx\b|×|\*|/|\bover\b", near, re.IGNORECASE):
            return True
    return False


_CODE_LENGTH = re.compile(r"(?:char(?:acter)?s?|digits?|letters?|symbols?)$", re.IGNORECASE)


def _period_total(q: Quantity, loose: bool = False) -> str | None:
    """The amount unit of a figure whose period only the words gave ("over a year that's
    7.3 TB" reads as TB a year): the same figure as the total it also is. Taken loosely (for a
    cost only: a price per GB-month needs an amount stored, and the horizon is the candidate's
    to choose), any growth a day or longer is also what is stored after that period ("5.6
    PB/yr. At $0.023/GB-month that's ~$129K/month by year-end")."""
    if q.kind not in ("bandwidth", "size", "rate"):
        return None
    if "inferred-unit" not in q.tags and not (loose and q.kind == "bandwidth"):
        return None
    amount = re.sub(r" / (?:day|week|month|year)$" if loose else
                    r" / (?:second|minute|hour|day|week|month|year)$", "", q.unit)
    return amount if amount != q.unit and "/" not in amount else None


def _same_noun_rate(turn: Turn, ri: int, target: D.Dims, sentence: int) -> int | None:
    """The latest earlier rate of the same sentence that counts the same thing as figure
    ``ri`` ("10M uploads a day ... 460 uploads per second"), both averages or both peaks."""
    r = turn.qs[ri]
    if r.kind != "rate" or not r.noun or r.tags & {"per-entity", "each", "bare"}:
        return None
    for k in range(ri - 1, -1, -1):
        if turn.sentence(k) != sentence:
            break
        q = turn.qs[k]
        if (q.kind == "rate" and q.noun == r.noun and D.base(q.unit)[1] == target
                and ("peak" in q.tags) == ("peak" in r.tags)
                and not q.tags & {"per-entity", "each", "bare", "inferred-unit"}
                and log_of(q) is not None):
            return k
    return None


_TIME_OVER_TIME = re.compile(
    r"^(?:nano|micro|milli)?(?:second|minute|hour|day|week|month|year) / "
    r"(?:second|minute|hour|day|week|month|year)$"
)
# "plus", "adding 200 bytes of metadata"; not "we add 300 GB a month", which is a growth rate
_ADDITIVE = re.compile(
    r"\bplus\b|\+|\bon top of\b|\badd(?:s|ing)?\b(?!\s+(?:about|roughly|around|~)?\s*[\d.,]+\s*"
    r"[A-Za-z]*\s*(?:a|an|per|/|each|every)\s*(?:day|week|month|year)\b)|\bsum of\b",
    re.IGNORECASE,
)
_OPERATOR = re.compile(
    r"(?<![A-Za-z])[x×*/÷](?![A-Za-z])|\btimes\b|\bdivid\w*|\bmultipl\w*|\bacross\b|\bover\b|"
    r"\bspread\b|\bsplit\b|\bsharded\b|\bpartition\w*\b",
    re.IGNORECASE,
)
_IN_FLIGHT = re.compile(
    r"concurren\w*|in[- ]flight|at once|at any (?:one )?(?:moment|time|instant)|simultaneous\w*|"
    r"\bopen\b|\bbusy\b|outstanding|little'?s law|in parallel|in progress|watching at|"
    # CPU time per item times items a second is cores kept busy
    r"\bof (?:cpu|compute)\b|\bcpu[- ](?:time|seconds?|minutes?|ms)\b",
    re.IGNORECASE,
)
_NODE_GROUPS = (
    frozenset({"node", "server", "machine", "instance", "host", "box", "vm", "pod", "container"}),
    frozenset(
        {
            "process",
            "worker",
            "instance",
            "pod",
            "container",
            "gateway",
            "crawler",
            "fetcher",
            "consumer",
        }
    ),
    frozenset({"core", "cpu", "vcpu"}),
    frozenset({"shard", "partition", "node", "database", "db", "primary", "broker"}),
)


def _continues(turn: Turn, ri: int, sentence: int) -> bool:
    """This sentence carries on the one before: "So ...", "That's ...", or a sentence with no
    figure of its own before a "that's": "Converting that to bandwidth, that's 5 Tbps"."""
    head = turn.text[turn.starts[sentence] : turn.qs[ri].start]
    if CONTINUATION.match(head):
        return True
    own = [k for k in range(ri) if turn.sentence(k) == sentence]
    return not own and bool(
        re.search(r"\b(?:that|this|which)(?:'s| is| gives| comes to)\b", head, re.IGNORECASE)
    )


def _counts_nothing(q: Quantity) -> bool:
    """'4-vCPU workers': a count that describes a thing ("4-vCPU"), not how many there are."""
    return "spec" in q.tags and q.kind in ("count", "nodes", "population")


def _sentence_before(turn: Turn, ri: int, sentence: int) -> int:
    """The last sentence before ``sentence`` that states a figure: "... 7.3 TB a year. We never
    delete posts; over ten years with three replicas that's 22 TB" works on the 7.3 TB."""
    said = {turn.sentence(k) for k in range(ri)}
    for before in range(sentence - 1, -1, -1):
        end = turn.starts[before + 1] if before + 1 < len(turn.starts) else len(turn.text)
        if before in said or "\n" in turn.text[turn.starts[before] : end]:
            return before  # a line break ends the working: notes on a new line start afresh
    return sentence - 1


def _inputs_before(
    turn: Turn,
    ri: int,
    sentence: int,
    before: int,
    earlier: list[int],
    ops: list[D.Operand],
    referenced: set[int],
) -> list[int]:
    """Earlier figures that may join this step's working. From sentence ``before``, the one with
    figures just before this one (this turn's): a figure it derived ("... is 6 TB/day. Keeping 3 replicas for 5 years gives"),
    a per-user or per-node figure ("the average user has 200 followers"), or any figure when
    this step scales it ("Average 1,200/s; we size for a 5x peak, i.e. 60K/s"). And user
    counts, from anywhere, when this step is per user ("each sends 40 messages a day")."""
    qs = turn.qs
    r = qs[ri]
    last = max((o.key for o in ops if o.key < ri), default=None)
    head = turn.text[qs[last].end if last is not None else turn.starts[sentence] : r.start]
    # "With a peak factor of three, peak is about 15K": a peak after its factor is derived
    factored = "peak" in r.tags and any("peak-factor" in qs[o.key].tags for o in ops)
    if not (_LINK_WORD.search(head) or RESULT_WORDS.search(head) or factored):
        return []  # "a page of 20 posts is about 10 KB": a plain "is" defines, it derives nothing
    scales = any(qs[o.key].kind == "factor" or o.dims[2] < 0 or o.dims[3] < 0 for o in ops)
    # "... 400 pages a second. If I run forty boxes, each one handles ...": a share per node
    # of the total said just before
    per_node = D.base(r.unit)[1]
    scales = scales or (per_node is not None and per_node[3] < 0
                        and any(o.dims[3] > 0 for o in ops))
    # "... a month. Dividing by the 86,400 seconds in a day, that's ...": a change of period
    # works on the total said just before
    scales = scales or any(qs[o.key].kind == "duration" and conversion_log(qs[o.key]) is not None
                           for o in ops)
    out = [
        k
        for k in earlier
        if k < ri
        and turn.sentence(k) == before
        and not _counts_nothing(qs[k])
        and (scales or k in turn.linked or "per-entity" in qs[k].tags
             # a price per GB, per request; "each payment costs us $2.29"
             or (qs[k].kind == "money" and ("/" in qs[k].unit or "each" in qs[k].tags))
             or ("per-item" in qs[k].tags and qs[k].kind == "size")  # "100 KB a page"
             # "The uplink is ten megabits a second. A 4 MB photo takes ...": its link speed
             or (qs[k].kind == "bandwidth" and _transfer_time(turn, ri)))
    ]
    # "Reads are 100 times that": the figure said just before, in this turn or the last one
    target = D.base(r.unit)[1]
    for o in ops:
        f = qs[o.key]
        if f.kind == "factor" and re.match(
            r"\s*(?:times\s+|x\s+)?(?:that|this|it)\b", turn.text[f.end : f.end + 12], re.IGNORECASE
        ):
            before = [k for k in range(o.key - 1, -1, -1)] + list(
                range(len(qs) - 1, turn.own - 1, -1)
            )
            for k in before:
                if "bare" not in qs[k].tags and qs[k].kind != "factor":
                    if D.base(qs[k].unit)[1] == target:
                        if k not in out:
                            out.append(k)
                        referenced.add(k)
                    break
    step = turn.text[turn.starts[sentence] : qs[ri].start]
    if any(o.dims[2] < 0 for o in ops) or _PER_USER_WORDS.search(step):
        out += [k for k in earlier if qs[k].kind == "population" and k not in out][:3]
    return out


def _said_so(turn: Turn, ri: int, rd: D.Reading, sentence: int) -> bool:
    """Per-node and Little's-law readings only when the words say that is the working.

    Per node: an operator between the figures ("across 50 shards", "/ 64 GB") or the same
    node noun on both sides ("one crawler box does 20/s, so 200 boxes"); threads against
    processes, users against shards, never. Little's law: an operator, or words that ask for
    things in flight ("concurrent", "at once", "busy", "Little's law"); a duration derived
    from a count and a rate only with an operator.
    """
    qs = turn.qs
    r = qs[ri]
    target = D.base(r.unit)[1]
    assert target is not None
    terms = [qs[k] for k, _ in rd.terms]
    dims = [D.base(q.unit)[1] or D.NO_DIMS for q in terms]
    first = min((qs[k].start for k, _ in rd.terms if k < turn.own), default=r.start)
    gaps = " ".join(
        turn.text[qs[k].end : qs[k + 1].start] for k in range(ri) if qs[k].start >= first
    )
    # only an operator of this step's own sentence says a per-node reading: "5.5B rows x 500 B"
    # two sentences back says nothing about "one process does ~2K/s, so the peak is 5 cores"
    here = turn.starts[sentence]
    own_gaps = " ".join(
        turn.text[max(qs[k].end, here) : qs[k + 1].start] for k in range(ri)
        if qs[k].start >= first and qs[k + 1].start > here
    )
    operator = bool(_OPERATOR.search(gaps))
    own_operator = bool(_OPERATOR.search(own_gaps))
    node_terms = [q for q, d in zip(terms, dims, strict=True) if d[3] != 0]
    if node_terms or target[3] != 0:
        nouns = [q.entity for q in node_terms] + ([r.entity] if target[3] != 0 else [])
        # "28 cores busy; with 4-vCPU workers that's 70 workers": cores per worker turns one
        # node noun into the other
        converts = any("cores-each" in q.tags and q.entity == r.entity for q in terms)
        if not own_operator and not converts and not _agree(nouns):
            return False
    has_rate = any(d[0] == -1 for d in dims)
    has_time = any(d[0] == 1 and q.kind == "duration" for d, q in zip(dims, terms, strict=True))
    if target[0] == 0 and target[1] == 0 and target[4] == 0 and has_rate and has_time:
        nxt = turn.sentence(ri) + 1
        end = turn.starts[nxt] if nxt < len(turn.starts) else len(turn.text)
        return operator or bool(_IN_FLIGHT.search(turn.text[turn.starts[sentence] : end]))
    if target[0] == 1 and r.kind == "duration" and has_rate:
        # "20 items / 70k reads/s = 0.3 ms": only when divided outright, or a transfer said so
        # ("at 1.25 GB/s, 250 TB takes about 2,000 seconds")
        return operator or (_transfer_time(turn, ri) and any(q.kind == "bandwidth" for q in terms))
    return True


def _copies_twice(terms: list[Quantity]) -> bool:
    """"three replicas, then a DR copy, so four copies total": the total is 4 copies, never
    3 x 4."""
    copies = [q for q in terms if "replication" in q.tags]
    return len(copies) > 1 and any("total" in q.tags for q in copies)


def _transfer_time(turn: Turn, ri: int) -> bool:
    """Figure ``ri`` is the time a size right before it takes to move: "a 4 MB photo, so an
    upload takes about 3 seconds"."""
    qs = turn.qs
    return (0 < ri < turn.own and qs[ri].kind == "duration" and qs[ri - 1].kind == "size"
            and bool(TRANSFER_TIME.fullmatch(turn.text[qs[ri - 1].end : qs[ri].start])))


_PERIOD_NAMED = re.compile(
    r"\b(?:a|an|one|per|each|every|the|this|that|first|of)\s+(?:(?:full|whole|entire|single|calendar)\s+)?"
    r"(second|minute|hour|day|week|month|year)\b|/\s*(second|minute|hour|day|week|month|year|sec|min|hr|mo|yr|s|h|d)\b|"
    r"\b(second|minute|hour|day|week|month|year)\s+(?:one|1)\b|"
    r"\b(daily|weekly|monthly|yearly|annual|annually|hourly)\b",
    re.IGNORECASE,
)
_ADVERB_PERIOD = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "hourly": "hour",
    "sec": "second",
    "min": "minute",
    "hr": "hour",
    "mo": "month",
    "yr": "year",
    "s": "second",
    "h": "hour",
    "d": "day",
}


_PER_USER_WORDS = re.compile(
    r"\b(?:each|every)(?: one| of them)?\s+(?:(?:user|person|member|customer|viewer|client|"
    r"subscriber|account|device)s?\b|(?:sends?|makes?|does|posts?|uploads?|views?|reads?|"
    r"writes?|has|gets?|receives?|follows?|opens?|checks?|refresh\w*|generates?|creates?|"
    r"watch\w*|plays?|streams?|likes?|clicks?)\b)|\b(?:apiece|per (?:user|person|head|member|"
    r"customer))\b",
    re.IGNORECASE,
)
_LINK_WORD = re.compile(
    r"\b(?:so|that'?s|that is|this is|which|gives?|giving|means?|hence|thus|therefore|i\.e|"
    r"we get|works? out|comes? to|needs?|requires?|handle|total)\b|[=≈→]|->",
    re.IGNORECASE,
)


def _events(q: Quantity) -> bool:
    """A count of things that happen (requests, messages, a bare "x 10"), not of people."""
    if q.kind == "factor" or q.kind == "population":
        return False
    first = q.unit.split(" / ")[0]
    return "user" not in first and "node" not in first


def _squared(qs: list[Quantity], rd: D.Reading) -> bool:
    """Two durations, sizes, rates or prices multiplied together: no estimate does that."""
    seen: set[str] = set()
    for k, sign in rd.terms:
        kind = qs[k].kind
        if sign == 1 and kind in ("duration", "size", "bandwidth", "rate", "money"):
            if kind in seen:
                return True
            seen.add(kind)
    return False


def _only_multiplies(q: Quantity, target: D.Dims) -> bool:
    """A length, a replica count, a peak factor, a user count (for a total): never divisors."""
    if "length" in q.tags or q.tags & {"replication", "peak-factor"}:
        return True
    return q.kind == "population" and "per-entity" not in q.tags and target[2] >= 0


def _agree(nouns: list[str | None]) -> bool:
    if not nouns or any(n is None for n in nouns):
        return False
    words = {U.singular(n) for n in nouns if n}  # type: ignore[arg-type]
    return len(words) == 1 or any(words <= g for g in _NODE_GROUPS)


_RESTATING = re.compile(r"\s*(?:\(|=|≈|~|->|→|,?\s*(?:i\.e\.?|about|roughly|around|so|or|~|≈))", re.IGNORECASE)


def _cleared(
    turn: Turn,
    ri: int,
    target: D.Dims,
    local: list[int],
    trailing: list[int],
    earlier: list[int],
    stated: list[float],
    sentence: int,
    rescale: list[int] = (),
) -> bool:
    """Whether any reading of the candidate's words, taken loosely, gives the stated figure.

    ``local`` and ``earlier`` come without the inputs of figures already worked out (see
    `_consumed`): reading "18 PB a year" from the per-rendition size again, without the
    renditions, would clear a slip the candidate made on the line they wrote.
    """
    qs = turn.qs
    r = qs[ri]
    # a bare figure just before, restated with its unit ("62^7, about 3.5 trillion codes");
    # not a new choice after it ("so we need 30 workers, let's say 40 with slack")
    for k in local + trailing[:1]:
        q = qs[k]
        if k > ri and ("choice" in q.tags or not _RESTATING.match(turn.text[r.end : q.start])):
            continue  # "about 10 boxes, maybe 12 with a spare": a new figure, not the same one
        if "bare" in q.tags and q.magnitude > 0 and abs(k - ri) == 1:
            lg = math.log10(q.magnitude) + D.base(r.unit)[0]
            if any(abs(s - lg) <= D.LOG_TOLERANCE + 1e-9 for s in stated):
                return True
    # a trailing "50x headroom" is a comparison, not an input; "with 3 replicas" is one
    # and one in the same units after it restates it ("1B a day and ~11.6K QPS"): no input
    near = local + [
        k
        for k in trailing
        if (qs[k].kind != "factor" or qs[k].tags & {"replication", "peak-factor", "compression"})
        and D.base(qs[k].unit)[1] != target
    ]
    # nearby figures of this turn; a user count from anywhere only for a per-user figure. Not
    # the figures a figure of this step was worked out from: "50M users x 30 a month, so 1.5B
    # a month, 18B a year. At 2 MB each that's 36 TB" is not cleared by 50M users x 2 MB.
    # An average behind a peak of this step stays: which of the two was meant is open.
    behind = set().union(*(_worked_from(turn, k) for k in local))
    peaks = {D.base(qs[k].unit)[1] for k in local if "peak" in qs[k].tags}
    earlier = [k for k in earlier if k not in behind
               or "peak" not in qs[k].tags and D.base(qs[k].unit)[1] in peaks]
    context = [k for k in earlier if k < ri][:6]
    context += [k for k in earlier if qs[k].kind == "population" and k not in context][:2]
    options = (
        [_own_period(r.unit)]
        if re.search(r"/ (?:second|minute|hour|day|week|month|year)", r.unit)
        else []
    )
    lo = turn.starts[sentence]
    hi = min((qs[trailing[-1]].end if trailing else r.end) + 40, len(turn.text))
    said = list(turn.text[lo:hi])
    for q in qs[: turn.own]:  # the words around the figures, not their own units
        for i in range(max(q.start, lo), min(q.end, hi)):
            said[i - lo] = " "
    for m in _PERIOD_NAMED.finditer("".join(said)):
        name = next(g for g in m.groups() if g).lower()
        name = _ADVERB_PERIOD.get(name, name)
        if all(p.name != name for p in options):
            options.append(D.Period(name, D.base(name)[0]))
    ops = []
    for k in near + [k for k in context if k not in near]:
        q = qs[k]
        lg, dims = log_of(q), D.base(q.unit)[1]
        if lg is None or dims is None or ("bare" in q.tags and k not in near):
            continue
        # a bare "x3" of this step only multiplies: "40 MB/s / 3 regions" is no reading of it
        # ...unless it is a count of nodes, which divides: "shard across 4, so ~1.25 GB each"
        bare_factor = "bare" in q.tags and "per-entity" not in q.tags
        signs = (1,) if _only_multiplies(q, target) or bare_factor else (1, -1)
        if "cores-each" in q.tags:
            signs = (-1,)
        ops.append(D.Operand(k, lg, dims, signs, k in near))
        for value, unit in q.alternatives:  # "300M minutes a day" as a count; "kb" as bits
            alt, alt_dims = log_of(q, value, unit), D.base(unit)[1]
            if alt is not None and alt_dims is not None:
                ops.append(D.Operand(k, alt, alt_dims, signs, k in near))
        if r.kind == "money" and (amount := _period_total(q, loose=True)) is not None:
            alt, alt_dims = log_of(q, q.magnitude, amount), D.base(amount)[1]
            if alt is not None and alt_dims is not None:
                ops.append(D.Operand(k, alt, alt_dims, signs, k in near))
        if k in turn.corrected:  # a slip already questioned: what follows may use the right value
            ops.append(D.Operand(k, turn.corrected[k], dims, signs, k in near))
    for k in rescale:  # only as the divisor of a population of this step
        if any(qs[j].kind == "population" for j in near) and (lg := log_of(qs[k])) is not None:
            ops.append(D.Operand(k, lg, D.base(qs[k].unit)[1], (-1,), False))
    near_keys = set(near)
    # A peak worked out with a stated factor ("with a 3x peak ≈ 21 Gbps") is that factor
    # applied: a reading without it does not clear the figure.
    factors = {k for k in near if "peak-factor" in qs[k].tags} if "peak" in r.tags else set()
    fits: list[D.Reading] = []
    for rd in D.combinations(ops, target, options, loose=True, max_terms=3):
        if len({k for k, _ in rd.terms}) < rd.size:
            continue  # one figure read in two units at once
        keys = {k for k, _ in rd.terms}
        rescaled = any(k in rescale and sign == -1 for k, sign in rd.terms)
        behind_terms = set().union(*(_worked_from(turn, k) for k in keys))
        if any(k in rescale and sign == -1 and k not in behind_terms for k, sign in rd.terms):
            continue  # only a count the total was worked out for may be divided out again
        if not rescaled and any(keys & _worked_from(turn, k) for k in keys):
            continue  # "50M DAU, 20% online, so 10M": the 20% is in the 10M, never applied again
        if factors and not factors & {k for k, _ in rd.terms}:
            continue
        if rd.how == "period" and _other_period(qs, rd):
            continue
        if target[D.NODE_AXIS] < 0 and any(
                sign == 1 and (D.base(qs[k].unit)[1] or D.NO_DIMS)[D.NODE_AXIS] > 0
                and qs[k].entity is not None and qs[k].entity == r.entity
                for k, sign in rd.terms):
            continue  # "2 GB over 8 nodes, so 16 GB per node": the nodes multiplied, not shared
        if _copies_twice([qs[k] for k, _ in rd.terms]):
            continue
        inside = sum(1 for k, _ in rd.terms if k in near_keys)
        outside = rd.size - inside - sum(1 for k, _ in rd.terms if k in rescale)
        if inside == 0 or outside > 1 or not any(k < ri for k, _ in rd.terms):
            continue  # at least one figure of this step before it, one from further back
        terms = [qs[k] for k, _ in rd.terms]
        if all(q.kind == "factor" or "bare" in q.tags for q in terms) or _squared(qs, rd):
            continue
        if rd.size == 1 and "per-entity" in terms[0].tags and r.kind in ("nodes", "population"):
            continue  # "500 connections per box" read loosely is not "500 boxes"
        if rd.how == "period" and (
            rd.size == 1
            or not any(
                sign == 1 and (q.kind in ("count", "size") or "/" not in q.unit)
                for q, (_, sign) in zip(terms, rd.terms)
                if q.kind != "factor" and q.kind != "population"
            )
        ):
            continue  # users are not events: "200M DAU" spread over a day is no rate
        if rd.fits(stated):
            fits.append(rd)
    if not fits:
        return False
    # a rescaled total is cleared, but its working is not the step's own to remember
    plain = [rd for rd in fits if not any(k in rescale and sign == -1 for k, sign in rd.terms)]
    if plain:
        _remember_inputs(turn, ri, plain)
    return True


def _consumed(turn: Turn, ri: int, target: D.Dims) -> set[int]:
    """The inputs of the figures of ``target``'s kind worked out before figure ``ri``, and the
    figures another figure replaced (a count scaled to a share of it, a factor applied)."""
    used: set[int] = set()
    qs = turn.qs
    for k in list(turn.inputs):
        if k < ri and _same_kind(qs[k].unit, target):
            used |= _worked_from(turn, k)
        elif k < ri and any(qs[j].kind == "factor" and 0 < qs[j].magnitude < 1
                            for j in turn.inputs[k]):
            # "50M DAU, a fifth of them online (so 10M connections)": a share of a count
            # stands for it from then on, and the fifth is spent
            used |= {j for j in turn.inputs[k]
                     if qs[j].kind == "factor" or D.base(qs[j].unit)[1] == D.base(qs[k].unit)[1]}
    return used


def _per_period_by_working(turn: Turn, rd: D.Reading) -> bool:
    """The one figure of ``rd`` was worked out in this turn from a figure per ``rd.period``
    ("five searches a day" each, so "a billion searches"): it is a total per that period."""
    k = rd.terms[0][0]
    return rd.period is not None and "/" not in turn.qs[k].unit and any(
        re.search(rf"/ {rd.period}\b", turn.qs[j].unit) for j in turn.inputs.get(k, ()))


def _remember_inputs(turn: Turn, ri: int, fitting: list[D.Reading]) -> None:
    """Record what figure ``ri`` was worked out from: the shortest reading that gives it, of the
    most recent figures before it (a factor said after it is a new step, not an input)."""
    before = [rd for rd in fitting if all(k < ri for k, _ in rd.terms)] or fitting
    best = max(before, key=lambda rd: (-rd.size, sorted((k for k, _ in rd.terms), reverse=True)))
    turn.inputs[ri] = frozenset(k for k, _ in best.terms)


def _worked_from(turn: Turn, k: int) -> frozenset[int]:
    """Every figure that went into figure ``k``, through the figures worked out on the way."""
    seen: set[int] = set()
    todo = list(turn.inputs.get(k, ()))
    while todo:
        j = todo.pop()
        if j not in seen:
            seen.add(j)
            todo.extend(turn.inputs.get(j, ()))
    return frozenset(seen)


def _same_kind(unit: str, target: D.Dims) -> bool:
    """Whether ``unit`` measures what ``target`` does, over any period (TB/day and PB/year)."""
    dims = D.base(unit)[1]
    return dims is not None and all(a == b for i, (a, b) in enumerate(zip(dims, target, strict=True))
                                    if i != D.TIME_AXIS)


def _other_period(qs: list[Quantity], rd: D.Reading) -> bool:
    """A rate times a duration is the total for that duration, never another period's:
    "~100 TB a month" over a "30-day" cycle is 100 TB a month, not 100 TB a year."""
    if rd.period is None:
        return False
    period_log = D.base(rd.period)[0]
    for k, sign in rd.terms:
        q = qs[k]
        lg = log_of(q) if sign == 1 and q.kind == "duration" else None
        if lg is not None and abs(lg - period_log) > 0.1:
            return True
    return False


@lru_cache(maxsize=512)
def _core(unit: str) -> str:
    """A unit without its counted nouns: 'read / second' and 'write / second' are both '/ s'."""
    names = set(U.COUNT_NOUNS.values()) | {"user", "node"}
    return " ".join(t for t in unit.split() if t not in names and t != "*")


def _confusion(log_factor: float, unit_a: str = "", unit_b: str = "") -> bool:
    """The factor of a classic mix-up: 8 (wider when a bit meets a byte), 10, 100, 1,000^k,
    or a time ratio (60, 86,400, 30...)."""
    known = [math.log10(8), 1, 2, 3, 6, 9, 12] + [math.log10(n) for n, _, _ in U.time_ratios()]
    lf = abs(log_factor)
    bits = {"bit" in t for t in (unit_a, unit_b) for t in re.findall(r"\w*(?:bit|byte)\b", t)}
    if bits == {True, False} and abs(lf - math.log10(8)) < 0.25:
        return True  # "83 MB/s, so a 100 Mbps link": 8 bits a byte, and a rounding
    return lf > D.LOG_TOLERANCE and any(abs(lf - k) < 0.06 for k in known)


def _throughput(qs: list[Quantity], rd: D.Reading) -> bool:
    """1 / service time: what one worker or connection does in a second."""
    return rd.size == 1 and rd.terms[0][1] == -1 and qs[rd.terms[0][0]].kind == "duration"


def _prose_working(turn: Turn, rd: D.Reading) -> str:
    parts = []
    terms = list(rd.terms)
    # "86,400 seconds" over "a day" is the change of period itself (a ratio of 1): not shown
    constants = [t for t in terms if turn.qs[t[0]].kind == "duration"
                 and conversion_log(turn.qs[t[0]]) is not None]
    periods = [t for t in terms if "implicit" in turn.qs[t[0]].tags]
    for c in constants:
        pair = next((p for p in periods if p[1] == -c[1]), None)
        if pair is not None and len(terms) > 2:
            terms.remove(c)
            terms.remove(pair)
            periods.remove(pair)
    for n, (k, sign) in enumerate(sorted(terms, key=lambda t: (t[1] < 0, turn.qs[t[0]].start))):
        quoted = (
            f'"{quote(turn.text, turn.qs[k].start, turn.qs[k].end)}"'
            if k < turn.own
            else f'"{turn.qs[k].text}"'
        )
        parts.append(
            (" / " if sign < 0 else " x ") + quoted if n else ("1 / " if sign < 0 else "") + quoted
        )
    text = "".join(parts)
    if rd.period:
        text += f" spread over a {rd.period}"
    return text
