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

import math
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from simulator.content.interviewer import InterviewerPrompts
from simulator.content.loader import Content
from simulator.content.problems import Probe, Problem
from simulator.interview.analysis import Signals, signals_from
from simulator.reading.answer import sentences
from simulator.reading.claims import ClaimFinding
from simulator.reading.event_loop import short_quote
from simulator.reading.quantities import Quantity
from simulator.reading.recompute import log_of
from simulator.reading.record import InterviewRecord
from simulator.reading.turn import PointHit, Reading
from simulator.reading.word_forms import content_stems
from simulator.tokens import count_tokens, truncate_tokens
from simulator.transcript import (
    PHASE_ORDER,
    Citation,
    InterviewState,
    PhaseName,
    Turn,
    next_phase,
    phase_budgets_s,
    phase_end_s,
)

# A phase lasts about its share of the clock while the candidate keeps engaging; this many
# candidate turns in one phase end it whatever the clock says.
MAX_PHASE_TURNS = 12
# Share of a phase's weighted points that lets the interviewer say the phase was covered.
GOALS_MET_SHARE = 0.6
# The requirement change comes between these shares of the interview's time.
CURVEBALL_WINDOW = (0.4, 0.7)
#: Components no Node.js process runs inside or beside: "the Node.js processes around the CDN"
#: makes no sense, so rungs about the runtime name a {service} instead.
EDGE = frozenset({"cdn", "s3", "load balancer", "load balancers", "nginx", "api gateway"})
#: The 10x stretch comes after the curveball, from half the clock on, once.
STRETCH_FROM = 0.5
LEVELS = ("mid", "senior", "staff")
# Candidate commands typed as a whole message.
COMMANDS = ("/next", "/hint", "/end")

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


# "Oh wait, ...", "Sorry, actually ...": how a correction starts, not what it says
_INTERJECTION = re.compile(
    r"^\s*(?:(?:oh|ah|um|uh|hmm|ok|okay|right|sorry|wait|actually|oops|my bad|true|yes|yeah|"
    r"you're right|you are right|that's right|fair enough|fair point|point taken|fair|"
    r"good catch|good point|great point|good call|indeed)"
    r"\b[\s,.!:;-]*)+", re.IGNORECASE)


