"""The session scorecard: phases, dimensions, level call with its rule, and the report.

The transcripts are scripted here (not taken from the dev set): a strong candidate who walks
every phase with numbers and Node.js specifics, and a weak one who stops after the design.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from simulator.grading.scorecard import (
    Scorecard,
    build_scorecard,
    candidate_text_by_phase,
    scorecard_markdown,
)
from simulator.phases import PHASE_TITLES, PHASES
from simulator.store.sessions import SessionRecord, SessionStore
from simulator.transcript import InterviewState, Turn

STRONG = {
    "clarify": [
        (
            "Let me start with the requirements. Functional: create a short link for a long URL, "
            "with an optional custom alias and an expiry date, redirect GET /{code} to the target, "
            "and give owners click analytics; owners can also disable a link."
        ),
        (
            "Non-functional: it is read-heavy, about 100:1 redirects to creations, and I'll assume "
            "100M new links a month. Redirect p99 under 30 ms and 99.99% availability, because a "
            "dead link breaks every page that embeds it; a created mapping must be durable and never "
            "reassigned. The requirement that drives the design is analytics plus disabling: if "
            "owners need them we answer 302 and every click reaches us, otherwise 301 lets browsers "
            "absorb repeat clicks. Codes must not be guessable because some links point at private "
            "documents. Out of scope: the dashboard UI and billing. Does that sound reasonable?"
        ),
    ],
    "estimate": [
        (
            "Assumptions first: 100M links a month is about 3.3M a day, and 3.3M / 86,400 s is about "
            "40 writes per second, 120 at a 3x peak. Reads are 100x, so about 4,000 redirects per "
            "second on average and 12,000 per second at peak, which is the number the design must "
            "serve. Storage: about 6B links over five years x 500 B = 3 TB, "
            "so a single Postgres primary with replicas holds it. Base62 with 7 characters gives "
            "62^7, about 3.5 trillion codes, far more than 6 billion links."
        ),
        (
            "Node.js capacity: at about 0.5 ms of main-thread CPU per redirect one process serves "
            "about 2,000 requests per second, so 12,000 per second needs 6 cores; I'd run 12 "
            "processes to stay near 50% utilisation and survive losing a zone. Caching the hot 20% "
            "of links is about 10 GB of Redis. Cost is roughly $2k per month, dominated by Redis and "
            "the database; the most sensitive assumption is the read ratio, since 10x more reads "
            "would make the CDN mandatory."
        ),
    ],
    "design": [
        (
            "POST /links hits a stateless Node.js service behind the load balancer. Each process "
            "reserves a range of 10,000 ids from a Postgres sequence, runs them through a Feistel "
            "permutation and encodes them in base62, so codes never collide and are not sequential. "
            "The table is urls(code PK, long_url, owner_id, created_at, expires_at) with an index "
            "on owner_id, so a redirect is one primary-key read."
        ),
        (
            "GET /{code} checks a small in-process LRU capped at 10k entries, then Redis "
            "(cache-aside, 24 h TTL), then a read replica, and answers 302. Click events go to Kafka "
            "without awaiting the send and a consumer aggregates them per code per hour into "
            "ClickHouse, so analytics never sits on the redirect path. The handler does no "
            "synchronous work, so nothing blocks the event loop; URL validation uses new URL() "
            "instead of a large regex. At 10x traffic I'd put the CDN in front of the 302s and "
            "partition the table by code hash."
        ),
    ],
    "bottlenecks": [
        (
            "First to hurt is a viral link: one Redis key at 50k requests per second pins a single "
            "shard, so the in-process LRU with a 5 s TTL absorbs it and single-flight stops a "
            "stampede when it expires. Second, scanners requesting random codes bypass the cache, "
            "so we cache negatives for 60 s and rate limit misses per IP. If Redis goes down: 20 ms "
            "timeout, circuit breaker, fall back to replicas."
        ),
        (
            "On the Node tier I'd alert when event-loop delay p99 exceeds 50 ms or ELU passes 0.8, "
            "watch heap used and GC pauses because the LRU lives on the heap, and keep "
            "--max-old-space-size at 75% of the container. Any sync crypto or zlib would also use "
            "the libuv pool, which has only 4 threads by default, so we keep it off the hot path. "
            "Runbook: if p99 climbs while CPU is flat, check the pool and the Redis latency first."
        ),
    ],
    "trade-offs": [
        (
            "302 over 301: analytics and disabling are requirements, and the cost is that every "
            "click reaches us, about 12k per second at peak, which is cheap. I would switch to 301 "
            "only for links without analytics. Counter ranges over random codes: no collision "
            "checks, and the permutation hides the sequence; if privacy becomes critical I'd move to "
            "8 random characters and accept a retry on the unique constraint."
        ),
        (
            "Postgres over DynamoDB until about 10 TB or multi-region writes, because keying by code "
            "keeps the migration a straight copy. One Node process per container rather than the "
            "cluster module, because the orchestrator then restarts and scales them individually, "
            "at the cost of a little more memory per process. To summarise: the simple choices hold "
            "to 10x, and the flip points are written down."
        ),
    ],
}

WEAK = {
    "clarify": [
        "It should shorten URLs and redirect people. It needs to be fast and scalable.",
    ],
    "estimate": [
        "Lots of users, so lots of traffic, probably millions of requests. We need big servers.",
    ],
    "design": [
        (
            "We'd have a Node server with Express. It saves the URLs in a JavaScript Map in memory "
            "and looks them up when someone clicks. To scale we turn on cluster mode so it uses all "
            "the cores."
        ),
    ],
}


def script(answers: dict[str, list[str]]) -> list[Turn]:
    """Interviewer question, the candidate's answers, then `/next`, for each phase."""
    turns = []
    for phase, texts in answers.items():
        turns.append(Turn(role="interviewer", phase=phase, text="Over to you.", intent="question"))
        for text in texts:
            turns.append(Turn(role="candidate", phase=phase, text=text))
        turns.append(Turn(role="candidate", phase=phase, text="/next", flags=["command"]))
    return turns


