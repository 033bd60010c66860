"""Scripted interviews: drive the interviewer from JSONL without a terminal.

Evals, checks and benchmarks use this. The clock is simulated from the length of each
candidate turn, so a replay walks the time budget like a live interview and repeats exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator.content.loader import Content, load_content
from simulator.interview.engine import Grounder, Interviewer
from simulator.interview.phrasing import LLMPhraser, Phrased
from simulator.interview.session import simulated_seconds
from simulator.settings import Settings
from simulator.transcript import InterviewState, PhaseName, Turn

MAX_TURNS_PER_CASE = 200


class ReplayCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    problem: str
    start_phase: PhaseName = "clarify"
    candidate_turns: list[str] = Field(max_length=MAX_TURNS_PER_CASE)
    seed: int = 0
    minutes: float = Field(default=45, gt=0, le=240)
    level: Literal["mid", "senior", "staff"] = "senior"


class ReplayTurn(BaseModel):
    role: str
    phase: str
    intent: str | None
    probe: str | None
    text: str
    flags: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    notice: str | None = None
    elapsed_s: float = 0.0  # the simulated interview clock when the turn was made


class ReplayResult(BaseModel):
    id: str
    turns: list[ReplayTurn] = Field(default_factory=list)
    error: str | None = None


def _short(turn: Turn) -> ReplayTurn:
    return ReplayTurn(
        role=turn.role, phase=turn.phase, intent=turn.intent, probe=turn.probe, text=turn.text,
        flags=turn.flags, sources=sorted({c.doc_id for c in turn.grounding}), notice=turn.notice,
        elapsed_s=turn.elapsed_s,
    )


def replay_case(
    case: ReplayCase, settings: Settings, grounder: Grounder | None = None,
    phraser: LLMPhraser | None = None, content: Content | None = None,
) -> tuple[list[Turn], InterviewState]:
    """Run one scripted case; returns every turn (interviewer first) and the final state.

    With a phraser the interviewer's turns are phrased by the LLM (through its record/replay
    cache), exactly as in a live interview.
    """
    content = content or load_content(settings.prompts_dir)
    state = InterviewState(problem_id=case.problem, seed=case.seed, minutes=case.minutes,
                           level=case.level)
    engine = Interviewer(
        content,
        state,
        grounder=grounder,
        max_input_tokens=settings.max_input_tokens,
    )
    turns = [engine.opening(start_phase=case.start_phase)]
    clock = 0.0
    for text in case.candidate_turns:
        clock += simulated_seconds(text, asked=turns[-1].text)
        reply = engine.respond(text, clock)
        if phraser is not None and not set(reply.candidate.flags) & {"empty", "binary"}:
            outcome = Phrased()
            for _ in phraser.stream(engine, turns + [reply.candidate], reply.interviewer, outcome):
                pass
            reply.interviewer.text, reply.interviewer.notice = outcome.text, outcome.notice
        turns += [reply.candidate, reply.interviewer]
    return turns, state


def parse_lines(lines: Iterable[str]) -> Iterator[tuple[int, ReplayCase | None, str | None]]:
    """Yield (line number, case, error) for every non-blank line; errors name the line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, ReplayCase.model_validate(json.loads(line)), None
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg})"
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            yield number, None, f"line {number}: {where}: {first['msg']}"


def replay_batch(
    lines: Iterable[str], settings: Settings, grounder: Grounder | None = None,
    phraser: LLMPhraser | None = None,
) -> Iterator[ReplayResult]:
    """Replay each line; a bad line or unknown problem becomes an error result, not a crash."""
    for number, case, error in parse_lines(lines):
        if case is None:
            yield ReplayResult(id=f"line-{number}", error=error)
            continue
        try:
            turns, _ = replay_case(case, settings, grounder, phraser)
        except ValueError as exc:  # unknown problem, bad catalog
            yield ReplayResult(id=case.id, error=f"line {number}: {exc}")
            continue
        yield ReplayResult(id=case.id, turns=[_short(t) for t in turns])
