"""Wrong claims in a candidate's message: the misconception library and its matcher.

The library (`MisconceptionLibrary`, loaded by `simulator.content.misconceptions` from
`content/prompts/misconceptions.yaml`) lists wrong beliefs, each with data saying how it is
recognised. `find_misconceptions` reads a message the way a careful interviewer would, so a
correct sentence that uses the same words is not flagged:

1. Sentences. A question ("do worker threads use the libuv pool?") asserts nothing.
2. Segments, cut at contrast ("but", "however", "although", ";", ":", dashes). A
   segment that reports or refutes someone else's belief ("people say ...", "it's a myth
   that ..."), that doubts ("I'm not sure whether ..."), or that the next segment retracts
   ("... -- actually no") is not the candidate's claim.
3. Clauses, cut at commas, brackets and conjunctions (not inside a call such as
   "setTimeout(fn, 0)", nor in "20,000"). Clauses joined by "so", "because", "if", "which"
   or a comma form one *unit* of reasoning, inside which a recogniser's terms must co-occur;
   "and"/"or"/"while" between two full clauses, and list items after a comma, start a new
   unit ("and then", "and so", and a conjunct without its own subject do not). A segment or
   sentence that opens with a pronoun ("...; they come from the libuv pool") is also read
   together with the unit before it.
4. Suppositions. Terms that all sit in one "if ..." clause are not asserted, unless the
   predicate lies in the clause's consequent ("if we make it async it runs elsewhere").
5. Polarity, read per clause. In the clause holding the predicate (the recogniser's last
   term group), negations ("not", "n't", "never", "no", "without", "rather than", "unlike"
   ...) before the predicate, or a denial right after it ("... aren't a concern", "... is
   impossible", "... isn't enough"), decide whether it affirms or denies; two cancel.
   Negations inside the terms themselves do not count. Clauses holding the other terms are
   premises and must be affirmative. Hedges ("I think", "if I'm not mistaken") are
   transparent.

Numeric claims (per day vs per second, bits vs bytes) are checked by arithmetic: two linked
quantities ("10 Gbps, which is 10 GB/s") must agree with the unit conversion within the
recogniser's tolerance.

Recogniser terms are case-insensitive regexes (`(?-i:GET)` for case-sensitive parts). In
them, a space matches any run of spaces, hyphens or underscores ("at least once" matches
"at-least-once"; a space before a trailing optional group is optional too), `" .. "` allows up
to three words in between, `{NAME}` inserts the library's lexicon entry NAME, and each
alternative must start and end on a word boundary. The English grammar cues below are code;
the domain vocabulary is data.

Pure: standard library and pydantic only, no I/O. Patterns are compiled once per library.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from simulator.reading.anchors import AnchorSet, anchors, folded
from simulator.reading.numbers import read_numbers

__all__ = [
    "Availability",
    "AvailabilityRecogniser",
    "ClaimFinding",
    "Conversion",
    "ConversionRecogniser",
    "Grade",
    "Misconception",
    "MisconceptionLibrary",
    "TermRecogniser",
    "find_misconceptions",
]

# A phase id; `simulator.content` checks it against the one list in `simulator.phases`.
Phase = str
Topic = Literal[
    "nodejs-runtime", "units", "delivery", "consistency", "caching", "identifiers", "security",
    "databases", "networking", "scaling",
]
Unit = Literal["second", "minute", "hour", "day", "week", "month", "year", "bit", "byte"]

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_TIME_S = {"second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800,
           "month": 2_592_000, "year": 31_536_000}
_DATA_BITS = {"bit": 1, "byte": 8}


# --------------------------------------------------------------------------------------
# The library (data)
# --------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _text(value: str) -> str:
    if not value or not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class Grade(_Strict):
    """How the misconception counts against the candidate."""

    dimension: str
    severity: Literal["minor", "major"]
    scorecard: str
    # The grader's red flag this belief is the reason for (per-process state in a scaled-out
    # design, for "cluster workers share memory"): one mistake costs one point, not two.
    same_mistake_as: Literal["local-state", "arithmetic", "event-loop-blocking"] | None = None

    _nonempty = field_validator("dimension", "scorecard")(_text)


class TermRecogniser(_Strict):
    """Every group of `terms` (alternatives) occurs in one unit, with the given polarity.

    `context`: one of these must occur in the same sentence or the one before ("The service
    leaks 1 GB a day; a bigger heap solves that"). `same_numbers`: the claim equates two
    amounts, so numbers in it that differ by more than 3x rule it out ("10M DAU, so 10M
    concurrent" yes; "10M DAU, so 500k concurrent" no).
    """

    terms: list[list[str]] = Field(min_length=1)
    order: bool = False
    within: int | None = Field(default=None, ge=1)
    polarity: Literal["affirm", "deny"] = "affirm"
    unless: list[str] = []
    unless_sentence: list[str] = []
    context: list[str] = []
    same_numbers: bool = False

    @field_validator("terms", mode="before")
    @classmethod
    def _groups(cls, value: object) -> object:
        if isinstance(value, list):
            return [[g] if isinstance(g, str) else g for g in value]
        return value

    @model_validator(mode="after")
    def _no_stray_quotes(self) -> TermRecogniser:
        # In a YAML flow list a dropped opening quote still parses: "... bits', counter', ..."
        # yields the term "counter'", which matches nothing the candidate says.
        for term in itertools.chain(*self.terms, self.unless, self.unless_sentence, self.context):
            if re.fullmatch(r"'?[\w ?\\]+'|'[\w ?\\]+'?", term):
                raise ValueError(f"term {term!r} has a stray quote (a quote dropped in the list?)")
        return self


class Conversion(_Strict):
    """Quantities in `from` and in one of `to` that a clause equates must convert correctly."""

    from_: Unit = Field(alias="from")
    to: list[Unit] = Field(min_length=1)
    tolerance: float = Field(default=3.0, gt=1)

    @model_validator(mode="after")
    def _same_dimension(self) -> Conversion:
        kinds = {u in _TIME_S for u in (self.from_, *self.to)}
        if len(kinds) != 1:
            raise ValueError("from and to must all be time units or all be bit/byte")
        return self


class ConversionRecogniser(_Strict):
    conversion: Conversion
    unless: list[str] = []


class Availability(_Strict):
    """An availability ("four nines", "99.95% uptime") and the downtime a clause gives for it
    ("about 8 hours a year") must agree within `tolerance`: (1 - availability) x the period."""

    tolerance: float = Field(default=3.0, gt=1)


class AvailabilityRecogniser(_Strict):
    availability: Availability
    unless: list[str] = []


def _recogniser_kind(value: object) -> str:
    """Which recogniser a library entry is, by its key: errors then name only that kind's."""
    if isinstance(value, dict):
        return next((k for k in ("conversion", "availability") if k in value), "terms")
    return {ConversionRecogniser: "conversion", AvailabilityRecogniser: "availability"}.get(
        type(value), "terms")


Recogniser = Annotated[
    Annotated[TermRecogniser, Tag("terms")]
    | Annotated[ConversionRecogniser, Tag("conversion")]
    | Annotated[AvailabilityRecogniser, Tag("availability")],
    Discriminator(_recogniser_kind),
]


class Misconception(_Strict):
    id: str
    topic: Topic
    claim: str
    truth: str
    recognise: list[Recogniser] = Field(min_length=1)
    correct_forms: list[str] = Field(min_length=1)
    wrong_forms: list[str] = Field(min_length=1)
    probe: str
    phase: Phase
    grade: Grade

    _nonempty = field_validator("claim", "truth", "probe")(_text)

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not _KEBAB.match(value):
            raise ValueError(f"id {value!r} must be kebab-case (lowercase letters, digits, '-')")
        return value


class ClaimFinding(_Strict):
    """One wrong claim: which misconception, and the candidate's own words with their span."""

    misconception_id: str
    quote: str
    span: tuple[int, int]


@dataclass(frozen=True)
class _Terms:
    groups: tuple[re.Pattern[str], ...]
    order: bool
    within: int | None
    deny: bool
    unless: re.Pattern[str] | None
    unless_sentence: re.Pattern[str] | None
    context: re.Pattern[str] | None = None
    same_numbers: bool = False


@dataclass(frozen=True)
class _Convert:
    from_: str
    to: frozenset[str]
    tolerance: float
    unless: re.Pattern[str] | None


class MisconceptionLibrary(_Strict):
    """All misconceptions plus the shared `lexicon` of named pattern fragments."""

    version: Literal[1]
    lexicon: dict[str, str] = {}
    misconceptions: list[Misconception] = Field(min_length=1)

    _compiled: dict[str, tuple[_Terms | _Convert, ...]] = PrivateAttr(default_factory=dict)
    _anchor_index: _AnchorIndex | None = PrivateAttr(default=None)

    @field_validator("lexicon")
    @classmethod
    def _lexicon_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
                raise ValueError(f"lexicon name {name!r} must be UPPER_SNAKE_CASE")
        return value

    @model_validator(mode="after")
    def _compile(self) -> MisconceptionLibrary:
        seen: set[str] = set()
        for m in self.misconceptions:
            if m.id in seen:
                raise ValueError(f"duplicate misconception id {m.id!r}")
            seen.add(m.id)
        expanded = _expand_lexicon(self.lexicon)
        for i, m in enumerate(self.misconceptions):
            compiled = []
            for j, rec in enumerate(m.recognise):
                where = f"misconceptions[{i}] ({m.id}): recognise[{j}]"
                try:
                    compiled.append(_compile_recogniser(rec, expanded))
                except (re.error, KeyError) as exc:
                    raise ValueError(f"{where}: {exc}") from None
            self._compiled[m.id] = tuple(compiled)
        self._anchor_index = _AnchorIndex(self._compiled)
        return self

    def get(self, misconception_id: str) -> Misconception:
        for m in self.misconceptions:
            if m.id == misconception_id:
                return m
        raise KeyError(misconception_id)


def _closing(source: str, i: int) -> int | None:
    """Index of the ')' closing the group that opens at source[i], if one opens there."""
    if source[i : i + 1] != "(":
        return None
    depth, klass = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if klass:
            klass = ch != "]"
        elif ch == "[":
            klass = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _translate(source: str) -> str:
    """Term syntax to regex: spaces match separators, ' .. ' a short gap."""
    out, depth, i = [], 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            out.append(source[i : i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        if depth == 0 and source.startswith(" .. ", i):
            out.append(r"\W+(?:[\w']+\W+){0,3}?")
            i += 4
            continue
        if depth == 0 and ch == " ":
            if source.startswith(" ?", i):
                out.append(r"[\s_-]*")
                i += 2
                continue
            close = _closing(source, i + 1)
            if (close is not None and source[close + 1 : close + 2] == "?"
                    and source[close + 2 : close + 3] in ("", "|", ")", " ")):
                # "concurrent (?:users)?": the separator belongs to the optional part
                out.append(r"(?:[\s_-]+" + _translate(source[i + 1 : close + 1]) + ")")
                i = close + 1
                continue
            out.append(r"[\s_-]+")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _expand_lexicon(lexicon: dict[str, str]) -> dict[str, str]:
    done: dict[str, str] = {}

    def expand(name: str, stack: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name not in lexicon:
            raise KeyError(f"unknown lexicon name {{{name}}}")
        if name in stack:
            raise KeyError(f"lexicon cycle: {' -> '.join((*stack, name))}")
        text = _MACRO.sub(lambda mo: f"(?:{expand(mo.group(1), (*stack, name))})",
                          _translate(lexicon[name]))
        re.compile(text)
        done[name] = text
        return text

    for key in lexicon:
        expand(key, ())
    return done


def _alternatives(items: list[str], lexicon: dict[str, str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for `items`, each alternative on word boundaries.

    The boundaries are written once around the whole alternation, not once per alternative:
    it matches the same text at the same place (alternatives are still tried in order), but
    the regex engine then rejects a position inside a word once instead of once per
    alternative, which makes the search several times faster.
    """
    if not items:
        return None
    parts = []
    for item in items:
        if not item.strip():
            raise KeyError("empty pattern")

        def macro(mo: re.Match[str], item: str = item) -> str:
            if mo.group(1) not in lexicon:
                raise KeyError(f"unknown lexicon name {{{mo.group(1)}}} in {item!r}")
            return f"(?:{lexicon[mo.group(1)]})"

        parts.append(f"(?:{_MACRO.sub(macro, _translate(item.strip()))})")
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
    except re.error:
        # Only now compile the items one by one, so the error names the broken one: doing
        # it for every item up front doubled the compile time of every server start.
        for part in parts:
            re.compile(part)
        raise


def _compile_recogniser(rec: TermRecogniser | ConversionRecogniser | AvailabilityRecogniser,
                        lexicon: dict[str, str]) -> _Terms | _Convert:
    if isinstance(rec, AvailabilityRecogniser):
        return _Convert(_AVAILABILITY, frozenset(), rec.availability.tolerance,
                        _alternatives(rec.unless, lexicon))
    if isinstance(rec, ConversionRecogniser):
        c = rec.conversion
        return _Convert(c.from_, frozenset(c.to), c.tolerance, _alternatives(rec.unless, lexicon))
    groups = tuple(_alternatives(g, lexicon) for g in rec.terms)
    return _Terms(groups, rec.order, rec.within, rec.polarity == "deny",  # type: ignore[arg-type]
                  _alternatives(rec.unless, lexicon), _alternatives(rec.unless_sentence, lexicon),
                  _alternatives(rec.context, lexicon), rec.same_numbers)


# --------------------------------------------------------------------------------------
# English cues (grammar, not domain vocabulary)
# --------------------------------------------------------------------------------------

_I = re.IGNORECASE
_WHO = (r"(?:people|folks|some|many|most|others|devs|developers|engineers|candidates|"
        r"beginners|newcomers|juniors|someone|somebody|everyone|everybody|they|"
        r"(?:a lot|lots|plenty) of (?:people|folks|devs|developers|engineers|teams)|"
        r"some (?:people|folks|devs|developers|engineers|candidates|teams|blogs|articles|"
        r"tutorials|interviewers)|(?:my|a|our|the) (?:\w+ )?(?:colleague|co-?worker|teammate|"
        r"friend|manager|lead|team|intern)s?|tutorials|blog posts|the internet)")
_BELIEVE = (r"(?:say|says|said|think|thinks|thought|believe|believes|believed|assume|assumes|"
            r"assumed|claim|claims|claimed|imagine|expect|argue|argued|insist|insisted|tell|"
            r"tells|told|suggest|suggested|repeat|confuse|conflate|mix up|get wrong)")


def _any_of(cues: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern that finds whether any of ``cues`` occurs (for ``search``
    used as a yes/no answer only: where it matches may differ from the plain alternation).

    The leading ``\\b`` the cues share is tested once per position, before the alternatives,
    not once per alternative: the search is then several times faster.
    """
    bounded = [c[2:] for c in cues if c.startswith(r"\b")]
    others = [c for c in cues if not c.startswith(r"\b")]
    return re.compile("|".join([r"\b(?:" + "|".join(bounded) + ")", *others]), _I)


_DISTANCING = _any_of([
    rf"\b{_WHO}\s+(?:\w+\s+){{0,2}}?{_BELIEVE}\b",
    (r"\byou(?:'d| would| might| may| could)\s+(?:\w+\s+)?(?:think|assume|expect|imagine|"
      r"be forgiven|be tempted|guess)\b"),
    r"\byou (?:said|mentioned|suggested|claimed|asked|wrote)\b",
    (r"\b(?:one|someone|somebody|a candidate) (?:might|could|would|may) (?:\w+ )?(?:think|"
      r"assume|say|expect|claim)\b"),
    (r"\b(?:tempting|easy|natural|common|wrong|incorrect|mistaken|naive|a mistake|an error|"
      r"false) to (?:think|assume|believe|say|expect|imagine|claim|conclude)\b"),
    (r"\b(?:myth|myths|misconception|misconceptions|fallacy|misunderstanding|urban legend|"
      r"misbelief|old wives)\b"),
    (r"\b(?:common|classic|popular|frequent|typical|widespread|persistent|usual|rookie|"
      r"beginner'?s?|naive|big|old) (?:mistake|error|trap|pitfall|belief|assumption|confusion|"
      r"misreading|gotcha|mix-?up)\b"),
    (r"\bthe (?:naive|common|usual|popular|intuitive|textbook|wrong|mistaken) (?:view|"
      r"assumption|answer|take|idea|belief|claim|intuition|expectation|reading)\b"),
    *(rf"{lead}\s+(?:just |simply |a |an |totally |completely |plain |outright |flat )*"
      r"(?:myth|wrong|false|incorrect|untrue|mistaken|misleading|nonsense|bogus|"
      r"a misconception|a fallacy|not true|not the case|not right|not correct|not accurate|"
      r"a mistake)\b" for lead in (r"\b(?:is|are|was|were|be)", "'(?:s|re)")),
    r"\b(?:isn't|aren't|wasn't|weren't) (?:true|the case|right|correct|accurate)\b",
    r"\b(?:contrary to|supposedly|so-called)\b",
    r"\b(?:i|we) used to (?:think|believe|assume)\b",
    (r"\b(?:it's|it is|is|are) (?:often|commonly|widely|sometimes|frequently|usually|still) "
      r"(?:said|claimed|assumed|believed|thought|repeated)\b"),
    r"\bor so (?:people|they|some|many|folks) (?:say|think|claim|believe)\b",
    r"\b(?:the|this|that) (?:idea|notion|claim|assumption|belief) that\b",
])
_DOUBT_CUES = (
    r"\b(?:not|n't) (?:\w+ )?(?:sure|certain|convinced|positive)\b",
    r"\b(?:wonder|wondering|unsure|uncertain|doubt|doubtful|unclear|undecided)\b",
    # "whether" doubts ("whether that holds, I can't say"), except as what a check or a decision
    # looks at ("applies each event without checking whether it has seen it").
    # "presence is simply whether the socket exists", "tells us exactly whether": what a
    # value is or what a check answers, not a doubt. (The word is found first and what
    # precedes it asked after: the other order tries every look-behind at every position.)
    r"\bwhether\b" + "".join(f"(?<!{w} whether)" for w in (
        "check", "checks", "checking", "verify", "verifying", "track", "tracking", "decide",
        "deciding", "decides", "see", "seeing", "is", "simply", "just", "on", "of", "exactly",
        "us", "shows", "knows", "tells", "records", "says", "answers")),
    r"\b(?:don't|do not|didn't) (?:\w+ )?(?:know|remember|recall) (?:if|whether)\b",
    # "I'd need to check that" doubts; "the API doesn't need to check them" is a claim
    (r"\bi(?:'d|'ll| would| will| might)? (?:\w+ )?(?:have|need|want|ought|got) to "
     r"(?:check|verify|double-check|confirm|test|look (?:it|that) up|find out)\b"),
    r"\bis it (?:true|the case|right) that\b",
)
_DOUBT = _any_of(_DOUBT_CUES)
# A label that introduces a list of wrong beliefs ("Common mistakes: ...", "Pitfalls -"): what
# follows it in the sentence is reported, not claimed.
_HEADING = re.compile(
    r"\W*(?:(?:the|some|a few|two|three|four|five|common|typical|classic|usual|frequent|big|"
    r"known|rookie|beginner'?s?|interview)\s+)*(?:mistakes|pitfalls|anti-?patterns|red flags|"
    r"myths|misconceptions|gotchas|traps|errors to avoid|things to avoid|what not to do|"
    r"don'?ts)(?:\s+(?:to avoid|i'?d avoid|we avoid|people make|candidates make|i see))?\W*",
    _I)
# Phrases blanked before reading: hedges are transparent, and these words negate nothing.
_MASK_CUES = (
    r"\bif i'?m not (?:mistaken|wrong)\b", r"\bunless i'?m (?:mistaken|wrong)\b",
    r"\bif i (?:remember|recall)(?: correctly| right)?\b",
    r"\bas far as i (?:know|can tell|remember|understand)\b",
    r"\b(?:i|we) (?:think|believe|guess|suppose|reckon|feel)\b(?: that)?",
    r"\bi'?d (?:say|guess|think|argue)\b(?: that)?",
    r"\bi'?m (?:pretty|fairly|quite|almost|reasonably) (?:sure|certain|confident)\b(?: that)?",
    r"\b(?:iirc|afaik|imo|imho|tbh)\b", r"\bto be (?:honest|fair)\b", r"\bin my experience\b",
    r"\b(?:honestly|basically|obviously|of course|frankly|clearly|you know)\b",
    r"\bno doubt\b", r"\bwithout (?:a )?doubt\b", r"\bnot only\b", r"\bnot just\b",
    r"\bno matter\b", r"\bif not\b", r"\bnot to mention\b",
    r"\b(?:no|not) (?:more|less|fewer) than\b", r"\bnever mind\b",
)
_MASK = re.compile("|".join(_MASK_CUES), _I)
_NEGATOR = re.compile(
    r"\b(?:not|never|none|nothing|nobody|no-one|no one|neither|nor|nowhere|without|cannot|"
    r"no longer|rather than|instead of|as opposed to|unlike|far from|separate from|"
    r"independent of|distinct from|apart from|outside(?: of)?|other than|hardly|barely|rarely|seldom|"
    r"cant|wont|dont|doesnt|didnt|isnt|arent|wasnt|werent|shouldnt|wouldnt|couldnt|hasnt|"
    r"havent|aint)\b|\b\w+n't\b|\bno\b(?!\s*[,.!;:\u2014-])", _I)
# "since unlike a cookie it can't be read", "Unlike processes, threads ...": "unlike X" before
# a comma or a subject sets X aside; it negates nothing, and what X names is not claimed
_UNLIKE_ASIDE = re.compile(
    r"\bunlike\s+(?:an?\s+|the\s+|our\s+)?[\w-]+(?:\s+[\w-]+)?"
    r"(?=\s*,|\s+(?:it|they|we|this|that|these|those|you)\b)", _I)
_RETRACT = re.compile(
    r"^\W*(?:(?:but|and|oh|hmm|well|um|er|wait|sorry|actually|ok|okay)\W+)*"
    r"(?:no(?!-)|nope|nah|not (?:really|quite|exactly|true|so)|wrong|scratch that|strike that|"
    r"i take (?:that|it) back|i misspoke|correction|let me (?:correct|rephrase)|"
    r"i was wrong|on second thought|"
    r"(?:that|this|it)(?:'s| is| was) (?:not right|wrong|incorrect|not true|not correct|"
    r"a myth|false|backwards|not how it works)|(?:that|this|it) (?:isn't|wasn't) (?:right|true|"
    r"correct|how it works))\b(?!\s+\w+\s+\w)"
    r"|^\W*(?:(?:but|actually|in fact)\W+)*(?:they|it|that|this|those|these) "
    r"(?:do|does|did|is|are|was|were|can|will|would)(?:n't| not)"
    r"(?:\s+(?:really|actually|at all|though))?\W*$", _I)
_HARD = re.compile(
    r";|:(?=\s)|\s[-\u2013\u2014]{1,2}\s|\u2014|\u2013|\.\.\.(?=\s|$)|\u2026(?=\s|$)"
    r"|\b(?:but(?!\s+(?:before|after|also)\b)|however|although|even though|though|whereas|"
    r"nevertheless|nonetheless|"
    r"that said|even if)\b"
    r"|(?:^|,)\s*(?:yet|actually|in fact|in reality|instead|rather)\b", _I)
_CONCESSIVE = re.compile(r"^\W*(?:although|even though|though|whereas|even if)\b", _I)
_SOFT = re.compile(
    r"(?P<cconj>,\s*(?:and|or)\b)|(?P<conj>(?<!-)\b(?:and|or)\b(?!-))|(?P<while>,?\s*\b(?:while|whilst)\b(?!\s+loops?\b))"
    r"|(?P<comma>(?<!\d),|,(?!\d{3}(?!\d))|[()\[\]])"  # not the comma in "20,000"
    r"|(?P<link>\b(?:so(?!\s+(?:that(?!')|far|much|many|on|long|called)\b)|because|since|therefore|"
    r"hence|thus|then|which means|meaning|which is why|that's why|as a result|given that|if|"
    r"unless|when|whenever|as long as|provided)\b)", _I)
_IF_LEAD = re.compile(r"^\W*(?:if|unless|suppose|supposing|assuming|imagine|what if|in case)\b",
                      _I)
_ANAPHOR = re.compile(r"\W*(?:they|those|these|it|this|that|there|each (?:one|of them)|both(?: of them)?)"
                      r"(?:'s|'re|'ll)?\b", _I)
# Said right after a claim's predicate, these deny it: "leaks aren't something we worry about",
# "collisions are impossible", "duplicates won't happen".
_AFTER_DENY = re.compile(
    r"\W{0,3}(?:[\w']+\s+){0,3}?(?:(?:is|are|was|were)(?:n't|\s+not|\s+never)|'s\s+not|'re\s+not)\s+"
    r"(?:really\s+|actually\s+|ever\s+|even\s+|usually\s+|generally\s+)?(?:an?\s+)?"
    r"(?:real\s+|big\s+|serious\s+|practical\s+|major\s+)?(?:problem|concern|issue|worry|"
    r"risk|thing|something|possible|factor|going to happen)\b"
    r"|\W{0,3}(?:is|are|was|were|'s|'re)(?:n't|\s+not|\s+never)\s+(?:really\s+|quite\s+|nearly\s+)?"
    r"(?:an?\s+|the\s+)?(?:enough|sufficient|adequate|fine|ok|okay|safe|secure|right|correct|wise|"
    r"good|valid|viable|acceptable|sensible|a good idea)\b"
    r"|\W{0,3}(?:[\w']+\s+){0,3}?(?:is|are|'s|'re)\s+(?:\w+\s+)?(?:impossible|not possible|"
    r"a non-?issue|out of the question)\b"
    r"|\W{0,3}(?:[\w']+\s+){0,3}?(?:won't|will not|can't|cannot|never|doesn't|don't|do not|"
    r"does not)\s+(?:ever\s+|really\s+|actually\s+|even\s+)?(?:happen|occur|arise|come up)\b"
    # "loses no writes", "drops nothing": the object says none
    r"|\s+(?:no|nothing|none|zero|not (?:a single|one))\b(?!\s+(?:more|less|longer|later)\b)",
    _I)
_THEN = re.compile(r"will|would|can|could|might|may|should|shall|must|won't|wouldn't|can't|"
                   r"cannot|couldn't|shouldn't|then|it|they|we|you|\w+'ll|\w+'d",
                   _I)
_CALL = re.compile(r"(?<=\w)\([^()\n]{0,60}\)")
# ", with no false positives": a phrase that qualifies the clause before it
_PREPOSITION = re.compile(r"\W*(?:even\s+)?"
                          r"(?:with|without|for|in|on|at|by|from|under|over|via|through|across|"
                          r"per|within|after|before|during|out of|automatically|always|anyway)\b",
                          _I)
_RELATIVE = re.compile(r"\W*(?:which|who|whose|where|that)\b", _I)
_AMOUNT = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|mn|million|b|bn|billion|"
                     r"thousand)?(?![\w]|\.\d)", _I)  # "... should be 3,000." is 3,000
_PARTICIPLE = re.compile(r"\W*(?:(?:all|each|both|every one|most)(?: of them)?\s+)?\w{3,}ing\b", _I)
_AUX = re.compile(r"is|are|was|were|be|been|am|has|have|had|can|could|will|would|shall|should|may|"
                  r"might|must|do|does|did", _I)
_WORRY = re.compile(r"\s+(?:(?:need|have)\s+to\s+|really\s+|even\s+)?(?:worr(?:y|ied)|bother)\b", _I)
_PRONOUN_START = re.compile(r"^\W*(?:they|it|this|that|these|those|each|both)\b", _I)
# "... carries the phone's timestamp and we sort by it": the next clause works on what the first
# named, so both are one piece of reasoning
_REFERS_BACK = re.compile(
    r"^\W*(?:we|i|you|they)\s+(?:\w+\s+){1,2}?(?:(?:by|on|with|from|into|to|using|over)\s+)?"
    r"(?:it|them|that|those)\b", _I)
# "... in the JWT, and since it's signed nobody can read them", "... JWTs with a 24-hour
# expiry, and logging out invalidates them": a full clause that refers back to what the one
# before named. It stays a unit of its own and is also read together with that one.
_CONTINUES = re.compile(
    r"^\W*(?:since|because|as|so|then|thus|hence|therefore)\s+(?:they|it|this|that|these|those)\b"
    r"|^\W*(?:\S+\s+){1,3}?(?:them|it)\b(?!')", _I)
_STEMS = ["deal", "dealt", "succeed", "print", "emit", "respond", "reply", "load", "save", "fetch", "publish", "consume", "subscribe", "notify", "resize", "verify", "validate", "trigger", "spawn", "fork", "forward", "acknowledge", "commit", "unlock", "sleep", "drain", "rebuild", "recompute", "merge", "shrink", "halve", "restart", "reboot", "deploy", "assign", "allocate", "reserve", "refund", "measure", "deny", "decrypt", "generate", "overwrite", "saturate", "overload", "exceed", "bypass", "intercept", "inspect", "enforce", "authenticate", "authorize", "authorise", "dedupe", "deduplicate", "redeliver", "reorder", "kill", "show", "wipe", "purge", "clear", "evict", "propagate", "update", "refresh", "notice", "pick", "reclaim", "free", "collect", "reflect", "receive", "run", "use", "get", "share", "block", "make", "mean", "give", "move", "fix", "solve", "stop", "prevent", "protect", "work", "go", "happen", "execute", "spread", "handle", "keep", "scale", "need", "take", "lose", "collide", "guarantee", "deliver", "process", "read", "write", "store", "send", "serve", "see", "show", "hold", "occupy", "wait", "poll", "compete", "cover", "pick", "choose", "skip", "drop", "sort", "append", "land", "reach", "sit", "push", "help", "cap", "fit", "put", "let", "ensure", "avoid", "think", "believe", "assume", "know", "say", "expect", "add", "raise", "bump", "set", "increase", "call", "return", "start", "finish", "arrive", "come", "stay", "live", "hit", "buy", "delay", "grow", "die", "crash", "cause", "create", "stream", "parse", "compute", "hash", "walk", "guess", "expose", "leak", "revoke", "invalidate", "delete", "copy", "replicate", "encrypt", "decode", "encode", "sign", "apply", "become", "slow", "speed", "flush", "vanish", "disappear", "warm", "disagree", "broadcast", "forget", "split", "bite", "check", "retry", "charge", "try", "want", "rotate", "throttle", "limit", "mask", "lag", "sees", "appear", "matter", "count", "cost", "allow", "enable", "turn", "borrow", "schedule", "farm", "yield", "queue", "wrap", "parallelise", "parallelize", "defer", "offload", "behave", "do", "depend", "look", "stall", "freeze", "hang", "starve", "recover", "cache", "rely", "benefit", "survive", "matter", "fail", "replace", "double", "act", "serve", "tell", "ship", "route", "trust", "rewrite", "reject", "accept", "spin", "fire", "await", "outlive", "expire", "lives", "went", "gone", "ran", "came", "took", "gave", "got", "kept", "made", "held", "sat", "saw", "told", "sent", "persist", "contain", "include", "embed", "lag", "sync", "hide", "reveal", "land", "max", "spread", "survive", "sort", "order", "guess", "enumerate", "collide", "map", "serve", "cover", "redirect", "miss", "reconnect", "disconnect",
          "overflow", "exist", "complete", "confirm", "mark", "treat", "insert", "grey", "gray",
          "disable", "debounce", "report"]
# The word boundary the alternatives share is tested once per position (a faster search); the
# contraction after them, which starts with an apostrophe where none of them can start, finds
# the same matches as if it came second.
_VERB = re.compile(
    r"\b(?:(?:is|are|was|were|be|been|am|do|does|did|done|has|have|had|can|could|will|would|"
    r"shall|should|may|might|must|cannot|\w+n't|cant|wont|dont|doesnt|isnt|arent)\b"
    r"|\w{3,}ed\b|times? out\b|timing out\b"
    r"|(?:" + "|".join(_STEMS) + r")(?:s|es|ed|d)?\b)|'(?:s|re|m|ve|ll|d)\b", _I)
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|cf|ca|mr|mrs|dr|fig|no)\.)$", _I)


# --------------------------------------------------------------------------------------
# Reading a message: sentences -> segments -> clauses -> units
# --------------------------------------------------------------------------------------


@dataclass
class _Clause:
    start: int
    end: int
    lead: str  # the boundary word that opened it ("if", "so", ",", "" ...)
    lead_start: int | None = None  # where that word starts


@dataclass
class _Unit:
    clauses: list[_Clause]
    continues: bool = False  # refers back to the unit before it (see `_CONTINUES`)

    @property
    def start(self) -> int:
        return self.clauses[0].start

    @property
    def end(self) -> int:
        return self.clauses[-1].end


@dataclass
class _Segment:
    start: int
    end: int
    sentence: tuple[int, int]
    asserted: bool
    units: list[_Unit] = field(default_factory=list)
    previous_start: int = 0  # where the sentence before this one starts
    even_if: bool = False  # the condition of "even if X, Y" (Y goes on from before X)


def _normalise(text: str) -> str:
    """Same length as `text`: curly quotes straightened so one set of cues fits all."""
    return text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"',
                                         "\u201d": '"'}))


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda mo: " " * len(mo.group(0)), text)


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for mo in re.finditer(r"(?<=[.!?])[\"')\]]*\s+|\n\s*", text):
        head = text[start : mo.start()]
        if mo.group(0)[0] != "\n" and _ABBREV.search(head):
            continue
        if head.strip():
            out.append((start, mo.start()))
        start = mo.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"')]").endswith("?")