@pytest.fixture(scope="module")
def strong(catalog, rubric) -> Scorecard:
    return build_scorecard((catalog["url-shortener"], script(STRONG)), rubric, catalog=catalog)


@pytest.fixture(scope="module")
def weak(catalog, rubric) -> Scorecard:
    return build_scorecard((catalog["url-shortener"], script(WEAK)), rubric, catalog=catalog)


LEVELS = ["no hire", "mid", "senior", "staff"]


def test_strong_candidate_gets_a_higher_level(strong, weak):
    assert LEVELS.index(strong.level.level) > LEVELS.index(weak.level.level)
    assert LEVELS.index(strong.level.level) >= LEVELS.index("senior")
    assert weak.level.level == "no hire"
    assert strong.overall > weak.overall


def test_level_reports_the_rule_that_produced_it(strong, weak, rubric):
    rules = {lv.level: lv.rule for lv in rubric.levels}
    assert strong.level.rule == rules[strong.level.level]
    assert weak.level.rule == "otherwise"
    # The rule really holds for the reported scores, and no higher rule does.
    phases = {p.phase: p.score for p in strong.phases}
    dims = {d.id: d.score for d in strong.dimensions}
    for level in rubric.levels:
        if level.level == strong.level.level:
            assert level.holds(phases, dims)
            break
        assert not level.holds(phases, dims)


def test_every_phase_is_scored_and_unreached_phases_score_1(strong, weak):
    assert [p.phase for p in strong.phases] == list(PHASES)
    assert all(p.reached and p.score >= 3 for p in strong.phases)
    unreached = {p.phase: p for p in weak.phases if not p.reached}
    assert set(unreached) == {"bottlenecks", "trade-offs"}
    for result in unreached.values():
        assert result.score == 1 and "not reached" in result.note


