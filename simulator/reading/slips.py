"""Find the slips in a capacity estimate: which figures are derived, from what, and how far off.

A figure is *derived* when the words before it say so: an equals sign or arrow after a written
sum ("10M x 10 / 86,400 = 1M QPS"), or a link word in prose ("that's", "so", "which is",
"gives", "means", "we need"). Anything else is an assumption and is never questioned; so is a
figure in a question, a denied one ("not 100 per instance"), and the subject of the next step
("so 50k sockets per process is ~2 GB": the 50k).

Precision comes first: these readers run on other people's words. A derived figure is
recomputed from the candidate's own figures:

* after a written sum, from that sum (pint algebra, with each bare "86,400" or "365" also
  read as the unit conversion it usually is; a result said to be "each" may leave out the
  count it is each of);
* in prose, in two passes (see :func:`recompute.judge_prose`). Any loose reading clears it:
  the figures of its step, those after it in the same sentence ("3.75 TB if we keep 30
  days"), the nearest earlier ones, users and nodes taken loosely. Only a strict reading
  questions it: the step's own figures (and at most one of the sentence just before), exact
  dimensions, per-node and Little's-law working only when the words say so.

It is a slip only when no reading comes within 3x. Peak figures are checked only against a
stated peak factor, never an assumed one; a figure that follows from an earlier slip's right
value is not questioned again.
"""

from __future__ import annotations

import math
import re

from simulator.reading import derivations as D
from simulator.reading import units as U
from simulator.reading.links import sentence_starts, structure
from simulator.reading.quantities import TOLERANCE, Quantity, Slip, read_quantities
from simulator.reading.recompute import (
    Turn,
    Verdict,
    conversion_log,
    judge_littles_law,
    judge_period_division,
    judge_prose,
    judge_retention,
    judge_sum,
    log_of,
    quote,
    ratio_unit,
    restated_earlier,
)

__all__ = ["find_slips"]

# -- reporting ---------------------------------------------------------------------------------

_ANCHORS = (
    (86400, "86,400 s in a day is about 10^5"),
    (2629800, "a month is about 2.6M s"),
    (31557600, "a year is about 3.2 x 10^7 s"),
    (3600, "an hour is 3,600 s"),
    (1440, "a day is 1,440 minutes"),
    (60, "a minute is 60 s and an hour 60 minutes"),
    (365.25, "a year is 365 days"),
    (30.4, "a month is about 30 days"),
    (24, "a day is 24 hours"),
    (12, "a year is 12 months"),
    (7, "a week is 7 days"),
)


def _term_units(turn: Turn, v: Verdict) -> list[str]:
    """The units of the working, a bare "3" read as the "3 Mbps" it repeats."""
    units = []
    for k, _ in v.terms:
        q = turn.qs[k]
        same = restated_earlier(turn, k) if "bare" in q.tags else None
        units.append(same.unit if same is not None else q.unit)
    return units


def _classify(turn: Turn, r: Quantity, v: Verdict, factor: float) -> tuple[str, str]:
    units = [r.unit] + _term_units(turn, v)
    lf = abs(math.log10(factor))
    bits = any(re.search(r"bit\b", u) for u in units)
    bytes_ = any(re.search(r"byte\b", u) for u in units)
    if bits and bytes_ and abs(lf - math.log10(8)) < 0.13:
        return "bits-bytes", "There are 8 bits in a byte: 1 Gbps is about 125 MB/s."
    # a time mix-up: off by a ratio between two periods the working itself uses
    present = {w for u in units for w in re.findall(r"second|minute|hour|day|week|month|year", u)}
    present |= {v.period} if v.period else set()
    for k, _ in v.terms:
        if (small := ratio_unit(turn.qs[k].magnitude)) and "bare" in turn.qs[k].tags:
            present |= {small} | {
                big
                for n, sm, big in U.time_ratios()
                if sm == small and abs(math.log10(turn.qs[k].magnitude / n)) < 0.07
            }
    for n, small, big in U.time_ratios():
        if abs(lf - math.log10(n)) < 0.07 and (
            {small, big} <= present
            or (small == "second" and big in present and n >= 3600)
            or (big in present and small in ("day", "second"))
        ):
            return "time-unit", _anchor(n)
    for power in (3, 6, 9, 12):
        if abs(lf - power) < 0.13:
            return (
                "magnitude",
                "Each of K, M, B (G) and T is 1,000x the one before: count the zeros.",
            )
    return "arithmetic", _structural_anchor(turn, r, v)


