"""The event-loop probe detector against the labelled eval set, alone and in the engine."""

from __future__ import annotations

import json

import pytest

from simulator.content.loader import load_content
from simulator.evals.suite import DATASETS_DIR
from simulator.interview.engine import Interviewer
from simulator.reading.event_loop import runtime_findings
from simulator.transcript import InterviewState


def find_blocking_work(text: str) -> list:
    """Runtime findings the interviewer probes (the shared reader, as the engine sees it)."""
    return runtime_findings(text)


CASES = [json.loads(line) for line in
         (DATASETS_DIR / "probes.jsonl").read_text().splitlines() if line.strip()]


def _precision_recall(predicted: dict[str, bool]) -> tuple[float, float]:
    tp = sum(1 for c in CASES if c["should_probe"] and predicted[c["id"]])
    fp = sum(1 for c in CASES if not c["should_probe"] and predicted[c["id"]])
    fn = sum(1 for c in CASES if c["should_probe"] and not predicted[c["id"]])
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def test_the_labelled_set_is_big_and_balanced_enough():
    assert len(CASES) >= 40
    positives = sum(c["should_probe"] for c in CASES)
    assert positives >= 15 and len(CASES) - positives >= 15
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_detector_precision_and_recall_at_least_0_9():
    predicted = {c["id"]: bool(find_blocking_work(c["text"])) for c in CASES}
    precision, recall = _precision_recall(predicted)
    wrong = [c["id"] for c in CASES if predicted[c["id"]] != c["should_probe"]]
    assert precision >= 0.9 and recall >= 0.9, (precision, recall, wrong)


def test_the_engine_asks_an_event_loop_probe_next_exactly_when_labelled():
    predicted = {}
    content = load_content()
    for case in CASES:
        state = InterviewState(problem_id=case["problem"], seed=1)
        engine = Interviewer(content, state)
        engine.opening(start_phase=case["phase"])
        turn = engine.respond(case["text"], 60).interviewer
        # event-loop-runtime is the separate "runtime never came up" rule, not a finding.
        probe = turn.probe or ""
        predicted[case["id"]] = turn.intent == "probe" and probe.startswith("event-loop-") \
            and probe != "event-loop-runtime"
        if predicted[case["id"]]:
            # The probe quotes the candidate's own words and asks about the runtime.
            finding = find_blocking_work(case["text"])[0]
            assert finding.quote[:40] in turn.text
            assert any(w in turn.text for w in ("event loop", "thread", "request", "pool"))
    precision, recall = _precision_recall(predicted)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


@pytest.mark.parametrize("text", [
    "Login calls bcrypt.hashSync with cost 12 inside the route handler.",
    "The report endpoint builds the PDF with pdfkit and streams it back.",
    "For search we run the user's regex over the whole 200 MB log blob in the handler.",
    "The recommendation endpoint loads a TensorFlow.js model and runs inference for each request.",
    "We gunzipSync the uploaded archive before saving it.",
    ("The upload route receives the file and resizes it with sharp synchronously in the request "
     "handler before returning, then writes it to S3."),
])
def test_held_out_blocking_designs_are_found(text):
    assert find_blocking_work(text)


@pytest.mark.parametrize("text", [
    "Thumbnails are produced by a separate image service that consumes the upload queue.",
    "We encrypt at rest with KMS; nothing CPU heavy happens in the API process.",
    "The handler returns a small JSON object of a few fields.",
    "Video transcoding happens in worker processes pulling from SQS, never in the API.",
    "Password hashing uses the async bcrypt API, which runs on the libuv pool.",
])
def test_held_out_offloaded_designs_are_not_flagged(text):
    assert not find_blocking_work(text)
