"""Dimension scores: the problem's own points first, general cues in any word form, and
filler that costs communication."""

from __future__ import annotations

from test_scorecard import script

from simulator.grading.dimensions import _cue_evidence, score_dimensions
from simulator.grading.offline import grade_answer
from simulator.grading.scorecard import build_scorecard
from simulator.reading.answer import read_answer


def _dim(card, dim_id):
    return {d.id: d for d in card.dimensions}[dim_id]


def test_cue_terms_match_any_word_form(rubric):
    security = rubric.dimension("security")
    for said in ("The gateway authenticates every call.",
                 "Every call is authenticated at the gateway.",
                 "Authentication happens at the gateway."):
        credit, quotes = _cue_evidence(security, read_answer(said))
        assert credit > 0 and quotes == [said], said
    credit, _ = _cue_evidence(security, read_answer("Uploads go straight to storage with signed CDN URLs."))
    assert credit > 0
    # the same evidence counts once: a cue and a term on the same words, or two forms of a term
    once, _ = _cue_evidence(security, read_answer("We authenticate requests."))
    twice, _ = _cue_evidence(security, read_answer("We authenticate requests; authentication is cheap."))
    assert once == twice
    assert _cue_evidence(security, read_answer("The post's author sees the likes."))[0] == 0


def test_filler_costs_communication_a_level(catalog, rubric):
    problem = catalog["url-shortener"]
    plain = ("Let me start with the requirements. I'll assume 100M new links a month, "
             "read-heavy at 100:1. To recap: redirects must be fast and durable. Out of scope: "
             "the dashboard UI. Does that sound reasonable?")
    padded = ("Let me start with the requirements, basically. I think, to be honest, I'll kind "
              "of assume 100M new links a month, you know, read-heavy at 100:1, I mean. To recap, "
              "honestly: redirects must be super fast and durable, at the end of the day. Out of "
              "scope, obviously: the dashboard UI, I guess. Does that sound reasonable?")
    scores = {}
    for name, text in (("plain", plain), ("padded", padded)):
        grades = {"clarify": grade_answer(problem, "clarify", text, rubric, catalog)}
        dims = {d.id: d for d in score_dimensions(rubric, text, grades, ["clarify"], problem)}
        scores[name] = dims["communication"]
    assert scores["padded"].score < scores["plain"].score
    assert any("filler" in r for r in scores["padded"].reasons)


def test_problem_points_are_dimension_evidence_with_the_candidate_s_words(catalog, rubric):
    """The Node.js points of the problem, made in the design, count for the runtime dimension
    and are quoted; the same answers with the points left out score lower."""
    problem = catalog["url-shortener"]
    with_points = {
        "design": [("The redirect handler does one Redis GET and no synchronous work, so the "
                   "event loop stays free; at about 0.5 ms of CPU per redirect one process "
                   "serves 2,000 requests per second, so 12K/s needs 6 cores and I run one "
                   "process per core with the cluster module, each capping its in-process LRU "
                   "at 50 MB so the V8 heap and GC pauses stay small.")],
    }
    without = {"design": [("The redirect handler reads the mapping from Redis and falls back "
                          "to Postgres, behind a load balancer with several instances.")]}
    strong = build_scorecard((problem, script(with_points)), rubric, catalog=catalog)
    weak = build_scorecard((problem, script(without)), rubric, catalog=catalog)
    runtime = _dim(strong, "nodejs-runtime")
    assert runtime.score > _dim(weak, "nodejs-runtime").score
    assert any("points of this problem" in r and not r.startswith("0 ") for r in runtime.reasons)
    assert runtime.quotes and runtime.quotes[0] in with_points["design"][0]


STAFF_UPLOADS = {
    "clarify": [
        ("Users upload photos from phones and view them in feeds; private images stay private "
        "and owners can delete theirs. Uploads must survive flaky mobile networks, so they are "
        "resumable in parts. Files are checked for malware and we strip EXIF metadata, because "
        "GPS coordinates leak where people live. Thumbnails within 5 seconds for most images."),
    ],
    "design": [
        ("The Node.js API authenticates the user, checks quota, type and size, inserts a pending "
        "row and returns presigned URLs for a multipart upload straight to a private bucket, so "
        "no image bytes pass through Node. A storage event puts a job on SQS; workers sniff the "
        "real type from magic bytes and scan with ClamAV before resizing. Variants are served "
        "through the CDN with signed CDN URLs for private images."),
    ],
    "bottlenecks": [
        ("A decompression bomb is tiny on disk but gigabytes decoded, so workers cap pixels "
        "before decoding. Abandoned uploads leave orphans: a sweeper job deletes pending rows "
        "and parts older than 24 hours, because otherwise storage cost grows every day. Retries "
        "are idempotent because keys are deterministic; after 3 attempts a job goes to a "
        "dead-letter queue and we alert on the queue's oldest message age."),
    ],
}


def test_a_staff_answer_s_security_and_reliability_points_are_seen(catalog, rubric):
    """Signed URLs, EXIF stripping, malware scans, resumable uploads and cleanup sweepers are
    the problem's own security and reliability points: a candidate who makes them scores at
    least 3 on both, with their own words quoted (it scored 1 on both when only generic
    regexes were read)."""
    card = build_scorecard((catalog["image-upload"], script(STAFF_UPLOADS)), rubric,
                           catalog=catalog)
    said = " ".join(t for texts in STAFF_UPLOADS.values() for t in texts)
    for dim in ("security", "reliability-operations"):
        score = _dim(card, dim)
        assert score.score >= 3, (dim, score.reasons)
        assert score.quotes and all(q in said for q in score.quotes[:2])
