"""Which facts a candidate's questions ask for, however they are worded.

A candidate message is split into the questions it puts to the interviewer: one per
interrogative sentence (a question mark, "I'd like to know ...", "can you tell me ...", a
sentence opening with "how many", "is", "do we" ...). Each question is *clarifying* (it asks
for a fact about the problem: scale, scope, a constraint), *judgement* (it asks the
interviewer's opinion on a design choice or on how to proceed: "should I use SQL or NoSQL?",
"is eventual consistency OK here?") or *rhetorical* (the candidate answers it at once: "how
many servers? about 20"). A clarifying question is mapped to the facts of a
:class:`FactSheet` it asks for: none, one or several ("how many DAU, and how big can groups
get?" asks for two).

The sheet holds the recognition data (which concepts a question must mention to ask for a
fact, the synonyms of each concept, the design vocabulary); this module holds the grammar of
English questions and the rules that pick what a question is about. It is pure: standard
library and pydantic, no I/O.

Term syntax (sheet data): a phrase is matched as consecutive words after light stemming
(``users`` = ``user``, ``DAUs`` = ``DAU``, ``group chats`` = ``group chat``); ``...`` stands
for up to two words (``how many ... user`` matches "how many active users", but a plural
noun in the gap ends it: "how many notifications one user" is not a question about users); a
trailing ``*`` matches any word starting with the prefix (``encrypt*``); a leading ``=``
matches the word exactly as written (``=likes``, not "like"); ``$name`` stands for every term
of the concept ``name`` in the sheet's ``terms``, also inside a phrase (``how many ...
$message``).

When several sheet entries match a question's words, it asks for:

1. not an entry whose matched words are all explained by larger matches: that is a partial
   reading ("how many ... users" inside "how many users are online at once");
2. not an entry matched inside the span of a larger one: that is its object ("delete *old
   messages* or keep them forever" asks about retention);
3. not an entry matched only inside a modifier (a prepositional phrase, "the latency *for OTP
   codes*"; the subject, "how fast does *a password reset email* go out?") when another
   entry is matched outside it;
4. one entry, the one with most matched words, unless a list or a conjunction stands
   between them ("DAU and group size").

When no ask matches, the fact whose own words (answer, topic, literal ask terms) the question
shares most, weighted by rarity, is taken if it clearly stands out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import product
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

__all__ = [
    "Ask",
    "AskedQuestion",
    "Fact",
    "FactKind",
    "FactSheet",
    "QuestionKind",
    "Unsettled",
    "read_questions",
]

FactKind = Literal["scale", "scope", "non-goal", "constraint"]
QuestionKind = Literal["clarifying", "judgement", "rhetorical", "direction"]

_GAP_WORDS = 2  # how many words `...` may stand for

# ---------------------------------------------------------------------------------------------
# Words: tokens with offsets, contractions expanded, light stemming.

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*%?[a-z]*|[a-z][a-z0-9]*(?:'[a-z]+)?", re.IGNORECASE)
_IRREGULAR = {
    "people": "person", "children": "child", "using": "use", "used": "use", "uses": "use",
    "data": "data", "media": "media", "analytics": "analytic", "ms": "ms", "does": "do",
    "did": "do", "has": "have", "had": "have", "was": "is", "were": "are", "got": "get",
}
_CONTRACTIONS = {"'d": "would", "'ll": "will", "'re": "are", "'ve": "have", "'m": "am"}
_IS_BEFORE = {"what", "that", "it", "there", "here", "who", "where", "how", "when", "why", "which"}


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """A conservative suffix stripper: the same stem for the forms people actually write.

    Remembered per word (a pure function of it): every message of a sheet is split into words,
    and the same few thousand words come back."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("eed"):
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # shipping -> ship, planned -> plan
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # store / stored / storing -> stor
    return word


class _Word:
    __slots__ = ("end", "raw", "sep", "start", "stem")

    def __init__(self, raw: str, start: int, end: int, sep: bool = False) -> None:
        self.raw, self.stem, self.start, self.end = raw, _stem(raw), start, end
        self.sep = sep  # a list separator (, ; / &) stands between this word and the last


#: What separates two items of a list ("DAU, MAU", "reads / writes", "chat - groups").
_LIST_SEPARATOR = re.compile(r"[,;/&]|\s[-\u2013\u2014]\s")


def words(text: str) -> list[_Word]:
    """The words of ``text`` in order, lower-cased, contractions expanded, with offsets."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    out: list[_Word] = []
    for m in _TOKEN.finditer(text):
        token, start, end = m.group().lower(), m.start(), m.end()
        base, _, tail = token.partition("'")
        tail = "'" + tail if tail else ""
        parts: list[str]
        if tail == "'t" and base.endswith("n"):
            head = {"won": "will", "can": "can", "ain": "is", "shan": "shall"}.get(base, base[:-1])
            parts = [head, "not"]
        elif tail == "'s":
            parts = ["let", "us"] if base == "let" else [base, "is"] if base in _IS_BEFORE else [base]
        elif tail in _CONTRACTIONS:
            parts = [base, _CONTRACTIONS[tail]]
        else:
            parts = [base] if tail else [token]
        sep = bool(out) and bool(_LIST_SEPARATOR.search(text, out[-1].end, start))
        out.extend(_Word(p, start, end, sep) for p in parts)
    return out


# ---------------------------------------------------------------------------------------------
# Sheet models: the data a question is matched against.

_Slot = str | list[str]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Ask(_Model):
    """One way of asking: every ``all`` slot is mentioned and no ``none`` slot is.

    A slot is one term or a list of alternative terms (see the module docstring).
    """

    all: list[_Slot] = Field(min_length=1)
    none: list[_Slot] = Field(default_factory=list)
    fallback: bool = Field(
        default=False, description="counts only when the question asks for nothing more "
        "specific ('what's out of scope?' lists every non-goal; 'is search out of scope?' not)")

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: Any) -> Any:
        return {"all": data} if isinstance(data, list) else data


class Fact(_Model):
    """Something the interviewer knows about the problem and says when asked."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    topic: str = Field(pattern=r"^[a-z]+(\.[a-z0-9_]+)+$")
    kind: FactKind
    answer: str = Field(min_length=1)
    asks: list[Ask] = Field(min_length=1)
    credit: list[str] = Field(default_factory=list, description="clarify expectation ids")
    value: dict[str, float] = Field(
        default_factory=dict, description="reference figures this answer states, by name"
    )


