"""The deterministic offline grader: one answer to one phase of one problem -> a 1-4 grade.

It has to agree with a careful human, so it reads the way the rubric says a human reads:

1. Text that addresses the grader (injection) is cut out first, so it can change nothing.
2. Gates that decide the grade outright: no answer ("I don't know", a few words), an answer
   to another problem or another phase, a list of buzzwords with no reasoning.
3. A point score from length-independent features: weighted coverage of the problem's
   expectations for the phase (more when the point is made with a reason or a number),
   sentences that tie a claim to a reason, numbers that are used, staff-depth markers, how
   specific the sentences are, minus filler.
4. Caps for red flags the rubric names: an estimate with no numbers (1) or without a peak
   (at most 2: "assumes average load equals peak load"), an arithmetic slip of more than 3x
   (one lower, at most 2), blocking work on the Node.js request path or per-process
   state in a scaled-out design (one lower, at most 2), rambling (at most 2).

Everything is a pure function of the inputs: the same answer always gets the same grade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from simulator.content.loader import load_content
from simulator.content.problems import Problem
from simulator.content.rubric import Rubric
from simulator.grading import checks
from simulator.grading.calibration import calibrated
from simulator.grading.features import Features, extract
from simulator.reading.answer import AnswerReading, read_answer
from simulator.reading.injection import Cleaned, strip_injection
from simulator.reading.turn import Reading, Vocabulary, read_turn, statements

Flag = Literal[
    "buzzwords",
    "arithmetic",
    "off-topic",
    "injection",
    "idk",
    "event-loop-blocking",
    "pool-on-request-path",
    "child-process-per-request",
    "local-state",
    "too-short",
    "rambling",
    "no-numbers",
    "no-arithmetic",
    "no-peak",
    "misconception",
]

#: Answers shorter than this many words are too short to grade above 1.
MIN_WORDS = 8


@dataclass(frozen=True)
class Weights:
    """Point-score weights and the thresholds between grades.

    Tuned on one half of the dev set and checked on the other (benchmarks/grading.py).
    Every term is bounded, so no feature can run away with the length of the answer.
    """

    coverage: float = 1.1  # weighted share of the problem's expectations for the phase
    paraphrase: float = 1.0  # ... counting points said in the candidate's own words
    supported: float = 0.7  # ... made in a sentence that reasons, quantifies or is specific
    checkpoints3: float = 0.8  # share of the rubric's level-3 evidence shown
    checkpoints4: float = 0.8  # share of the rubric's level-4 evidence shown
    reasoning: float = 0.6  # sentences tying a claim to a reason, up to reasoning_cap
    reasoning_cap: int = 4
    quantities: float = 0.3  # numbers used to derive or decide, up to quantities_cap
    quantities_cap: int = 4
    quantities_estimate: float = 0.6  # the same, in the estimate phase
    quantities_estimate_cap: int = 10
    depth: float = 0.15  # per staff-depth category, up to depth_cap
    depth_cap: int = 5
    runtime_numbers: float = 0.25  # Node.js runtime specifics with numbers
    specific: float = 0.35  # specific tokens per sentence, up to specific_cap
    density: float = 0.6  # points made per 100 words, up to density_cap
    density_cap: float = 12.0
    specific_cap: float = 2.0
    filler: float = 0.7  # filler per sentence, up to filler_cap
    filler_cap: float = 1.5
    boxes_first: float = 0.6  # clarify answers naming technologies before requirements
    # Per-phase offsets: a clarify answer has little to quantify and few staff-depth markers
    # to show, so the same quality earns fewer points there than in later phases.
    phase_offsets: tuple[tuple[str, float], ...] = (("clarify", 0.3),)
    thresholds: tuple[float, float, float] = (2.4, 4.2, 6.0)  # where 2, 3 and 4 start


WEIGHTS = Weights()


class EvidenceSpan(BaseModel):
    """A passage of the answer that earned credit; ``answer[start:end] == text``."""

    text: str
    start: int
    end: int
    why: str


class MadeElsewhere(BaseModel):
    """A point of this phase the candidate made in another phase: credited, and said where."""

    point: str  # the expectation's text
    phase: str  # the phase it was said in
    quote: str  # the candidate's words there


class PhaseGrade(BaseModel):
    """The grade of one phase answer, with everything needed to explain it."""

    model_config = ConfigDict(extra="forbid")

    problem_id: str
    phase: str
    score: int = Field(ge=1, le=4)
    evidence: list[EvidenceSpan] = Field(default_factory=list)
    missing: list[str] = Field(
        default_factory=list, description="expectation texts the answer did not cover"
    )
    flags: list[Flag] = Field(default_factory=list)
    concerns: list[EvidenceSpan] = Field(
        default_factory=list, description="passages that cost credit (blocking work, slips...)"
    )
    elsewhere: list[MadeElsewhere] = Field(
        default_factory=list, description="points of this phase made in another phase"
    )
    features: dict[str, object] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list)
    points: float = 0.0
    rubric_hash: str = ""
    grader: str = "offline"


def points(f: Features, phase: str, w: Weights = WEIGHTS) -> tuple[float, list[str]]:
    """The point score (about 1 to 6) and a reason line per term that contributed."""
    reasons = []
    total = 1.0 + dict(w.phase_offsets).get(phase, 0.0)
    cov = (w.coverage * f.coverage + w.supported * f.supported_coverage
           + w.paraphrase * f.paraphrase_coverage)
    total += cov
    reasons.append(
        f"covers {f.coverage:.0%} of the problem's expected points "
        f"({f.supported_coverage:.0%} with a reason or number; "
        f"{f.paraphrase_coverage:.0%} counting points said in other words): +{cov:.2f}"
    )
    cp = w.checkpoints3 * f.checkpoints3 + w.checkpoints4 * f.checkpoints4
    total += cp
    shown = [*f.checkpoints.get(3, []), *f.checkpoints.get(4, [])]
    reasons.append(f"rubric evidence shown ({', '.join(shown) or 'none'}): +{cp:.2f}")
    reasoning = w.reasoning * min(f.reasoning_sentences, w.reasoning_cap) / w.reasoning_cap
    total += reasoning
    reasons.append(f"{f.reasoning_sentences} sentence(s) tie a claim to a reason: +{reasoning:.2f}")
    if phase == "estimate":
        cap, weight = w.quantities_estimate_cap, w.quantities_estimate
    else:
        cap, weight = w.quantities_cap, w.quantities
    quant = weight * min(f.used_quantities, cap) / cap
    total += quant
    reasons.append(f"{f.used_quantities} number(s) used to decide or derive: +{quant:.2f}")
    depth = w.depth * min(len(f.depth), w.depth_cap)
    if f.runtime_numbers:
        depth += w.runtime_numbers
    total += depth
    if f.depth:
        extra = " and Node.js runtime numbers" if f.runtime_numbers else ""
        reasons.append(f"staff-depth markers ({', '.join(f.depth)}){extra}: +{depth:.2f}")
    specific = w.specific * min(f.specific_density, w.specific_cap) / w.specific_cap
    total += specific
    density = w.density * min(f.point_density, w.density_cap) / w.density_cap
    total += density
    reasons.append(
        f"{f.point_density:.1f} points per 100 words, {f.specific_density:.1f} specifics per "
        f"sentence: +{specific + density:.2f}"
    )
    filler = w.filler * min(f.filler_density, w.filler_cap)
    total -= filler
    if filler >= 0.1:
        reasons.append(f"filler and slogans ({f.filler_density:.1f} per sentence): -{filler:.2f}")
    if phase == "clarify" and checks.boxes_before_requirements(f):
        total -= w.boxes_first
        reasons.append(
            f"names {f.tech_terms} technologies before the requirements: -{w.boxes_first:.2f}"
        )
    return total, reasons


def _score(total: float, w: Weights = WEIGHTS) -> int:
    return 1 + sum(total >= t for t in w.thresholds)


def _evidence(cleaned: Cleaned, f: Features, answer: AnswerReading,
              wrong: Sequence[tuple[int, int]] = ()) -> list[EvidenceSpan]:
    """Sentences that earned credit, with original-answer offsets (at most 8). A sentence
    stating one of the ``wrong`` claims (spans in the cleaned text) is never shown as a
    strength: "If the PSP times out we'll mark it failed and retry" names failure handling,
    but it is the mistake the scorecard names among the concerns."""
    whys: dict[tuple[int, int], list[str]] = {}
    for hit in sorted(f.hits, key=lambda h: (not h.supported, -h.expectation.weight)):
        key = (hit.sentence.start, hit.sentence.end)
        whys.setdefault(key, []).append(f"covers: {hit.expectation.text}")
    for exp, s in f.resembled:
        whys.setdefault((s.start, s.end), []).append(f"says in other words: {exp.text}")
    for name, s in answer.depth.items():
        if s is not None:
            whys.setdefault((s.start, s.end), []).append(f"staff depth: {name}")
    for start, end in list(whys):
        if any(start < b and a < end for a, b in wrong):
            del whys[(start, end)]
    spans = []
    for (start, end), why in sorted(whys.items(), key=lambda kv: -len(kv[1]))[:8]:
        o_start = cleaned.to_original(start)
        o_end = o_start + (end - start)
        text = cleaned.text[start:end]
        if cleaned.original[o_start:o_end] != text:
            found = cleaned.original.find(text)
            if found < 0:
                continue
            o_start, o_end = found, found + len(text)
        spans.append(EvidenceSpan(text=text, start=o_start, end=o_end, why="; ".join(why)))
    return sorted(spans, key=lambda s: s.start)


#: A clarify answer's questions must touch this share of the phase's points (by weight) to
#: count as asking about what the problem turns on, rather than generic questions.
QUESTIONS_TOUCH = 0.25


def _asks_about_points(reading: Reading, whole: AnswerReading, problem: Problem,
                       rubric: Rubric, vocabulary: Vocabulary) -> bool:
    """The message asks at least three clarifying questions, and together they touch
    ``QUESTIONS_TOUCH`` of the clarify phase's points (by cue or in other words)."""
    asked = sum(1 for a in reading.acts if a.kind == "clarifying-question")
    if asked < 3:
        return False
    touched = extract(whole, problem, "clarify", rubric, weights=vocabulary.term_weights)
    return touched.paraphrase_coverage >= QUESTIONS_TOUCH


