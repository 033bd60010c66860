"""Literal anchors let readers skip a cue pattern that cannot match, without changing results."""

from __future__ import annotations

import json
import re

import pytest

from simulator.content.loader import load_content
from simulator.evals.suite import DATASETS_DIR
from simulator.reading.anchors import anchors, compile_anchored


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\bhot partitions?\b", ("hot partition",)),
    (r"\b(kafka|sqs|rabbit ?mq)\b", ("kafka", "rabbit", "sqs")),
    (r"\bworker[_ ]threads?\b", ("worker",)),
    (r"\b(Redis)\b", ("redis",)),
    (r"\d+ ?ms", ("ms",)),
])
def test_anchors_come_from_the_pattern_parse(pattern, expected):
    assert anchors(pattern) == expected


@pytest.mark.parametrize("pattern", [r"\b\w+\b", r"(a|\d+)", r"[abc]+x?", r"\bp9[059]\b"])
def test_a_pattern_without_a_sure_literal_has_no_anchors(pattern):
    found = anchors(pattern)
    assert found is None or all(a in "p9" for a in found)


def _texts() -> list[str]:
    out = []
    for path in sorted(DATASETS_DIR.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                out += [row[k] for k in ("answer", "text", "design") if isinstance(row.get(k), str)]
    return out


def test_anchored_cues_find_exactly_what_the_plain_regexes_find_on_every_dataset_text():
    content = load_content()
    cues = sorted({c for p in content.catalog.values()
                   for e in p.all_expectations().values() for c in e.cues})
    texts = _texts()[::5]  # every fifth text: a fifth of the time, the same kinds of text
    assert len(cues) > 500 and len(texts) > 300
    skipped = 0
    for cue in cues:
        plain, anchored = re.compile(cue, re.IGNORECASE), compile_anchored(cue)
        for text in texts:
            want = plain.search(text)
            got = anchored.search(text)
            assert (want and want.span()) == (got and got.span()), (cue, text[:80])
            skipped += not anchored.possible(text)
    # the point of anchors: most (cue, text) pairs never reach the regex engine
    assert skipped > 0.8 * len(cues) * len(texts)


def test_case_folding_matches_the_regex_ignorecase_rules():
    anchored = compile_anchored(r"\bkafka consumers?\b")
    assert anchored.search("KAFKA Consumer lag")
    assert anchored.search("the Kafka consumers") is not None
    assert anchored.search("a queue consumer") is None