def _anchor(n: float) -> str:
    best = min(_ANCHORS, key=lambda a: abs(math.log10(a[0] / n)))
    return best[1][0].upper() + best[1][1:] + "."


def _structural_anchor(turn: Turn, r: Quantity, v: Verdict) -> str:
    units_r = set(re.findall(r"second|minute|hour|day|week|month|year", r.unit))
    units_w = {
        w
        for k, _ in v.terms
        for w in re.findall(r"second|minute|hour|day|week|month|year", turn.qs[k].unit)
    }
    if v.period:
        units_w.add(v.period)
    units = [r.unit] + _term_units(turn, v)
    if any(re.search(r"bit\b", u) for u in units) and any(re.search(r"byte\b", u) for u in units):
        return "There are 8 bits in a byte: 1 Gbps is about 125 MB/s."
    for n, small, big in U.time_ratios():  # converting between periods: give the anchor
        if (small in units_r and big in units_w) or (big in units_r and small in units_w):
            return _anchor(n)
    terms = [turn.qs[k] for k, _ in v.terms]
    kinds = {q.kind for q in terms}
    if "duration" in kinds and ({"rate"} & kinds) and r.kind in ("count", "population", "nodes"):
        return "Little's law: things in flight = arrival rate x time each one stays."
    if any("peak-factor" in q.tags for q in terms):
        return "Peak = average x the peak factor."
    if any("replication" in q.tags for q in terms):
        return "Stored = data x number of replicas."
    if "node" in r.unit or any(q.kind == "nodes" or "node" in q.unit for q in terms):
        return "Nodes = total load / what one node handles; per node = total / nodes."
    if "duration" in kinds and r.kind == "size":
        return "Total = daily volume x 365 days x years kept."
    return "Redo the multiplication with the figures as stated."


# Things the reader counts as users that are not people: the candidate's own word is shown
_NOT_PEOPLE = frozenset({"connection", "socket", "session", "stream", "device", "client",
                         "subscription", "channel", "websocket", "tab"})


def _make_slip(turn: Turn, r: Quantity, v: Verdict) -> Slip | None:
    expected = 10 ** (v.expected_log - D.base(r.unit)[0])
    if expected <= 0 or not math.isfinite(expected) or r.magnitude <= 0:
        return None
    factor = r.magnitude / expected
    kind, anchor = _classify(turn, r, v, factor)
    shown = f"≈ {U.format_quantity(expected, r.unit)}"
    if r.entity and re.search(r"\bnodes?\b", shown):
        # "≈ 1.2K cores", "≈ 50 processes": the candidate's own word for the machines
        shown = re.sub(r"\bnodes\b", U.plural(r.entity), re.sub(r"\bnode\b", r.entity, shown))
    if r.noun and r.unit == "user" and re.search(r"\busers?$", shown) \
            and U.singular(r.noun.split()[-1].lower()) in _NOT_PEOPLE:
        shown = re.sub(r"\busers?$", r.noun, shown)  # "≈ 200 open connections", not "users"
    stated = quote(turn.text, r.start, r.end)
    off = f"{factor:.3g}x too high" if factor > 1 else f"{1 / factor:.3g}x too low"
    restatement = (
        f"From {v.working if v.working.startswith(chr(34)) else chr(34) + v.working + chr(34)} "
        f'I get {shown}, so "{stated}" looks {off}. {anchor}'
    )
    return Slip(
        stated=stated,
        start=r.start,
        end=r.end,
        stated_value=r.magnitude,
        expected_value=expected,
        unit=r.unit,
        expected=shown,
        factor=factor,
        kind=kind,
        working=v.working,
        restatement=restatement,
    )