_DETERMINER = re.compile(r"(?<!\w)(?:the|a|an|our|their|its|each|every|per|of|any)$", _I)


def _after_determiner(text: str, at: int) -> bool:
    """Whether the word at ``at`` follows a determiner and white space."""
    if at == 0 or not text[at - 1].isspace():
        return False
    # the longest determiner and a character before it are enough to decide
    return bool(_DETERMINER.search(text[:at].rstrip()[-7:]))


# A personal pronoun as subject and the word after it: that word is a verb whether or not the
# stem list knows it ("we mark the order as paid", "they re-send it"). "it" is left out: it is
# as often an object ("make it async").
_PRONOUN_VERB = re.compile(
    r"\b(?:i|we|you|they|he|she)\s+(?:(?:just|then|also|only|still|simply|always|never|"
    r"first|now|immediately|usually|really|actually)\s+)?"
    r"(?!(?:all|both|each|too|and|or|as|in|on|at|to|for|with|who|that|which)\b)[a-z][a-z-]+\b",
    _I)


def _has_verb(text: str, pronoun: bool = False) -> bool:
    """Whether ``text`` has a verb; with ``pronoun``, a pronoun subject's next word counts too
    (used where a clause must be told from a list item or a condition from its consequent;
    between "and"-joined clauses only known verbs count, so "X and we Y" stays one unit)."""
    # all-caps words are acronyms ("CAP", "TTL"), not verbs; after a determiner a word is a
    # noun ("the orders service", "the check and the insert")
    return any(not (mo.group(0).isupper() and len(mo.group(0)) > 1)
               and not (mo.group(0)[0] != "'" and _after_determiner(text, mo.start()))
               for mo in _VERB.finditer(text)) or (pronoun and bool(_PRONOUN_VERB.search(text)))


