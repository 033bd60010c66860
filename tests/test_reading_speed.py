"""The speed-ups of the reader change no result: each fast form agrees with the plain one."""

from __future__ import annotations

import re

import pytest

from simulator.reading import claims
from simulator.reading.quantities import find_slips, read_quantities

SENTENCES = [
    "People say worker threads come from the libuv pool, but that's a myth.",
    "I'm not sure whether the cache is shared across instances.",
    "We don't know if the queue retries, so we have to check the docs.",
    "You'd think Redis is strongly consistent; it isn't true for replicas.",
    "The handler resizes the image and then it's stored in S3, which doesn't block.",
    "Is it true that Node runs JavaScript on one thread? I wonder.",
    "CAP says we pick two; the TTL expired and we retried, they've gone.",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_yes_no_cues_agree_with_the_plain_alternation(text: str) -> None:
    plain_doubt = re.compile("|".join(claims._DOUBT_CUES), re.IGNORECASE)
    assert bool(claims._DOUBT.search(text)) == bool(plain_doubt.search(text))
    for start in range(len(text)):
        assert bool(claims._DOUBT.search(text[start:])) == bool(plain_doubt.search(text[start:]))


@pytest.mark.parametrize("text", SENTENCES)
def test_verbs_found_where_the_plain_pattern_finds_them(text: str) -> None:
    plain = re.compile(
        r"\b(?:is|are|was|were|be|been|am|do|does|did|done|has|have|had|can|could|will|would|"
        r"shall|should|may|might|must|cannot|\w+n't|cant|wont|dont|doesnt|isnt|arent)\b"
        r"|'(?:s|re|m|ve|ll|d)\b|\b\w{3,}ed\b"
        r"|\b(?:" + "|".join(claims._STEMS) + r")(?:s|es|ed|d)?\b", re.IGNORECASE)
    assert ([m.span() for m in claims._VERB.finditer(text)]
            == [m.span() for m in plain.finditer(text)])


def test_slips_from_quantities_already_read_leave_them_unchanged() -> None:
    text = ("100M new links a month is about 3.3M a day, so roughly 40K writes per second; "
            "reads are 100x that, 4K/s.")
    quantities = read_quantities(text)
    before = list(quantities)
    assert find_slips(text, None, quantities) == find_slips(text)
    assert quantities == before