def _asked(text: str, starts: list[int], q: Quantity) -> bool:
    end = next((s for s in starts if s > q.end), len(text))
    return text[:end].rstrip().endswith("?")


_SCALING = ("factor", "percent", "ratio")
_LOOSE = math.log10(TOLERANCE)


def _scale_logs(q: Quantity) -> tuple[float, float] | None:
    """log10 of ``q`` as written and in base units (None for a figure that cannot scale)."""
    if q.magnitude <= 0 or not math.isfinite(q.magnitude):
        return None
    try:
        return math.log10(q.magnitude), math.log10(q.magnitude) + D.base(q.unit)[0]
    except Exception:  # noqa: BLE001 - an odd unit only loses the benefit of the doubt
        return None


def _follows_loosely(turn: Turn, index: int, r: Quantity) -> bool:
    """The benefit of the doubt a listener gives: the stated figure is, within 3x, one earlier
    figure scaled by a fraction the candidate gave ("200M users, one in ten posts: 20M posts a
    day"), or a per-user figure times a user count ("20 a day per user" x 50M DAU = 12K/s),
    read either as written or in base units. Such a figure is not questioned."""
    stated = _scale_logs(r)
    if stated is None:
        return False
    here = turn.sentence(index)
    earlier = [(k, q) for k, q in enumerate(turn.qs)  # never a figure the candidate took back
               if k != index and (k >= turn.own or q.end <= r.start and not _taken_back(turn.text, q))]
    logs = [(k, q, _scale_logs(q)) for k, q in earlier]
    logs = [(k, q, lg) for k, q, lg in logs if lg is not None]
    for k, a, la in logs:
        if turn.sentence(k) != here:
            continue  # the fraction or per-user rate belongs to the step that states the figure
        scaling = (a.kind in _SCALING or "factor" in a.tags) and "cores-each" not in a.tags
        per_user = "per-entity" in a.tags or "/ user" in a.unit or "user" in (a.entity or "")
        if not (scaling or per_user):
            continue
        for _, b, lb in logs:
            if b is a or (per_user and not scaling and (b.kind != "population"
                                                       or "concurrent" in b.tags)):
                continue
            if "bare" in b.tags and conversion_log(b) is not None:
                continue  # "86,400" is seconds in a day, never a count a factor scales
            # A percentage only in base units ("5%" is 0.05, never 5).
            # As written only for a count scaled by a plain fraction (units may differ there:
            # "200M users, one in ten posts"); rates and sizes are compared in base units.
            timeless = not re.search(r"second|minute|hour|day|week|month|year|byte|bit", b.unit)
            ways = (0, 1) if (timeless and a.kind == "factor" and "percent" not in a.unit
                              and "replication" not in a.tags) else (1,)
            if any(abs(la[w] + lb[w] - stated[w]) < _LOOSE for w in ways):
                return True
    return False


# "... so 1,400 a second. Wait, no, that's wrong, it's 140": the candidate took it back
_TAKEN_BACK = re.compile(
    r"[^.!?\n]{0,60}?(?:\.{2,}|\u2026|[.!?;:,\u2014\u2013-]|\s)\s*(?:(?:um|uh|hmm|oh|ah|er),?\s*)?"
    r"(?:wait\b|no,? wait|hang on|hold on|actually,? no|no,? (?:sorry|that's|that is)|"
    # "480 megabytes. Hmm, no, 4.8 gigs": a bare "no" and the figure meant
    r"no\s*[,:!\u2014-]+\s*(?=[~\u2248$]?\d|(?:about|around|roughly|more like|closer to|make (?:that|it)|"
    r"it'?s|that'?s|it is|that is|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred|"
    r"a thousand)\b)|"
    r"(?<=\.\.\.)\s*well\b|(?<=\u2026)\s*well\b|(?<=\u2014)\s*well\b|"  # "2.5 TB... well, 10 GB x 365"
    r"let me (?:redo|re-do|recompute|recalculate|re-?check|fix|correct|try) |scratch that|"
    r"sorry\b|oops|that's (?:wrong|not right|off)|that can't be right|correction\b|"
    r"i mean\b|rather,)", re.IGNORECASE)