def _starts_with_verb(text: str) -> bool:
    """ "... and get handled one at a time": a conjunct without its own subject shares the
    subject before it, so it belongs to the same unit."""
    mo = re.match(r"\W*(?:(?:also|then|just|still|never|often|usually|always|only)\s+)?([\w']+)", text)
    return bool(mo and _VERB.fullmatch(mo.group(1)) and not _AUX.fullmatch(mo.group(1)))


def _calls(text: str) -> list[tuple[int, int]]:
    """Spans of code-like calls ("setTimeout(fn, 0)"): their brackets and commas split nothing."""
    return [(mo.start(), mo.end()) for mo in _CALL.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


# "... by user id modulo the number of nodes, and going from ten nodes to eleven moves a
# tenth of the keys": a clause whose subject is an action ("going", "adding") on what the one
# before set up goes on with it
_GERUND_START = re.compile(r"\s*(?!(?:no|some|any|every)thing\b)[a-z]{2,}ing\s+(?:from|to|a|an|the|"
                           r"one|another|more|\w+\s+(?:nodes?|shards?|servers?|instances?))\b", _I)
# "... restarts it within seconds and no data is lost": "and" before a clause that says what
# does not happen gives the outcome of the clause before it, as "so" would
_OUTCOME = re.compile(r"\s*(?:no|nothing|nobody|none|no one|zero)\b(?!-)|\s*\w+(?:\s+\w+)?\s+never\b",
                      _I)


def _compound_subject(text: str, marks: list[re.Match[str]], k: int) -> bool:
    """ "Since we write through on every update, the cache and the database can't drift":
    after the comma, a verbless phrase joined by "and"/"or" to one with a verb is the subject
    of the main clause, not an item of a list."""
    if k + 1 >= len(marks):
        return False
    conj = marks[k + 1]
    if conj.lastgroup not in ("conj", "cconj"):
        return False
    after = text[conj.end() : marks[k + 2].start() if k + 2 < len(marks) else len(text)]
    return _has_verb(after)


def _clauses(masked: str, start: int, end: int) -> list[_Unit]:
    """Clauses of one segment, grouped into units of linked reasoning."""
    text = masked[start:end]
    calls = _calls(text)
    marks = [mo for mo in _SOFT.finditer(text) if not _inside(mo.start(), calls)]
    units: list[_Unit] = []
    current: list[_Clause] = []
    c_start, c_lead = 0, ""
    continuing = follows = False
    c_lead_at: int | None = None
    for k, mo in enumerate(marks):
        if mo.start() < c_start:
            continue
        nxt = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        left, right = text[c_start : mo.start()], text[mo.end() : nxt]
        kind = mo.lastgroup
        linked = not right.strip() and k + 1 < len(marks) and marks[k + 1].lastgroup == "link"
        if kind in ("conj", "cconj") and linked:
            independent = False  # "and so", "and then": the link word decides
        elif kind in ("conj", "cconj"):
            if not _has_verb(right) or (kind == "conj" and not _has_verb(left)):
                if kind == "conj":
                    continue  # "worker threads and crypto use ...": one noun phrase
                independent = _has_verb(left)  # ", and Z": a list item
            else:
                independent = not (_PRONOUN_START.match(right) or _starts_with_verb(right)
                                   or _REFERS_BACK.match(right)
                                   or (kind == "conj" and _OUTCOME.match(right))
                                   or _GERUND_START.match(right))
                follows = independent and bool(_CONTINUES.match(right))
        elif kind == "while":
            independent = True
        elif kind == "comma":
            independent = (bool(right.strip()) and not _has_verb(right, pronoun=True)
                           and _has_verb(left)
                           and not _RELATIVE.match(right) and not _PARTICIPLE.match(right)
                           and not _compound_subject(text, marks, k)
                           and not _PREPOSITION.match(right))
        else:
            independent = False
        if left.strip():
            current.append(_Clause(start + c_start, start + mo.start(), c_lead, c_lead_at))
        if independent and current:
            units.append(_Unit(current, continuing))
            current, continuing = [], follows
        c_start, c_lead = mo.end(), mo.group(0).strip(" ,").lower()
        c_lead_at = start + mo.start()
    if text[c_start:].strip():
        current.append(_Clause(start + c_start, end, c_lead, c_lead_at))
    if current:
        units.append(_Unit(current, continuing))
    return units


def _segments(norm: str, masked: str) -> list[_Segment]:
    segments: list[_Segment] = []
    prev_start = 0
    for s_start, s_end in _sentences(norm):
        question = _is_question(norm[s_start:s_end])
        pieces: list[tuple[int, int, str]] = []
        cut, lead = s_start, ""
        calls = [(a + s_start, b + s_start) for a, b in _calls(masked[s_start:s_end])]
        for mo in _HARD.finditer(masked, s_start, s_end):
            if _inside(mo.start(), calls):
                continue
            pieces.append((cut, mo.start(), lead))
            cut, lead = mo.end(), mo.group(0).strip(" ,").lower()
        pieces.append((cut, s_end, lead))
        split: list[tuple[int, int, bool]] = []
        for a, b, lead in pieces:
            comma = masked.find(",", a, b)
            if _CONCESSIVE.match(lead) and comma != -1:  # "although X, Y": the comma ends X
                split += [(a, comma, lead == "even if"), (comma + 1, b, False)]
            else:
                split.append((a, b, False))
        first = len(segments)
        listed = False  # after "Common mistakes:" the sentence lists beliefs it reports
        for a, b, even_if in split:
            body = masked[a:b]
            if _HEADING.fullmatch(body):
                listed = True
                continue
            if _RETRACT.search(body):
                # "X -- actually no": the segment before is withdrawn; at the start of a
                # sentence, the whole sentence before.
                if len(segments) > first:
                    segments[-1].asserted = False
                elif segments:
                    for seg in segments:
                        if seg.sentence == segments[-1].sentence:
                            seg.asserted = False
                continue
            if not body.strip():
                continue
            asserted = not (question or listed or _DISTANCING.search(body)
                            or _DOUBT.search(body))
            seg = _Segment(a, b, (s_start, s_end), asserted, previous_start=prev_start,
                           even_if=even_if)
            seg.units = _clauses(masked, a, b)
            segments.append(seg)
        prev_start = s_start
    return segments


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(re.findall(r"[\w']+", text))


def _pick(groups: list[list[tuple[int, int]]],
          ordered: bool) -> tuple[tuple[int, int], ...] | None:
    """The tightest choice of one match per group, in group order (non-overlapping; in
    textual order too if asked)."""
    best, best_width = None, None
    for combo in itertools.islice(itertools.product(*groups), 400):
        if ordered and any(combo[i][1] > combo[i + 1][0] for i in range(len(combo) - 1)):
            continue
        spans = sorted(combo)
        if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
            continue
        width = spans[-1][1] - spans[0][0]
        if best_width is None or width < best_width:
            best, best_width = combo, width
    return best


def _negated(masked: str, spanned: list[_Clause], picked: list[tuple[int, int]],
             predicate: tuple[int, int]) -> bool | None:
    """Whether the clause holding the predicate (the last group's term) is negated.

    Each clause holding a term is read on its own; negations inside the terms themselves do
    not count, and two cancel. In the predicate's clause, what precedes the predicate counts,
    and after it either a denial of it ("... aren't a concern", "... is impossible") or any
    negation before the clause's last term. The other clauses are the premises of the claim
    and must be affirmative ("JWTs aren't encrypted, so clients can see the claims" does not
    deny "clients can see"); if one is negated there is no claim (None).
    """

    def count(start: int, end: int, premise: bool = False) -> int:
        return sum(1 for mo in _NEGATOR.finditer(masked, start, end)
                   if not any(a <= mo.start() < b for a, b in picked)
                   and not (premise and _WORRY.match(masked, mo.end())))

    verdict = False
    for clause in spanned:
        inside = [(a, b) for a, b in picked if clause.start <= a < clause.end]
        if not inside:
            continue
        end = max(b for _, b in inside)
        if clause.start <= predicate[0] < clause.end:
            n = count(clause.start, predicate[1])
            if _AFTER_DENY.match(masked, predicate[1], clause.end):
                n += 1
            else:
                n += count(predicate[1], end)
            verdict = n % 2 == 1
        elif count(clause.start, end, premise=True) % 2:
            return None  # "don't worry about X, it ..." still takes X as given
    return verdict


def _hits(pattern: re.Pattern[str], text: str, start: int, end: int,
          limit: int = 24) -> list[tuple[int, int]]:
    """Matches of `pattern` starting anywhere (they may overlap), so that "Each Node process
    handles requests" offers both "process handles requests" and "handles requests"."""
    out: list[tuple[int, int]] = []
    mo = pattern.search(text, start, end)
    while mo is not None and len(out) < limit:
        out.append((mo.start(), mo.end()))
        mo = pattern.search(text, mo.start() + 1, end)
    return out


def _consequent(masked: str, clause: _Clause) -> int | None:
    """Where the consequent of a comma-less "if ..." clause starts: at a modal or "then", or
    at a new pronoun subject, once the condition has a subject and a verb."""
    words = list(re.finditer(r"[\w']+", masked[clause.start : clause.end]))
    for k, mo in enumerate(words):
        if k < 2 or not _has_verb(masked[clause.start : clause.start + mo.start()], pronoun=True):
            continue
        if _THEN.fullmatch(mo.group(0)):
            return clause.start + mo.start()
    return None


def _numbers_differ(masked: str, start: int, end: int) -> bool:
    values = []
    for mo in _AMOUNT.finditer(masked, start, end):
        value = float(mo.group(1).replace(",", "")) * _SCALE.get((mo.group(2) or "").lower(), 1)
        if value:
            values.append(value)
    return len(values) > 1 and max(values) / min(values) > 3


# "so no dedupe is needed", "we don't need idempotency keys": the safeguard an `unless` term
# names is ruled out, so it cannot show that the candidate knows better.
_DISMISSED_BEFORE = re.compile(
    r"(?:\b(?:no|without|skip(?:s|ping)?|forgo|drop(?:ping)?|nothing to)|"
    r"(?:\bdo|\bdoes|\bwo|\bdid)n't "
    r"(?:even )?(?:need|have|require|bother with|use)(?: to)?|\b(?:do|does|will|did) not "
    r"(?:need|have|require|use)(?: to)?|\bneed no|\bno need (?:for|to))\s+"
    # "skip idempotency keys and per-channel dedup": every item of the list is ruled out
    r"(?:[\w-]+\s+(?:[\w-]+\s+){0,3}(?:and|or|nor)\s+)?(?:any\s+|an?\s+|extra\s+|[\w-]+\s+)?$",
    _I)
_DISMISSED_AFTER = re.compile(
    r"^(?:\s+\w+){0,2}\s+(?:(?:is|are)\s+(?:not|never)\s+|(?:isn't|aren't)\s+)(?:really\s+)?"
    r"(?:needed|necessary|required)\b"
    r"|^(?:\s+\w+){0,2}\s+(?:is|are)\s+(?:\w+\s+)?(?:unnecessary|needless|redundant|overkill|"
    r"pointless)\b", _I)


_COMPARATIVE = re.compile(r"(?:more|less|fewer|longer|later|older|greater|bigger)\b", _I)


def _vetoed(unless: re.Pattern[str] | None, masked: str, start: int, end: int) -> bool:
    """True when a term of `unless` occurs in masked[start:end] and is not dismissed there."""
    if unless is None:
        return False
    for mo in unless.finditer(masked, start, end):
        before = masked[max(start, mo.start() - 40):mo.start()]
        after = masked[mo.end():min(end, mo.end() + 40)]
        bound = _COMPARATIVE.match(mo.group(0))  # "no more than a minute" is a bound
        if bound or not (_DISMISSED_BEFORE.search(before) or _DISMISSED_AFTER.match(after)):
            return True
    return False


def _match_terms(rec: _Terms, norm: str, masked: str, seg: _Segment,
                 unit: _Unit) -> tuple[int, int] | None:
    found = []
    for group in rec.groups:
        hits = _hits(group, masked, unit.start, unit.end)
        if not hits:
            return None
        found.append(hits)
    combo = _pick(found, rec.order)
    if combo is None:
        return None
    picked = sorted(combo)
    first, last = picked[0][0], picked[-1][1]
    if rec.within is not None and _words(masked[first:last]) > rec.within + len(picked):
        return None
    spanned = [c for c in unit.clauses if c.end > first and c.start < last]
    if not spanned:
        return None
    only = spanned[0]
    if len(spanned) == 1 and _IF_LEAD.match(f"{only.lead} {masked[only.start:only.end]}"):
        # All terms inside one "if ..." clause: a supposition, unless the predicate sits in
        # its consequent ("if we go async it runs on another thread").
        then = _consequent(masked, only)
        if then is None or combo[-1][0] < then:
            return None
        spanned = [_Clause(only.start, then, only.lead), _Clause(then, only.end, "then")]
    # "Since we moved it to a worker, ...": the reason word that opens the unit is read too
    first = unit.clauses[0]
    lead_at = first.lead_start if first.lead in ("since", "because", "as") else None
    if _vetoed(rec.unless, masked, unit.start if lead_at is None else lead_at, unit.end):
        return None
    if _vetoed(rec.unless_sentence, masked, *seg.sentence):
        return None
    if rec.context and not rec.context.search(masked, seg.previous_start, seg.sentence[1]):
        return None
    if rec.same_numbers and _numbers_differ(masked, spanned[0].start, spanned[-1].end):
        return None
    if _negated(masked, spanned, picked, combo[-1]) != rec.deny:
        return None
    return spanned[0].start, spanned[-1].end


# Quantities for conversion checks. Values are normalised to base units (1/s, bits).
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
          "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12}
_WORDNUM = {"a": 1, "an": 1, "one": 1, "a single": 1, "two": 2, "three": 3, "four": 4,
            "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12,
            "a dozen": 12, "a hundred": 100, "a thousand": 1e3, "a million": 1e6,
            "a billion": 1e9, "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_NUM_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
             r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion)")
_NUM = (r"(?:(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<s>k|thousand|mn|mil|million|m|bn|"
        r"billion|b|tn|trillion|t)(?![a-z]))?|(?P<w>a single|a dozen|a hundred|a thousand|"
        r"a million|a billion|an|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
        r"hundred|thousand|million|billion)(?:\s+(?P<ws>thousand|million|billion))?(?![\s-]+"
        rf"{_NUM_WORD}\b)|(?P<ww>(?:a\s+)?{_NUM_WORD}(?:(?:[\s-]+(?:and\s+)?){_NUM_WORD}){{1,6}}))")
_PERIOD = {"second": "second", "sec": "second", "s": "second", "minute": "minute",
           "min": "minute", "hour": "hour", "hr": "hour", "h": "hour", "day": "day",
           "d": "day", "week": "week", "wk": "week", "month": "month", "mo": "month",
           "year": "year", "yr": "year", "y": "year", "daily": "day", "monthly": "month",
           "hourly": "hour", "weekly": "week", "yearly": "year", "annual": "year",
           "annually": "year", "qps": "second", "rps": "second", "tps": "second",
           "ops": "second"}
_RATE = re.compile(
    rf"(?<![\w.]){_NUM}(?P<what>(?:\s+[a-z][\w'-]*){{0,3}}?)\s*"
    r"(?:(?:/|\bper\b|\ba\b|\ban\b|\beach\b|\bevery\b)\s*(?P<p>seconds?|secs?|minutes?|mins?|"
    r"hours?|hrs?|days?|weeks?|months?|years?|s|d|h|mo|yr|y)\b"
    r"|(?P<q>qps|rps|tps|ops/s|req/s|requests/s)\b)"
    rf"|(?<![\w.]){_NUM.replace('?P<', '?P<a')}(?:\s+[a-z][\w'-]*){{0,2}}?\s+"
    r"(?P<adj>daily|monthly|hourly|weekly|yearly|annual)\b",
    _I)
_LENGTH = re.compile(
    rf"(?<![\w.]){_NUM}\s+(?P<small>seconds?|secs?|minutes?|hours?|days?)\s+(?:in|per)\s+"
    r"(?:a|an|one|each|every|1)?\s*(?P<big>day|week|month|year)\b"
    r"|\b(?:a|an|one|each|1)\s+(?P<big2>day|week|month|year)\s+(?:is|has|=|~|\u2248|contains|"
    r"lasts|equals)\s+(?:about\s+|roughly\s+|around\s+|approximately\s+|only\s+|just\s+|"
    rf"~\s*)?{_NUM.replace('?P<', '?P<l')}\s+(?P<small2>seconds?|secs?|minutes?|hours?|days?)\b",
    _I)
# What every rate holds (its period), to skip the costly pattern of rates where none can be.
_RATE_WORDS = re.compile(
    r"(?:/|\bper\b|\ba\b|\ban\b|\beach\b|\bevery\b)\s*(?:seconds?|secs?|minutes?|mins?|"
    r"hours?|hrs?|days?|weeks?|months?|years?|s|d|h|mo|yr|y)\b"
    r"|(?:qps|rps|tps|ops/s|req/s|requests/s|daily|monthly|hourly|weekly|yearly|annual)\b",
    _I)
# What every length statement holds, to skip the costly pattern above in most messages.
_LENGTH_WORDS = re.compile(
    r"\b(?:seconds?|secs?|minutes?|hours?|days?)\s+(?:in|per)\s|"
    r"\b(?:day|week|month|year)\s+(?:is|has|=|~|\u2248|contains|lasts|equals)", _I)
_PREFIX = {"k": 1e3, "kilo": 1e3, "m": 1e6, "mega": 1e6, "g": 1e9, "giga": 1e9, "t": 1e12,
           "tera": 1e12}
_BITS = re.compile(
    rf"(?<![\w.])(?:(?P<mul>\d+)\s*[x\u00d7]\s*)?(?:{_NUM}\s*)?(?:(?P<bp>[KMGTkmgt])b(?:ps|it/s|its?)\b|(?P<bp2>[KMGT])b/s"
    r"|(?P<bw>kilo|mega|giga|tera)bits?\b(?:\s*(?:per|a|/)\s*(?:second|sec|s)\b)?)")
_BYTES = re.compile(
    rf"(?<![\w.]){_NUM}\s*(?:(?P<yp>[KMGT])B(?:/s|ps|/sec)\b|(?:(?P<yp2>[KMGT])B|"
    r"(?P<yw>kilo|mega|giga|tera)bytes?)(?:\s+[a-z]+){0,2}?\s*(?:per|a|an|/|each|every)\s*"
    r"(?:second|sec|s)\b)")
_NEW_SUBJECT = re.compile(r"\b(?:and|but|while|whereas)\s+(?:we|they|i|you|users?|each|every)\b", _I)
_LINK = re.compile(
    r"=|\u2248|~|->|\u2192|=>|\b(?:is|are|means|mean|equals?|gives?|giving|provid(?:e|es|ing)|yield(?:s|ing)?|"
    r"delivers?|push(?:es)?|lets?|allows?|enables?|supports?|sustains?|uploads?|downloads?|sends?|"
    r"streams?|serves?|comes to|comes out to|"
    r"works out|translates|which is|that's|thats|or|i\.e|roughly|about|around|approx\w*|so|"
    r"moves?|transfers?|carries|handles?|that is|over|divided)\b|'s\b", _I)
_PEAK = re.compile(r"\b(?:peak|peaks|burst|bursts|spike|spikes|busiest|max|maximum|worst)\b", _I)
_PER_ENTITY = re.compile(r"\b(?:per|each|every|a)\s+(?:user|person|client|device|account|dau|"
                         r"customer|member|driver)\b|\btimes\b", _I)


_CURRENCY = re.compile(r"[$\u20ac\u00a3]\s*$")
_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion")
_NOT_A_RATE = re.compile(
    rf"\b(?:{_NUMBER_WORDS}|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|"
    # "6.75 PB/day ≈ 78 GB/s": amounts of data, which the data readers scale by their units
    r"years?|[kmgtpe]i?b|[kmgtpe]bps|bytes?|bits?|kilobytes?|megabytes?|gigabytes?|terabytes?|"
    r"petabytes?)\b", _I)
_NUMBER_WORD_BEFORE = re.compile(rf"\b(?:{_NUMBER_WORDS}|and)[\s-]+$", _I)


def _number(mo: re.Match[str], prefix: str = "") -> float | None:
    g = mo.groupdict()
    digits, word = g.get(prefix + "n"), g.get(prefix + "w")
    if digits:
        value = float(digits.replace(",", ""))
        scale = (g.get(prefix + "s") or "").lower()
        return value * _SCALE.get(scale, 1)
    if word:
        value = _WORDNUM[word.lower()]
        return value * _SCALE.get((g.get(prefix + "ws") or "").lower(), 1)
    if words := g.get(prefix + "ww"):
        # "two hundred sixty thousand": the shared reader of figures in words
        found = read_numbers(words)
        return found[0].value if len(found) == 1 else None
    return None


@lru_cache(maxsize=256)
def _quantities(masked: str, start: int, end: int,
                target: str) -> tuple[tuple[int, int, float, str], ...]:
    """(start, end, value in base units, unit) for rates or for bit/byte amounts.

    Remembered for the message being read (a pure function of its arguments): each conversion
    recogniser asks it of the same segment."""
    out: list[tuple[int, int, float, str]] = []
    if target == "time":
        if not _RATE_WORDS.search(masked, start, end):
            return ()
        for mo in _RATE.finditer(masked, start, end):
            value = _number(mo) if mo.group("adj") is None else _number(mo, "a")
            period = mo.group("p") or mo.group("q") or mo.group("adj")
            if value is None or not period or _PER_ENTITY.search(mo.group(0)):
                continue
            if _NOT_A_RATE.search(mo.group("what") or "") or _NUMBER_WORD_BEFORE.search(
                    masked, max(0, mo.start() - 12), mo.start()):
                # "three hundred fifty thousand a second" is one number this reader cannot
                # spell out; "2.6M seconds/month" is a conversion constant, not a rate
                continue
            if _CURRENCY.search(masked, max(0, mo.start() - 2), mo.start()):
                continue  # "$60k/month" is money, never the same quantity as "100 TB/day"
            key = period.lower().rstrip("s") if len(period) > 3 else period.lower()
            unit = "second" if mo.group("q") else _PERIOD.get(key) or _PERIOD.get(period.lower())
            if unit:
                out.append((mo.start(), mo.end(), value / _TIME_S[unit], unit))
        return tuple(out)
    for mo in _BITS.finditer(masked, start, end):
        value = _number(mo)
        prefix = (mo.group("bp") or mo.group("bp2") or mo.group("bw") or "").lower()
        value = (1 if value is None else value) * int(mo.group("mul") or 1)
        out.append((mo.start(), mo.end(), value * _PREFIX[prefix], "bit"))
    for mo in _BYTES.finditer(masked, start, end):
        value = _number(mo)
        prefix = (mo.group("yp") or mo.group("yp2") or mo.group("yw") or "").lower()
        if value is not None:
            out.append((mo.start(), mo.end(), value * _PREFIX[prefix] * 8, "byte"))
    return tuple(sorted(out))


def _off(ratio: float, tolerance: float) -> bool:
    return ratio > tolerance or ratio < 1 / tolerance


_AVAILABILITY = "availability"  # the `from_` of a compiled availability check
# "99.95% uptime", "four nines", "three and a half 9s": the share of time a service is up
_AVAIL = re.compile(
    r"(?<![\w.])(?P<pct>9\d(?:\.\d+)?)\s*(?:%|percent\b)"
    r"|\b(?P<n>two|three|four|five|six|[2-6])(?P<half>\s+and\s+a\s+half)?[\s-]+(?:nines|9s)\b", _I)
_AVAIL_WORDS = re.compile(
    r"\b(?:availab\w*|uptime|up|sla|slo|nines|9s|downtime|down|outages?|unavailab\w*)\b", _I)
_NINES = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# what follows a figure of downtime: its unit, then the period it is spread over
_DOWNTIME = re.compile(
    r"\s*(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?)\b(?:\s+(?!a\b|an\b|per\b|each\b)"
    r"[a-z]+){0,3}?\s*(?:(?:a|an|per|each|every|in\s+a|in\s+one|over\s+a|/|of\s+the)\s*"
    r"(?P<p>year|yr|annum|month|mo|week|day)\b|(?P<adj>annually|yearly|monthly|weekly|daily))",
    _I)
# "a few minutes a year": a vague count is still a size
_VAGUE = {"a few": 3, "few": 3, "several": 5, "a couple of": 2, "a couple": 2, "a handful of": 4}
_VAGUE_RE = re.compile(r"\b(a few|few|several|a couple of|a couple|a handful of)(?=\s)", _I)
_DOWN_UNIT = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hr": 3600,
              "hour": 3600, "day": 86_400}
