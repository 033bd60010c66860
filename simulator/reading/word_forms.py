"""Word forms: phrases compared by their stems, so the form a candidate uses does not matter.

A dimension cue written as "authenticate" must also see "authenticates", "authenticated" and
"authentication"; "signed URL" must see "signed URLs". Regexes that spell out every form miss
the one nobody thought of, so general cues are plain phrases matched stem by stem with the
Snowball English stemmer (the `snowballstemmer` package: no data files, nothing downloaded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


@dataclass(frozen=True)
class Token:
    stem: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` as stems with their character offsets."""
    return [Token(stem(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Phrase:
    """A cue phrase: its words as stems, matched as a run of consecutive words."""

    text: str
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Phrase:
        found = tuple(t.stem for t in tokens(text))
        if not found:
            raise ValueError(f"cue phrase {text!r} has no words")
        return cls(text, found)

    def find(self, words: list[Token]) -> tuple[int, int] | None:
        """Character span of the first run of ``words`` that says this phrase, or None."""
        n = len(self.stems)
        first = self.stems[0]
        for i in range(len(words) - n + 1):
            if words[i].stem == first and all(
                    words[i + k].stem == self.stems[k] for k in range(1, n)):
                return words[i].start, words[i + n - 1].end
        return None


# Words that carry no point on their own: function words, pronouns, auxiliaries. A point is
# recognised by what is left ("consistency beats availability" -> consist, beat, avail).
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "it's", "this", "that", "these", "those", "there", "here", "we", "i", "you", "they", "he", "she", "our", "my", "your", "their", "them", "us", "me", "do", "does", "did", "doing", "done", "have", "has", "had", "having", "will", "would", "should", "could", "can", "may", "might", "must", "shall", "not", "no", "nor", "so", "than", "too", "very", "just", "also", "only", "into", "onto", "over", "under", "up", "down", "out", "off", "about", "after", "before", "again", "further", "once", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "own", "same", "what", "which", "who", "whom", "when", "where", "why", "how", "one", "per", "via", "vs", "e", "g", "ie", "eg", "s", "t", "don't", "let", "let's", "we'd", "we'll", "i'd", "i'll", "i'm", "we're", "that's", "isn't", "aren't", "doesn't", "won't", "can't", "say", "said", "like", "get", "gets", "got", "make", "makes", "made", "use", "used", "using", "way", "thing", "things"])


def content_stems(text: str) -> frozenset[str]:
    """The stems of ``text``'s content words (no stopwords, no bare numbers)."""
    return frozenset(t.stem for t in tokens(text)
                     if t.stem not in STOPWORDS and not t.stem.isdigit()
                     and text[t.start:t.end].lower() not in STOPWORDS)