def test_dimensions_follow_the_transcript(strong, weak, rubric):
    assert [d.id for d in strong.dimensions] == [d.id for d in rubric.dimensions]
    s = {d.id: d.score for d in strong.dimensions}
    w = {d.id: d.score for d in weak.dimensions}
    assert s["nodejs-runtime"] >= 3 and w["nodejs-runtime"] <= 2
    assert s["communication"] >= 3 and w["communication"] <= 2
    assert all(s[k] >= w[k] for k in s)


def test_runtime_mistake_is_a_gap_with_a_quote(weak):
    design = next(p for p in weak.phases if p.phase == "design")
    assert "local-state" in design.grade.flags
    quotes = [g.quote for g in weak.gaps if g.phase == "design"]
    assert quotes and "Map in memory" in quotes[0]


def test_strengths_quote_the_transcript(strong):
    said = " ".join(t for texts in STRONG.values() for t in texts)
    assert strong.strengths
    for item in strong.strengths:
        assert item.quote and item.quote in said


def test_stronger_answer_and_missing_points(weak, rubric, catalog):
    clarify = next(p for p in weak.phases if p.phase == "clarify")
    assert clarify.stronger_answer == rubric.phases["clarify"].stronger_answer
    texts = {e.text for e in catalog["url-shortener"].expectations("clarify")}
    assert clarify.missing and set(clarify.missing) <= texts


def test_reading_list_targets_the_gaps(weak, strong, catalog):
    ids = [a.id for a in weak.reading]
    assert ids and len(ids) <= 6
    problem_articles = set(catalog["url-shortener"].articles)
    for article in weak.reading:
        assert article.id in problem_articles or article.id.startswith(
            ("nodejs-", "libuv-", "event-loop-")
        )
    assert any(a.id.startswith("nodejs-") for a in weak.reading)  # runtime was weak
    assert all("nodejs-runtime" not in a.why for a in strong.reading)


def test_commands_and_empty_turns_are_not_answers():
    turns = [
        Turn(role="candidate", phase="clarify", text="/hint", flags=["command"]),
        Turn(role="candidate", phase="clarify", text="", flags=["empty"]),
        Turn(role="candidate", phase="clarify", text="\x00\x01", flags=["binary"]),
        Turn(role="interviewer", phase="clarify", text="What should it do?"),
        Turn(role="candidate", phase="clarify", text="It shortens links."),
        Turn(role="candidate", phase="estimate", text="/next"),
    ]
    assert candidate_text_by_phase(turns) == {"clarify": "It shortens links."}


def test_markdown_report(strong, weak):
    md = scorecard_markdown(strong)
    assert md.startswith("# Scorecard: Design a URL shortener")
    assert f"Level call: **{strong.level.level}**" in md
    for heading in ("## Phase by phase", "## Dimensions"):
        assert heading in md
    for phase in PHASES:
        assert f"### {PHASE_TITLES[phase]}: " in md
    weak_md = scorecard_markdown(weak)
    assert "What was missing:" in weak_md and "A stronger answer:" in weak_md
    assert "Not reached" in weak_md and "## Read next" in weak_md
    assert "## Decisive moments" in weak_md and "## Drills" in weak_md


def _quotes(card: Scorecard) -> list[str]:
    quotes = [q.quote for p in card.phases for q in p.earned]
    quotes += [d.earned for d in card.dimension_notes if d.earned]
    return quotes + [m.quote for m in card.moments]


def test_the_card_reads_as_a_reviewer_writes_it(strong, weak, rubric, catalog):
    """No ids, raw grader strings or rule code in the text, and no quote shown twice."""
    ids = [d.id for d in rubric.dimensions]
    for card in (strong, weak):
        md = scorecard_markdown(card)
        assert "covers:" not in md and "staff depth:" not in md and "`" not in md
        assert card.level.rule not in md or card.level.rule == "otherwise"
        for ident in ids:
            assert f"{ident}:" not in md and f"({ident}" not in md
        quotes = [q.lower() for q in _quotes(card)]
        assert quotes and len(quotes) == len(set(quotes))
        assert all(len(q) <= 160 for q in quotes)
    # The strong card meets the top level and says so; the weak one says what the next level
    # up asks for, with names, not ids.
    assert strong.level.level == "staff" and "meets every condition" in strong.summary
    assert weak.level.level in ("no hire", "mid")
    assert " would need " in weak.summary and "average phase score at least" in weak.summary