_DOWN_PERIOD = {"year": "year", "yr": "year", "annum": "year", "annually": "year",
                "yearly": "year", "month": "month", "mo": "month", "monthly": "month",
                "week": "week", "weekly": "week", "day": "day", "daily": "day"}


def _match_availability(rec: _Convert, masked: str, unit: _Unit) -> tuple[int, int] | None:
    """A downtime that no availability in the unit gives: "four nines is 8.5 hours a year"."""
    text = masked[unit.start:unit.end]
    if not _AVAIL_WORDS.search(text):
        return None
    shares: list[tuple[int, int, float]] = []  # (start, end, fraction of time down)
    for mo in _AVAIL.finditer(text):
        if mo.group("pct"):
            pct = float(mo.group("pct"))
            if 90 <= pct < 100:
                shares.append((mo.start(), mo.end(), (100 - pct) / 100))
        else:
            n = mo.group("n").lower()
            nines = float(_NINES.get(n) or n) + (0.5 if mo.group("half") else 0)
            shares.append((mo.start(), mo.end(), 10 ** -nines))
    if not shares:
        return None
    figures = [(n.start, n.end, n.value) for n in read_numbers(text)]
    figures += [(m.start(), m.end(), _VAGUE[m.group(1).lower()]) for m in _VAGUE_RE.finditer(text)]
    for start, end, value in sorted(figures):
        mo = _DOWNTIME.match(text, end)
        if mo is None or not value or any(a <= start < b for a, b, _ in shares):
            continue
        u = mo.group("u").lower().rstrip("s") or "s"
        stated = value * _DOWN_UNIT.get(u, 1)
        period = _TIME_S[_DOWN_PERIOD[(mo.group("p") or mo.group("adj")).lower()]]
        fits, off = False, None
        for a, b, down in shares:
            between = text[b:start] if b <= start else text[end:a]
            if _words(between) > 14 or _NEGATOR.search(between):
                continue
            if not _off(stated / (down * period), rec.tolerance):
                fits = True
            elif off is None:
                off = (min(a, start), mo.end())
        if off is not None and not fits:
            spanned = [c for c in unit.clauses
                       if c.end > unit.start + off[0] and c.start < unit.start + off[1]]
            return spanned[0].start, spanned[-1].end
    return None