class Unsettled(_Model):
    """A topic the sheet leaves to the candidate: the answer is "your call"."""

    topic: str = Field(pattern=r"^[a-z]+(\.[a-z0-9_]+)+$")
    asks: list[Ask] = Field(min_length=1)
    answer: str = "Your call: state an assumption and go on."


class FactSheet(_Model):
    """The interviewer-only facts of one problem, with the words that ask for each."""

    problem: str
    facts: list[Fact] = Field(min_length=1)
    unsettled: list[Unsettled] = Field(default_factory=list)
    terms: dict[str, list[str]] = Field(default_factory=dict, description="concept synonyms")
    design_terms: list[str] = Field(
        default_factory=list, description="technologies and mechanisms: a question naming one "
        "asks for the interviewer's judgement on a design choice")
    design_qualities: list[str] = Field(
        default_factory=list, description="design properties (consistency models, delivery "
        "semantics): judgement when weighed ('is X ok?'), clarifying when required ('do we need X?')")

    _asks: dict[str, list[tuple[list, list, bool]]] = PrivateAttr(default_factory=dict)
    _slots: dict[tuple, tuple] = PrivateAttr(default_factory=dict)  # equal slots, one object
    _design: list[tuple] = PrivateAttr(default_factory=list)
    _qualities: list[tuple] = PrivateAttr(default_factory=list)
    _profiles: dict[str, set[str]] = PrivateAttr(default_factory=dict)
    _idf: dict[str, float] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> FactSheet:
        ids = [f.id for f in self.facts]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate fact ids: {', '.join(dupes)}")
        topics = [u.topic for u in self.unsettled]
        clash = sorted(set(topics) & set(ids) | {t for t in topics if topics.count(t) > 1})
        if clash:
            raise ValueError(f"unsettled topics must be unique and not fact ids: {clash}")
        for owner, asks in [(f.id, f.asks) for f in self.facts] + [
            (u.topic, u.asks) for u in self.unsettled
        ]:
            for ask in asks:
                for slot in ask.all + ask.none:
                    for term in [slot] if isinstance(slot, str) else slot:
                        self._expand(term, owner, ())
        return self

    def _expand(self, term: str, owner: str, seen: tuple[str, ...]) -> list[str]:
        parts = term.split()
        if len(parts) > 1 and any(p.startswith("$") for p in parts):
            # "how many ... $message": one phrase per combination of the concepts' terms
            options = [self._expand(p, owner, seen) if p.startswith("$") else [p] for p in parts]
            return [" ".join(c) for c in product(*options)]
        if not term.startswith("$"):
            if not words(term.replace("...", " ").replace("*", "")):
                raise ValueError(f"{owner}: term {term!r} has no words")
            return [term]
        name = term[1:]
        if name not in self.terms:
            raise ValueError(f"{owner}: unknown concept {term!r} (not in terms)")
        if name in seen:
            raise ValueError(f"{owner}: concept {term!r} refers to itself")
        return [t for sub in self.terms[name] for t in self._expand(sub, name, (*seen, name))]

    def _compile_slot(self, slot: _Slot, owner: str) -> tuple[tuple, ...]:
        """A slot's terms, compiled; equal slots are one object (the readers remember a slot's
        occurrences by identity, and many asks share a slot such as $dau)."""
        terms = [slot] if isinstance(slot, str) else slot
        compiled = tuple(_compile_term(t) for term in terms for t in self._expand(term, owner, ()))
        return self._slots.setdefault(compiled, compiled)

    def model_post_init(self, context: Any, /) -> None:
        for owner, asks in [(f.id, f.asks) for f in self.facts] + [
            (u.topic, u.asks) for u in self.unsettled
        ]:
            self._asks[owner] = [
                ([self._compile_slot(s, owner) for s in a.all],
                 [self._compile_slot(s, owner) for s in a.none], a.fallback)
                for a in asks
            ]
        self._design = [_compile_term(t) for t in self.design_terms]
        self._qualities = [_compile_term(t) for t in self.design_qualities]
        for fact in self.facts:  # the words a fact is about, for questions no ask recognises
            text = " ".join([fact.answer, fact.topic.replace(".", " ").replace("_", " ")] + [
                t for a in fact.asks for slot in a.all
                for t in ([slot] if isinstance(slot, str) else slot) if "$" not in t
            ])
            self._profiles[fact.id] = {w.stem for w in words(text.replace("*", ""))
                                       if w.raw not in _STOPWORDS and w.raw.isalpha()}
        n = len(self._profiles)
        for profile in self._profiles.values():
            for stem in profile:
                self._idf[stem] = self._idf.get(stem, 0) + 1
        self._idf = {k: math.log((n + 1) / v) for k, v in self._idf.items()}

    def fact(self, fact_id: str) -> Fact:
        """The fact with this id (KeyError when there is none)."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


# ---------------------------------------------------------------------------------------------
# Term matching.

_GAP = ("...",)


def _compile_term(term: str) -> tuple:
    """A term as a tuple of elements: a stem, ("*", prefix) or the gap marker."""
    out: list = []
    for chunk in term.lower().split():
        if chunk == "...":
            out.append(_GAP)
        elif chunk.endswith("*") and len(chunk) > 1:
            out.append(("*", chunk[:-1]))
        elif chunk.startswith("=") and len(chunk) > 1:
            out.append(("=", chunk[1:]))
        else:
            out.extend(w.stem for w in words(chunk))
    return tuple(out)


def _element_matches(element: Any, word: _Word) -> bool:
    if isinstance(element, tuple):
        if element[0] == "=":
            return word.raw == element[1]
        return word.raw.startswith(element[1]) or word.stem.startswith(element[1])
    return word.stem == element or word.raw == element


_GAP_FUNCTION_S = {"those", "these", "us", "is", "was", "does", "has", "its", "this", "his",
                   "as", "always", "various", "across"}


def _gap_word(raw: str) -> bool:
    """May ``...`` stand for this word? Not for a plural noun: that is the thing counted."""
    return not raw.endswith("s") or raw in _GAP_FUNCTION_S or len(raw) <= 2


def _match_at(term: tuple, ws: list[_Word], i: int) -> list[int] | None:
    if not term:
        return []
    head, rest = term[0], term[1:]
    if head == _GAP:
        for skip in range(_GAP_WORDS + 1):
            if skip:
                j = i + skip - 1  # the word just skipped
                if j >= len(ws) or not _gap_word(ws[j].raw):
                    return None  # "how many ... user" must not reach past "notifications"
            found = _match_at(rest, ws, i + skip)
            if found is not None:
                return found
        return None
    if i >= len(ws) or not _element_matches(head, ws[i]):
        return None
    found = _match_at(rest, ws, i + 1)
    return None if found is None else [i, *found]


# Occurrences of each term in the word lists read lately. A question is matched against every
# entry of the sheet, and entries share terms ($dau, $traffic...), so each term is looked up
# once per word list. Keyed by the list's identity, holding the list itself so that the id
# cannot be reused while the entry lives.
_SEEN: dict[int, tuple[list[_Word], dict[Any, list[int]], dict[tuple, list[frozenset[int]]]]] = {}
_SEEN_MAX = 16


def _term_occurrences(term: tuple, ws: list[_Word]) -> list[frozenset[int]]:
    entry = _SEEN.get(id(ws))
    if entry is None or entry[0] is not ws:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        index: dict[Any, list[int]] = {}
        for i, w in enumerate(ws):  # where each stem or word is: a term starts only there
            index.setdefault(w.stem, []).append(i)
            if w.raw != w.stem:
                index.setdefault(w.raw, []).append(i)
        entry = _SEEN[id(ws)] = (ws, index, {})
    _, index, memo = entry
    if term not in memo:
        head = term[0] if term else _GAP
        if head == _GAP:
            starts: Iterable[int] = range(len(ws))
        elif isinstance(head, str):
            starts = sorted(set(index.get(head, ())))
        elif head[0] == "=":
            starts = sorted({i for i in index.get(head[1], ()) if ws[i].raw == head[1]})
        else:
            # A prefix: the index's keys are every word's stem and raw form, so the words it
            # can start at are found among the distinct keys, not by testing every word.
            starts = sorted({i for key, at in index.items() if key.startswith(head[1])
                             for i in at})
        found_all = []
        for i in starts:
            found = _match_at(term, ws, i)
            if found:
                found_all.append(frozenset(found))
        memo[term] = found_all
    return memo[term]


def _occurrences(terms: Iterable[tuple], ws: list[_Word]) -> list[frozenset[int]]:
    """The word positions of each occurrence of any of ``terms``.

    A sheet's slots ($dau, $traffic...) are shared by many asks, so a slot (a tuple kept alive
    by the compiled sheet) is looked up once per word list, by identity.
    """
    if not isinstance(terms, tuple):
        return [occ for term in terms for occ in _term_occurrences(term, ws)]
    _term_occurrences((), ws)  # the word list's entry and index
    _, index, memo = _SEEN[id(ws)]
    key = ("slot", id(terms))
    found = memo.get(key)
    if found is None or found[0] is not terms:
        # Only terms whose first word is among the words can occur (the index knows them).
        live = [t for t, head in _heads(terms) if head is None or head in index]
        found = memo[key] = (terms, [occ for term in live for occ in _term_occurrences(term, ws)])
    return found[1]


_HEADS: dict[int, tuple[tuple, list[tuple[tuple, str | None]]]] = {}


def _heads(terms: tuple) -> list[tuple[tuple, str | None]]:
    """A slot's terms with their first word when it is a plain stem (None for a gap or a
    prefix, which can start anywhere), computed once per slot."""
    entry = _HEADS.get(id(terms))
    if entry is None or entry[0] is not terms:
        pairs = []
        for term in terms:
            head = term[0] if term else _GAP
            pairs.append((term, head if head != _GAP and isinstance(head, str) else None))
        entry = _HEADS[id(terms)] = (terms, pairs)
    return entry[1]


def _positions(terms: Iterable[tuple], ws: list[_Word]) -> set[int]:
    """Every word position covered by any occurrence of any of ``terms``."""
    return set().union(*_occurrences(terms, ws))


_REACH = 3  # words around an ask's tightest match that still belong to the same phrase


def _tightest(found: list[list[frozenset[int]]]) -> set[int]:
    """The words of one ask's match: one occurrence per slot, the choice spanning the fewest
    words (concepts asked together sit together: in "how many users, and how many are
    online", "how many" + "online" is the second question), plus the slots' other
    occurrences within a few words of it ("limit on how many notifications one user can
    get per day" is all one phrase)."""
    if len(found) == 1:
        return set().union(*found[0])
    best: tuple[int, set[int]] | None = None
    for combo in product(*found):
        words_ = set().union(*combo)
        width = max(words_) - min(words_)
        if best is None or width < best[0]:
            best = (width, words_)
    chosen = best[1] if best else set()
    low, high = min(chosen) - _REACH, max(chosen) + _REACH
    for occurrences in found:
        for occ in occurrences:
            if min(occ) >= low and max(occ) <= high:
                chosen |= occ
    return chosen


def _may_occur(slot: Iterable[tuple], present: set[Any]) -> bool:
    """False when no term of ``slot`` can start anywhere in the words: every term whose first
    element is a plain stem needs that stem among the words."""
    for term in slot:
        head = term[0] if term else _GAP
        if head == _GAP or not isinstance(head, str) or head in present:
            return True
    return False


def _evidence(compiled: list, ws: list[_Word]) -> tuple[set[int], set[int]]:
    """Word positions that make an entry's asks match: (by specific asks, by fallback asks)."""
    specific: set[int] = set()
    general: set[int] = set()
    _term_occurrences((), ws)  # builds the word index of ``ws`` once
    present = set(_SEEN[id(ws)][1])
    for all_slots, none_slots, fallback in compiled:
        # An ask one of whose slots cannot occur matches nothing: skip it before any search.
        if not all(_may_occur(slot, present) for slot in all_slots):
            continue
        if any(_occurrences(slot, ws) for slot in none_slots):
            continue
        found = [_occurrences(slot, ws) for slot in all_slots]
        if all(found):
            (general if fallback else specific).update(_tightest(found))
    return specific, general


# ---------------------------------------------------------------------------------------------
# Which entries a question asks for.

def _match(sheet: FactSheet, ws: list[_Word], own: set[int]) -> list[str]:
    """Fact ids and unsettled topics asked for, the less specific readings dropped.

    The words are explained greedily, the entry with most evidence first; an entry whose
    evidence words are all explained by other entries is a partial reading of the same words
    ("how many ... users" inside "how many users are online at once") and is dropped, unless
    its evidence is the same as a kept entry's (then both are asked for). Fallback asks count
    only when no specific ask matched. An entry needs at least one evidence word in
    ``own`` (the question's own words, when the previous sentence is read as context).
    """
    specific: dict[str, set[int]] = {}
    general: dict[str, set[int]] = {}
    for owner, compiled in sheet._asks.items():
        hit, fallback_hit = _evidence(compiled, ws)
        if hit & own:
            specific[owner] = hit
        elif fallback_hit & own:
            general[owner] = fallback_hit
    found = specific or general
    kept: list[str] = []
    claimed: set[int] = set()
    for owner in sorted(found, key=lambda k: -len(found[k])):  # stable: sheet order on ties
        evidence = found[owner]
        if evidence - claimed or any(found[k] == evidence for k in kept):
            kept.append(owner)
            claimed |= evidence
    for owner in sorted(kept, key=lambda k: len(found[k])):  # explained by the others together
        others = [found[k] for k in kept if k != owner]
        if others and found[owner] <= set().union(*others) and found[owner] not in others:
            kept.remove(owner)
    for owner in sorted(kept, key=lambda k: len(found[k])):  # a phrase inside a longer one
        low, high = min(found[owner]), max(found[owner])
        if any(len(found[k]) > len(found[owner]) and min(found[k]) <= low and high <= max(found[k])
               for k in kept if k != owner):
            kept.remove(owner)
    for zone in _modifier_zones(ws):  # "what's the latency for OTP codes?" asks for latency
        inside = [k for k in kept if found[k] <= zone]
        if len(inside) < len(kept):
            kept = [k for k in kept if k not in inside]
    if len(kept) > 1:
        # On a tie the focus of a wh-question is its head ("how many X ..."), of a yes/no
        # question its predicate ("are messages *localised* per user?").
        start = _skip_openers(ws)
        later = -1 if start < len(ws) and ws[start].raw in _AUX else 1
        best = max(kept, key=lambda k: (len(found[k]), -later * min(found[k])))
        kept = [k for k in kept if k == best or found[k] == found[best]
                or _coordinated(ws, found[k] | found[best])]
    return [k for k in found if k in kept]


_COORDINATORS = {"and", "or", "plus", "also", "both", "vs", "versus", "either", "nor", "as",
                 "well", "then", "but"}


def _coordinated(ws: list[_Word], positions: set[int]) -> bool:
    """Is a list separator or a conjunction between these words ("DAU and group size")?"""
    low, high = min(positions), max(positions)
    return any(ws[i].raw in _COORDINATORS or (i > low and ws[i].sep and ws[i].raw not in _ASIDE)
               for i in range(low, high + 1))


#: Words that open an aside after a comma rather than another item of a list.
_ASIDE = {"on", "in", "at", "for", "say", "like", "roughly", "about", "approximately",
          "typically", "usually", "maybe", "please", "right", "ok", "okay", "then", "so", "e",
          "i", "ie", "eg", "if", "given", "assuming", "per"}


_MODIFIER_PREPOSITIONS = {"on", "of", "for", "over", "about", "than", "with", "in", "against",
                          "per"}
_ZONE_END = {"and", "or", "but", "while", "plus", "also"}
_VERBISH = {"need", "have", "get", "go", "be", "take", "arrive", "reach", "show", "appear",
            "expect", "want", "send", "use", "see", "look", "happen", "work", "last", "stay",
            "live", "come", "make", "require", "support", "allow", "handle", "matter", "grow",
            "receive", "load", "open", "check", "post", "upload", "watch", "click", "visit",
            "told", "tell", "know", "become", "run", "change", "fail"}


def _modifier_zones(ws: list[_Word]) -> list[set[int]]:
    """Word positions that only qualify the question, not what it asks for: a prepositional
    phrase ("the latency *for OTP codes*", "a limit *on how many notifications*", "faster
    *than marketing emails*") and the subject of a wh-question ("how fast does *a password
    reset email* need to go out?", "does *the caller* get told?"). A fact named only there is
    not asked for when another fact is named outside it."""
    zones: list[set[int]] = []
    start = _skip_openers(ws)
    for i in range(start + 2, len(ws)):
        if ws[i].raw in _MODIFIER_PREPOSITIONS:
            end = next((j for j in range(i + 1, len(ws)) if ws[j].raw in _ZONE_END), len(ws))
            zones.append(set(range(i + 1, end)))
    aux = None
    if start < len(ws) and ws[start].raw in _AUX:
        aux = start  # "does *the caller* get told when ...?"
    elif start < len(ws) and ws[start].raw in _WH:
        aux = next((j for j in range(start + 1, min(start + 5, len(ws))) if ws[j].raw in _AUX), None)
    if aux is not None and aux + 1 < len(ws) and ws[aux + 1].raw not in _PRONOUN_SUBJECTS:
        end = next((j for j in range(aux + 1, min(aux + 6, len(ws)))
                    if ws[j].stem in _VERBISH or ws[j].raw in _VERBISH), None)
        if end is not None and end > aux + 1:
            zones.append(set(range(aux + 1, end)))
    return zones


_PRONOUN_SUBJECTS = {"i", "we", "you", "it", "there", "they", "this", "that"}


_NEAREST_MIN_SCORE = 4.0
_NEAREST_MARGIN = 1.5


def _nearest(sheet: FactSheet, ws: list[_Word]) -> list[str]:
    """The fact whose own words (answer, topic, literal ask terms) the question shares most,
    weighted by how few facts use each word; nothing unless it clearly stands out."""
    stems = {w.stem for w in ws if w.raw not in _STOPWORDS and w.raw.isalpha()}
    scores = sorted(
        ((sum(sheet._idf.get(s, 0.0) for s in stems & profile), fact_id)
         for fact_id, profile in sheet._profiles.items()),
        reverse=True,
    )
    if not scores or scores[0][0] < _NEAREST_MIN_SCORE:
        return []
    if len(scores) > 1 and scores[0][0] < _NEAREST_MARGIN * scores[1][0]:
        return []
    return [scores[0][1]]


# ---------------------------------------------------------------------------------------------
# The grammar of questions (language, not content).

_WH = {"what", "which", "who", "whom", "whose", "where", "when", "why", "how"}
_AUX = {"is", "are", "was", "were", "do", "does", "did", "should", "shall", "can", "could",
        "will", "would", "may", "might", "must", "has", "have", "am"}
_SUBJECT = {"i", "we", "you", "it", "they", "there", "this", "that", "these", "those", "the",
            "a", "an", "our", "my", "your", "each", "every", "any", "all", "some", "users",
            "people", "he", "she", "one", "anything", "something", "everything", "not"}
_WH_NEXT = _AUX | {"many", "much", "big", "large", "long", "fast", "often", "soon", "strict",
                   "quickly", "far", "old", "about", "kind", "type", "sort", "level", "if",
                   "else", "happens", "exactly", "sized", "heavy", "frequently", "important",
                   "reliable", "available", "durable", "consistent", "fresh", "stale", "low",
                   "high", "small", "tight", "accurate", "precise", "quick"}
_CONJ = {"and", "or", "but", "also", "plus", "then"}
_OPENERS = {"so", "ok", "okay", "and", "also", "alright", "first", "next", "then", "well",
            "now", "but", "great", "thanks", "cool", "right", "hmm", "one", "another", "last",
            "quick", "question", "questions", "more", "thing", "lastly", "finally", "secondly",
            "sure", "got", "it", "oh", "plus", "just", "follow", "up", "yes", "no"}

_INDIRECT = re.compile(
    r"\b(i would (like|love) to (know|understand|confirm|check|clarify|ask|get a sense)"
    r"|i (want|need|have) to (know|understand|confirm|check|ask)|i am (wondering|curious)"
    r"|i was wondering|i wonder|curious (about|whether|if|what|how)|wondering (about|whether|if)"
    r"|(can|could|would) you (tell|give|share|confirm|clarify|say|let me know|walk)"
    r"|tell me (about|what|how|whether|if|the)|let me know|please (tell|share|confirm|clarify)"
    r"|do you (know|have (any |a )?(numbers|figures|idea|sense|target|estimate))"
    r"|any (idea|sense|numbers|figures|guidance|constraints|target) (on|about|for|of)"
    r"|(help me|like to) (understand|get a sense)|i am not sure (whether|if|what|how))\b"
)
_ANAPHORIC_WORDS = {
    "is", "that", "this", "it", "right", "ok", "okay", "correct", "reasonable", "fair", "fine",
    "sound", "sounds", "good", "make", "makes", "sense", "does", "do", "would", "work", "works",
    "assumption", "accurate", "acceptable", "agree", "agreed", "you", "with", "a", "an", "the",
    "alright", "yes", "no", "can", "i", "assume", "go", "about", "roughly", "in", "line", "what",
    "had", "mind", "expect", "expected", "ballpark", "safe", "valid", "be", "sane", "am", "on",
    "track", "so", "number", "numbers", "figure", "figures", "close", "enough", "those", "these",
    "true", "same", "page", "we", "are", "or", "not", "too", "high", "low", "much", "way",
    "off", "realistic", "plausible", "to", "start", "look", "looks", "match", "matches", "have",
    "expecting", "thinking", "intended", "there",
}
_ANAPHORIC_HEAD = {"is", "does", "would", "right", "ok", "okay", "correct", "sound", "sounds",
                   "fair", "reasonable", "make", "makes", "agreed", "can", "am", "that", "are",
                   "yes", "true", "look", "looks", "alright", "fine", "good", "realistic"}

_RECOMMEND = re.compile(
    r"\b((should|shall|would|could|can|must|may|might) (i|we) (use|pick|choose|select|go with"
    r"|go for|opt|prefer|adopt|rely|shard|partition|replicate|cache|index|introduce|implement"
    r"|deploy|model|represent|encode|hash|compress|start|begin|focus|dive|move|jump|draw|sketch"
    r"|spend|talk|discuss|continue|proceed|elaborate|dig|go deeper|batch|queue|precompute"
    r"|denormali[sz]e|fan)"
    r"|shall (i|we)|(would|do|did|will) you (use|recommend|suggest|prefer|pick|choose|go|rather"
    r"|do|advise|want me|like me|expect me|lean)"
    r"|what (would|do|should) you (think|recommend|suggest|prefer|use|pick|choose|do|go|advise)"
    r"|what is your (take|opinion|view|preference|recommendation|suggestion|feeling)"
    r"|your (thoughts|opinion|take|preference|recommendation)"
    r"|which (one|option|approach) (would|should|do|is)|which is (better|preferable|best)"
    r"|(is|would) it (be )?(better|worse|wise|worth|overkill|smarter|preferable|a good idea"
    r"|a bad idea|simpler|cleaner)"
    r"|(does|would|will) (it|that|this) make (more )?sense (to|if|for)|makes? more sense"
    r"|(good|bad|better|best|right|reasonable|sensible|smart|solid|fine|ok|okay|valid|wise"
    r"|sane|viable) (idea|approach|option|choice|fit|call|design|pattern|way to|tool|pick)"
    r"|am i (on the right track|missing|overthinking|overcomplicating|going in)"
    r"|(how|what) about (using|adding|putting|storing)|is there a (better|preferred|simpler)"
    r"|can i (ask|get|have|take|draw|sketch) (a|some|you|the|my)|do you want me"
    r"|where (should|would|do|can|could) (i|we)|(i|we) (could|can) (either|use)"
    r"|where (should|would|could|does|do) (it|this|that|the \w+|the \w+ \w+) (live|go|sit|run"
    r"|be placed|be deployed|be enforced|happen)"
    r"|(ok|okay|fine|alright|all right|reasonable) (if|to|that) (i|we) (start|begin|focus|dive"
    r"|move|jump|skip|draw|sketch|spend|talk|use|pick|choose|go|assume i|cover|leave|come back)"
    r"|(mind|ok|okay) if i|can i (start|begin|move|jump|skip|come back|go)"
    r"|how (do|should|would|can|could|will|might|shall) (i|we) \w+)\b"
)
#: Questions the candidate poses to themselves about the design ("how do we shard it?").
_SELF_POSED = re.compile(
    r"\b(how (do|should|would|can|could|will|might|shall) (i|we)|what (do|should|would|can|could"
    r"|will) (i|we) (do|use)|why (do|would|should|not) (i|we)|the (key|main|big|real|next|first"
    r"|hard|tricky|interesting) (question|problem|challenge|part) is|the question (here )?is)\b"
)
_EVALUATIVE = re.compile(
    r"\b(ok|okay|fine|acceptable|enough|sufficient|good|better|best|worse|overkill|reasonable"
    r"|appropriate|suitable|viable|work|works|fit|alright|sensible|worth|right|preferable"
    r"|handle|cope|a problem|an issue|sense|or|vs|versus|instead|rather|over|compared|needed"
    r"|necessary|need|required|require|must|should|use|using|prefer|choose|pick|either|recommend"
    r"|allowed|wise|idea|way to|go with|scale)\b"
)
_REQUIREMENT = re.compile(
    r"\b(need|needs|needed|required|require|requires|requirement|must|have to|has to|necessary"
    r"|guarantee|guaranteed|expected|expect|important|matter|matters|care|supposed to"
    r"|has got to|do we want|does it have|mandatory)\b"
)
_CONSTRAINT = re.compile(
    r"\b((do|does) (we|i|the company|the team) (already )?(have|own|run|use)|are we (already )?"
    r"(using|on|running|allowed|stuck|limited|restricted|tied)|have to use|must (we|i) use"
    r"|required to use|allowed to use|stuck with|existing|already (have|use|run|own)"
    r"|tech stack|constraints? on|is there a (preferred|required|mandated)|any constraints?)\b"
)
_ASSUMPTION = re.compile(
    r"\b(assume|assuming|assumption|estimate|plan for|design for|target|aim for|ballpark|figure"
    r"|go with|numbers|number)\b"
)
_ANSWER_START = re.compile(
    r"^(about|around|roughly|approximately|approx|maybe|probably|perhaps|likely|say|let us "
    r"(say|assume|go with|see|do|work|figure|estimate|compute|calculate|think)|let me (work|figure|"
    r"calculate|compute|think|estimate|do|see|assume|go with)|i would (say|guess|assume|go|use|pick"
    r"|estimate|expect)|i guess|my guess|i will (assume|go|use|pick|take|say|estimate)|i am "
    r"(assuming|thinking|going to assume|going with|guessing)|i assume|assume|assuming|i think"
    r"|i believe|i expect|call it|so|that is|that would|that will|that gives|that means|it is"
    r"|it would|it will|it depends|we need|we would|we will|we can|we could|we should|we have"
    r"|we do|we want|we must|yes|no|yeah|yep|nope|definitely|absolutely|sure|of course|not really"
    r"|because|since|given|the answer|obviously|clearly|well|if|easy|simple|only|just|only if"
    r"|with|at|using|from|based on"
    r"|at (least|most)|up to|under|over|less than|more than|a few|a lot|lots|plenty|tens|hundreds"
    r"|thousands|millions|billions|several|each|every|one|two|three|four|five|ten|twenty|fifty"
    r"|a hundred|a million|a billion|a thousand|per|probably not|not|usually|typically"
    r"|generally|easily|even|here|hence|thus|therefore|then)\b|^[\d~$]"
)
_ADDRESSED = re.compile(r"\b(you|your)\b")
_STOPWORDS = {
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "do", "does", "did", "have",
    "has", "had", "i", "we", "you", "it", "they", "them", "this", "that", "these", "those",
    "what", "which", "who", "whom", "how", "when", "where", "why", "should", "shall", "can",
    "could", "will", "would", "may", "might", "must", "to", "of", "in", "on", "for", "at", "by",
    "with", "from", "about", "and", "or", "but", "if", "so", "not", "no", "yes", "any", "some",
    "all", "each", "every", "our", "my", "your", "their", "its", "there", "here", "need",
    "needs", "want", "much", "many", "more", "most", "very", "really", "just", "also", "too",
    "than", "then", "into", "out", "up", "down", "over", "under", "as", "like", "get", "gets",
    "ok", "okay", "us", "me", "one", "ever", "still", "able", "allowed", "happen", "happens",
    "system", "service", "design", "users", "user", "people", "expect", "expected", "going",
    "else", "thing", "things", "kind", "sort", "type", "am", "being", "let", "say", "think",
}
_ABBREVIATION = {"e.g", "i.e", "etc", "vs", "approx", "ca", "mr", "ms", "dr", "incl", "est",
                 "cf", "aka", "eg", "ie", "no", "sec", "min", "max", "avg", "resp"}


# ---------------------------------------------------------------------------------------------
# Reading a message.


class AskedQuestion(BaseModel):
    """One question the candidate puts to the interviewer."""

    model_config = ConfigDict(frozen=True)

    text: str
    span: tuple[int, int] = Field(description="start and end offsets in the message")
    kind: QuestionKind
    fact_ids: list[str] = Field(default_factory=list, description="facts a clarifying question asks for")
    unsettled: list[str] = Field(
        default_factory=list, description="unsettled topics asked about (answer: your call)")


class _Segment:
    __slots__ = ("end", "item", "question", "start", "text", "ws")

    def __init__(self, text: str, start: int, end: int, item: bool = False) -> None:
        self.start, self.end, self.text = start, end, text[start:end]
        self.ws = words(self.text)
        for w in self.ws:
            w.start += start
            w.end += start
        self.question = False
        self.item = item  # an item of a bulleted or numbered list


_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022>]|\(?\d{1,2}[.)]|\(?[a-h][)])\s+")


