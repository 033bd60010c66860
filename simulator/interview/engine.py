"""The offline interviewer: decides every interviewer move from the candidate's words.

The engine owns phase, time, intent and probe choice. It is deterministic for a given seed
and the same candidate text at the same clock, so replays and evals repeat exactly. An LLM
backend may rephrase the turns it produces, never choose them.

Moves, in priority order for each candidate turn:

1. commands (`/next`, `/hint`, `/end`) and input problems (empty, over the size limit);
2. attempts to get the rubric or reference answer, "I don't know", asking to move on,
   off-topic answers;
3. a Node.js event-loop probe when the turn puts blocking work on the main thread;
4. an estimate probe when the candidate's own arithmetic is off by more than 3x;
5. a nudge back to the framework when boxes are drawn before requirements;
6. a phase transition when the phase's goals are met, its time is up or its turns are used;
7. otherwise the next catalog probe whose expectations are still missing.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from simulator.content.interviewer import InterviewerPrompts
from simulator.content.loader import Content
from simulator.content.problems import Probe, Problem
from simulator.interview.analysis import Signals, analyse
from simulator.tokens import count_tokens, truncate_tokens
from simulator.transcript import (
    PHASE_ORDER,
    Citation,
    InterviewState,
    PhaseName,
    Turn,
    next_phase,
    phase_budgets_s,
)

# A phase ends when this share of its weighted expectations is covered...
GOALS_MET_SHARE = 0.6
# ...or after this many candidate turns in it, whatever was covered.
MAX_PHASE_TURNS = 6
# Candidate commands typed as a whole message.
COMMANDS = ("/next", "/hint", "/end")

CLOSING = "Thanks, we'll stop here. Your scorecard is ready."

Grounder = Callable[[str, list[str]], list[Citation]]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_input(text: str) -> str:
    """Normalise what the candidate typed: NFC, no control bytes, trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    return _CONTROL.sub("", text).strip()