_INPUT_AFTER = re.compile(r"\b(?:at|with|for|of|per|over|given)\s*(?:about|around|roughly|~|≈)?\s*$",
                          re.IGNORECASE)


def _match_conversion(rec: _Convert, masked: str, unit: _Unit) -> tuple[int, int] | None:
    if rec.unless and rec.unless.search(masked, unit.start, unit.end):
        return None
    if rec.from_ == _AVAILABILITY:
        return _match_availability(rec, masked, unit)
    time = rec.from_ in _TIME_S
    hit: tuple[int, int] | None = None
    if time:
        for mo in _LENGTH.finditer(masked, unit.start, unit.end):
            big = (mo.group("big") or mo.group("big2")).lower()
            small = (mo.group("small") or mo.group("small2")).lower().rstrip("s")
            small = {"sec": "second"}.get(small, small)
            value = _number(mo) if mo.group("n") or mo.group("w") else _number(mo, "l")
            ratio = value / (_TIME_S[big] / _TIME_S[small]) if value else 0
            # "300M minutes per day" is watch time, not the length of a day: a length claim
            # is off by a slip's factor, not by a hundred thousand
            if (big == rec.from_ and small in rec.to and ratio and _off(ratio, rec.tolerance)
                    and not _off(ratio, 1000)):
                hit = (mo.start(), mo.end())
    qs = _quantities(masked, unit.start, unit.end, "time" if time else "data")
    for (a0, a1, av, au), (b0, b1, bv, bu) in itertools.pairwise(qs):
        if {au, bu} == {rec.from_} or au == bu or not ({au, bu} <= {rec.from_, *rec.to}):
            continue
        if rec.from_ not in (au, bu):
            continue
        between = masked[a1:b0]
        if _words(between) > 8 or not _LINK.search(between) or _NEGATOR.search(between):
            continue
        if _NEW_SUBJECT.search(between):
            continue  # "40K/s, and we create 3.4M links/day": a second figure, not the first restated
        if _INPUT_AFTER.search(between):
            continue  # "1.25 GB/s, so at 5 megabits per stream ...": the object of "at" is an input
        if _PEAK.search(masked[a0:min(unit.end, b1 + 40)]):
            continue
        if av and bv and _off(av / bv, rec.tolerance):
            hit = (a0, b1)
    if hit is None:
        return None
    spanned = [c for c in unit.clauses if c.end > hit[0] and c.start < hit[1]]
    return spanned[0].start, spanned[-1].end