def _taken_back(text: str, q: Quantity) -> bool:
    return bool(_TAKEN_BACK.match(text, q.end))


# "well, 10 GB times 365 is ...": a figure that starts a new working is not the one meant
_OPERAND = re.compile(r"\s*(?:[x×*/÷]|times\b|over\b|divided\b|multiplied\b|per\b)", re.IGNORECASE)


def _corrected_slips(turn: Turn, verdicts: dict[int, Verdict | bool]) -> list[Slip]:
    """A worked-out figure the candidate takes back hands its working to the figure said in
    its place: "two million over forty, fifty K... no, sorry, five thousand a second". The
    correction is checked against that working, or against the first figure when the working
    cleared it; a correction its own words already judged is left to that verdict.
    """
    out: list[Slip] = []
    qs = turn.qs
    for i in range(turn.own):
        r, v = qs[i], verdicts.get(i)
        if v is None or v is False or (m := _TAKEN_BACK.match(turn.text, r.end)) is None:
            continue
        if v is True and "per-entity" in r.tags:
            continue  # a share is cleared loosely (any node count may be meant): no anchor
        if i + 1 < turn.own and qs[i + 1].start < m.end():
            continue  # the words take back a later figure, not this one
        first_log, first_dims = D.base(r.unit)
        # the figure said in its place: one of the next two, of the same kind
        k = next((k for k in range(i + 1, min(i + 3, turn.own))
                  if qs[k].start <= m.end() + 120 and qs[k].magnitude > 0
                  and not _OPERAND.match(turn.text, qs[k].end)
                  and not qs[k].tags & {"choice", "implicit", "factor"}
                  and (D.base(qs[k].unit)[1] == first_dims
                       or "bare" in r.tags
                       # "four thousand each... no wait, four hundred each": the same share
                       or ("bare" in qs[k].tags and r.entity is not None
                           and qs[k].entity == r.entity))), None)
        if k is None or k in verdicts or _taken_back(turn.text, qs[k]):
            continue
        q = qs[k]
        if isinstance(v, Verdict):  # log10 of the value worked out, in the first figure's unit
            value_log, working = v.expected_log - first_log, v.working
        else:
            value_log = math.log10(r.magnitude)
            working = f'"{quote(turn.text, r.start, r.end)}" (what you had before the correction)'
        # in the correction's own unit (a bare "fifty K" said again as "5,000 ops a second")
        q_log, q_dims = D.base(q.unit)
        expected = value_log + (first_log if q_dims == first_dims else q_log)
        slip = _make_slip(turn, q, Verdict(expected, [], "corrected", working))
        # a correction is the same figure redone: four orders of magnitude off is another one
        if slip is not None and math.log10(TOLERANCE) < abs(math.log10(slip.factor)) <= 4:
            out.append(slip)
    return out


def find_slips(text: str, prior: list[Quantity] | None = None,
               quantities: list[Quantity] | None = None) -> list[Slip]:
    """The derived figures in ``text`` more than 3x off the candidate's own working (see
    :func:`check_estimate`, which also says how many figures were worked out)."""
    return check_estimate(text, prior, quantities)[0]


