"""The practice loop: drills of one phase, the change against the previous attempt, and a
spaced-review plan for the two weakest dimensions.

Everything is computed from stored sessions and their stored scorecards, offline; nothing is
scheduled anywhere else, so the plan is the same on every machine that has the database.

- A drill is a session whose opening turn is in a phase later than clarify
  (``InterviewSession.start(start_phase=...)``).
- The previous attempt of a session is the newest earlier finished session of the same
  problem with a stored scorecard.
- The plan takes the newest graded full interview and schedules a review of its two weakest
  dimensions 1, 3, 7 and 14 days after it. A review counts as done once any interview was
  started on or after its due day; an undone review is due on its day and overdue after it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ValidationError

from simulator.grading.review import phase_title
from simulator.grading.scorecard import Scorecard
from simulator.phases import PHASES
from simulator.store.sessions import SessionRecord, SessionStore

REVIEW_DAYS = (1, 3, 7, 14)
WEAKEST_SHOWN = 2


class Delta(BaseModel):
    """One phase or dimension, before and after."""

    kind: Literal["phase", "dimension"]
    id: str
    name: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


class Review(BaseModel):
    """One spaced review of one dimension."""

    dimension_id: str
    name: str
    score: int
    session_id: str
    day: int  # days after the interview
    due: date
    status: Literal["done", "overdue", "due", "upcoming"]


def drill_phase(record: SessionRecord) -> str | None:
    """The phase a drill practises, or None for a full interview."""
    if not record.turns:
        return None
    phase = record.turns[0].phase
    return phase if phase in PHASES and phase != "clarify" else None


def _card(raw: dict | None) -> Scorecard | None:
    if not raw:
        return None
    try:
        return Scorecard.model_validate(raw)
    except ValidationError:
        return None


def previous_attempt(store: SessionStore, record: SessionRecord) -> tuple[str, Scorecard] | None:
    """(session id, scorecard) of the newest earlier graded session of the same problem, by
    the same candidate."""
    for row in store.list(limit=500, problem_id=record.problem_id, owner=record.owner):
        if row.id == record.id or row.created_at >= record.created_at or row.status != "finished":
            continue
        card = _card(store.get_scorecard(row.id))
        if card is not None:
            return row.id, card
    return None


def compare(before: Scorecard, after: Scorecard, phase: str | None = None) -> list[Delta]:
    """Per phase and per dimension changes; a drill (``phase``) compares only that phase."""
    old_phases = {p.phase: p.score for p in before.phases}
    deltas = [Delta(kind="phase", id=p.phase, name=phase_title(p.phase),
                    before=old_phases[p.phase], after=p.score)
              for p in after.phases
              if p.phase in old_phases and (phase is None or p.phase == phase)]
    old_dims = {d.id: d.score for d in before.dimensions}
    deltas += [Delta(kind="dimension", id=d.id, name=d.name, before=old_dims[d.id], after=d.score)
               for d in after.dimensions if d.id in old_dims]
    return deltas


def plan(store: SessionStore, today: date | None = None, owner: str | None = None
         ) -> list[Review]:
    """Reviews of the two weakest dimensions of the newest graded full interview (of
    ``owner``'s interviews, when given)."""
    today = today or datetime.now().date()
    rows = store.list(limit=500, owner=owner)  # newest first
    for row in rows:
        if row.status != "finished":
            continue
        card = _card(store.get_scorecard(row.id))
        if card is None or drill_phase(store.get(row.id)) is not None:
            continue
        weakest = sorted(card.dimensions, key=lambda d: d.score)[:WEAKEST_SHOWN]
        started = [r.created_at.date() for r in rows]
        base = row.created_at.date()
        reviews = []
        for d in weakest:
            for day in REVIEW_DAYS:
                due = base + timedelta(days=day)
                if any(s >= due for s in started):
                    status = "done"
                elif due < today:
                    status = "overdue"
                elif due == today:
                    status = "due"
                else:
                    status = "upcoming"
                reviews.append(Review(dimension_id=d.id, name=d.name, score=d.score,
                                      session_id=row.id, day=day, due=due, status=status))
        return reviews
    return []
