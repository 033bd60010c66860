"""Which figures in a turn are derived, and from which written sum: the words between figures.

An equals sign or arrow after a written sum ("10M x 10 / 86,400 = 1M QPS") makes the next
figure its result; in prose a link word does ("that's", "so", "which is", "gives", "we
need"), provided the words after it are short and introduce no new assumption ("so to
serve 1 GB/s" introduces an input; "so over 5 years" too). Anything else is an assumption,
and so are: the subject of the next step ("so 50k sockets per process is ~2 GB"), a figure
denied or compared ("not 100 per instance", "more than 10K"), a stage in a pipeline ("CDN ->
Redis (24 h TTL)"). A tilde after a comma is a hedge, not an equals sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simulator.reading import derivations as D
from simulator.reading.quantities import Quantity

__all__ = ["CONTINUATION", "RESULT_WORDS", "Result", "sentence_starts", "structure"]

_I = re.IGNORECASE

# -- the words between two figures ---------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<eq>==?|≈|≅|≃|~=|=~|->|=>|→|⇒|⟶)"
    r"|(?P<tilde>[~∼])"
    r"|(?P<mul>[x×*∙·](?![A-Za-z0-9])|times\b|(?:multiplied|multiply|multiplying)\s+by\b|at\b)"
    r"|(?P<over>over\b)"
    r"|(?P<div>[/÷]|(?:divided|divide|dividing)\s+(?:that\s+|it\s+)?by\b|across\b|"
    r"(?:spread|split|sharded|partitioned)\s+"
    r"(?:over|across|into)\b)"
    r"|(?P<add>\+|plus\b)"
    r"|(?P<of>of\b)"
    r"|(?P<lp>\()|(?P<rp>\))"
    r"|(?P<ellipsis>\.{3}|…)"  # the speaker working it out: a pause, not a full stop
    r"|(?P<punct>[,;:]|\.(?!\d)|—|–|-(?=\s))"
    r"|(?P<eqw>(?:is|are|was|equals|gives(?:\s+us)?|giving(?:\s+us)?|that'?s|that\s+is|"
    r"which\s+is|which\s+gives(?:\s+us)?|(?:which\s+)?comes\s+(?:out\s+)?to|"
    r"which\s+works\s+out\s+(?:to|at)|so|we\s+get|i\.e\.?|means|"
    r"comes\s+(?:out\s+)?to|works\s+out\s+(?:to|at)|makes|rounds?\s+(?:up\s+|down\s+)?to|"
    r"becomes|or|then|we(?:'d|\s+would|\s+will|'ll)?\s+need)\b)"
    r"|(?P<hedge>(?:about|roughly|around|approx\.?|approximately|nearly|almost|call\s+it|some|"
    r"only|just|like|close\s+to|maybe|ish|say)\b)"
    r"|(?P<filler>(?:each|total|in\s+total|avg|average|on\s+average|the|a|an|"
    r"(?:for|in|to|into)\s+(?:bits|bytes))\b)"  # "divide by eight for bits... roughly"
    # thinking aloud between a working and its result: "50,000 times 0.5 ms, um, about 2,500"
    r"|(?P<pause>(?:um+|uh+|erm?|hmm+|okay|ok|well|yeah|let\s+me\s+think|let's\s+see)\b)",
    _I,
)


@dataclass
class _Gap:
    kind: str  # "op" | "eq" | "list" | "text"
    symbol: bool = False  # the equals is a sign ("=", "≈", "~", "→") or "i.e.", "or", "call it"
    op: str = ""  # "*", "/", "+", "?" (over: either)
    lp: int = 0
    rp: int = 0
    hedge: bool = False
    lead: bool = False  # punctuation before the operator: a sum continued from the last figure
    worded: bool = False  # "at", "over", "across", "of": an operator only the units make exact


def _read_gap(gap: str, left: Quantity | None) -> _Gap:
    seq: list[str] = []
    words: list[str] = []
    pos = 0
    while pos < len(gap):
        m = _TOKEN.match(gap, pos)
        if not m or m.end() == pos:
            return _Gap("text")
        pos = m.end()
        if m.lastgroup != "ws":
            seq.append("pause" if m.lastgroup == "ellipsis" else m.lastgroup or "")
            words.append(m.group(0).lower())
    if "pause" in seq:
        # "..., um, about 2,500": a pause then a hedged figure is the result being worked out
        seq = [t for t in seq if t != "pause"]
        if seq and seq[-1] == "hedge" and "eq" not in seq and "eqw" not in seq and not any(
                t in ("mul", "div", "over", "add", "of") for t in seq):
            seq.append("eqw")
    ops = [i for i, t in enumerate(seq) if t in ("mul", "div", "over", "add", "of")]
    # "~" after an operator is a hedge ("x ~10"), between two figures an equals ("86,400 ~ 10^5"),
    # after a comma a hedge again ("15 TB/day, ~5.6 PB")
    eqs = [
        i
        for i, t in enumerate(seq)
        if t in ("eq", "eqw") or (t == "tilde" and not ops and not (i and seq[i - 1] == "punct"))
    ]
    lp, rp = seq.count("lp"), seq.count("rp")
    hedge = any(t in ("hedge", "tilde") for t in seq)
    if len(ops) > 1:
        return _Gap("text")
    if ops:
        i = ops[0]
        kind = seq[i]
        if eqs or any(t == "punct" for t in seq[i + 1 :]):
            return _Gap("text")
        if kind == "of" and (left is None or left.kind != "factor"):
            return _Gap("text")
        worded = bool(re.match(r"at|over|across|of|spread|split|sharded|partitioned", words[i]))
        symbol = {"mul": "*", "of": "*", "div": "/", "over": "?", "add": "+"}[kind]
        return _Gap(
            "op", op=symbol, lp=lp, rp=rp, hedge=hedge, lead="punct" in seq[:i], worded=worded
        )
    if eqs:
        symbol = any(seq[i] in ("eq", "tilde") for i in eqs) or bool(
            re.search(r"\b(?:i\.e|call it|rounds?)\b", gap, _I)  # "or": maybe an alternative
        )
        return _Gap("eq", symbol, lp=lp, rp=rp, hedge=hedge)
    return _Gap("list", lp=lp, rp=rp, hedge=hedge)


_SENTENCE_END = re.compile(
    r"(?<!\bi\.e)(?<!\be\.g)(?<!\bvs)(?<!\betc)(?<!\bapprox)(?<!\bapx)[.!?;](?=\s|$)|\n|\s[—–-]\s",
    _I,
)
CONTINUATION = re.compile(
    r"\s*(?:[-*•]\s+)?(?:(?:so|that'?s|that is|that|it|which|this|then|hence|thus|therefore|"
    r"divid(?:e|ed|ing)|multipl(?:y|ied|ying)|times|over|at|in total|total|giving|gives|i\.e\.|and so|no wait|"
    r"or)\b|→|=>|->|=|≈|~)",  # a sign needs no word boundary after it: "→ 20 GB"
    _I,
)
#: words that state a result: "so", "that's", "which works out to", "puts us at"
RESULT_WORDS = re.compile(
    r"(?:=|≈|≅|→|->|=>|⇒|\bso,?\s+(?:a|an|one|each|every|the)\s+(?:[\w-]+\s+){0,3}?(?:is|are|comes to|takes|"
    r"weighs|needs)\b|\bso\b|\bthat'?s\b|\bthat is\b|\bwhich (?:is|means|gives|comes to|"
    r"averages out (?:to|at)|averages|works out (?:to|at))\b|\bgives?\b|\bgiving\b|\bwe get\b|\bmeans\b|\bmeaning\b|\bi\.e\.?|"
    r"\bequals?\b|\b(?:i|we)(?:'d|\s+would)?\s+(?:want|need)\s+(?:about|around|roughly|~)\b|"
    r"\bworks out (?:to|at)\b|\bcomes? (?:out )?to\b|\btranslates? (?:in)?to\b|\bresults? in\b|"
    r"\b(?:averages?|adds? up|ends? up|lands?) (?:out )?(?:to|at)\b|\b(?:grows?|increases?) by\b|"
    r"\b(?:we're|we are|we'd be|we'll be|you're|that puts us|puts us|we land|we end up|it ends up)"
    r" (?:at|around|near|with|to)\b|\bwe (?:land|end up) (?:at|around|near|with)\b|\bland around\b|"
    r"\b(?:we'?re|we are|we'?d be|we'?ll be|you'?re|it'?s) (?:looking at|talking about)\b|"
    r"\b(?:puts?|brings?|gets?|pushes) (?:us|it|peak|that|this|the [\w-]+|[\w-]+)(?: [\w-]+)? "
    r"(?:at|around|near|to|somewhere|up to|over|past)\b|"
    # "If I run forty boxes, each one handles about 100 a second": a share per node
    r"\beach (?:one|box|node|server|instance|host|machine|worker|pod|shard|process) "
    r"(?:handles|does|takes|gets|serves|sees|processes|carries|holds|stores|keeps)\b|"
    r"\b(?:in|as|into) (?:bytes|bits|gigabytes|megabytes|terabytes|gigabits|megabits|terabits)"
    r",? (?:is|are|that'?s|it'?s|comes to|would be)\b|"  # "Which in bytes is about 1.2 TB/s"
    r"\bbecomes?\b|\bhence\b|\bthus\b|\btherefore\b|\brounds? (?:up |down )?to\b|\bcall (?:it|that|this)\b|"
    r"\blands? us (?:at|around|near)\b|"
    r"\bin total\b|\bneeds?\b|\brequires?\b|\bmust handle\b|\bcan (?:push|move|carry|do|serve|"
    r"handle|transfer|send|sustain)\b|\b(?:pushes|moves|carries|averages|allows(?: up to)?)\b|"
    r"\b(?:that|this|which|it|total|overall|storage|bandwidth|egress|ingress|throughput|"
    r"traffic|load|memory|ceiling|burst|case|cost|footprint|size|volume|rate|disk|space)\s+(?:is|are|"
    r"comes to|would be|will be)\b|\bwhich\s+(?:puts us at|lands at|brings us to|adds up to|is about|"
    r"[a-z]+s)\b|(?P<the>\bthe\s+(?:[\w-]+\s+){0,2}?(?:is|are|comes to|would be|"
    r"will be)\b))",
    _I,
)
_TAIL_PREPOSITION = re.compile(
    # "so we design for 8K a second": what is sized for is the result, not an input
    r"(?<!design )(?<!plan )(?<!provision )(?<!size )(?<!sized )(?<!build )(?<!designing )"
    r"(?<!planning )(?<!provisioning )(?<!sizing )(?<!capacity )"
    r"\b(?:over|for|in|within|at|of|across|by|per|to|with|from|"
    r"during|after|on|into|under)\s*(?:a|an|the|about|~|roughly|around)?"
    r"\s*$",
    _I,
)
_FRONTED = re.compile(
    r"\s*(?:[-*•]\s+)?(?:at|with|given|assuming)\b[^,;:]*\d[^,;:]*,\s*"
    r"(?:we|they|it|that|this|the \w+|our \w+)\s+(?:\w+\s+){0,2}?"
    r"(?:about|roughly|around|~|≈)?\s*$",
    _I,
)
_TAIL_BLOCK = re.compile(
    r"^\s*(?:to (?:serve|handle|support|hold|store|keep|cover|absorb|reach|hit|sustain|get to)|"
    r"(?:hitting|reaching|sustaining|getting to|serving|handling)\b|"
    r"for|if|assum\w*|let'?s(?! see| think)|plan|target|budget|up to|limit)\b|"
    r"\b(?:assum\w*|let'?s(?! see| think)|plan for|target|budget)\b",  # "let's see": a pause
    _I,
)
_WEAK = re.compile(
    # "1.2M a minute during a campaign, roughly 20K a second": a short phrase of when may stand
    # before the comma
    r"(?:\s+(?:during|at|in|on|over)\s+(?:a|an|the|our)\s+[a-z]+(?=\s*,))?"
    r"\s*\)?\s*(?P<w>,|:|—|–|-|\(|\bor\b|\bis\b|\bare\b|\band\b|\bi\.e\.?)"
    r"(?P<rest>(?:\s*(?:storage|bandwidth|egress|ingress|throughput|traffic|qps|rps|load|memory|"
    r"disk|space|data|concurrency|network|total|overall|peak|average|avg|on average|at peak|"
    r"i\.e\.?|so|about|roughly|around|approx\.?|~|≈|call it|or so|that's|which is|is|are|of|=|:|"
    r"the|a|an))*)\s*$",
    _I,
)
_HEDGE = re.compile(r"about|roughly|around|approx|~|≈|call it|i\.e|that's|which is|=", _I)


@dataclass
class Result:
    index: int
    how: str  # "sum" | "direct" (right after the figure it restates) | "prose"
    tokens: list[tuple[str, object]] = field(default_factory=list)  # for "sum"
    symbol: bool = False  # restated with "=", "≈", "~", "i.e.": a bare figure may be compared
    worded: bool = False  # a sum with "at", "over", "across": never read units aside


_RESTATE = re.compile(
    r"(?:which (?:is|means|averages(?: out (?:to|at))?|comes (?:out )?to|works out (?:to|at))|i\.e\.?|that'?s|that is|\bor\b|=|≈|~|→|,\s*so|"
    r"can (?:push|move|carry|do|handle|transfer|send|sustain)|pushes|moves|carries|averages)"
    r"\s*(?:about|roughly|around|~|≈|approx\.?|only|just|some)?\s*$",
    _I,
)


def _alone(qs: list[Quantity], k: int, starts: list[int]) -> bool:
    """Whether figure ``k`` is the only one of its sentence so far."""
    begin = max((s_ for s_ in starts if s_ <= qs[k].start), default=0)
    return k == 0 or qs[k - 1].end <= begin


_THATS_ONLY = re.compile(
    r"\s*(?:so,?\s+)?(?:that'?s|that is|which is|i\.e\.?,?)\s*(?:about|roughly|around|approximately|"
    r"~|≈)?\s*", _I)


def _short(text: str, prev: Quantity, q: Quantity) -> bool:
    """A restatement said outright: "X, which is Y", "X can push Y", "X, i.e. Y"."""
    gap = text[prev.end : q.start]
    if not _RESTATE.search(gap):
        return False
    starts = sentence_starts(text)
    if any(prev.end < s_ <= q.start for s_ in starts):
        # "... 5 billion views a month. That's about 40 million a day.": a new sentence that
        # is only the restatement says it outright too
        opening = text[max(s_ for s_ in starts if s_ <= q.start) : q.start]
        return bool(_THATS_ONLY.fullmatch(opening))
    sentence = text[max(s_ for s_ in starts if s_ <= prev.start) : prev.start]
    limit = 6 if re.search(r"\b(?:averages|works|comes) out\b", gap, _I) else 4
    return len(gap.split()) <= limit and not re.match(
        r"\s*(?:[-*•]\s+)?(?:at|with|for|given)\b", sentence, _I
    )


# A dash that only brackets a pause ("Peak factor of three, so — um — around 50K") or follows a
# word that needs what comes after it ("so —", "that's —") does not end the sentence.
_OPEN_BEFORE_DASH = re.compile(
    r"\b(?:so|that'?s|that is|which is|is|are|was|gives?|about|like|roughly|around|um+|uh+|er+|"
    r"hmm+|then|and|or|call it|say)[,\s]*$", _I)
# "... thirty-nine megabytes a second — call it forty megabits": the dash leads to a restatement
_LINK_AFTER_DASH = re.compile(r"\s*(?:call it|that'?s|that is|which (?:is|means|comes)|i\.e\.?|so "
                              r"(?:that'?s|about|roughly|around|~)|about|roughly|around|~|≈)", _I)
_PAUSE_SEGMENT = re.compile(r"\s*(?:(?:um+|uh+|er+|hmm+|erm|let me see|let's see|wait|"
                            r"okay|ok|well)[,\s]*)+$", _I)


def sentence_starts(text: str) -> list[int]:
    ends = list(_SENTENCE_END.finditer(text))
    starts = [0]
    aside_end = -1
    for n, m in enumerate(ends):
        if n == aside_end:
            continue
        if (m.group(0).strip() in ("—", "–") and n + 1 < len(ends)
                and ends[n + 1].group(0) == m.group(0)
                and not re.search(r"\d", inner := text[m.end() : ends[n + 1].start()])
                and len(inner.split()) <= 15
                and re.match(r"\s*[a-z]", text[ends[n + 1].end() : ends[n + 1].end() + 3])):
            aside_end = n + 1  # "takes 0.2 percent — no fixed part — and we push $50M": an aside
            continue
        if m.group(0) == "." and text[max(0, m.start() - 2) : m.start()] == ".." and re.match(
                r"\s+[a-z~≈\d]", text[m.end() : m.end() + 3]):
            continue  # "so that's... about 10,000 a second": a pause, not a full stop
        if m.group(0).strip() in "—–-" and m.group(0).strip():
            before = text[starts[-1] : m.start()]
            after = text[m.end() : ends[n + 1].start() if n + 1 < len(ends) else len(text)]
            if _OPEN_BEFORE_DASH.search(before) or _PAUSE_SEGMENT.match(before) or (
                    _LINK_AFTER_DASH.match(after)) or (
                    _PAUSE_SEGMENT.match(after) and n + 1 < len(ends)
                    and ends[n + 1].group(0).strip() in ("—", "–", "-")):
                continue
        starts.append(m.end())
    return starts


_HEDGED_AFTER_SUM = re.compile(
    r"\s*[,—–]\s*(?:about|roughly|around|approximately|approx\.?|nearly|something like|~|≈)\s*", _I)


# "600 per user over the month, times 500 million is ...": a short aside, then the product goes on
_CONTINUED_PRODUCT = re.compile(r"(?:\s+[a-z'-]+){1,5}\s*,\s*(?:and\s+)?(?:then\s+)?"
                                r"(?:times|multiplied\s+by|[x×*])\s*", _I)


def structure(text: str, qs: list[Quantity]) -> list[Result]:
    """The derived figures of a turn and, for written sums, their working."""
    results: list[Result] = []
    expr: list[tuple[str, object]] = []
    worded = False
    is_result = [False] * len(qs)
    starts = sentence_starts(text)
    for i, q in enumerate(qs):
        prev = qs[i - 1] if i else None
        # "~1.8 TB" carries its tilde; between two figures it reads as an equals sign
        hedge = 1 if q.text[:1] in "~≈" else 0
        gap = _read_gap(text[prev.end : q.start + hedge], prev) if prev else _Gap("text")
        if (gap.kind == "list" and prev is not None and expr and expr[-1] == ("num", i - 1)
                and sum(t[0] == "num" for t in expr) >= 2
                and (_HEDGED_AFTER_SUM.fullmatch(text[prev.end : q.start + hedge])
                     # "two million over forty, fifty K": a bare figure after a sum is its value
                     or ("bare" in q.tags and re.fullmatch(r"\s*,\s*", text[prev.end : q.start])))):
            gap = _Gap("eq", hedge=True)  # "100 TB times 8 over 86,400, about 9 gigabits"
        if (gap.kind == "text" and prev is not None
                and (_CONTINUED_PRODUCT.fullmatch(text[prev.end : q.start + hedge]))
                and not any(prev.end < s_ <= q.start for s_ in starts)):
            gap = _Gap("op", op="*", lead=True)  # "600 per user over the month, times 500M"
        if gap.kind == "op":
            if not expr:
                expr = [("num", i - 1)]
            worded = worded or gap.worded
            expr += [("rp", None)] * gap.rp + [("op", gap.op)] + [("lp", None)] * gap.lp
            expr.append(("num", i))
            continue
        after = text[q.end : qs[i + 1].start] if i + 1 < len(qs) else ""
        # "..., which works out to about $13,500 a day. Over a year, ...": a figure that ends its
        # sentence is that sentence's result, even when the next sentence goes on from it
        follows_op = (i + 1 < len(qs) and _read_gap(after, q).kind == "op"
                      and not (gap.kind == "eq" and re.match(r"\s*[.!?;]\s", after)))
        if gap.kind == "eq" and follows_op and (not gap.symbol or "bare" in q.tags):
            # "so 500M / 10^5 = ...", "-> 10M x 2 x 100 B = 2 GB": the first term of a new sum
            expr = [("num", i)]
            worded = False
            continue
        if gap.kind == "eq" and prev is not None and "factor" not in q.tags:
            expr += [("rp", None)] * gap.rp
            nums = [t for t in expr if t[0] == "num"]
            if len(nums) < 2 and not gap.symbol and _subject_or_denied(text, qs, i):
                expr = [("num", i)]  # "so 10 million counters is 150 GB": a subject
                worded = False
                continue
            if len(nums) >= 2:
                results.append(Result(i, "sum", list(expr), worded=worded))
            elif any(prev.end < s_ <= q.start for s_ in starts) and not (
                    _short(text, prev, q) and _alone(qs, i - 1, starts)):
                # ". That's 2B a day": not said outright, unless the sentence before gave one
                # figure ("Assume 5 billion views a month. That's about 160 million a day.")
                results.append(Result(i, "prose"))
            elif gap.symbol or _short(text, prev, q):
                results.append(Result(i, "direct", symbol=gap.symbol))
                if gap.symbol:
                    qs[i] = q = _inherit_period(prev, q)
            else:
                results.append(Result(i, "prose"))
            is_result[i] = True
            expr = [("num", i)]
            worded = False
            continue
        lead = re.search(r"(\(\s*)+$", text[prev.end if prev else 0 : q.start])
        expr = [("lp", None)] * (lead.group(0).count("(") if lead else 0) + [("num", i)]
        worded = False
        if prev is None or "factor" in q.tags or "implicit" in q.tags:
            continue
        if follows_op:
            continue  # the first term of a sum, not a result
        link = _linked(text, prev, q, is_result[i - 1])
        if link and "per-entity" in q.tags and any(prev.end < s_ <= q.start for s_ in starts):
            # "Peak is 200K/s. Each sender box can do about 2,000/s": a new sentence giving
            # what one node can take is an assumption the next step divides by, not a result
            link = None
        if link == "weak" and q.tags & {"per-entity", "each"} and "per-entity" not in prev.tags:
            link = None  # "100M users, ~10 notifications each": what each one does, an input
        if (
            link is None
            and i >= 2
            and _FILLER_ONLY.fullmatch(text[prev.end : q.start])
            and _linked(text, qs[i - 2], prev, is_result[i - 2], prepositional=True)
        ):
            link = "strong"
        if (link is None and i >= 2 and "implicit" in prev.tags and prev.kind == "duration"
                and _HEDGE_ONLY.fullmatch(text[prev.end : q.start])
                and _OVER_A.search(text[qs[i - 2].end : prev.start])
                and "/" in qs[i - 2].unit and "/" not in q.unit
                and not any(qs[i - 2].end < s_ <= q.start for s_ in starts)):
            link = "strong"  # "720 TB a day, and over a year roughly 26 PB": the rate, summed
        if (link or _fronted(text, q, starts)) and not _subject_or_denied(text, qs, i):
            direct = link == "weak" or (link == "strong" and _short(text, prev, q))
            if (direct and _RESTATING_END.search(text[prev.end : q.start])) or _IN_OTHER_TERMS.search(
                    text[prev.end : q.start]):
                # "2 GB per second incoming. In network terms that's about 2 gigabits": the same
                # number in other units is the rate again
                qs[i] = q = _inherit_period(prev, q, said_again_only=True)
            results.append(Result(i, "direct" if direct else "prose"))
            is_result[i] = True
    return results


_COPULA = re.compile(
    r"\s*(?:is|are|would be|will be|needs|need|takes|means)\s*(?:about|roughly|around|"
    r"close to|approx\.?|only|just|~|≈)?\s*$",
    _I,
)
_DENIED = re.compile(
    r"\b(?:not|rather than|instead of|vs\.?|versus|compared (?:to|with)|than)\s*"
    r"(?:about|roughly|around|~|≈|just|only)?\s*$",
    _I,
)


def _subject_or_denied(text: str, qs: list[Quantity], i: int) -> bool:
    """'so 50k sockets per process is ~2 GB': the figure after "so" is the subject of the next
    step, not its result; 'means 100 in total, not 100 per instance': a figure denied."""
    q = qs[i]
    if _DENIED.search(text[max(0, q.start - 30) : q.start]):
        return True
    if i + 1 < len(qs) and _COPULA.fullmatch(text[q.end : qs[i + 1].start]):
        return "bare" not in qs[i + 1].tags and "factor" not in qs[i + 1].tags
    return False


_RESTATING_END = re.compile(r"\b(?:call it|i\.e\.?|which is|that'?s)\s*(?:about|roughly|around|~|≈)?\s*$",
                            _I)


_IN_OTHER_TERMS = re.compile(
    r"\b(?:in (?:network|wire|bits?|bytes?) terms|on the wire|in bits|in bytes|as bits|as bytes)\b"
    r"[,\s]*(?:(?:um+|uh+|er+|so|well),?\s*)*(?:that'?s|that is|it'?s|this is|is|=)?\s*"
    r"(?:about|roughly|around|~|≈)?\s*$", _I)


def _inherit_period(prev: Quantity, q: Quantity, said_again_only: bool = False) -> Quantity:
    """'a minute is 180 Mb = 22.5 MB': the restated figure keeps the per-minute it restates."""
    match = re.search(r"( / (?:second|minute|hour|day|week|month|year))$", prev.unit)
    # "39 MB/s — call it 40 megabits": the same number said again in other units is the rate
    said_again = (match is not None and prev.magnitude > 0
                  and 0.6 <= q.magnitude / prev.magnitude <= 1.6 and q.kind == "size")
    if not match or "/" in q.unit or "bare" in q.tags or not (
            "inferred-unit" in prev.tags and not said_again_only or said_again):
        # only a period the words gave ("a minute is 180 Mb"): "125 GB/day ≈ 3.75 TB" is a total
        return q
    unit = q.unit + match.group(1)
    if D.base(unit)[1] != D.base(prev.unit)[1]:
        return q
    return q.model_copy(
        update={
            "unit": unit,
            "tags": q.tags | {"inferred-unit"},
            "kind": "bandwidth" if q.kind == "size" else "rate",
        }
    )


_FILLER_ONLY = re.compile(
    r"[\s,]*(?:(?:we'?d|we'?ll|we|you'?d)\s+(?:need|have|get|store)\s+|"
    r"(?:that'?s|it'?s|is|are)\s+|about\s+|roughly\s+|around\s+|~\s*|"
    r"≈\s*)*",
    _I,
)


_NOUN_IS = re.compile(r"\s*(?:[a-z][\w-]*\s+){1,2}(?:is|comes to|takes up|weighs)\s+(?:about|roughly|around|"
                      r"~|≈)?\s*", _I)


def _linked(
    text: str, prev: Quantity, q: Quantity, prev_is_result: bool, prepositional: bool = False
) -> str | None:
    """'weak' (right after the previous figure: "X, about Y"), 'strong' ("so", "that's"), None."""
    gap = text[prev.end : q.start]
    if q.kind == "duration" and prev.kind in ("bandwidth", "size") and TRANSFER_TIME.fullmatch(gap):
        # "a 3 MB photo over a 2 Mbps uplink takes about 1.5 seconds"; "At 1.25 GB/s, 250 TB
        # takes about 2,000 seconds"
        return "strong"
    if ("peak-factor" in prev.tags and "peak" in q.tags and re.search(r"\bso\b", gap, _I)
            and not re.search(r"[.;!?]\s", gap)):
        return "strong"  # "peaks are ten times that, so plan capacity for 20K/s peak"
    if _NOUN_IS.fullmatch(gap) and prev.kind in ("duration", "size") and prev_is_result:
        return "strong"  # "so a two-hour film is about 3.6 GB": what the thing just sized comes to
    if q.text[:1] in "~≈":  # "20 MB/s, ~160 Mbps": the figure's own tilde is a hedge here
        gap += q.text[:1]
    if "\n" not in gap and (m := _WEAK.fullmatch(gap)):
        word, rest = m.group("w").lower(), m.group("rest")
        if word in (",", "(", "and"):
            if _HEDGE.search(rest) and (word != "and" or prev_is_result):
                return "weak"
        else:
            return "weak"
    starts = [s for s in sentence_starts(gap) if s > 0]
    seg = gap[starts[-1] :] if starts else gap
    if starts and not CONTINUATION.match(seg) and not RESULT_WORDS.search(seg):
        return None
    last = None
    for m in RESULT_WORDS.finditer(seg):
        last = m
    if last is None:
        return None
    tail = seg[last.end() :]
    if re.fullmatch(r"->|→|=>|⇒", last.group(0)) and not _HEDGE_ONLY.fullmatch(tail):
        return None  # "CDN -> LB -> Redis (24 h TTL": a pipeline, not a result
    if last.group("the") and starts:
        return None  # "The limit is 100/min": a new sentence's assumption
    if _TAIL_PREPOSITION.search(tail):
        # "so over 3 years", "so at 5 Mbps": the object of a preposition is an input
        return "strong" if prepositional else None
    if prepositional:
        return None
    if re.match(r"\s*(?:we'?d |we |you'?d )?need", last.group(0), _I) and re.match(
        r"\s*to \w+\s*(?:about|roughly|around|~)?\s*$", tail, _I
    ):
        return "strong"  # "we need to serve 1.2 Tbps": what is needed is the result
    return "strong" if len(tail.split()) <= 6 and not _TAIL_BLOCK.search(tail) else None


# ", so an upload takes about": a transfer named after "so", before its time
_SO_A_TRANSFER = (r"[\s,;:]*(?:so|which means|meaning)\s+(?:an?|the|each|one|every|that|this|it|our)?\s*"
                  r"(?:(?:single|whole|full|typical|average)\s+)?(?:(?:up|down)load|transfer|copy|"
                  r"push|send|sync|backup|fetch|it)?\s*")
TRANSFER_TIME = re.compile(
    r"(?:\s*(?:[\w-]+\s+){0,2}?|" + _SO_A_TRANSFER + r")(?:takes?|(?:up|down)loads?\s+in|transfers?\s+in|finish(?:es)?\s+in|"
    r"(?:is|are)\s+done\s+in|needs?)\s*(?:about|roughly|around|~|≈|only|just)?\s*",
    _I,
)
_OVER_A = re.compile(r"^[\s,;]*(?:and\s+|so\s+|which\s+)?(?:over|in|across|for)\s+(?:a|an|one|the)?\s*"
                     r"(?:(?:full|whole|entire|single|calendar)\s+)?$", _I)
_HEDGE_ONLY = re.compile(
    r"\s*(?:(?:about|roughly|around|approx\.?|~|≈|only|just|some|call it)\s*)*", _I
)


def _fronted(text: str, q: Quantity, starts: list[int]) -> bool:
    """'At 20M transactions a month and $40 each, we process about $80M': a result clause."""
    start = max(s for s in starts if s <= q.start)
    return bool(_FRONTED.match(text[start : q.start]))
