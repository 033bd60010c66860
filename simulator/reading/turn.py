"""One candidate message read once, into the typed `Reading` the interviewer and grader share.

`read_turn` runs every reader of this package over the message exactly once: its dialogue acts,
quantities and the estimate slips between them, the work it places on or off the Node.js
request path and the runtime findings that follow, wrong claims from the misconception library,
the questions it asks the interviewer (and which facts they ask for), and the problem's
expected points it makes. Sentences that ask a question are never evidence of a point.

The vocabularies arrive as data (`Vocabulary`), built by `simulator.content` from the problem
and its fact sheet; this module reads no file and imports no other `simulator` package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from simulator.reading.acts import Act, filler_share, is_question, read_acts, sentences
from simulator.reading.anchors import AnchoredPattern, compile_anchored
from simulator.reading.answer import AnswerReading
from simulator.reading.answer import sentences as statement_sentences
from simulator.reading.asks import AskedQuestion, FactSheet, read_questions
from simulator.reading.claims import ClaimFinding, MisconceptionLibrary, find_misconceptions
from simulator.reading.event_loop import RuntimeFinding, judged_findings, runtime_findings
from simulator.reading.links import structure
from simulator.reading.quantities import Quantity, Slip, read_quantities
from simulator.reading.resemblance import RESEMBLANCE_FULL, TermWeights
from simulator.reading.slips import check_estimate
from simulator.reading.text_model import TextModel
from simulator.reading.topic import about_process, components, mentions_runtime, off_topic
from simulator.reading.word_forms import content_stems
from simulator.reading.work import WorkItem, read_work


@dataclass(frozen=True)
class PointCue:
    """One expected point of the problem and the cues (case-insensitive regexes) that show it."""

    id: str
    phase: str
    text: str
    cues: tuple[str, ...]
    weight: int = 1
    nodejs: bool = False
    patterns: tuple[AnchoredPattern, ...] = field(init=False, repr=False, compare=False)
    stems: frozenset[str] = field(init=False, repr=False, compare=False)  # of ``text``

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns",
                           tuple(compile_anchored(c) for c in self.cues))
        object.__setattr__(self, "stems", content_stems(self.text))

    def find(self, text: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            match = pattern.search(text)
            if match:
                return match
        return None


@dataclass(frozen=True)
class Vocabulary:
    """What the readers need to know about one problem: its points, the misconception library
    and its fact sheet (either may be absent: nothing is then found of that kind)."""

    points: tuple[PointCue, ...] = ()
    misconceptions: MisconceptionLibrary | None = None
    facts: FactSheet | None = None
    topic: frozenset[str] = frozenset()  # the problem's own words (title, statement)
    others: tuple[tuple[str, tuple[PointCue, ...]], ...] = ()  # other problems' points
    # how much each word says, over every problem's points (to see a point said in plain words)
    term_weights: TermWeights | None = None
    # the learned event-loop reader: whether a turn needs a runtime probe, and of which kind
    event_loop_model: TextModel | None = None
    event_loop_kinds: TextModel | None = None
    # the grader's calibration, fitted on graded answers (see simulator.grading.calibration)
    grade_calibration: TextModel | None = None


class PointHit(BaseModel):
    """An expected point the message makes, with the sentence that makes it."""

    model_config = ConfigDict(frozen=True)

    id: str
    phase: str
    quote: str
    start: int
    end: int
    phrase: str = ""  # the clause of ``quote`` that makes the point, in the candidate's words
    # Said as a decision: not hedged ("maybe use blockchain"), a slogan ("which is best
    # practice"), a shortcut ("we just set the status") or a bare name. Only a committed point
    # is quoted back by the interviewer or counts as evidence for a dimension.
    committed: bool = True
    # Said in the candidate's own words: no cue matched, but the sentence shares at least
    # RESEMBLANCE_FULL of the point's weighted words. Counts as made; never quoted as a decision.
    paraphrase: bool = False


# not the comma in "3,600" nor the colon in "10:1"
_CLAUSE_BREAK = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;()\u2014\u2013]|\s-\s|"
                           r"\b(?:and|but|so|which|because|while)\b", re.IGNORECASE)


def _clause(text: str, start: int, end: int, lo: int, hi: int) -> str:
    """The clause of ``text[lo:hi]`` around the match ``start:end``."""
    left, right = lo, hi
    for br in _CLAUSE_BREAK.finditer(text, lo, hi):
        if br.end() <= start:
            left = br.end()
        elif br.start() >= end:
            right = br.start()
            break
    return text[left:right].strip(" .!?\n\t\"'")


class Reading(BaseModel):
    """Everything one candidate message says, as far as the offline readers can tell."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: str
    acts: list[Act] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    slips: list[Slip] = Field(default_factory=list)
    work: list[WorkItem] = Field(default_factory=list)
    runtime: list[RuntimeFinding] = Field(default_factory=list)
    misconceptions: list[ClaimFinding] = Field(default_factory=list)
    questions: list[AskedQuestion] = Field(default_factory=list)
    points: list[PointHit] = Field(default_factory=list)
    # For each point no cue found: (how closely a sentence says it in other words, 0-1, and
    # that sentence's index among the statements' sentences); points sharing no word are absent.
    resemblance: dict[str, tuple[float, int]] = Field(default_factory=dict)
    filler: float = 0.0  # share of sentences that are generic filler
    runtime_mentioned: bool = False  # talks about the event loop, threads, heap...
    components: list[str] = Field(default_factory=list)  # infrastructure named, in order
    # figures worked out from others ("six hundred times two is twelve hundred"), in any
    # spelling: what makes an estimate arithmetic rather than figures pulled from nowhere
    worked: int = 0

    @property
    def design_terms(self) -> int:
        return len(self.components)
    off_topic: str | None = None  # "off-topic", or the other problem it answers

    def has(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.acts)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def spelled(self, name: str) -> str:
        """``name`` (a component as the reader normalises it) in the candidate's own spelling
        ("Cassandra", not "cassandra"), so a question can name it back as they wrote it."""
        said = re.search(re.escape(name), self.text, re.IGNORECASE)
        return said.group(0) if said else name

    def point_ids(self, phase: str | None = None) -> list[str]:
        return [p.id for p in self.points if phase is None or p.phase == phase]

    @property
    def asked_facts(self) -> list[str]:
        return list(dict.fromkeys(f for q in self.questions if q.kind == "clarifying"
                                  for f in q.fact_ids))