def looks_binary(raw: str) -> bool:
    """Pasted binary shows up as many control or replacement characters."""
    if not raw:
        return False
    bad = sum(1 for ch in raw if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t"))
    return bad / len(raw) > 0.1


@dataclass
class Reply:
    """What one candidate message produced: the stored candidate turn and the answer."""

    candidate: Turn
    interviewer: Turn


class Interviewer:
    """One interview's decision-maker. Mutates ``state``; the caller persists it."""

    def __init__(
        self,
        content: Content,
        state: InterviewState,
        *,
        grounder: Grounder | None = None,
        max_input_tokens: int = 1200,
    ) -> None:
        self.content = content
        self.problem: Problem = content.problem(state.problem_id)
        self.prompts: InterviewerPrompts = content.interviewer
        self.state = state
        self.grounder = grounder
        self.max_input_tokens = max_input_tokens
        self.budgets = phase_budgets_s(state.minutes)

    # -- entry points ---------------------------------------------------------------

    def opening(self, start_phase: PhaseName = "clarify") -> Turn:
        """The first interviewer turn: the problem statement and the first question.

        Starting later than clarify (drills of one phase) states the problem and asks that
        phase's opening question straight away.
        """
        statement = self.problem.statement.strip()
        if start_phase == "clarify":
            text = self.prompts.opening.format(statement=statement)
            self.state.last_question = text.split("\n")[-1].strip()
            return self._turn("question", text, query=self.problem.statement)
        if start_phase not in self.prompts.phase_openings:
            raise ValueError(f"cannot start an interview at phase {start_phase!r}")
        self.state.phase = start_phase
        question = self.prompts.phase_openings[start_phase]
        self.state.last_question = question
        return self._turn("question", f"{statement}\n\n{question}", query=question)

    def respond(self, raw_text: str, elapsed_s: float) -> Reply:
        """Record a candidate message made at ``elapsed_s`` and decide the answer to it."""
        state = self.state
        text = clean_input(raw_text)
        candidate = Turn(
            role="candidate", phase=state.phase, text=text, elapsed_s=round(elapsed_s, 1)
        )
        state.elapsed_s = max(state.elapsed_s, elapsed_s)
        state.turn_count += 1
        if state.finished:
            return Reply(candidate, self._closed())
        if looks_binary(raw_text):
            candidate.flags.append("binary")
            return Reply(candidate, self._say("question", self.prompts.empty))
        command = text.lower()
        if command in COMMANDS:
            candidate.flags.append("command")
            return Reply(candidate, self._command(command))
        if not text:
            candidate.flags.append("empty")
            return Reply(candidate, self._say("question", self.prompts.empty))

        tokens = count_tokens(text)
        analysed = text
        if tokens > self.max_input_tokens:
            candidate.flags.append("too-long")
            candidate.notice = f"{tokens} tokens; only the first {self.max_input_tokens} were read"
            analysed = truncate_tokens(text, self.max_input_tokens)
        if state.phase == "wrap-up":
            return Reply(candidate, self._finish())
        signals = analyse(analysed, self.problem, state.phase, self.content.catalog)
        state.phase_turns += 1
        self._remember(signals)
        interviewer = self._decide(signals, candidate)
        if "too-long" in candidate.flags and interviewer.intent not in ("transition", "wrap-up"):
            note = self.prompts.too_long.format(tokens=tokens, limit=self.max_input_tokens)
            interviewer.text = f"{note}\n\n{interviewer.text}"
        return Reply(candidate, interviewer)

    # -- decisions ------------------------------------------------------------------

    def _decide(self, signals: Signals, candidate: Turn) -> Turn:
        state = self.state
        p = self.prompts
        if signals.reveal_attempt:
            candidate.flags.append("reveal-attempt")
            return self._say("question", p.refuse_reveal, probe="refuse-reveal")
        if signals.idk:
            candidate.flags.append("idk")
            state.phase_idk += 1
            state.idk_total += 1
            if state.phase_idk >= 2:
                return self._transition(p.reasons.idk_twice)
            return self._hint(p.idk)
        if signals.move_on:
            return self._transition(p.reasons.candidate_asked)
        if signals.off_topic:
            candidate.flags.append("off-topic")
            reason = self._phase_done()
            if reason and reason != p.reasons.goals_met:  # circling off topic still uses the clock
                return self._transition(reason)
            return self._say("question", p.off_topic, problem_title=self.problem.title)

        if self._total_time_up():
            return self._go_to("wrap-up", p.reasons.time_up)
        for finding in signals.blocking:
            if finding.probe_id not in state.asked:
                quote = _shorten(finding.sentence, 160)
                text = p.event_loop.default.format(quote=quote)
                return self._probe(finding.probe_id, text, query=f"{finding.category} {quote}")
        for slip in signals.slips:
            slip_id = f"estimate-slip-{_slug(slip.message)}"
            if slip_id not in state.asked:
                text = p.estimate_slip.format(message=slip.message)
                return self._probe(slip_id, text, query="back of the envelope QPS arithmetic")
        if state.phase == "clarify" and signals.jumped_ahead and not state.nudged_framework:
            state.nudged_framework = True
            return self._probe("nudge-framework", p.nudge_framework, query="clarify requirements first")

        # The runtime must come up in bottlenecks, even when the phase is out of time.
        if (state.phase == "bottlenecks" and not state.runtime_mentioned
                and "event-loop-runtime" not in state.asked):
            return self._probe("event-loop-runtime", p.event_loop.runtime, query="event loop lag")
        reason = self._phase_done()
        if reason:
            return self._transition(reason)
        probe = self._next_probe()
        if probe is None:
            return self._transition(p.reasons.turns_used)
        return self._probe(probe.id, probe.text, query=probe.text)

    def _command(self, command: str) -> Turn:
        p = self.prompts
        if command == "/end":
            return self._go_to("wrap-up", p.reasons.candidate_asked, finish=True)
        if self.state.phase == "wrap-up":
            return self._finish()
        if command == "/next":
            return self._transition(p.reasons.candidate_asked)
        return self._hint("{hint}")

    def _hint(self, template: str) -> Turn:
        """The phase's hint; from the second one on, said as a repeat with a way out."""
        state, p = self.state, self.prompts
        hint = p.hints[state.phase]
        state.phase_hints += 1
        if state.phase_hints > 1:
            hint = p.hint_again.format(hint=hint)
        return self._turn("hint", template.format(hint=hint), query=p.hints[state.phase])

    def _remember(self, signals: Signals) -> None:
        state = self.state
        for exp_id in signals.covered:
            if exp_id not in state.covered:
                state.covered.append(exp_id)
        state.runtime_mentioned = state.runtime_mentioned or signals.runtime

    def coverage(self, phase: PhaseName) -> float:
        """Weighted share of a phase's expectations the candidate has covered so far."""
        exps = self.problem.expectations(phase)
        total = sum(e.weight for e in exps)
        got = sum(e.weight for e in exps if e.id in self.state.covered)
        return got / total if total else 1.0

    def phase_time_left_s(self) -> float:
        state = self.state
        return self.budgets[state.phase] - (state.elapsed_s - state.phase_started_s)

    def total_time_left_s(self) -> float:
        return self.state.minutes * 60 - self.state.elapsed_s

    def _total_time_up(self) -> bool:
        return self.total_time_left_s() <= 0 and self.state.phase != "wrap-up"

    def _phase_done(self) -> str | None:
        state = self.state
        reasons = self.prompts.reasons
        if self.coverage(state.phase) >= GOALS_MET_SHARE:
            return reasons.goals_met
        if self.phase_time_left_s() <= 0:
            return reasons.time_up
        if state.phase_turns >= MAX_PHASE_TURNS:
            return reasons.turns_used
        return None

    def _next_probe(self) -> Probe | None:
        """The first unasked probe (in a seed-shuffled order) that chases a missing point."""
        state = self.state
        probes = list(self.problem.probes.get(state.phase, []))  # type: ignore[call-overload]
        random.Random(f"{state.seed}:{self.problem.id}:{state.phase}").shuffle(probes)
        fresh = [pr for pr in probes if pr.id not in state.asked]
        for probe in fresh:
            if not probe.when_missing or any(e not in state.covered for e in probe.when_missing):
                return probe
        return None

    # -- phase changes --------------------------------------------------------------

    def _transition(self, reason: str) -> Turn:
        return self._go_to(next_phase(self.state.phase), reason)

    def _go_to(self, phase: PhaseName, reason: str, finish: bool = False) -> Turn:
        state = self.state
        state.phase = phase
        state.phase_started_s = state.elapsed_s
        state.phase_turns = 0
        state.phase_idk = 0
        state.phase_hints = 0
        opening = self.prompts.phase_openings[phase]
        state.last_question = opening
        if phase == "wrap-up":
            if finish:
                state.finished = True
                return self._turn("wrap-up", f"{reason} {CLOSING}", query="interview scorecard")
            return self._turn("wrap-up", f"{reason} {opening}", query="interview scorecard")
        return self._turn("transition", f"{reason} {opening}", query=opening)

    def _finish(self) -> Turn:
        self.state.finished = True
        return self._turn("wrap-up", CLOSING)

    def _closed(self) -> Turn:
        return self._turn("wrap-up", "This interview has ended. Your scorecard is ready.")

    # -- turn building --------------------------------------------------------------

    def _say(self, intent: str, template: str, probe: str | None = None, **values) -> Turn:
        """A template that re-asks the current question."""
        question = self.state.last_question or self.prompts.phase_openings.get(self.state.phase, "")
        text = template.format(question=question, phase=self.state.phase, **values)
        return self._turn(intent, text, probe=probe)

    def _probe(self, probe_id: str, text: str, query: str) -> Turn:
        self.state.asked.append(probe_id)
        self.state.last_question = text
        return self._turn("probe", text, probe=probe_id, query=query)

    def _turn(self, intent: str, text: str, probe: str | None = None, query: str | None = None) -> Turn:
        grounding: list[Citation] = []
        if self.grounder and query:
            articles = list(self.problem.articles)
            if probe and probe.startswith("event-loop"):
                articles += ["nodejs-blocking-the-event-loop", "nodejs-worker-threads-child-processes"]
            grounding = self.grounder(f"{self.problem.title}: {query}", articles)
        return Turn(
            role="interviewer",
            phase=self.state.phase,
            text=text.strip(),
            intent=intent,  # type: ignore[arg-type]
            probe=probe,
            grounding=grounding,
            elapsed_s=round(self.state.elapsed_s, 1),
        )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def phase_index(phase: PhaseName) -> int:
    return PHASE_ORDER.index(phase)