def worth_acknowledging(hit: PointHit) -> bool:
    """A point worth quoting back: a committed clause of a few words, not a hedge or a bare
    name ("user_conversations")."""
    return hit.committed  # the reader judges it: hedges, slogans and shortcuts are not decisions


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
        self._answer_gaps: list[float] = []  # seconds between candidate turns, this process
        # What the candidate said, read once; the grader reads the same record.
        self.record = InterviewRecord(content.vocabulary(state.problem_id))

    def load_history(self, turns: list[Turn]) -> None:
        """Rebuild the record from stored turns (a resumed session)."""
        self.record = InterviewRecord.replay(
            self.content.vocabulary(self.state.problem_id),
            [(t.role, t.phase, t.text, t.intent, t.probe) for t in turns])

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
            turn = self._turn("question", text, query=self.problem.statement)
            self.note(turn)
            return turn
        if start_phase not in self.prompts.phase_openings:
            raise ValueError(f"cannot start an interview at phase {start_phase!r}")
        self.state.phase = start_phase
        question = self._opening(start_phase)
        self.state.last_question = question
        turn = self._turn("question", f"{statement}\n\n{question}", query=question)
        self.note(turn)
        return turn

    def respond(self, raw_text: str, elapsed_s: float) -> Reply:
        """Record a candidate message made at ``elapsed_s`` and decide the answer to it."""
        reply = self._respond(raw_text, elapsed_s)
        self.note(reply.interviewer)
        return reply

    def _respond(self, raw_text: str, elapsed_s: float) -> Reply:
        state = self.state
        text = clean_input(raw_text)
        candidate = Turn(
            role="candidate", phase=state.phase, text=text, elapsed_s=round(elapsed_s, 1)
        )
        if elapsed_s > state.elapsed_s:
            self._answer_gaps.append(elapsed_s - state.elapsed_s)
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
        reading = self.record.read(state.phase, analysed)
        signals = signals_from(reading, state.phase)
        state.phase_turns += 1
        fresh = [h for h in reading.points
                 if h.id in signals.phase_covered and h.id not in state.covered
                 and worth_acknowledging(h)]
        self._remember(signals)
        challenged = self._open_challenge()
        asked_then = state.last_question
        interviewer = self._decide(signals, candidate, reading)
        corrected = (challenged is not None and self._clean(signals) and not signals.questions
                     and self._answers_challenge(challenged, asked_then, reading, signals)
                     and interviewer.intent in ("probe", "question", "transition"))
        if corrected:
            # "Oh wait, 10B / 86,400 is about 115K per second": the answer to the challenge is
            # heard and said to be heard, before whatever comes next
            self.state.asked.append(f"{challenged}-resolved")
            interviewer.text = f"{self._acknowledge_correction(reading)} {interviewer.text}"
        elif (interviewer.intent == "probe" and fresh and self._clean(signals)
                and interviewer.probe != "nudge-framework"):
            interviewer.text = f"{self._acknowledge(fresh[0])} {interviewer.text}"
        if "too-long" in candidate.flags and interviewer.intent not in ("transition", "wrap-up"):
            note = self.prompts.too_long.format(tokens=tokens, limit=self.max_input_tokens)
            interviewer.text = f"{note}\n\n{interviewer.text}"
        return Reply(candidate, interviewer)

    # -- decisions ------------------------------------------------------------------

    def _decide(self, signals: Signals, candidate: Turn, reading: Reading) -> Turn:
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
            nudge = self._challenge_nudge()
            if nudge is not None:
                return nudge
            return self._hint(self._vary("idk", p.idk))
        if signals.move_on:
            return self._transition(p.reasons.candidate_asked)
        if signals.hint_request:
            # as /hint; on a challenge of their own words, a starting point on that challenge
            return self._challenge_nudge() or self._hint("{hint}")
        if signals.go_back:
            return self._say("question", p.go_back, probe="go-back")
        # A question about nothing in the system ("how did you get into interviewing?") is
        # steered back like any off-topic turn, not answered with "your call".
        chat = signals.off_topic and not any(q.fact_ids for q in signals.questions)
        if signals.questions and not chat:
            return self._answer(signals, reading)
        if signals.direction:
            return self._steer()
        if signals.judgement:
            return self._socratic()
        # A push-back whose reason is a wrong claim ("we don't need a registry; any gateway can
        # deliver to any socket") is answered by challenging the claim, below.
        fresh_claims = [c for c in signals.misconceptions
                        if f"misconception-{c.misconception_id}" not in state.asked]
        if signals.pushback and not signals.covered and state.asked and not fresh_claims:
            return self._considered_reply(reading)
        if signals.off_topic:
            candidate.flags.append("off-topic")
            reason = self._phase_done()
            if reason:  # circling off topic still uses the clock
                return self._transition(reason)
            return self._say("question", self._vary("off_topic", p.off_topic),
                             short_repeat=True, problem_title=self.problem.title)

        if self._total_time_up():
            return self._go_to("wrap-up", p.reasons.total_time_up)
        for claim in signals.misconceptions:
            if f"misconception-{claim.misconception_id}" not in state.asked:
                return self._challenge(claim, p.misconception)
        for finding in signals.blocking:
            probe_id = f"event-loop-{finding.kind}-{finding.category}"
            if probe_id not in state.asked:
                quote = short_quote(finding.quote, 160)
                text = p.runtime_probes[finding.variant].format(quote=quote)
                return self._probe(probe_id, text, query=f"{finding.category} {quote}")
        for slip in signals.slips:
            slip_id = f"estimate-slip-{_slug(slip.stated)}"
            if slip_id not in state.asked:
                text = self._vary("estimate_slip", p.estimate_slip).format(
                    message=slip.restatement)
                return self._probe(slip_id, text, query="back of the envelope QPS arithmetic")
        earlier = self._earlier_claim()
        if earlier is not None:
            return earlier
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
        if self._curveball_due():
            return self._curveball()
        if self._stretch_due():
            return self._stretch()
        probe = self._next_probe()
        if probe is not None:
            return self._probe(probe.id, probe.text, query=probe.text)
        deeper = self._deeper()
        if deeper is not None:
            return deeper
        # Out of questions for this phase: say it was covered only when it was.
        covered = self.coverage(state.phase) >= GOALS_MET_SHARE
        return self._transition(self._vary("goals_met", p.reasons.goals_met) if covered
                                else p.reasons.turns_used)

    def _curveball_due(self) -> bool:
        state = self.state
        share = state.elapsed_s / max(1.0, state.minutes * 60)
        return (state.curveball is None and state.phase in ("design", "bottlenecks")
                and CURVEBALL_WINDOW[0] <= share <= CURVEBALL_WINDOW[1])

    def _curveball(self) -> Turn:
        """One requirement change per interview, from the problem's own modifiers."""
        modifiers = self.content.modifiers.for_problem(self.problem.id)
        modifier = modifiers[0] if modifiers else None
        detail = modifier.detail if modifier else (
            "Traffic is now ten times what you estimated.")
        self.state.curveball = modifier.id if modifier else "ten-x"
        text = self.prompts.curveball.format(detail=detail.strip())
        return self._probe(f"curveball-{self.state.curveball}", text, query=detail)

    def _stretch_ids(self) -> set[str]:
        return {"stretch"} | {f"ladder-{phase}-{i}" for phase, rungs in self.prompts.ladders.items()
                              for i, rung in enumerate(rungs) if rung.stretch}

    def _stretch_due(self) -> bool:
        """Once per interview, after the candidate has answered the curveball."""
        state = self.state
        share = state.elapsed_s / max(1.0, state.minutes * 60)
        return (state.curveball is not None and share >= STRETCH_FROM
                and state.phase in ("design", "bottlenecks", "trade-offs")
                and not state.asked[-1].startswith("curveball")
                and not self._stretch_ids() & set(state.asked))

    def _stretch(self) -> Turn:
        """The 10x stretch: a stretch rung of this phase filled from the candidate's own figures
        and components when one fits, else the generic one."""
        fills = self._fills()
        for i, rung in enumerate(self.prompts.ladders.get(self.state.phase, [])):
            needed = re.findall(r"\{(\w+)\}", rung.text)
            if rung.stretch and all(fills.get(name) for name in needed):
                text = rung.text.format(**fills)
                return self._probe(f"ladder-{self.state.phase}-{i}", text, query=text)
        return self._probe("stretch", self.prompts.stretch, query=self.prompts.stretch)

    def _deeper(self) -> Turn | None:
        """The next rung of this phase's ladder, filled from the candidate's own design."""
        state = self.state
        level = LEVELS.index(state.level)
        fills = self._fills()
        stretched = bool(self._stretch_ids() & set(state.asked))
        for i, rung in enumerate(self.prompts.ladders.get(state.phase, [])):
            rung_id = f"ladder-{state.phase}-{i}"
            if rung_id in state.asked or LEVELS.index(rung.level) > level:
                continue
            # One 10x question per interview, after the requirement change.
            if rung.stretch and (stretched or state.curveball is None):
                continue
            needed = re.findall(r"\{(\w+)\}", rung.text)
            if any(not fills.get(name) for name in needed):
                continue
            text = rung.text.format(**fills)
            return self._probe(rung_id, text, query=text)
        return None

    def _fills(self) -> dict[str, str]:
        """What ladder rungs may name: a component, an estimate figure, a point made."""
        fills: dict[str, str] = {}
        readings = self.record.readings()
        for reading in reversed(readings):
            for key, names in (("component", reading.components),
                               ("service", [c for c in reading.components if c not in EDGE])):
                if names and key not in fills:
                    fills[key] = reading.spelled(names[0])
        # Figures the candidate was challenged on (slips) are not the load to design for,
        # wherever they are repeated.
        slipped = {" ".join(s.stated.lower().split()) for r in self.record.readings()
                   for s in r.slips}
        rates = [q for r in self.record.readings("estimate") for q in r.quantities
                 if q.kind in ("rate", "bandwidth", "size") and "bare" not in q.tags
                 and " ".join(q.text.lower().split()) not in slipped]
        if rates:
            # The load the design must carry: a peak rate if one was given, else a rate, else
            # a bandwidth or a size; of those the largest (23K reads a second, not the 230
            # posts a second said after it), then the latest, in the candidate's words.
            rank = {"rate": 2, "bandwidth": 1, "size": 0}

            def weight(iq: tuple[int, Quantity]) -> tuple[int, float, int]:
                i, q = iq
                size = log_of(q)
                return (rank[q.kind] + (2 if "peak" in q.tags else 0),
                        -math.inf if size is None else round(size, 1), i)

            best = max(enumerate(rates), key=weight)[1]
            fills["figure"] = best.text.strip()
        for reading in self.record.readings(self.state.phase):
            if reading.points and not reading.misconceptions:
                fills["quote"] = short_quote(reading.points[0].quote, 120)
                break
        return fills

    def _clean(self, signals: Signals) -> bool:
        """Nothing in the turn to challenge: the only turns that get an acknowledgement."""
        return not (signals.misconceptions or signals.blocking or signals.slips
                    or signals.off_topic or signals.idk)

    _CHALLENGES = ("misconception-", "estimate-slip-", "event-loop-")

    def _open_challenge(self) -> str | None:
        """The challenge of the candidate's own words the interviewer last asked (a wrong claim,
        an arithmetic slip, blocking work), when it is still waiting for its answer."""
        asked = self.state.asked
        last = asked[-1].removesuffix("-nudge") if asked else ""
        if (last.startswith(self._CHALLENGES) and last != "event-loop-runtime"
                and f"{last}-resolved" not in asked):
            return last
        return None

    @staticmethod
    def _answers_challenge(challenge: str, question: str, reading: Reading,
                           signals: Signals) -> bool:
        """The turn takes up the challenge: a slip is answered with figures, and any challenge
        with words of its own question (the candidate's quoted words or the probe's)."""
        shared = len(content_stems(reading.text) & content_stems(question))
        if challenge.startswith("estimate-slip-"):
            return bool(signals.numbers) and shared >= 1
        # two words of the challenge, not one word any design turn shares ("message")
        return bool(signals.answered or signals.numbers) and shared >= 2

    def _acknowledge_correction(self, reading: Reading) -> str:
        """A short acknowledgement that the challenge was answered, in the candidate's words."""
        said = [s for s in sentences(reading.text) if s.text.strip()]
        numbered = [s for s in said if any(ch.isdigit() for ch in s.text)]
        first = _INTERJECTION.sub("", (numbered or said)[0].text) if said else ""
        quote = short_quote(first[:1].upper() + first[1:], 100)
        openers = self.prompts.corrections
        opener = openers[(self.state.turn_count + self.state.seed) % len(openers)]
        return opener.format(point=quote)

    def _acknowledge(self, hit: PointHit) -> str:
        """A short acknowledgement in the candidate's own words (never the catalog's, which
        would hand over the reference answer); openers rotate."""
        point = short_quote(hit.phrase or hit.quote, 80)
        openers = self.prompts.acknowledgements
        opener = openers[(self.state.turn_count + self.state.seed) % len(openers)]
        return opener.format(point=point.rstrip("."))

    def _answer(self, signals: Signals, reading: Reading) -> Turn:
        """Answer clarifying questions from the fact sheet, the same way however asked."""
        p, state = self.prompts, self.state
        sheet = self.record.vocabulary.facts
        said: list[str] = []
        facts: list[str] = []
        earlier = self.record.revealed()
        for question in signals.questions:
            for fact_id in question.fact_ids:
                if sheet is None or fact_id in facts:
                    continue
                facts.append(fact_id)
                answer = sheet.fact(fact_id).answer.strip()
                said.append(p.answered_again.format(answer=answer) if fact_id in earlier
                            else answer)
        if any(not q.fact_ids for q in signals.questions):
            said.append(self._vary("your_call", p.your_call))
        if signals.answered or signals.phase_covered:
            follow = self._decide_without_questions(signals, reading)
            follow.text = f"{' '.join(said)} {follow.text}".strip()
            if facts and not follow.probe:
                follow.probe = "fact:" + ",".join(facts)
            return follow
        probe = "fact:" + ",".join(facts) if facts else "your-call"
        reason = self._phase_done()
        if reason:  # the answer, then the time cue and the next phase
            turn = self._transition(reason)
            turn.text = f"{' '.join(said)} {turn.text}"
            turn.probe = probe
            return turn
        question = state.last_question or p.phase_openings.get(state.phase, "")
        if state.phase == "clarify":
            after = self._vary("after_answer", p.after_answer.clarify)
        else:
            after, question = "{question}", self._restate(question)
        text = " ".join([*said, after.format(question=question)])
        return self._turn("answer", text, probe=probe, query=" ".join(said))

    def _vary(self, key: str, options: list[str]) -> str:
        """The next of ``options`` for ``key``: the same words come back only after the
        others have been used."""
        count = self.state.said_counts.get(key, 0)
        self.state.said_counts[key] = count + 1
        return options[(count + self.state.seed) % len(options)]

    def _decide_without_questions(self, signals: Signals, reading: Reading) -> Turn:
        rest = Signals(**{**signals.__dict__, "questions": [], "judgement": False,
                          "pushback": False})
        return self._decide(rest, Turn(role="candidate", phase=self.state.phase, text=""),
                            reading)

    def _earlier_claim(self) -> Turn | None:
        """A wrong claim said earlier in this phase that was never challenged (a turn holding
        two: one challenge per turn), taken up once the turn in hand leaves nothing to
        challenge."""
        state = self.state
        for reading in self.record.readings(state.phase):
            for claim in reading.misconceptions:
                if f"misconception-{claim.misconception_id}" not in state.asked:
                    return self._challenge(claim, self.prompts.misconception_earlier)
        return None

    def _challenge(self, claim: ClaimFinding, template: str) -> Turn:
        """The library's corrective question for ``claim``, quoting the candidate's words."""
        entry = self.content.misconceptions.get(claim.misconception_id)
        text = template.format(quote=short_quote(claim.quote, 160), probe=entry.probe.strip())
        return self._probe(f"misconception-{claim.misconception_id}", text, query=entry.claim)

    def _steer(self) -> Turn:
        """ "What would you like me to go deeper on?": the interviewer picks, as one would. The
        candidate's own design first (the next rung of this phase's ladder), else the next
        point still missing; with neither left, the phase's closing question."""
        p = self.prompts
        turn = self._deeper()
        if turn is None:
            probe = self._next_probe()
            if probe is not None:
                turn = self._probe(probe.id, probe.text, query=probe.text)
        if turn is None:
            return self._turn("question", p.no_more_probes, probe="direction")
        turn.text = f"{p.direction} {turn.text}"
        return turn

    def _socratic(self) -> Turn:
        """Turn a judgement question back, grounded in the candidate's own requirements."""
        p = self.prompts
        grounding = ""
        for entry in self.record.candidate("clarify") + self.record.candidate("estimate"):
            reading = entry.reading
            if reading and reading.points and not reading.misconceptions:
                grounding = p.judgement_grounding.format(
                    quote=short_quote(reading.points[0].quote, 140))
                break
        return self._turn("question", p.judgement.format(grounding=grounding),
                          probe="judgement-question", query="trade-offs decided by requirements")

    def _considered_reply(self, reading: Reading) -> Turn:
        """Concede when the push-back gives a reason, hold (and re-ask) when it does not."""
        p, state = self.prompts, self.state
        reasoned = any(w in reading.text.lower() for w in (" because ", " since ", " as ",
                                                           " given ", " so "))
        if reasoned:
            probe = self._next_probe()
            follow = probe.text if probe else p.phase_openings.get(state.phase, "")
            if probe:
                state.asked.append(probe.id)
                state.last_question = probe.text
            return self._turn("question", f"{p.pushback_concede} {follow}".strip(),
                              probe=probe.id if probe else "pushback-conceded", query=follow)
        question = state.last_question or p.phase_openings.get(state.phase, "")
        return self._turn("question", p.pushback_hold.format(question=question),
                          probe="pushback-held")

    def _command(self, command: str) -> Turn:
        p = self.prompts
        if command == "/end":
            return self._go_to("wrap-up", "", finish=True)
        if self.state.phase == "wrap-up":
            return self._finish()
        if command == "/next":
            return self._transition(p.reasons.candidate_asked)
        return self._hint("{hint}")

    def _challenge_nudge(self) -> Turn | None:
        """ "I don't know" right after a challenge of the candidate's own words: stay on it. A
        fact to start from (the library's truth for a wrong claim, the runtime fact for the
        kind of blocking) and the question narrowed, instead of a new topic."""
        state, p = self.state, self.prompts
        last = state.asked[-1] if state.asked else ""
        fact = None
        if last.startswith("misconception-"):
            entry = self.content.misconceptions.get(last.removeprefix("misconception-"))
            truth = " ".join(entry.truth.split())
            # the truth's opening, a sentence or two: enough to reason from, not the whole answer
            start = ""
            for sentence in re.split(r"(?<=[.!?])\s+", truth):
                start = f"{start} {sentence}".strip()
                if len(start) >= 80:
                    break
            fact = f"{start} {p.misconception_follow_up}"
        elif last.startswith("event-loop-"):
            kind = next((k for k in p.runtime_nudges if last.startswith(f"event-loop-{k}-")),
                        None)
            fact = p.runtime_nudges.get(kind) if kind else None
        if fact is None:
            return None
        nudge_id = f"{last}-nudge"
        if nudge_id in state.asked:
            return None
        state.asked.append(nudge_id)
        text = self._vary("idk", p.idk).format(hint=p.challenge_nudge.format(fact=fact.strip()))
        state.last_question = text
        return self._turn("hint", text, probe=nudge_id, query=fact)

    def _hint(self, template: str) -> Turn:
        """The phase's hint; from the second one on, said as a repeat with a way out."""
        state, p = self.state, self.prompts
        specific = self._next_probe()
        if specific is not None:  # from what this candidate has not covered yet
            state.asked.append(specific.id)
            state.last_question = specific.text
            hint = p.hint_specific.format(question=specific.text)
            return self._turn("hint", template.format(hint=hint), probe=specific.id,
                              query=specific.text)
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
        return phase_end_s(state.phase, state.phase_started_s, state.minutes) - state.elapsed_s

    def _typical_answer_s(self) -> float:
        """The median time one exchange has taken so far (0 before there are two)."""
        gaps = sorted(self._answer_gaps)
        return gaps[len(gaps) // 2] if len(gaps) >= 2 else 0.0

    def total_time_left_s(self) -> float:
        return self.state.minutes * 60 - self.state.elapsed_s

    def _total_time_up(self) -> bool:
        return self.total_time_left_s() <= 0 and self.state.phase != "wrap-up"

    def _phase_done(self) -> str | None:
        state = self.state
        reasons = self.prompts.reasons
        # Like a person watching the clock: when the next answer would mostly fall after the
        # phase's mark, move on now rather than one answer late.
        if self.phase_time_left_s() <= self._typical_answer_s() / 2:
            return self._vary("time_up", reasons.time_up)
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
        opening = self._opening(phase)
        state.last_question = opening
        if phase == "wrap-up":
            if finish:
                state.finished = True
                return self._turn("wrap-up", self.prompts.closing_early, query="interview scorecard")
            return self._turn("wrap-up", f"{reason} {opening}", query="interview scorecard")
        return self._turn("transition", f"{reason} {opening}", query=opening)

    def _opening(self, phase: str) -> str:
        """A phase's opening question, filled from the record where it names the candidate's
        own figures (never "the load you estimated" when nothing was estimated)."""
        figure = self._fills().get("figure")
        load = f"the load you estimated, {figure}" if figure else "a realistic peak load"
        return self.prompts.phase_openings[phase].replace("{load}", load)

    def _finish(self) -> Turn:
        self.state.finished = True
        return self._turn("wrap-up", self.prompts.closing)

    def _closed(self) -> Turn:
        return self._turn("wrap-up", "This interview has ended. Your scorecard is ready.")

    # -- turn building --------------------------------------------------------------

    def _say(self, intent: str, template: str, probe: str | None = None, *,
             short_repeat: bool = False, **values) -> Turn:
        """A template that re-asks the current question (after the first repeat only as a
        pointer back to it when ``short_repeat``: the candidate has just read it)."""
        question = self.state.last_question or self.prompts.phase_openings.get(self.state.phase, "")
        if short_repeat:
            question = self._restate(question)
        text = template.format(question=question, phase=self.state.phase, **values)
        return self._turn(intent, text, probe=probe)

    def _restate(self, question: str) -> str:
        """The pending question in full the first time it is repeated; after that a short
        pointer back to it, so the same long question is never read out three times."""
        key = f"restated:{question}"
        if self.state.said_counts.get(key, 0) >= 1:
            return self._vary("after_answer_again", self.prompts.after_answer.again)
        self.state.said_counts[key] = 1
        return question

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

    def note(self, turn: Turn) -> None:
        """Put an interviewer turn on the record (with the facts it revealed)."""
        self.record.said(turn.phase, turn.text, intent=turn.intent, probe=turn.probe,
                         revealed=(turn.probe or "").removeprefix("fact:").split(",")
                         if (turn.probe or "").startswith("fact:") else ())


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def phase_index(phase: PhaseName) -> int:
    return PHASE_ORDER.index(phase)