def _segments(text: str) -> list[_Segment]:
    """Sentences: split at ? ! ; new lines and sentence-ending full stops."""
    cuts: list[int] = []
    for m in re.finditer(r"[?!]+[\"')\]]*|;|\n|\.(?=\s|$)", text):
        if m.group() == "." and re.search(r"(^|\n)\s*\d{1,2}$", text[: m.start()]):
            continue  # "1. How many users?" numbers a list item
        if m.group() == ".":
            before = re.search(r"([A-Za-z.]+)$", text[: m.start()])
            if before and before.group(1).lower().rstrip(".") in _ABBREVIATION:
                continue
            if before and len(before.group(1)) == 1:  # an initial, "U.S."
                continue
        cuts.append(m.end())
    out, start = [], 0
    for cut in [*cuts, len(text)]:
        chunk = text[start:cut]
        mark = _LIST_MARK.match(chunk)
        lead = mark.end() if mark else len(chunk) - len(chunk.lstrip())
        seg = _Segment(text, start + lead, start + len(chunk.rstrip()), item=bool(mark))
        if seg.ws and any(w.raw[0].isalpha() for w in seg.ws):
            out.append(seg)
        start = cut
    return out


def _skip_openers(ws: list[_Word]) -> int:
    """Index of the first word after discourse openers ("so", "ok, and one more question:")."""
    i = 0
    while i < len(ws) - 1 and ws[i].raw in _OPENERS and not _starts_question(ws, i):
        if ws[i].raw == "it" and (i == 0 or ws[i - 1].raw != "got"):
            break  # "got it, ..." opens; "Then it's the normal check" is a statement
        i += 1
    return i


