"""Split a candidate's message into sentences and clauses, keeping character offsets.

A clause is the unit that carries one piece of "who does what where": "the handler resizes the
photo synchronously" and "then publishes an event to Kafka" are two clauses, so a queue named in
the second says nothing about where the resize in the first runs. The split is shallow on
purpose (punctuation and a few connectives); readers of a clause look back at its neighbours
for a subject or a place it leaves out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

# Sentence ends: ., ! or ? followed by space and something that can start a sentence; a line
# break always ends one. Abbreviations and dotted names ("e.g.", "Node.js") are not ends.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[`@/~-])|\n+")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|vs|etc|approx|ca|cf|incl|resp|min|max|avg|no)\.$", _I)

# Clause boundaries inside a sentence. The captured connective becomes the clause's `lead`.
_CLAUSE_BREAK = re.compile(
    r"\s*(?:;|:(?=\s)|\s[—–]\s|\s--?\s|—)\s*"
    r"|,\s*(?!\d)(?P<lead>and then|and|then|but|so that|so|which|while|whereas|because|since|"
    r"though|although|instead of|rather than|instead|otherwise|plus|or)?\b\s*"
    r"|\s+(?P<bare>and then|then|but|so that|so|which|whereas|while|because|since|although|"
    r"instead of|rather than|and|plus)\s+",
    _I,
)


_AUXILIARY_BEFORE = re.compile(r"\b(?:are|is|was|were|be|been|get|gets|got)$", _I)

# A list item's marker: "2) Parsing inline", "1. Gateway memory", "(b) ...", "Second: ...".
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,2}|[a-h])[.)]\s+", _I)
_ENUMERATOR_BEFORE = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s*$")
_ORDINAL = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|fifth|next|finally|lastly|last|"
    r"after that)\b",
    _I,
)
# Stages joined by arrows: "S3 event -> SQS -> splitter -> encode jobs".
_ARROW = re.compile(
    # not a JavaScript arrow function: "(req, res) => {" is a handler, not a chain of stages
    r"(?<!\))\s(?:-+>|=>|\u2192|\u27f6)\s?(?!\s*\{)|"
    r"(?<![)\s])\s?(?:-+>|=>|\u2192|\u27f6)\s(?!\s*\{)"
)


@dataclass(frozen=True)
class Clause:
    """One clause: its text, where it sits in the message, and the connective before it."""

    text: str
    start: int
    end: int
    sentence: int
    position: int
    lead: str
    question: bool
    # The clause only names a topic before a colon ("Event loop:", "Transcode:", "Dedupe by hash:").
    heading: bool = False
    # The clause opens an item of a numbered or ordinal list ("2) Parsing inline", "Second, ...").
    item: bool = False
    # The clause is a chain of stages joined by arrows ("fetchers -> parser pool -> dedupe").
    pipeline: bool = False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if "\n" not in m.group(0) and _ABBREVIATION.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in spans) if b > a]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\r\n-*•":
        a += 1
    while b > a and text[b - 1] in " \t\r\n":
        b -= 1
    return a, b


def clauses(text: str) -> list[Clause]:
    """Every clause of ``text`` in order, each with offsets into ``text``."""
    out: list[Clause] = []
    for s_index, (s_start, s_end) in enumerate(sentence_spans(text)):
        sentence = text[s_start:s_end]
        question = sentence.rstrip().endswith("?")
        # "I'd load the whole table at boot -- it's only, what, sixty gigs?": the question is
        # the part after the last dash or semicolon, not the proposal before it
        asked_from = s_start
        if question and (breaks := list(re.finditer(r"\s[\u2014\u2013]\s|\s--\s|;", sentence))):
            asked_from = s_start + breaks[-1].end()
        cut = s_start
        lead = ""
        pieces: list[tuple[int, int, str]] = []
        for m in _CLAUSE_BREAK.finditer(sentence):
            if _lead(m) == "then" and _AUXILIARY_BEFORE.search(sentence[: m.start()]):
                continue  # "are then handled by": one clause
            a, b = s_start + m.start(), s_start + m.end()
            if a <= cut:
                lead = _lead(m) or lead
                cut = max(cut, b)
                continue
            pieces.append((cut, a, lead))
            lead = _lead(m) or (";" if ";" in m.group(0) else ":" if ":" in m.group(0) else ",")
            cut = b
        pieces.append((cut, s_end, lead))
        kept = [p for p in pieces if p[1] > p[0]]
        bare_marker = False  # "First," or "Second:" alone: the item's head is the next clause
        for position, (a, b, lead) in enumerate(kept):
            a, b = _trim(text, a, b)
            chunk = text[a:b].rstrip(".!?")
            if chunk.strip():
                colon_after = position + 1 < len(kept) and _colon_between(
                    text, b, kept[position + 1][0]
                )
                heading = position == 0 and colon_after and _is_heading(chunk)
                item = False
                if position == 0:
                    item = bool(
                        _ENUMERATOR.match(chunk)
                        or _ENUMERATOR_BEFORE.search(text[max(0, a - 6) : a])
                        or _ORDINAL.match(chunk)
                    )
                    bare_marker = (
                        item
                        and len(_ENUMERATOR.sub("", chunk).split()) <= 3
                        and (bool(_ORDINAL.match(chunk)) or not _ENUMERATOR.sub("", chunk).strip())
                    )
                elif position == 1:
                    item = bare_marker
                out.append(
                    Clause(
                        chunk,
                        a,
                        a + len(chunk),
                        s_index,
                        position,
                        lead.lower(),
                        question and a >= asked_from,
                        heading,
                        item,
                        bool(_ARROW.search(chunk)),
                    )
                )
    return out


_HEADING_WORDS = 6
_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|do|does|did|will|would|should|can|could|has|have|had|"
    r"i|we|you|they|it|he|she)\b|\b\w+(?:s|ed)\s+(?:the|a|an|it|them|each|every|all)\b",
    _I,
)


def _colon_between(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return ":" in gap and ";" not in gap


def _is_heading(chunk: str) -> bool:
    """A short label before a colon: "Event loop", "2) Parsing inline", "Dedupe by hash"."""
    words = _ENUMERATOR.sub("", chunk).split()
    return 0 < len(words) <= _HEADING_WORDS and not _FINITE_VERB.search(chunk)


def _lead(m: re.Match[str]) -> str:
    return (m.group("lead") or m.group("bare") or "").lower()