def _readings(segments: list[_Segment], masked: str) -> list[tuple[_Segment, _Unit]]:
    """The units to match: each asserted unit, plus a unit that continues the previous one.

    "I'd use worker threads; they come from the libuv pool": a segment or sentence that opens
    with a pronoun continues the last unit before it, so the two are also read as one unit
    (when both are asserted).
    """
    out: list[tuple[_Segment, _Unit]] = []
    for i, seg in enumerate(segments):
        if not seg.asserted:
            continue
        out.extend((seg, unit) for unit in seg.units)
        out.extend((seg, _Unit(before.clauses + unit.clauses))
                   for before, unit in itertools.pairwise(seg.units) if unit.continues)
        prev = segments[i - 1] if i else None
        if (prev is not None and prev.asserted and prev.units and seg.units
                and (_ANAPHOR.match(masked, seg.units[0].start, seg.units[0].end)
                     # "... was an HTTP/1.1 problem; HTTP/2 fixed it"
                     or _CONTINUES.match(masked, seg.units[0].start, seg.units[0].end))):
            out.append((seg, _Unit(prev.units[-1].clauses + seg.units[0].clauses)))
        # "It's encrypted at rest, so even if they get in, they can't read it": what follows
        # the condition goes on from what came before it
        before = segments[i - 2] if i > 1 else None
        if (prev is not None and prev.even_if and before is not None and before.asserted
                and before.sentence == seg.sentence and before.units and seg.units):
            out.append((seg, _Unit(before.units[-1].clauses + seg.units[0].clauses)))
    return out