def check_estimate(text: str, prior: list[Quantity] | None = None,
                   quantities: list[Quantity] | None = None) -> tuple[list[Slip], int]:
    """The derived figures in ``text`` more than 3x off the candidate's own working.

    ``prior`` are quantities from earlier turns: they may serve as inputs (a user count stated
    in the clarify phase), never as figures to question. ``quantities`` is
    ``read_quantities(text)`` when the caller has already read it (it is not changed: the
    checker works on its own copy of the list).
    """
    qs = read_quantities(text) if quantities is None else list(quantities)
    results = structure(text, qs)  # may refine a restated figure's unit in place
    turn = Turn(
        text,
        qs + list(prior or []),
        len(qs),
        sentence_starts(text),
        frozenset(res.index for res in results),
    )
    derived: set[int] = set()  # figures that follow from earlier ones (they start a new step)
    verdicts: dict[int, Verdict | bool] = {}
    slips: list[Slip] = []
    for res in results:
        r = qs[res.index]
        if r.tags & {"choice", "implicit", "factor"} or r.magnitude <= 0:
            continue
        if _asked(text, turn.starts, r):
            continue  # "1 million users or 1 billion?": a question states nothing
        verdict: Verdict | bool | None = judge_period_division(turn, res.index)
        if verdict is None:
            verdict = judge_littles_law(turn, res.index)
        if verdict is None and res.how != "sum":
            verdict = judge_retention(turn, res.index)
        if verdict is None and res.how == "sum":
            verdict = judge_sum(turn, res)
        if verdict is None:
            verdict = judge_prose(turn, res.index, derived, res.how == "direct", res.symbol)
        if verdict is not None:
            derived.add(res.index)
            verdicts[res.index] = verdict
        slip = _make_slip(turn, r, verdict) if isinstance(verdict, Verdict) else None
        if (slip is not None and abs(math.log10(slip.factor)) > math.log10(TOLERANCE)
                and not _follows_loosely(turn, res.index, r) and not _taken_back(text, r)):
            slips.append(slip)
            assert isinstance(verdict, Verdict)
            turn.corrected[res.index] = verdict.expected_log
    for i, q in enumerate(qs):
        # "So by Little's law the number in flight is around two hundred and fifty": the law
        # named is the working, however the words link the figure
        if i in turn.linked or q.magnitude <= 0 or q.tags & {"choice", "implicit", "factor"}:
            continue
        if i + 1 < len(qs) and turn.sentence(i + 1) == turn.sentence(i):
            continue  # "Little's law: 50,000 x 0.2 = 10,000": the first term of a written sum
        verdict = judge_littles_law(turn, i)
        if isinstance(verdict, Verdict) and (slip := _make_slip(turn, q, verdict)) is not None \
                and abs(math.log10(slip.factor)) > math.log10(TOLERANCE):
            slips.append(slip)
    for slip in (_share_slips(turn) + _restatement_slips(turn) + _said_again_slips(turn, derived)
                 + _corrected_slips(turn, verdicts)):
        if all(x.start != slip.start for x in slips):
            slips.append(slip)
    return sorted(slips, key=lambda x: x.start), len(results)


# What may stand between a worked-out figure and a later one that repeats it: anything that
# could make the later figure another quantity (headroom, growth, a share, a comparison, an
# alternative, a condition) means it does not simply repeat it.
_CHANGED = re.compile(
    r"\b(?:headroom|buffer|margin|safety|spare|slack|grow\w*|future|double\w*|triple\w*|twice|"
    r"round\w*|pad\w*|over-?provision\w*|at most|at least|up to|limit\w*|caps?|max\w*|min\w*|"
    r"budget\w*|vs\.?|versus|compared|instead|rather|per|each|every|times|factor|peak\w*|"
    r"burst\w*|spike\w*|worst|if|when|unless|or|but|though|although|whereas|while|plus|minus|"
    r"add\w*|extra|more|less|fewer|only|just|half|third|quarter|percent|without|not|no|replica\w*|"
    r"cop(?:y|ies)|retain\w*|keep\w*|years?|months?|weeks?|days?|hours?|total|overall|all|whole|"
    r"fleet|cluster|across|region\w*|zones?|shards?|nodes?|servers?|hosts?|boxes|instances?|"
    r"users?|concurrent\w*|in flight|under|below|over|above|beyond|within|exceed\w*)\b|"
    r"[x×*%+\-/<>]\s*\d|\d\s*[x×]|\?",
    re.IGNORECASE)