def _starts_question(ws: list[_Word], i: int) -> bool:
    if i >= len(ws):
        return False
    word = ws[i].raw
    nxt = ws[i + 1].raw if i + 1 < len(ws) else ""
    if word in _WH:
        return nxt in _WH_NEXT or word == "which" or (word == "what" and nxt not in _SUBJECT)
    return word in _AUX and nxt in _SUBJECT


# "Which, honestly, fits on one primary." / "Which means ...": a sentence that opens with
# "which" and states something about what came before (a relative clause, not a question)
_WHICH_STATES = re.compile(
    r"^\W*which\s*(?:,|\s(?:is|means|meant|leaves|puts|gives|makes|fits|works|comes|is why|"
    r"would be fine|should be fine)\b)", re.IGNORECASE)


def _is_question(seg: _Segment, raw: str) -> bool:
    if seg.text.rstrip("\"')] ").endswith("?"):
        return True
    if _WHICH_STATES.match(seg.text):
        return False
    if _INDIRECT.search(raw):
        return True
    return _starts_question(seg.ws, _skip_openers(seg.ws))


def _clauses(seg: _Segment) -> list[list[_Word]]:
    """Split a question where a second interrogative starts after a conjunction or comma."""
    ws, starts = seg.ws, [0]
    for i in range(1, len(ws)):
        gap = seg.text[ws[i - 1].end - seg.start: ws[i].start - seg.start]
        joined = ws[i - 1].raw in _CONJ or any(c in gap for c in ",;:-\u2013\u2014")
        if joined and _starts_question(ws, i) and i - starts[-1] > 2:
            starts.append(i - 1 if ws[i - 1].raw in _CONJ else i)
    first = _skip_openers(ws)
    starts = [s for s in starts if s == 0 or s > first + 1]
    if len(starts) > 1 and not _starts_question(ws, first):
        del starts[1]  # "When the app is closed, how do users find out?" is one question
    return [ws[a:b] for a, b in zip(starts, [*starts[1:], len(ws)])]