@lru_cache(maxsize=64)
def statements(text: str) -> str:
    """``text`` with every question sentence blanked (offsets kept): a question is no evidence.

    Remembered for the last few texts (a pure function of the string): the reader and the
    grader both ask it of the same message."""
    chars = list(text)
    for s in sentences(text):
        if is_question(s.text):
            chars[s.start:s.end] = " " * (s.end - s.start)
    return "".join(chars)


def _sentence_around(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence (of ``spans``, the message's sentences) holding ``start``."""
    for s_start, s_end in spans:
        if s_start <= start < s_end:
            return s_start, max(s_end, end)
    return start, end


#: Hedges, slogans and shortcuts: a point said this way is not a decision.
_HEDGED = re.compile(r"\b(maybe|perhaps|probably|might|i guess|i suppose|not sure|somehow|"
                     r"or something|kind of|sort of|could (just )?use|"
                     r"best practices?|industry standard|more (scalable|flexible)|just)\b",
                     re.IGNORECASE)


def _committed(quote: str, phrase: str) -> bool:
    return len((phrase or quote).split()) >= 3 and not _HEDGED.search(quote)


def _points(text: str, points: Sequence[PointCue]) -> list[PointHit]:
    said = statements(text)
    hits = []
    spans: list[tuple[int, int]] | None = None  # the sentences, split once when first needed
    for point in points:
        match = point.find(said)
        if match:
            if spans is None:
                spans = [(s.start, s.end) for s in sentences(text)]
            start, end = _sentence_around(spans, match.start(), match.end())
            quote = text[start:end].strip()
            phrase = _clause(text, match.start(), match.end(), start, end)
            hits.append(PointHit(id=point.id, phase=point.phase, quote=quote, start=start,
                                 end=end, phrase=phrase, committed=_committed(quote, phrase)))
    return hits


# Phases whose answers name no server-side work: the learned event-loop reader stays out.
_NO_SERVER_WORK = ("clarify", "estimate")


# Words that put an estimate's figures on a server: "per request", "in the handler", "in memory"
_SERVER_WORDS = re.compile(
    r"\b(?:requests?|handler|endpoint|route|in[- ]process|in[- ]memory|heap|ram|sort\w*|loop\w*|"
    r"pars\w*|rank\w*|scan\w*|iterat\w*|comput\w*|load\w*|buffer\w*|hold\w*|keep\w*|"
    r"cache\w*|node|event loop|thread\w*|cpu)\b", re.IGNORECASE)


def _all_arithmetic(text: str, quantities: Sequence[Quantity]) -> bool:
    """A turn that only works figures out ("Half a million uploads a day at 4 MB each comes to
    about 2 GB a day"): every sentence derives a figure and none puts work on a server. The
    learned reader, fitted on design turns, reads such volume as memory held in a process."""
    parts = [s for s in sentences(text) if s.text.strip()]
    if not parts or _SERVER_WORDS.search(text):
        return False
    derived = {quantities[r.index].start for r in structure(text, list(quantities))}
    return all(any(s.start <= d < s.end for d in derived) for s in parts)


def _runtime(text: str, work: list[WorkItem], prior_work: Sequence[WorkItem],
             vocabulary: Vocabulary, phase: str | None, quantities: Sequence[Quantity] = ()
             ) -> list[RuntimeFinding]:
    """The clause readers' runtime findings, checked by the learned reader where it applies."""
    findings = runtime_findings(text, list(prior_work) or None, work=work)
    if phase in _NO_SERVER_WORK:
        return findings
    judged = judged_findings(text, work, findings, vocabulary.event_loop_model,
                             vocabulary.event_loop_kinds)
    if judged and not findings and _all_arithmetic(text, quantities):
        return findings  # asked only when the learned reader would probe: it re-reads the links
    return judged


def read_turn(text: str, vocabulary: Vocabulary = Vocabulary(), *,
              prior_quantities: Sequence[Quantity] = (),
              prior_work: Sequence[WorkItem] = (), phase: str | None = None) -> Reading:
    """Read ``text`` once. ``prior_*`` are what earlier turns of the same interview said: an
    estimate may use an earlier turn's numbers, and work moved off the request path earlier
    stays off it when mentioned again. ``phase``, when known, keeps the learned event-loop
    reader to the phases it was fitted on: requirements and estimates name no server work."""
    acts = read_acts(text)
    if any(a.kind == "command" for a in acts):
        return Reading(text=text, acts=acts)
    work = read_work(text, list(prior_work) or None)
    quantities = read_quantities(text)
    slips, worked = check_estimate(text, list(prior_quantities) or None, quantities)
    reading = Reading(
        text=text,
        acts=acts,
        quantities=quantities,
        slips=slips,
        work=work,
        runtime=_runtime(text, work, prior_work, vocabulary, phase, quantities),
        misconceptions=(find_misconceptions(text, vocabulary.misconceptions)
                        if vocabulary.misconceptions else []),
        questions=_questions(text, acts, vocabulary.facts),
        points=_points(text, vocabulary.points),
        filler=filler_share(text),
        runtime_mentioned=mentions_runtime(text),
        components=components(text),
        worked=worked,
    )
    if vocabulary.term_weights is not None:
        _add_paraphrases(reading, vocabulary.points, vocabulary.term_weights)
    _add_content_acts(reading)
    # a claim the misconception library knows is about a system, if a wrong one
    technical = (reading.runtime or reading.runtime_mentioned or len(reading.quantities) >= 2
                 or bool(reading.misconceptions))
    steering = any(reading.has(k) for k in ("idk", "move-on", "reveal-attempt", "pushback",
                                            "judgement-question", "go-back", "hint-request"))
    steering = steering or any(q.fact_ids or q.unsettled for q in reading.questions)
    # Another problem's points are looked for only when none of this problem's are made (the
    # only case where they decide anything): that search is the slowest part of reading.
    if vocabulary.points and not (technical or steering or reading.points):
        said = statements(text)
        others = [(pid, sum(1 for p in pts if p.find(said))) for pid, pts in
                  vocabulary.others]
        reading.off_topic = off_topic(text, len(reading.points), vocabulary.topic, others)
    elif (vocabulary.points and not (steering or reading.points or reading.runtime
                                     or reading.misconceptions)
          and about_process(text, vocabulary.topic)):
        reading.off_topic = "off-topic"
    return reading


def _add_paraphrases(reading: Reading, points: Sequence[PointCue],
                     weights: TermWeights) -> None:
    """Points made in plain words: the interviewer stops asking for them and the grader
    credits them, from this one measure (questions are blanked first: asking is not saying)."""
    found = {h.id for h in reading.points}
    missing = [p for p in points if p.id not in found]
    if not missing:
        return
    said = statements(reading.text)
    answer = AnswerReading(text=said, sentences=statement_sentences(said))
    for point in missing:
        share, where = answer.resembles(point.stems, weights)
        if where < 0:
            continue
        reading.resemblance[point.id] = (share, where)
        if share >= RESEMBLANCE_FULL:
            s = answer.sentences[where]
            reading.points.append(PointHit(
                id=point.id, phase=point.phase, quote=reading.text[s.start:s.end].strip(),
                start=s.start, end=s.end, committed=False, paraphrase=True))


def _questions(text: str, acts: Sequence[Act], sheet: FactSheet | None) -> list[AskedQuestion]:
    """The questions the message asks the interviewer; a request to go back is not one."""
    if sheet is None:
        return []
    back = [a for a in acts if a.kind == "go-back"]
    return [q for q in read_questions(text, sheet)
            if not any(q.span[0] <= a.start < q.span[1] for a in back)]


def _add_content_acts(reading: Reading) -> None:
    """Acts the content readers find: diagnoses and work moved off the request path."""
    for item in reading.work:
        kind = {"diagnoses": "diagnosis", "fixes": "moves-work-off-path"}.get(item.stance)
        if kind and not any(a.kind == kind and a.start <= item.span[0] < a.end
                            for a in reading.acts):
            reading.acts.append(Act(kind=kind, quote=item.quote, start=item.span[0],  # type: ignore[arg-type]
                                    end=item.span[1]))
    if reading.questions:
        # The question reader knows judgement from clarifying better than the wording alone.
        kinds = {(q.span[0]): q.kind for q in reading.questions}
        fixed = []
        for act in reading.acts:
            if act.kind in ("clarifying-question", "judgement-question"):
                for start, kind in kinds.items():
                    if act.start <= start < act.end and kind in ("clarifying", "judgement"):
                        act = act.model_copy(update={"kind": f"{kind}-question"})
            fixed.append(act)
        reading.acts = fixed