def test_decisive_moments_point_at_candidate_turns(weak, catalog):
    turns = script(WEAK)
    # The requirements turn raised clarify; the in-memory Map under cluster lowered design.
    assert [(m.phase, m.effect) for m in weak.moments] == [("clarify", "raised"),
                                                            ("design", "lowered")]
    assert any(m.points < 0 for m in weak.moments)
    for m in weak.moments:
        turn = turns[m.turn_index]
        assert turn.role == "candidate" and turn.phase == m.phase
        assert m.quote.rstrip("…") in " ".join(turn.text.split())
        assert m.effect == ("raised" if m.points > 0 else "lowered")


def test_a_slip_is_a_moment_that_lowered_the_grade(catalog, rubric):
    """The turn that says a wrong figure is named once, as lowering the grade."""
    answers = {"estimate": [
        "Say 20 million users, half of them pay once a day, so 10 million payments a day.",
        "10 million divided by 86,400 is 1,160 payments per second.",
        "So 1,160 payments per second at average, and peak is higher.",
    ]}
    turns = script(answers)
    card = build_scorecard((catalog["payments"], turns), rubric, catalog=catalog)
    lowered = [m for m in card.moments if m.effect == "lowered"]
    assert len(lowered) == 1 and lowered[0].why.startswith("A concern:")
    assert "1,160" in turns[lowered[0].turn_index].text and lowered[0].turn_index == 2


def test_mistakes_are_named_where_they_were_said_and_never_quoted_as_strengths(catalog, rubric):
    """A slip said while clarifying and a wrong claim said while estimating are both on the
    card, each under its phase; the wrong claim is not the quote a dimension earned, and the
    sentence with the wrong figure earns the estimate no point."""
    answers = {
        "clarify": [("About 50M DAU, each posting twice a day. Writes are 100M posts a day, and "
                    "per second that's 100M over 3,600, about 28,000 posts a second.")],
        "estimate": [("We shard posts by hash(user_id) mod N across Postgres, and adding a node "
                     "only moves about 1/N of the keys.")],
    }
    card = build_scorecard((catalog["news-feed"], script(answers)), rubric, catalog=catalog)
    text = scorecard_markdown(card)
    clarify, estimate = (next(p for p in card.phases if p.phase == ph)
                         for ph in ("clarify", "estimate"))
    assert [c.text for c in clarify.grade.concerns] == ["28,000 posts a second"]
    assert "24.2x too high" in clarify.grade.concerns[0].why
    assert any("1/N of the keys" in c.text for c in estimate.grade.concerns)
    assert "misconception" in estimate.grade.flags
    mistakes = text.split("Mistakes:")
    assert len(mistakes) == 3 and "28,000 posts a second" in mistakes[1]
    assert "1/N of the keys" in mistakes[2]
    assert not any("1/N" in d.earned for d in card.dimension_notes)
    assert not any("3,600" in q.quote for p in card.phases for q in p.earned)


def test_three_drills_on_the_weakest_phases_with_the_problem_s_own_probes(weak, catalog):
    problem = catalog["url-shortener"]
    assert len(weak.drills) == 3
    scores = {p.phase: p.score for p in weak.phases}
    assert [scores[d.phase] for d in weak.drills] == sorted(scores[d.phase] for d in weak.drills)
    assert len({d.phase for d in weak.drills}) == 3
    for d in weak.drills:
        probe = next(p for p in problem.probes[d.phase] if p.id == d.probe_id)
        assert d.probe == probe.text and probe.when_missing