def _raw(ws: list[_Word]) -> str:
    return " ".join(w.raw for w in ws)


def _anaphoric(ws: list[_Word]) -> bool:
    """'Is that right?', 'does that sound OK?', 'right?': a question about what came before."""
    return bool(ws) and ws[0].raw in _ANAPHORIC_HEAD and all(w.raw in _ANAPHORIC_WORDS for w in ws)


def _tag_split(ws: list[_Word], seg: _Segment) -> bool:
    """'Users are global, right?': a statement with a confirmation tag at the end."""
    for i in range(len(ws) - 1, 0, -1):
        gap = seg.text[ws[i - 1].end - seg.start: ws[i].start - seg.start]
        if "," in gap or "-" in gap:
            return _anaphoric(ws[i:]) and not _starts_question(ws, _skip_openers(ws))
    return False


def _has(terms: list[tuple], ws: list[_Word]) -> bool:
    return bool(_positions(terms, ws))


# "What would you like me to go deeper on?", "Where should I focus next?": the candidate asks
# the interviewer to steer. An interviewer picks the next topic; it is not a choice to turn back.
_DIRECTION = re.compile(
    r"\b(?:what|where|which (?:part|area|piece|component|bit)s?)\b[^?]{0,40}?"
    r"\b(?:(?:want|like|prefer) me to|should i|shall i|do you want me to)\s+"
    r"(?:go (?:deeper|into more detail|next|further)|focus|dive|drill|zoom|expand|elaborate|spend|"
    r"dig|cover|talk about|go into|look at|start)"
    r"|\banything (?:specific|in particular|else) (?:you(?:'d| would)? (?:want|like) me to|i should) "
    r"(?:go|focus|dive|drill|expand|elaborate|dig|cover)"
    r"|\bwhere (?:to|should i|do you want me to) (?:go|focus|dig|dive) (?:next|from here|deeper)",
    re.IGNORECASE)