# The words that say a figure repeats one already worked out: "so the 250 a second each
# gateway absorbs", "what we design for: something like 7,000 a second", "we size for 18k/s"
_REPEATS = re.compile(
    r"(?:\bso\b|\bthat'?s\b|\bi\.e\.?|\bwhich is\b|\b(?:design|size|plan|build|provision)\w*"
    r"(?: \w+)? for\b|\bcall it\b|\b(?:that|which) means\b|\bmeaning\b|\bin other words\b)[^.;]*$",
    re.IGNORECASE)


def _restatement_slips(turn: Turn) -> list[Slip]:
    """A figure worked out, then said again in the next breath 10x off: "around 70k [a
    second at peak]. So ... what we design for: something like 7,000 reads per second".

    Only the figure right after a worked-out one, in the same units (or any, when the
    worked-out one was a bare number), with nothing between them that could make it another
    quantity, and words that say it repeats it.
    """
    qs = turn.qs[: turn.own]
    out: list[Slip] = []
    for i in range(1, len(qs)):
        p, q = qs[i - 1], qs[i]
        if (i - 1 not in turn.linked or i in turn.linked or q.magnitude <= 0 or p.magnitude <= 0
                or q.tags & {"choice", "implicit", "factor", "bare"} or p.kind == "factor"
                or _asked(turn.text, turn.starts, q) or i - 1 in turn.corrected):
            continue
        if turn.sentence(i) == turn.sentence(i - 1):
            continue  # one sentence: a second figure of the same step, not a repetition
        between = turn.text[p.end : q.start]
        if len(between.split()) > 25 or _CHANGED.search(between) or not _REPEATS.search(between):
            continue
        if "bare" in p.tags:
            expected = log_of(q, p.magnitude)
        elif D.base(p.unit)[1] == D.base(q.unit)[1] and (p.noun is None or q.noun is None
                                                         or U.singular(p.noun) == U.singular(q.noun)):
            expected = log_of(p)
        else:
            continue
        if expected is None:
            continue
        if (slip := _restated(turn, q, i - 1, expected)) is not None:
            out.append(slip)
    return out


def _restated(turn: Turn, q: Quantity, p: int, expected: float) -> Slip | None:
    """The slip of figure ``q`` that says worked-out figure ``p`` again, when it is more than
    3x (and at most 10,000x: beyond that it is another quantity) off ``expected``."""
    working = f'"{quote(turn.text, turn.qs[p].start, turn.qs[p].end)}"'
    slip = _make_slip(turn, q, Verdict(expected, [(p, 1)], "restated", working))
    if slip is not None and math.log10(TOLERANCE) < abs(math.log10(slip.factor)) <= 4:
        return slip
    return None


# Words that point back at a figure already worked out: "as I said, a big campaign takes
# roughly four hours", "since the whole dataset is only around 300 GB", "so the origin tier has
# to cope with roughly 17,000 a second"
_POINTS_BACK = re.compile(
    r"(?:\b(?:as|like) (?:i|we) (?:said|mentioned|worked out|computed|figured|derived|saw)\b|"
    r"\bwhat did (?:i|we) say\b|"
    r"\bfrom (?:before|earlier|above)\b|"
    r"\b(?:we'?re|we are) (?:only |just )?(?:talking about|dealing with|looking at)\b|"
    r"\b(?:going|coming|circling) back to\b|\bsiz(?:e|es|ed|ing) (?:the |our |each )?(?:[\w-]+ ){0,2}for\b|"
    r"\b(?:the|our) (?:whole|entire|total|full)\s+(?:[\w-]+\s+){0,3}?(?:is|are|was|comes to|"
    r"adds up to)\b|"
    r"\b(?:has|have|needs?|need) to (?:cope with|handle|absorb|serve|sustain|carry)\b)"
    r"[^.;!?\d]{0,40}$", re.IGNORECASE)