def test_json_round_trip_and_store(strong, tmp_path, catalog, rubric):
    data = json.loads(strong.model_dump_json())
    assert data["level"]["level"] == strong.level.level
    assert Scorecard.model_validate_json(strong.model_dump_json()) == strong

    now = datetime.now(UTC)
    state = InterviewState(problem_id="url-shortener", finished=True)
    record = SessionRecord(
        id="abc12345",
        problem_id="url-shortener",
        level="senior",
        minutes=45,
        seed=0,
        backend="offline",
        status="finished",
        created_at=now,
        updated_at=now,
        state=state,
        turns=script(STRONG),
    )
    from_record = build_scorecard(record, rubric, catalog=catalog)
    assert from_record.session_id == "abc12345"
    assert from_record.model_dump(exclude={"session_id"}) == strong.model_dump(
        exclude={"session_id"}
    )
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create("url-shortener", level="senior", minutes=45, seed=0, state=state)
        store.save_scorecard(sid, json.loads(from_record.model_dump_json()))
        assert store.get_scorecard(sid)["level"]["level"] == strong.level.level


def test_deterministic(catalog, rubric, strong):
    again = build_scorecard((catalog["url-shortener"], script(STRONG)), rubric, catalog=catalog)
    assert again == strong


def test_read_next_opens_at_the_section_that_speaks_to_the_gap(catalog):
    from simulator.content.prompt_set import corpus_files
    from simulator.grading.reading import best_heading, recommend

    text = "# T\n\n## History\n\nx\n\n## Idempotency keys for retries\n\ny\n\n## Costs\n\nz\n"
    assert best_heading(text, ["reliability-operations"]) == "Idempotency keys for retries"
    assert best_heading(text, ["cost-awareness"]) == "Costs"
    assert best_heading(text, ["communication"]) is None  # no section fits: open at the top
    files = corpus_files()
    picked = recommend(catalog["payments"], ["nodejs-runtime", "estimate"], files.values())
    assert picked and all(a.heading for a in picked)
    for article in picked:
        assert f"## {article.heading}" in files[f"{article.id}.md"].read_text(encoding="utf-8")


def test_a_point_made_in_another_phase_is_credited_and_said_where(catalog, rubric):
    """'301 vs 302' belongs to trade-offs; said during clarify, it is credited in trade-offs,
    shown with the candidate's words and where they were said, and not listed as missing."""
    said_early = {
        "clarify": [
            ("Redirects are read-heavy, about 100:1. Owners want click analytics, so we answer "
            "302 rather than 301: a permanent redirect is cached by browsers and later clicks "
            "would never reach us. Out of scope: the dashboard UI.")
        ],
        "trade-offs": [
            ("Postgres with replicas over DynamoDB at 3 TB and 120 writes per second, because "
            "one primary is enough and the team knows it; I'd switch past 10x writes.")
        ],
    }
    said_nowhere = {
        "clarify": ["Redirects are read-heavy, about 100:1. Out of scope: the dashboard UI."],
        "trade-offs": said_early["trade-offs"],
    }
    problem = catalog["url-shortener"]
    point = problem.expectations("trade-offs")[0]
    assert point.id == "301-vs-302"
    early = build_scorecard((problem, script(said_early)), rubric, catalog=catalog)
    never = build_scorecard((problem, script(said_nowhere)), rubric, catalog=catalog)
    tradeoffs = {r.phase: r for r in early.phases}["trade-offs"]
    assert point.text in {r.phase: r for r in never.phases}["trade-offs"].missing
    assert point.text not in tradeoffs.missing
    credited = tradeoffs.grade.elsewhere
    assert [(c.point, c.phase) for c in credited] == [(point.text, "clarify")]
    assert "302 rather than 301" in credited[0].quote
    assert tradeoffs.grade.features["coverage"] > \
        {r.phase: r for r in never.phases}["trade-offs"].grade.features["coverage"]
    shown = [q for q in tradeoffs.earned if "said during" in q.point]
    assert shown and "Clarify" in shown[0].point and "302" in shown[0].quote
    # a question is never evidence, in its own phase or elsewhere
    asked = {"clarify": ["Should we answer 302 rather than 301 so clicks reach us?"],
             "trade-offs": said_early["trade-offs"]}
    card = build_scorecard((problem, script(asked)), rubric, catalog=catalog)
    assert point.text in {r.phase: r for r in card.phases}["trade-offs"].missing