def _kind(ws: list[_Word], content: list[_Word], facts: list[str], sheet: FactSheet,
          confirm: bool) -> QuestionKind:
    raw = _raw(ws)
    if _DIRECTION.search(raw):
        return "direction"
    design = _has(sheet._design, content)
    quality = _has(sheet._qualities, content)
    if _RECOMMEND.search(raw) and not (_ASSUMPTION.search(raw) and facts and not design):
        return "judgement"
    if _CONSTRAINT.search(raw):
        return "clarifying"
    if design:
        return "judgement"
    if quality and not (_REQUIREMENT.search(raw) and not _EVALUATIVE.search(
            re.sub(_REQUIREMENT, "", raw))):
        return "judgement"
    if confirm and not facts:
        return "judgement"  # "does that make sense?" after a design statement
    return "clarifying"


_FILLERS = {"ok", "okay", "alright", "hmm", "right", "um", "uh", "ah", "oh"}


def _answers_itself(question: _Segment, following: _Segment | None) -> bool:
    """A question the candidate answers in the next sentence ("How many servers? About 20.",
    "How do we shard it? By conversation id.")."""
    if following is None or following.question:
        return False
    raw = _raw(question.ws)
    if _SELF_POSED.search(raw):
        return True
    if _ADDRESSED.search(raw):
        return False
    ws = following.ws
    i = 0
    while i < len(ws) - 1 and ws[i].raw in _FILLERS:
        i += 1
    return bool(_ANSWER_START.search(_raw(ws[i:])))


