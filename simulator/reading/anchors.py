"""Literal anchors of a regex: strings one of which every match must contain.

Readers test hundreds of case-insensitive cue patterns against each message, and almost all
of them fail. Asking first whether the message contains any of a pattern's anchors (a plain
substring test on the case-folded text) skips the regex engine for those, without changing
a single result: a pattern is only skipped when no match is possible.

The anchors come from the pattern's own parse tree (the standard library's `re._parser`),
so they stay right when a cue is edited; a pattern whose parse we do not understand gets no
anchors and is always run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

#: Shortest anchor worth testing; shorter ones filter almost nothing.
MIN_ANCHOR = 2

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_Anchors = frozenset[str]


def _best(candidates: list[_Anchors]) -> _Anchors | None:
    """The most selective choice: the longest shortest anchor, then the fewest anchors."""
    usable = [c for c in candidates if c and all(len(a) >= MIN_ANCHOR for a in c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(a) for a in c), -len(c)))


def _sequence(items: list) -> _Anchors | None:
    """Anchors of a concatenation: each element that must match offers its own; a run of
    literal characters is one anchor (zero-width assertions such as \\b do not break it)."""
    candidates: list[_Anchors] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            char = chr(av)
            if not char.isascii():
                flush()  # case folding of non-ASCII characters is not ours to predict
                continue
            run.append(char.casefold())
            continue
        if op is sre.AT:
            continue
        flush()
        if op is sre.SUBPATTERN:
            found = _sequence(list(av[-1]))
        elif op is sre.BRANCH:
            branches = [_sequence(list(b)) for b in av[1]]
            found = frozenset().union(*branches) if all(branches) else None
        elif op in _REPEATS and av[0] >= 1:
            found = _sequence(list(av[2]))
        else:
            found = None
        if found:
            candidates.append(found)
    flush()
    return _best(candidates)


def anchors(pattern: str | re.Pattern[str]) -> tuple[str, ...] | None:
    """Case-folded strings one of which occurs in any text `pattern` matches, or None when
    there are none we can be sure of (then the pattern must always be run)."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    if not isinstance(source, str):
        return None
    try:
        found = _sequence(list(sre_parse.parse(source)))
    except (re.error, TypeError, ValueError, IndexError):
        return None
    return tuple(sorted(found)) if found else None


@lru_cache(maxsize=256)
def folded(text: str) -> str:
    """`text` case-folded, remembered for the few texts being read right now (one message is
    tested against hundreds of patterns)."""
    return text.casefold()


#: Every anchor of every AnchoredPattern made so far: a reader that tests many patterns against
#: one text finds which of these occur once (`present`), then asks each pattern by set.
KNOWN: set[str] = set()


class AnchorSet:
    """Many anchors, to find at once which of them occur in a case-folded text.

    Testing every anchor with a substring search costs one scan of the text per anchor; most
    anchors are absent, and a set of the text's trigrams rules those out with one lookup
    each, so only anchors whose first three letters occur are searched for.
    """

    def __init__(self, anchors: Iterable[str]) -> None:
        every = set(anchors)
        self.size = len(every)
        self.short = tuple(sorted(a for a in every if len(a) < 3))
        self.three = frozenset(a for a in every if len(a) == 3)
        by_prefix: dict[str, list[str]] = {}
        for a in sorted(every):
            if len(a) > 3:
                by_prefix.setdefault(a[:4], []).append(a)
        self.by_prefix = {k: tuple(v) for k, v in by_prefix.items()}

    def present(self, fold: str) -> set[str]:
        """The anchors that occur in ``fold`` (already case-folded)."""
        out = {a for a in self.short if a in fold}
        n = len(fold)
        out.update(self.three.intersection({fold[i : i + 3] for i in range(n - 2)}))
        for prefix in self.by_prefix.keys() & {fold[i : i + 4] for i in range(n - 3)}:
            out.update(a for a in self.by_prefix[prefix] if a in fold)
        return out


_KNOWN_SET = AnchorSet(())


def present(text: str) -> frozenset[str]:
    """The known anchors that occur in ``text`` (case-folded)."""
    global _KNOWN_SET
    if _KNOWN_SET.size != len(KNOWN):
        _KNOWN_SET = AnchorSet(KNOWN)
    return frozenset(_KNOWN_SET.present(folded(text)))


class AnchoredPattern:
    """A compiled pattern that skips texts holding none of its anchors.

    Behaves like the `re.Pattern` it wraps for `search`, `finditer` and `pattern`; results are
    identical, only misses are faster.
    """

    __slots__ = ("anchors", "pattern", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.anchors = anchors(regex)
        if self.anchors:
            KNOWN.update(self.anchors)

    def possible(self, text: str) -> bool:
        """False only when no match is possible in `text`."""
        if self.anchors is None:
            return True
        fold = folded(text)
        return any(a in fold for a in self.anchors)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.possible(text):
            return None
        return self.regex.search(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str):
        if not self.possible(text):
            return iter(())
        return self.regex.finditer(text)


def compile_anchored(source: str, flags: int = re.IGNORECASE) -> AnchoredPattern:
    """`re.compile(source, flags)` behind its anchors."""
    return AnchoredPattern(re.compile(source, flags))