def grade_answer(
    problem: Problem,
    phase: str,
    answer: str,
    rubric: Rubric,
    catalog: dict[str, Problem] | None = None,
    weights: Weights = WEIGHTS,
    vocabulary: Vocabulary | None = None,
    reading: Reading | None = None,
    elsewhere: Mapping[str, tuple[str, str]] | None = None,
    calibrate: bool = True,
) -> PhaseGrade:
    """Grade ``answer`` as the candidate's answer to ``phase`` of ``problem``.

    ``catalog`` (default: the built-in catalog) is used to notice answers to another
    problem. ``elsewhere`` maps points the candidate made in other phases of the interview
    to (that phase, their words): they are credited here and said where, never listed as
    missing. ``calibrate`` lets the fitted calibration (`simulator.grading.calibration`) move
    the rubric's score one step; it is off only to fit that calibration. Deterministic: no
    randomness, no clock; the calibration is a fixed linear model.
    """
    if phase not in rubric.phases:
        raise ValueError(f"unknown phase {phase!r}; valid: {', '.join(rubric.phases)}")
    if catalog is None or vocabulary is None:
        builtin = load_content()
        catalog = catalog if catalog is not None else builtin.catalog
        if vocabulary is None:
            vocabulary = (builtin.vocabulary(problem.id) if problem.id in builtin.catalog
                          else Vocabulary(misconceptions=builtin.misconceptions))
    cleaned = strip_injection(answer or "")
    text = cleaned.text
    flags: list[Flag] = []
    reasons: list[str] = []
    if cleaned.injected:
        flags.append("injection")
        reasons.append(
            f"removed {len(cleaned.removed)} passage(s) addressed to the grader before scoring"
        )
    # The answer is read once, as the interviewer reads it; a question is never evidence.
    reading = reading if reading is not None else read_turn(text, vocabulary, phase=phase)
    elsewhere = elsewhere or {}
    # The answer's statements (questions blanked) earn credit; the whole answer, questions
    # included, decides whether it is an answer to this phase of this problem at all.
    blanked = statements(text)
    whole = read_answer(text)
    said = whole if blanked == text else read_answer(blanked)  # no question: one reading
    f = extract(said, problem, phase, rubric, {pid: where for pid, (where, _) in elsewhere.items()},
                weights=vocabulary.term_weights, resembled=reading.resemblance)
    grade = PhaseGrade(
        problem_id=problem.id,
        phase=phase,
        score=1,
        # Essential points (weight 2) first: they are what a stronger answer adds first.
        missing=[e.text for e in sorted(f.missed, key=lambda e: -e.weight)],
        features=f.as_dict(),
        rubric_hash=rubric.content_hash,
        elsewhere=[MadeElsewhere(point=e.text, phase=where, quote=elsewhere[e.id][1])
                   for e, where in f.elsewhere],
    )
    if f.elsewhere:
        reasons.append("credited " + "; ".join(f"{e.text!r} (said in {where})"
                                               for e, where in f.elsewhere))

    def concern(passage: str, why: str) -> None:
        start = answer.find(passage)
        if start >= 0:
            grade.concerns.append(
                EvidenceSpan(text=passage, start=start, end=start + len(passage), why=why)
            )

    def done(score: int, *why: str) -> PhaseGrade:
        grade.score = max(1, min(4, score))
        grade.flags = list(dict.fromkeys(flags))
        grade.reasons = reasons + list(why)
        if grade.score > 1 or "off-topic" not in grade.flags:
            grade.evidence = _evidence(cleaned, f, said, [
                m.span for m in reading.misconceptions if reading.text == text])
        return grade

    # An estimate's slips are named whatever else decides the grade (a gate below may still
    # settle it at 1): a units mix-up the claim library recognises is the same kind of slip.
    units_claims = [m for m in reading.misconceptions if vocabulary.misconceptions is not None
                    and vocabulary.misconceptions.get(m.misconception_id).topic == "units"]
    slipped = phase == "estimate" and bool(reading.slips or units_claims)
    if slipped:
        flags.append("arithmetic")
    # Slips and wrong claims are named in whatever phase they were said, and whatever gate
    # settles the grade: "100M a day over 3,600 is 28,000/s" said while clarifying is still
    # a slip on the card. Only an estimate's slips cost points (below, and its gates).
    for slip in reading.slips[:2]:
        concern(text[slip.start : slip.end], slip.restatement)
    if reading.misconceptions and vocabulary.misconceptions is not None:
        flags.append("misconception")
        for claim in reading.misconceptions[:3]:
            concern(claim.quote, vocabulary.misconceptions.get(claim.misconception_id).grade.scorecard)

    # A clarify answer that only asks, but asks about what this problem turns on, is the
    # rubric's level 2 ("asks questions without turning the answers into requirements"): the
    # questions earn no evidence, but they are not nothing either.
    asks_well = phase == "clarify" and _asks_about_points(reading, whole, problem, rubric,
                                                          vocabulary)

    # -- gates ---------------------------------------------------------------------------
    if f.words < MIN_WORDS and not asks_well:
        flags.append("too-short")
        return done(1, f"{f.words} word(s): too short to show any reasoning")
    if checks.is_idk(whole, f):
        flags.append("idk")
        return done(1, "the answer says it does not know and offers no reasoned point")
    if checks.is_buzzword_list(f):
        flags.append("buzzwords")
        return done(
            1,
            f"{f.tech_terms + f.adjectives} technologies/adjectives with "
            f"{f.reasoning_sentences} reasoned sentence(s) and no numbers: vocabulary, not design",
        )
    if reading.off_topic == "off-topic":  # the interviewer's reading: steered back, scored 1
        flags.append("off-topic")
        return done(1, "talks about something other than this system (the team, the process)")
    # An answer making 60% of this phase's points is about this problem; the cross-problem
    # comparison (the most expensive step) is only needed below that.
    other = checks.other_problem(whole, problem, catalog) if f.coverage < 0.6 else None
    if other:
        flags.append("off-topic")
        return done(1, f"answers the {other!r} problem, not {problem.id!r}")
    wrong_phase = checks.other_phase(whole, problem, phase)
    if wrong_phase:
        flags.append("off-topic")
        return done(1, f"answers the {wrong_phase} phase, not {phase}")

    # -- points -------------------------------------------------------------------------
    total, point_reasons = points(f, phase, weights)
    grade.points = round(total, 3)
    reasons.extend(point_reasons)
    score = _score(total, weights)
    reasons.append(f"{total:.2f} points -> {score}")
    only_asks = asks_well and score < 2
    if only_asks:
        score = 2
        reasons.append("asks questions about the problem's own requirements without turning "
                       "them into requirements -> 2")

    # -- caps ---------------------------------------------------------------------------
    if phase == "estimate":
        if f.quantities == 0 and not reading.quantities:
            flags.append("no-numbers")
            return done(1, "an estimate with no numbers")
        if f.derivations == 0 and reading.worked == 0:  # figures in words count too
            flags.append("no-arithmetic")
            return done(1, "numbers stated but none derived from another: pulled from nowhere")
        before_caps = score
        if "peak" not in f.checkpoints.get(3, []):
            flags.append("no-peak")
            if score > 2:
                score = 2
                reasons.append("no peak load: average is treated as peak -> at most 2")
        if slipped:
            # one lower than the answer earned, at most 2: a missing peak caps it at 2 too, but
            # the two caps do not add up to a second point off
            score = min(2, score, before_caps - 1)
            reasons.append(
                "arithmetic slip: "
                + "; ".join([s.restatement for s in reading.slips[:2]]
                            + [c.quote for c in units_claims[:1]])
                + " -> one lower, at most 2"
            )
    if phase in ("design", "bottlenecks"):
        # A judged finding is a question the interviewer asks ("where does that run?"), not a
        # mistake the candidate made: it lowers nothing until the answer settles it.
        blocking = [f for f in reading.runtime if f.kind == "main-thread-blocking" and not f.judged]
        if blocking:
            flags.append("event-loop-blocking")
            score = min(2, score - 1)
            for finding in blocking[:2]:
                concern(finding.quote, f"{finding.category} work on the Node.js request path")
            reasons.append(
                f"blocking {blocking[0].category} work on the request path: "
                f"{blocking[0].quote[:120]!r} -> one lower, at most 2"
            )
        # Heavy work done per request on the libuv pool (sharp's async API, async bcrypt), or in
        # child processes spawned per request on the web hosts (ffmpeg, a renderer), does not
        # block the loop, but the rubric's "heavy work on the request path" still holds: four
        # pool threads queue every request behind it; the processes fight the loop for cores.
        # The first of these found caps the design at 2.
        for kind, flag, where in (
                ("libuv-pool-saturation", "pool-on-request-path",
                 ("work per request on the 4-thread libuv pool")),
                ("child-process-contention", "child-process-per-request",
                 ("child processes per request on the web hosts, competing with the event "
                  "loop for cores"))):
            heavy = [f for f in reading.runtime if f.kind == kind and not f.judged
                     and f.cost in ("heavy-by-nature", "heavy-by-size")]
            if heavy and not blocking:
                flags.append(flag)  # type: ignore[arg-type]
                score = min(2, score)
                concern(heavy[0].quote, f"{heavy[0].category} {where}")
                reasons.append(f"heavy {heavy[0].category} {where.split(',')[0]}: "
                               f"{heavy[0].quote[:120]!r} -> at most 2")
                break
        local = whole.local_state()
        if local:
            flags.append("local-state")
            score = min(2, score - 1)
            concern(local, "per-process state in a design that runs several processes")
            reasons.append(
                f"per-process state in a scaled-out design: {local[:120]!r} -> one lower, at most 2"
            )
    if reading.misconceptions and vocabulary.misconceptions is not None:
        entries = [vocabulary.misconceptions.get(m.misconception_id)
                   for m in reading.misconceptions]
        major = any(e.grade.severity == "major" for e in entries)
        if all(e.topic == "units" and "arithmetic" in flags
               or e.grade.same_mistake_as in flags for e in entries):
            # The units mix-up *is* the arithmetic slip already taken off (the belief that
            # cluster workers share memory *is* the per-process state): one mistake, one point.
            reasons.append("wrong claim: " + "; ".join(e.grade.scorecard for e in entries[:2])
                           + " (the same mistake as a red flag already counted: no further "
                             "point)")
        else:
            # One point off; a major one also bars the top grade (staff answers do not hold
            # it), however strong the rest of the answer is.
            score = min(3, score - 1) if major else score - 1
            reasons.append("wrong claim: " + "; ".join(e.grade.scorecard for e in entries[:2])
                           + (" -> one lower, at most 3" if major else " -> one lower"))
    if checks.is_rambling(f):
        flags.append("rambling")
        if score > 2:
            score = 2
            reasons.append("rambling: filler outweighs specifics -> at most 2")
    if calibrate and vocabulary.grade_calibration is not None and "injection" not in flags:
        moved = calibrated(vocabulary.grade_calibration, phase, text, score, bool(flags))
        if only_asks:
            moved = min(moved, 2)  # the rubric's level 2 is as far as questions alone go
        if moved != score:
            reasons.append(f"calibrated {score} -> {moved}: graded answers worded like this one "
                           f"were scored {'higher' if moved > score else 'lower'} by interviewers"
                           + (" (a red flag above still caps it)" if flags else ""))
            score = moved
    return done(score)