class _AnchorIndex:
    """The literal anchors of every term group of a library (see `AnchorSet`).

    A message is tested against hundreds of groups that share about 1,600 anchors. Which
    anchors occur in a text is asked once; each anchor names the groups it belongs to, so the
    groups that may occur are a union of small sets, and a recogniser is worth running only
    when all of its groups are among them (a subset test).
    """

    def __init__(self, compiled: dict[str, tuple[_Terms | _Convert, ...]]) -> None:
        ids: dict[re.Pattern[str], int] = {}
        by_anchor: dict[str, set[int]] = {}
        always: set[int] = set()
        self.needs: dict[int, frozenset[int]] = {}
        # every recogniser with its misconception, in library order
        self.flat = tuple((mid, rec) for mid, recs in compiled.items() for rec in recs)
        for recs in compiled.values():
            for rec in recs:
                if not isinstance(rec, _Terms):
                    continue
                for group in rec.groups:
                    if group not in ids:
                        ids[group] = len(ids)
                        found = anchors(group)
                        if found is None:
                            always.add(ids[group])
                        for a in found or ():
                            by_anchor.setdefault(a, set()).add(ids[group])
                self.needs[id(rec)] = frozenset(ids[g] for g in rec.groups)
        self.always = frozenset(always)
        self.by_anchor = {a: frozenset(g) for a, g in by_anchor.items()}
        self.anchors = AnchorSet(by_anchor)
        # Each term recogniser filed under one group it needs that is not always present
        # (None when it needs only those): a message walks the files of the groups it may
        # hold, not the whole library.
        files: dict[int | None, list[int]] = {}
        self.conversions: tuple[int, ...] = tuple(
            pos for pos, (_, rec) in enumerate(self.flat) if isinstance(rec, _Convert))
        for pos, (_, rec) in enumerate(self.flat):
            if isinstance(rec, _Terms):
                rare = self.needs[id(rec)] - self.always
                files.setdefault(min(rare) if rare else None, []).append(pos)
        self.filed: dict[int | None, tuple[int, ...]] = {k: tuple(v) for k, v in files.items()}

