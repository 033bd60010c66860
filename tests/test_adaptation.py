"""The answers to the curveball and the 10x stretch, graded on their own from the shared reading.

The grades on the labelled set (tune and held-out) are checked by the `adaptation` eval suite;
here: the grader's rules on clear cases, and the scorecard finding the curveball and the
stretch in a real interview and grading what the candidate said after each.
"""

from __future__ import annotations

from simulator.content.loader import load_content
from simulator.grading.adaptation import grade_adaptation
from simulator.grading.scorecard import build_scorecard
from simulator.interview.engine import Interviewer
from simulator.reading.turn import read_turn
from simulator.transcript import InterviewState, Turn

CONTENT = load_content()
CLIP = CONTENT.modifiers.for_problem("image-upload")[0]
QUESTION = CONTENT.interviewer.curveball.format(detail=CLIP.detail)

CONCRETE = (
    "The photo path stays the same. For clips, the app asks the API for a presigned multipart "
    "URL and uploads the 100 MB straight to S3 in 5 MB parts, so nothing streams through Node. "
    "An S3 event puts a job on SQS, and a separate transcoding fleet of ffmpeg workers pulls it, "
    "so the API's event loop never sees the CPU work. At 2M clips a day that is about 23 a "
    "second on average, 70 at peak, and each takes around 30 s of CPU, so roughly 2,000 cores "
    "at peak; the trade-off is a delay of a minute before a clip is visible."
)
GENERIC = ("We would scale horizontally and add more servers, maybe with Kubernetes and "
           "microservices, following best practices so it is scalable.")
IGNORES = "I'd put a Redis cache in front of the feed so profiles load quickly for everyone."


def grade(text: str) -> int:
    vocabulary = CONTENT.vocabulary("image-upload")
    reading = read_turn(text, vocabulary)
    return grade_adaptation("curveball", QUESTION, [reading], CLIP, vocabulary.topic).score


def test_concrete_beats_generic_beats_ignoring_the_change():
    assert grade(CONCRETE) == 4
    assert grade(GENERIC) == 2
    assert grade(IGNORES) == 1
    assert grade("I don't know.") == 1


def test_a_wrong_claim_costs_a_grade():
    wrong = CONCRETE.replace(
        "so the API's event loop never sees the CPU work",
        "and worker_threads run on the libuv thread pool so the loop is never blocked")
    assert grade(wrong) < grade(CONCRETE)


def test_the_scorecard_grades_the_curveball_and_the_stretch_from_the_interview():
    engine = Interviewer(CONTENT, InterviewState(problem_id="image-upload", seed=0, minutes=30),
                         max_input_tokens=400)
    turns: list[Turn] = [engine.opening(start_phase="design")]
    answers = [
        "Phones upload straight to S3 with a presigned URL and the CDN serves the images.",
        "A Node.js upload API behind the load balancer writes metadata rows to Postgres.",
        "Resizing runs in a separate worker fleet fed by an SQS queue, never in the API.",
        "Feeds read image URLs from Postgres through a Redis cache keyed by post id.",
    ]
    kinds = []
    for i in range(26):
        last = turns[-1]
        if (last.probe or "").startswith("curveball"):
            text, kinds = CONCRETE, [*kinds, "curveball"]
        elif "ten times" in last.text and "stretch" not in kinds:
            text, kinds = GENERIC, [*kinds, "stretch"]
        else:
            text = answers[i % len(answers)] + f" ({i})"
        reply = engine.respond(text, 420 + 55 * i)
        turns += [reply.candidate, reply.interviewer]
        if engine.state.finished:
            break
    assert kinds == ["curveball", "stretch"], [t.probe for t in turns]
    card = build_scorecard((CONTENT.problem("image-upload"), turns), CONTENT.rubric,
                           catalog=CONTENT.catalog, content=CONTENT)
    assert [(a.kind, a.score) for a in card.adaptation] == [("curveball", 4), ("stretch", 2)]
    assert card.adaptation[0].quote.startswith("The photo path stays the same")
