"""Read one candidate turn: what it covered, what it asked for, and what is wrong with it.

The engine decides the next move from these signals only, which keeps it deterministic and
testable: the same text in the same state always gives the same signals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from simulator.content.problems import Problem
from simulator.interview import estimate_checker
from simulator.interview.event_loop import BlockingFinding, find_blocking_work, mentions_runtime
from simulator.phases import PHASES

_I = re.IGNORECASE

_IDK = re.compile(
    r"^\W*(i (really )?(don't|do not|dont) know|no idea|not sure|i'm not sure|i am not sure|"
    r"no clue|dunno|pass|skip( this)?|i have no idea|i can't think of anything)\b",
    _I,
)
_MOVE_ON = re.compile(
    r"\b(let's|let us|can we|could we|shall we|i'd like to|i want to) (move on|go on|skip ahead|"
    r"go to the next|move to the next|proceed)\b|\bnext (phase|part|section|step)\b|"
    r"^\s*move on\b",
    _I,
)
_REVEAL = re.compile(
    r"\b(reveal|show|tell|give|print|share|repeat|output)\b[^.?!]{0,40}\b(rubric|instructions?|"
    r"system prompt|prompt|reference (answer|solution|design)|expected answer|model answer|"
    r"scoring|grading criteria)\b|\bignore (all |any |your |the |previous )*(instructions|rules|"
    r"rubric)\b",
    _I,
)
# Infrastructure words: naming these in the clarify phase means drawing boxes already.
_DESIGN_WORDS = re.compile(
    r"\b(load balancers?|redis|kafka|rabbitmq|postgres(ql)?|mysql|cassandra|dynamodb|mongodb|"
    r"s3|cdn|microservices?|shard(s|ing)?|replicas?|api gateway|kubernetes|k8s|memcached|"
    r"elasticsearch|sqs|nginx|websocket servers?|message queue|consistent hashing)\b",
    _I,
)
# Words any system-design answer uses; an answer with none of them is not about design.
_DOMAIN_WORDS = re.compile(
    r"\b(users?|requests?|servers?|services?|databases?|db|cache|queues?|latency|qps|rps|scale|"
    r"api|storage|throughput|availab\w*|consisten\w*|node(\.js)?|clients?|traffic|data|writes?|"
    r"reads?|messages?|events?|system|design|components?|bandwidth|peak|load|failures?|"
    r"trade-?offs?|cost|replica\w*|partition\w*|index\w*|endpoints?|handlers?)\b",
    _I,
)


@dataclass
class Signals:
    """What one candidate turn says, as far as the offline interviewer can tell."""

    covered: list[str] = field(default_factory=list)  # expectation ids matched in this turn
    phase_covered: list[str] = field(default_factory=list)  # of those, in the current phase
    idk: bool = False
    move_on: bool = False
    reveal_attempt: bool = False
    off_topic: bool = False
    jumped_ahead: bool = False
    runtime: bool = False
    blocking: list[BlockingFinding] = field(default_factory=list)
    slips: list = field(default_factory=list)  # estimate_checker slips
    numbers: int = 0


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text)}


_STOP = {"design", "would", "should", "where", "which", "there", "their", "about", "like",
         "start", "what", "with", "that", "this", "from", "your", "have", "spirit"}


def _problem_words(problem: Problem) -> set[str]:
    """Words of the problem's title and statement: talk about them is on topic."""
    words = _words(f"{problem.title} {problem.statement}") - _STOP
    return words | {w.rstrip("s") for w in words}


def _best_other_problem(text: str, problem: Problem, catalog: Mapping[str, Problem]
                        ) -> tuple[str | None, int]:
    best, best_hits = None, 0
    for other in catalog.values():
        if other.id == problem.id:
            continue
        hits = len(other.covered(text))
        if hits > best_hits:
            best, best_hits = other.id, hits
    return best, best_hits


def is_off_topic(text: str, problem: Problem, covered: list[str],
                 catalog: Mapping[str, Problem]) -> bool:
    """No point of this problem and either no design vocabulary or another problem's points."""
    words = len(text.split())
    if words < 6 or covered:
        return False
    domain = len(_DOMAIN_WORDS.findall(text)) + len(_problem_words(problem) & _words(text))
    if domain < 2:
        return True
    _, other_hits = _best_other_problem(text, problem, catalog)
    return other_hits >= 3


def analyse(text: str, problem: Problem, phase: str, catalog: Mapping[str, Problem]) -> Signals:
    signals = Signals()
    stripped = text.strip()
    signals.covered = problem.covered(stripped)
    if phase in PHASES:
        in_phase = {e.id for e in problem.expectations(phase)}
        signals.phase_covered = [c for c in signals.covered if c in in_phase]
    signals.idk = bool(_IDK.search(stripped)) and len(stripped.split()) <= 25
    signals.move_on = bool(_MOVE_ON.search(stripped)) and len(stripped.split()) <= 30
    signals.reveal_attempt = bool(_REVEAL.search(stripped))
    signals.runtime = mentions_runtime(stripped)
    signals.blocking = find_blocking_work(stripped)
    check = estimate_checker.check(stripped)
    signals.slips = list(check.slips)
    signals.numbers = len(check.quantities)
    technical = signals.blocking or signals.runtime or signals.numbers >= 2
    if not (signals.idk or signals.move_on or signals.reveal_attempt or technical):
        signals.off_topic = is_off_topic(stripped, problem, signals.covered, catalog)
    if phase == "clarify":
        design_words = {m.group(0).lower() for m in _DESIGN_WORDS.finditer(stripped)}
        signals.jumped_ahead = len(design_words) >= 2 and len(signals.phase_covered) <= 1
    return signals