class _Live:
    """The recognisers that can match somewhere in one message, and how to ask a unit of it.

    A unit needs only the anchors that occur in the message and belong to a group some live
    recogniser needs: a few dozen substring tests on a short clause, not the whole index.
    """

    def __init__(self, library: MisconceptionLibrary, masked: str) -> None:
        index = library._anchor_index
        assert index is not None
        self.index = index
        fold = folded(masked)
        found = index.anchors.present(fold)
        groups = set(index.always)
        for a in found:
            groups |= index.by_anchor[a]

        kinds: dict[bool, bool] = {}

        def converts(rec: _Convert) -> bool:
            # a conversion needs two amounts of its kind, or a stated length ("a day is
            # 1,000 s"); asked once per kind
            if rec.from_ == _AVAILABILITY:
                return _AVAIL.search(masked) is not None
            time = rec.from_ in _TIME_S
            if time not in kinds:
                kinds[time] = (
                    len(_quantities(masked, 0, len(masked), "time" if time else "data")) > 1
                    or (time and _LENGTH_WORDS.search(masked) is not None
                        and _LENGTH.search(masked) is not None))
            return kinds[time]

        # (misconception, recogniser, the groups it needs) in library order; a term
        # recogniser is filed under one group it needs, so a unit asks only those filed
        # under groups it holds
        self.recs: list[tuple[str, _Terms | _Convert, frozenset[int]]] = []
        self.by_group: dict[int, list[int]] = {}
        self.conversions: list[int] = []
        needed: set[int] = set()
        positions = sorted({*index.conversions,
                            *(pos for g in (*groups, None) for pos in index.filed.get(g, ()))})
        for mid, rec in (index.flat[pos] for pos in positions):
            if isinstance(rec, _Convert):
                if converts(rec):
                    self.conversions.append(len(self.recs))
                    self.recs.append((mid, rec, frozenset()))
                continue
            needs = index.needs[id(rec)]
            if not needs <= groups:
                continue
            needed |= needs
            key = min(needs - index.always or needs)
            self.by_group.setdefault(key, []).append(len(self.recs))
            self.recs.append((mid, rec, needs))
        self.always = index.always
        self.unit_anchors = tuple((a, gs) for a in found
                                  if (gs := index.by_anchor[a] & needed))

    def groups_in(self, fold: str) -> set[int]:
        """The groups a live recogniser needs that may occur in `fold` (a unit, case-folded)."""
        out = set(self.always)
        for a, gs in self.unit_anchors:
            if a in fold:
                out |= gs
        return out

    def worth_trying(self, fold: str, first_unit: bool
                     ) -> list[tuple[str, _Terms | _Convert]]:
        """The recognisers that may match a unit, in library order: term recognisers whose
        groups all may occur in it, and conversions in a segment's first unit."""
        groups = self.groups_in(fold)
        picked = [k for g in groups for k in self.by_group.get(g, ())
                  if self.recs[k][2] <= groups]
        if first_unit:
            picked += self.conversions
        return [self.recs[k][:2] for k in sorted(picked)]


def find_misconceptions(text: str, library: MisconceptionLibrary) -> list[ClaimFinding]:
    """Wrong claims the candidate makes in `text`, in order of appearance.

    A finding quotes the clauses that carry the claim (the candidate's own words) with their
    character span in `text`. Questions, reported or refuted beliefs, doubts, retracted
    statements and denials are not claims; see the module docstring.
    """
    norm = _normalise(text)
    masked = _blank(_blank(norm, _MASK), _UNLIKE_ASIDE)
    findings: dict[tuple[str, int, int], ClaimFinding] = {}
    live = _Live(library, masked)
    if not live.recs:
        return []
    fold = folded(masked)
    for seg, unit in _readings(_segments(norm, masked), masked):
        # only the recognisers whose groups' anchors all occur in this unit's own text are
        # tried: one missing cannot match here, and no regex needs to say so
        found_here: set[str] = set()
        for mid, rec in live.worth_trying(fold[unit.start:unit.end], unit is seg.units[0]):
            if mid in found_here:
                continue  # a misconception is found once per unit
            if isinstance(rec, _Terms):
                where = _match_terms(rec, norm, masked, seg, unit)
            else:
                # amounts restated across clauses ("600M a month, or about 230 a second")
                where = _match_conversion(rec, masked, _Unit(
                    [c for u in seg.units for c in u.clauses]))
            if where is None:
                continue
            found_here.add(mid)
            a, b = _trim(text, *where)
            if not any(m == mid and a < fb and fa < b for m, fa, fb in findings):
                findings[(mid, a, b)] = ClaimFinding(
                    misconception_id=mid, quote=text[a:b], span=(a, b))
    return sorted(findings.values(), key=lambda f: (f.span, f.misconception_id))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    # the sentence's own full stop is not part of the quote: the probe closes its quotation
    while end > start and text[end - 1] in " \t\n,;:-\u2014\u2013(.!":
        end -= 1
    quote = text[start:end]
    if quote.count("(") > quote.count(")") and text[end : end + 1] == ")":
        end += 1  # close the aside the quote opened
    return start, end
