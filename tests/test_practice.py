"""The practice loop on a real SQLite store: drills at a phase, the change against the previous
attempt, and the spaced-review plan of the two weakest dimensions."""

from __future__ import annotations

import json
from datetime import timedelta

from simulator.grading.practice import REVIEW_DAYS, compare, drill_phase, plan, previous_attempt
from simulator.grading.service import Grader
from simulator.interview.session import InterviewSession
from simulator.store.sessions import SessionStore

WEAK_DESIGN = "We use a server and a database."
BETTER_DESIGN = (
    "Clients connect over WebSockets to a gateway tier that only holds connections and "
    "forwards frames; a session registry in Redis maps each user to a gateway, and Redis "
    "pub/sub routes a message to the gateway that holds the recipient. Messages are stored in "
    "Cassandra partitioned by conversation id and sorted by a time-ordered message id, so "
    "opening a conversation is one partition read; membership lives in Postgres."
)


def _graded(settings, store, *answers: str, start_phase: str = "clarify") -> str:
    session, _ = InterviewSession.start(settings, store, "chat", seed=3, clock=lambda: 60.0,
                                        start_phase=start_phase)
    for text in answers:
        session.answer(text)
    session.answer("/end")
    Grader(settings).scorecard(store, session.id)
    return session.id


def test_a_drill_opens_at_its_phase_and_says_so(settings, tmp_path):
    store = SessionStore(tmp_path / "s.db")
    session, opening = InterviewSession.start(settings, store, "chat", seed=1,
                                              start_phase="design")
    assert opening.phase == "design" and session.state.phase == "design"
    record = store.get(session.id)
    assert drill_phase(record) == "design"
    full, _ = InterviewSession.start(settings, store, "chat", seed=1)
    assert drill_phase(store.get(full.id)) is None


def test_a_drill_shows_the_change_against_the_previous_attempt(settings, tmp_path):
    store = SessionStore(tmp_path / "s.db")
    first = _graded(settings, store, "Chat for users.", "/next", "Lots of users.", "/next",
                    WEAK_DESIGN)
    drill = _graded(settings, store, BETTER_DESIGN, start_phase="design")
    record = store.get(drill)
    found = previous_attempt(store, record)
    assert found is not None and found[0] == first
    from simulator.grading.scorecard import Scorecard

    after = Scorecard.model_validate(store.get_scorecard(drill))
    deltas = compare(found[1], after, drill_phase(record))
    phases = [d for d in deltas if d.kind == "phase"]
    assert [d.id for d in phases] == ["design"]
    assert phases[0].after > phases[0].before and phases[0].change == phases[0].after - phases[0].before
    assert {d.id for d in deltas if d.kind == "dimension"} == {d.id for d in after.dimensions}
    # The first attempt has nothing before it.
    assert previous_attempt(store, store.get(first)) is None


def test_the_plan_reviews_the_two_weakest_dimensions_at_1_3_7_14_days(settings, tmp_path):
    store = SessionStore(tmp_path / "s.db")
    assert plan(store) == []
    sid = _graded(settings, store, "Chat for users.", "/next", WEAK_DESIGN)
    card = store.get_scorecard(sid)
    day0 = store.get(sid).created_at.date()
    reviews = plan(store, today=day0 + timedelta(days=5))
    weakest = sorted(card["dimensions"], key=lambda d: d["score"])[:2]
    assert [r.dimension_id for r in reviews[::4]] == [d["id"] for d in weakest]
    assert [r.day for r in reviews[:4]] == list(REVIEW_DAYS)
    assert [r.status for r in reviews[:4]] == ["overdue", "overdue", "upcoming", "upcoming"]
    assert [r.due for r in reviews[:4]] == [day0 + timedelta(days=d) for d in REVIEW_DAYS]
    assert plan(store, today=day0 + timedelta(days=7))[2].status == "due"
    # A drill is not what the plan is built from, and json round-trips the reviews.
    _graded(settings, store, BETTER_DESIGN, start_phase="design")
    assert {r.session_id for r in plan(store, today=day0)} == {sid}
    assert json.loads(reviews[0].model_dump_json())["status"] == "overdue"


def test_the_markdown_export_carries_the_reviewer_s_card(settings, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from simulator.cli import main

    monkeypatch.setenv("SDSIM_DATA_DIR", str(settings.data_dir))
    store = SessionStore(settings.db_path)
    sid = _graded(settings, store, "Chat for users.", "/next", WEAK_DESIGN)
    result = CliRunner().invoke(main, ["sessions", "export", sid, "--format", "md"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.index("## Transcript") < text.index("## Scorecard")
    card = store.get_scorecard(sid)
    assert card["summary"].split(".")[0] in text
    assert "### Phase by phase" in text and "#### High-level design: " in text
    assert "### Drills" in text and "**summary**" not in text  # not the raw field dump
