"""How a derived figure could follow from the figures before it: products of powers, by dimension.

A candidate who writes "10M DAU, each doing 10 requests a day, that's 100M requests/day" does
not say "multiply"; the dimensions do. Each figure is an :class:`Operand` (log10 of its value
in base units and its dimension vector); :func:`combinations` lists the products
``a^±1 x b^±1 x ...`` whose dimensions match a target, and :func:`match` says how a product
may be read in the target's dimensions:

* ``exact``: same dimensions;
* ``each``: a leftover user or node in the product ("10M DAU x 10 requests a day" means
  10 requests *each*), dropped;
* ``period``: a total where a rate was stated, or the reverse ("10M x 10 = 1.2K QPS" is a
  daily total spread over a day); the caller says which periods the context allows;
* ``soft``: per-user or per-node on one side only (the weakest reading).

Everything in the search is floats and tuples: pint is asked once per unit (:func:`base`,
cached), never in the inner loop, so a turn with dozens of figures stays fast.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from simulator.reading import units as U

DIMENSIONS = ("[time]", "[information]", "[user]", "[node]", "[currency]", "[printing_unit]")
_TIME, _USER, _NODE = 0, 2, 3
TIME_AXIS = _TIME
NODE_AXIS = _NODE
LOG_TOLERANCE = math.log10(3.0)

Dims = tuple[int, ...]
NO_DIMS: Dims = (0,) * len(DIMENSIONS)


def dims_of(dimensionality: dict[str, float]) -> Dims | None:
    """A pint dimensionality as a vector; None when it has a dimension estimates never use."""
    if any(name not in DIMENSIONS for name, power in dimensionality.items() if power):
        return None
    return tuple(round(dimensionality.get(name, 0)) for name in DIMENSIONS)


@lru_cache(maxsize=1024)
def base(unit: str) -> tuple[float, Dims | None]:
    """log10 of one ``unit`` in base units (seconds, bits, users...), and its dimensions."""
    q = U.registry().Quantity(1.0, unit).to_base_units()
    return math.log10(q.magnitude), dims_of(dict(q.dimensionality))


def add(a: Dims, b: Dims, sign: int = 1) -> Dims:
    return tuple(x + sign * y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Operand:
    """One figure as a factor: ``log`` is log10 of its value in base units."""

    key: int  # the caller's index for the figure
    log: float
    dims: Dims
    signs: tuple[int, ...] = (1, -1)  # the exponents it may take
    local: bool = True  # part of the figure's own working, not earlier context


@dataclass(frozen=True)
class Period:
    """A period a total may be spread over: ('day', log10(86,400))."""

    name: str
    log: float


@dataclass(frozen=True)
class Reading:
    """A product of operands read in the target's dimensions."""

    terms: tuple[tuple[int, int], ...]  # (operand key, exponent)
    log: float  # log10 of the value in the target's base units
    how: str  # "exact" | "each" | "period" | "soft"
    period: str | None = None

    @property
    def size(self) -> int:
        return len(self.terms)

    def fits(self, stated_logs: Iterable[float]) -> bool:
        return any(abs(s - self.log) <= LOG_TOLERANCE + 1e-9 for s in stated_logs)

    def distance(self, stated_logs: Iterable[float]) -> float:
        return min(abs(s - self.log) for s in stated_logs)


def match(
    dims: Dims, target: Dims, periods: Sequence[Period], soft: bool, loose: bool = False
) -> list[tuple[str, float, str | None]]:
    """Ways a product with ``dims`` can be read as ``target``: (how, log adjustment, period).

    ``loose`` ignores users and nodes altogether: a reading that only clears a figure, never
    one that questions it ("4 threads x 10 lookups/s = 40 lookups/s per process").
    """
    diff = list(add(dims, target, -1))
    how = "exact"
    if loose and (diff[_USER] or diff[_NODE]):
        diff[_USER] = diff[_NODE] = 0
        how = "loose"
    for i in (_USER, _NODE):
        if diff[i] == 0:
            continue
        other = _NODE if i == _USER else _USER
        if dims[i] > target[i] >= 0:
            diff[i], how = 0, "each"  # 10M DAU x 10 requests (each); 2M viewers = 2M streams
        elif dims[i] == 0 and target[i] > 0 and dims[other] == 0 and not soft:
            diff[i], how = 0, "each"  # 50K/s x 20 ms = 1,000 cores: a plain count of nodes
        elif not soft:
            return []  # a per-user rate with no users to multiply it by; users read as nodes
        else:
            diff[i], how = 0, "soft"
    if soft and how != "soft":
        return []  # the soft pass only adds readings the strict one lacks
    if any(d for i, d in enumerate(diff) if i != _TIME):
        return []
    if diff[_TIME] == 0:
        return [(how, 0.0, None)]
    # Only a total read as a rate, or a rate as a total: count <-> count / time
    if (dims[_TIME], target[_TIME]) not in ((0, -1), (-1, 0), (1, 0)) or how == "soft":
        return []
    # +1: a total where a rate was stated, spread over a period; -1: a rate over a period.
    # Never over "a second": "1,400/s" is not a total of 1,400.
    return [("period", -diff[_TIME] * p.log, p.name) for p in periods if p.log != 0.0]


def combinations(
    operands: Sequence[Operand],
    target: Dims,
    periods: Sequence[Period],
    *,
    soft: bool = False,
    loose: bool = False,
    max_terms: int = 4,
    required: Iterable[int] = (),
) -> list[Reading]:
    """Every product of at most ``max_terms`` operands that reads as ``target``.

    ``required`` keys must appear in every product (a stated peak factor for a peak figure).
    """
    need = frozenset(required)
    out: list[Reading] = []
    # The search visits thousands of products with a handful of distinct dimension vectors:
    # each vector is matched against the target once.
    readings: dict[Dims, list[tuple[str, float, str | None]]] = {}
    steps = [[(sign, sign * op.log, tuple(sign * d for d in op.dims)) for sign in op.signs]
             for op in operands]

    def walk(i: int, terms: list[tuple[int, int]], log: float, dims: Dims) -> None:
        if i == len(operands):
            if not terms or (need and not need <= {k for k, _ in terms}):
                return
            ways = readings.get(dims)
            if ways is None:
                ways = readings[dims] = match(dims, target, periods, soft, loose)
            for how, adjust, period in ways:
                out.append(Reading(tuple(terms), log + adjust, how, period))
            return
        walk(i + 1, terms, log, dims)
        if len(terms) >= max_terms:
            return
        key = operands[i].key
        for sign, step_log, step_dims in steps[i]:
            terms.append((key, sign))
            walk(i + 1, terms, log + step_log, tuple(map(operator.add, dims, step_dims)))
            terms.pop()

    walk(0, [], 0.0, NO_DIMS)
    return out