_CHOSEN = re.compile(r"\b(?:budget|target|plan)\w*", re.IGNORECASE)
_SAID_SO = re.compile(r"\b(?:(?:as|like) (?:i|we) (?:said|mentioned)|what did (?:i|we) say)\b", re.IGNORECASE)
# What makes a later figure another quantity rather than the same one said again
_ANOTHER = re.compile(
    r"\b(?:headroom|buffer|margin|safety|spare|slack|grow\w*|future|double\w*|triple\w*|twice|"
    r"round\w* up|pad\w*|over-?provision\w*|worst|if|unless|would|could|budget\w*|target\w*|"
    r"limit\w*|instead|rather|vs\.?|versus|compared|than|plus|extra|times|factor|replica\w*|"
    r"cop(?:y|ies)|years?|months?|without|not|no)\b|[x×*%+/]\s*\d|\d\s*[x×]|\?", re.IGNORECASE)


def _said_again_slips(turn: Turn, judged: set[int]) -> list[Slip]:
    """A figure worked out, then said again sentences later, 10x off, with words that point
    back at it: "... around twenty-three minutes to drain. [...] So yeah, as I said, a big
    campaign takes roughly four hours to drain".

    Only a figure that is not itself worked out, in the units (and noun) of the worked-out
    one, with words that point back right before it and nothing in its sentence that makes it
    another quantity; and never when it is within 3x of any earlier figure in its units or of
    the worked-out one scaled by a figure said in between.
    """
    qs = turn.qs[: turn.own]
    out: list[Slip] = []
    for i, q in enumerate(qs):
        # a figure linked by words is checked here too when no working was found for it ("So,
        # as I said, about 40 GB a day")
        here = turn.starts[turn.sentence(i)]
        lead = turn.text[here : q.start]
        # a figure chosen ("we're budgeting") is still one said again when the words say so
        chosen = "choice" in q.tags and not _SAID_SO.search(lead)
        if (i in judged or q.magnitude <= 0 or chosen or q.tags & {"implicit", "factor", "bare"}
                or _asked(turn.text, turn.starts, q)):
            continue
        if not _POINTS_BACK.search(lead) or _ANOTHER.search(
                _CHOSEN.sub("", lead) if _SAID_SO.search(lead) else lead):
            continue
        dims, stated = D.base(q.unit)[1], log_of(q)
        if dims is None or stated is None:
            continue
        same = [j for j in range(i) if D.base(qs[j].unit)[1] == dims and qs[j].magnitude > 0
                and turn.sentence(j) < turn.sentence(i)]
        derived = [j for j in same if j in turn.linked and j not in turn.corrected
                   and (qs[j].noun is None or q.noun is None
                        or U.singular(qs[j].noun) == U.singular(q.noun))]
        if not derived:
            continue
        p = derived[-1]
        expected = log_of(qs[p])
        if expected is None:
            continue
        logs = [lg for j in same if (lg := log_of(qs[j])) is not None]
        # a bare figure said earlier in the units of this one ("12,000 at peak", later "12K
        # redirects a second")
        logs += [math.log10(qs[j].magnitude) + D.base(q.unit)[0] for j in range(i)
                 if "bare" in qs[j].tags and qs[j].magnitude > 0]
        if any(abs(stated - lg) <= math.log10(TOLERANCE) for lg in logs):
            continue  # it repeats some figure of the turn
        # the figures since the worked-out one, and the rest of this sentence ("about 50 GB,
        # since 5% of links get the clicks")
        around = [f for k, f in enumerate(qs) if p < k and k != i
                  and (k < i or turn.sentence(k) == turn.sentence(i))]
        # (a bare peak, "forty a second, a hundred and twenty at peak", is the rate again, not
        # a multiplier)
        scales = [lg for f in around if f.magnitude > 0
                  and ("bare" in f.tags and "peak" not in f.tags or f.kind == "factor")
                  and (lg := (log_of(f) if f.unit == "percent" else math.log10(f.magnitude)))
                  is not None]
        if any(abs(stated - (expected + sign * lg)) <= math.log10(TOLERANCE)
               for lg in scales for sign in (1, -1)):
            continue  # the worked-out figure scaled by one said since
        if (slip := _restated(turn, q, p, expected)) is not None:
            out.append(slip)
    return out