def _read(clause: list[_Word], seg: _Segment, previous: _Segment | None,
          context: list[_Word], sheet: FactSheet) -> tuple[QuestionKind, list[str]]:
    """Kind of one question (or clause) and the sheet entries it asks for.

    ``context`` (the words before the clause: the last statement and the sentence's earlier
    clauses) is read only when the clause alone asks for nothing ("How big can they get?").
    """
    body = clause[_skip_openers(clause):]
    content, own, confirm = clause, set(range(len(clause))), False
    if _anaphoric(body):
        confirm = True  # "Is that right?" asks about the sentence before it
        if previous is not None:
            content = previous.ws + clause
            own = set(range(len(content)))
    elif _tag_split(clause, seg):
        confirm = True
    matched = _match(sheet, content, own)
    if not matched and not confirm and context:
        joined = context + clause
        matched = _match(sheet, joined, set(range(len(context), len(joined))))
    if not matched and not confirm:
        matched = _nearest(sheet, clause)
    return _kind(clause, content, matched, sheet, confirm), matched


def read_questions(text: str, sheet: FactSheet) -> list[AskedQuestion]:
    """The questions in a candidate message, in order, each with its kind and fact ids.

    One question per interrogative sentence; a sentence whose clauses differ in kind ("how
    many users, and should I use Kafka?") gives one question per kind. A clarifying question
    asks for the union of what its clauses ask for.
    """
    segs = _segments(text)
    for seg in segs:
        seg.question = _is_question(seg, _raw(seg.ws))
    if sum(s.item for s in segs) > 1 and any(s.item and s.question for s in segs):
        for seg in segs:  # "1) How many uploads a day? 2) Average video length"
            seg.question = seg.question or seg.item
    fact_ids = {f.id for f in sheet.facts}
    out: list[AskedQuestion] = []
    for n, seg in enumerate(segs):
        if not seg.question:
            continue
        following = segs[n + 1] if n + 1 < len(segs) else None
        previous = next((s for s in reversed(segs[:n]) if not s.question), None)
        if _answers_itself(seg, following):
            out.append(AskedQuestion(text=seg.text, span=(seg.start, seg.end), kind="rhetorical"))
            continue
        parts: list[tuple[QuestionKind, list[str], list[_Word]]] = []
        context = list(previous.ws) if previous is not None else []
        for clause in _clauses(seg):
            kind, matched = _read(clause, seg, previous, context, sheet)
            context = context + clause
            if parts and parts[-1][0] == kind:
                kept = parts[-1][1] + [m for m in matched if m not in parts[-1][1]]
                parts[-1] = (kind, kept, parts[-1][2] + clause)
            else:
                parts.append((kind, matched, clause))
        for k, (kind, matched, clause) in enumerate(parts):
            start = seg.start if k == 0 else clause[0].start
            end = seg.end if k == len(parts) - 1 else clause[-1].end
            if kind != "clarifying":
                matched = []
            out.append(AskedQuestion(
                text=text[start:end], span=(start, end), kind=kind,
                fact_ids=[m for m in matched if m in fact_ids],
                unsettled=[m for m in matched if m not in fact_ids],
            ))
    return out
