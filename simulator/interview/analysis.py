"""What the engine needs to know about one candidate turn, taken from its shared reading.

The engine never reads the candidate's text itself: `simulator.reading` reads it once into a
`Reading` (kept on the interview record, which the grader reads too), and this module only
selects what the engine's decisions look at. The same reading in the same state always gives
the same signals, which keeps the engine deterministic and testable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.reading.asks import AskedQuestion
from simulator.reading.claims import ClaimFinding
from simulator.reading.event_loop import RuntimeFinding
from simulator.reading.quantities import Slip
from simulator.reading.turn import Reading


@dataclass
class Signals:
    """What one candidate turn says, as far as the offline interviewer can tell."""

    covered: list[str] = field(default_factory=list)  # expectation ids made in this turn
    phase_covered: list[str] = field(default_factory=list)  # of those, in the current phase
    idk: bool = False
    move_on: bool = False
    hint_request: bool = False  # asks for a hint in words
    go_back: bool = False
    reveal_attempt: bool = False
    off_topic: bool = False
    jumped_ahead: bool = False
    runtime: bool = False
    blocking: list[RuntimeFinding] = field(default_factory=list)
    slips: list[Slip] = field(default_factory=list)
    misconceptions: list[ClaimFinding] = field(default_factory=list)
    questions: list[AskedQuestion] = field(default_factory=list)
    judgement: bool = False
    direction: bool = False  # asks the interviewer where to go next
    pushback: bool = False
    answered: bool = False  # the turn also states something, beyond any questions
    numbers: int = 0


def signals_from(reading: Reading, phase: str) -> Signals:
    """The engine's view of ``reading`` in ``phase``."""
    signals = Signals(
        covered=reading.point_ids(),
        phase_covered=reading.point_ids(phase),
        idk=reading.has("idk"),
        move_on=reading.has("move-on"),
        hint_request=reading.has("hint-request"),
        go_back=reading.has("go-back"),
        reveal_attempt=reading.has("reveal-attempt"),
        off_topic=reading.off_topic is not None,
        runtime=reading.runtime_mentioned,
        blocking=list(reading.runtime),
        slips=list(reading.slips),
        misconceptions=list(reading.misconceptions),
        questions=[q for q in reading.questions if q.kind == "clarifying"],
        judgement=(any(q.kind == "judgement" for q in reading.questions) if reading.questions
                   else reading.has("judgement-question")),
        direction=any(q.kind == "direction" for q in reading.questions),
        pushback=reading.has("pushback"),
        answered=reading.has("answer") or reading.has("assumption") or reading.has("proposal"),
        numbers=len(reading.quantities),
    )
    if phase == "clarify":
        signals.jumped_ahead = reading.design_terms >= 2 and len(signals.phase_covered) <= 1
    return signals