_SHARE_OF = re.compile(
    r"^\s*of\s+(?:(?:a|an|the|our|one|that|this|each|every|its)\s+)?(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)


_UTILISED = re.compile(
    r"\s*(?:utili[sz]ed|utili[sz]ation|used|busy|full|loaded|saturated|of (?:its |the |our )?"
    r"(?:capacity|bandwidth|link|uplink|nic|limit))\b", re.IGNORECASE)


# what a share is a share of: a named capacity ("a 100 Mbps link", "the 10 Gbps NIC")
_CAPACITY = re.compile(
    r"\s*(?:[\w-]+\s+)?(?:link|nic|uplink|port|pipe|card|interface|line|circuit|disk|drive|"
    r"volume|quota|budget|capacity|limit|ceiling)s?\b", re.IGNORECASE)


def _share_slips(turn: Turn) -> list[Slip]:
    """ "100 MB/s, which is 800 Mbps, about 80% of a 10 Gbps NIC": a share of a capacity,
    checked against the figure it is a share of (800 Mbps over 10 Gbps is 8%)."""
    qs = turn.qs[: turn.own]
    out: list[Slip] = []
    for i, r in enumerate(qs):
        if r.unit != "percent" or r.magnitude <= 0:
            continue
        if i + 1 < len(qs) and _SHARE_OF.match(turn.text[r.end : qs[i + 1].start]):
            whole_at, first = i + 1, i - 1  # "80% of a 10 Gbps NIC"
        elif (_UTILISED.match(turn.text, r.end) and i >= 2
              and _CAPACITY.match(turn.text, qs[i - 1].end)):
            # "8 MB/s -> on a 100 Mbps link that's only 8% utilised": the capacity comes first
            whole_at, first = i - 1, i - 2
        else:
            continue
        whole = qs[whole_at]
        dims = D.base(whole.unit)[1]
        if (dims is None or dims == D.NO_DIMS or "bare" in whole.tags
                or (whole_at < i and turn.sentence(whole_at) != turn.sentence(i))):
            continue
        # the part: the nearest figure before it, in the same dimensions
        part = next((k for k in range(first, -1, -1)
                     if turn.sentence(i) - turn.sentence(k) <= 1 and "bare" not in qs[k].tags
                     and D.base(qs[k].unit)[1] == dims), None)
        if part is None:
            continue
        part_log, whole_log = log_of(qs[part]), log_of(whole)
        if part_log is None or whole_log is None:
            continue
        if whole_at < i and part_log > whole_log:
            # "we push 4 Gbps of a 10 Gbps NIC... 40% utilised": of two figures before the
            # share, the larger is the capacity
            part, whole_at, whole = whole_at, part, qs[part]
            part_log, whole_log = whole_log, part_log
        working = (f'"{quote(turn.text, qs[part].start, qs[part].end)}" / '
                   f'"{quote(turn.text, whole.start, whole.end)}"')
        slip = _make_slip(turn, r, Verdict(part_log - whole_log, [(part, 1), (whole_at, -1)],
                                           "exact", working))
        # a correction is the same figure redone: four orders of magnitude off is another one
        if slip is not None and math.log10(TOLERANCE) < abs(math.log10(slip.factor)) <= 4:
            out.append(slip)
    return out
