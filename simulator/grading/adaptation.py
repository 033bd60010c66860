"""How well the candidate adapted: their answer to the curveball and to the 10x stretch, 1-4.

A requirement change mid-interview is the closest an interview gets to a real project, so
the rubric grades the answer to it on its own, apart from the phase it fell in:

1. ignores the change (restates the old design, talks of something else), "I don't know",
   or a line of filler;
2. acknowledges it but stays generic ("add servers", "cache it", a list of buzzwords) without
   saying which part of *their* design changes, or proposes something the change rules out;
3. says concretely what changes (which component, data or flow, and how), and what stays;
4. a 3 that also re-derives numbers for the new situation, names a trade-off with its reason,
   or handles what the change does to the Node.js runtime.

A wrong claim costs one grade and an arithmetic slip keeps it below 4, as in the phase grader.
The grade comes from the shared reading of the answer (acts, components, quantities, slips,
misconceptions, runtime findings), plus how much of the answer is about the change at all:
its words against the change's own words (the modifier's detail, topics and what a good answer
looks for, or the stretch question). Everything is a pure function of its inputs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from simulator.content.interviewer import InterviewerPrompts
from simulator.content.modifiers import Modifier, Modifiers
from simulator.reading.record import InterviewRecord
from simulator.reading.turn import Reading

Kind = Literal["curveball", "stretch"]

#: Words of the requirement change an answer must use to count as taking it up.
ENGAGED_WORDS = 3
#: Figures (not bare numbers) that count as re-deriving the numbers for the new situation.
NUMBERS_FOR_4 = 3

# Words that say a part of the design changes, or that one stays (the question asks both).
_CHANGE = re.compile(
    r"\b(instead( of)?|switch\w*|replac\w*|mov(e|es|ed|ing)|split\w*|separat\w*|add(s|ed|ing)?|"
    r"introduc\w*|drop\w*|chang\w*|becom\w*|turns? into|no longer|stop\w*|shard\w*|"
    r"partition\w*|re-?key\w*|offload\w*|push\w*|pull\w*|batch\w*|throttl\w*|rate[- ]limit\w*|"
    r"prioriti[sz]\w*|queue[sd]?|fan[- ]?out|route[sd]?|routing|merge[sd]?|merging|flag\w*|"
    r"stor(e|es|ed|ing)|sav(e|es|ed|ing)|writ(e|es|ten|ing)|encrypt\w*|sign(s|ed|ing)?|"
    r"fetch\w*|forward\w*|lower\w*|rais(e|es|ed|ing)|cap(s|ped)?|limit\w*|back(s)? off|"
    r"retr(y|ies|ied)|spread\w*|scal(e|es|ed|ing)|get (its|their) own|gets? (its|their) own|"
    r"go(es)? (direct|straight)|upload\w*|cach(e|es|ed|ing)|replicat\w*|per (device|region|"
    r"recipient|tenant|user|shard|currency|author))\b", re.IGNORECASE)
# The parts of a design a change can touch.
_PART = re.compile(
    r"\b(servers?|services?|queues?|workers?|gateways?|stores?|databases?|db|tables?|caches?|"
    r"timelines?|ledgers?|buckets?|api|paths?|process(es)?|nodes?|shards?|partitions?|replicas?|"
    r"regions?|topics?|consumers?|producers?|providers?|entries|rows?|keys?|index(es)?|devices?|"
    r"connections?|sockets?|lanes?|clusters?|fleets?|pools?|threads?|loop|postings?|accounts?|"
    r"lists?|blobs?|urls?|senders?|routers?|middleware|limiters?|buckets?|counters?|fetchers?|"
    r"parsers?|frontier|crawlers?|encoders?|transcod\w*|cdn|edge|origin|redis|kafka|postgres\w*|"
    r"s3|sqs|cassandra|dynamodb|mongodb|mysql|orders?|records?|schema|columns?|fields?)\b",
    re.IGNORECASE)
_STAYS = re.compile(
    r"\b(stays?( the same)?|unchanged|doesn'?t change|don'?t change|does not change|still|"
    r"keep(s|ing)?|as before|same as)\b", re.IGNORECASE)
# A runtime point made with a mechanism, not "anything CPU-heavy goes elsewhere".
_RUNTIME_SPECIFIC = re.compile(
    r"\b(worker[_ ]threads?|libuv|thread ?pool|UV_THREADPOOL_SIZE|cluster|pm2|piscina|heap|gc|"
    r"garbage[- ]collect\w*|max-old-space-size|event[- ]loop (lag|utili[sz]ation)|ELU|"
    r"\d+ ?ms (of )?cpu|cpu[- ]bound|per core|\d+ cores?|event[- ]loop|main thread|"
    r"(off|in|inside) (the )?node(\.js)?( middleware| process(es)?)?|node(\.js)? process(es)?)\b",
    re.IGNORECASE)
# Naming what gives way first under the new load.
_BREAKS = re.compile(
    r"\b(breaks?( first)?|falls? (over|behind)|runs? out of|gets? overloaded|overload\w*|"
    r"saturat\w*|is the (wall|limit|bottleneck)|bottleneck|hits? (its|the|a) [\w-]+ "
    r"(limit|cap|ceiling)|can'?t (keep up|go through)|first to go)\b", re.IGNORECASE)
_TRADE = re.compile(
    r"\b(trade-?offs?|at the (cost|price|expense) of|costs? (us|more|less)|rather than|"
    r"in exchange|the downside|downside is|we lose|we give up|worth it|not worth|the price is|"
    r"the catch is|in return)\b", re.IGNORECASE)
_GENERIC = re.compile(
    r"\b(scale (it )?(up|out|horizontally)|add (more )?(servers|instances|nodes|machines)|"
    r"more servers|auto-?scal\w*|kubernetes|microservices?|service mesh|best practices?|"
    r"just cache|cache (it|everything)|throw (more )?hardware)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
_STOP = frozenset(
    ["about", "after", "again", "also", "because", "before", "being", "between", "both", "could", "does", "each", "from", "have", "into", "just", "like", "long", "make", "many", "more", "most", "much", "must", "only", "other", "over", "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "through", "time", "very", "what", "when", "where", "which", "while", "will", "with", "would", "your", "design", "change", "changes", "stays", "part", "first", "breaks", "what's"])


def change_words(question: str, modifier: Modifier | None,
                 problem_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of the change itself, less the problem's own words (its title and statement):
    talking about them is talking about the change, not about the problem in general."""
    parts = [question]
    if modifier is not None:
        parts += [modifier.label, modifier.detail, *modifier.topics,
                  *(t for texts in modifier.look_for.values() for t in texts),
                  *(p.text for p in modifier.probes)]
    else:
        parts.append("ten times traffic load scale peak capacity throughput bottleneck")
    found = {w for w in _WORD.findall(" ".join(parts).lower()) if w not in _STOP}
    return frozenset(found | {w.rstrip("s") for w in found}) - problem_words


class AdaptationGrade(BaseModel):
    """The grade of one adaptation, with the words that earned it and why."""

    kind: Kind
    question: str
    score: int = Field(ge=1, le=4)
    quote: str = ""
    reasons: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class _Signals:
    words: int
    on_change: int  # distinct words of the change the answer uses
    concrete: int  # sentences naming a component or proposing, with a change word
    stays: bool
    numbers: int
    trade_off: bool
    runtime: bool
    generic: int
    components: int
    diagnosis: bool  # names what breaks ("the gateways run out of sockets first")


def _signals(readings: Sequence[Reading], vocab: frozenset[str]) -> _Signals:
    text = " ".join(r.text for r in readings)
    words = {w.rstrip("s") for w in _WORD.findall(text.lower())}
    concrete = 0
    for r in readings:
        for sentence in re.split(r"(?<=[.!?;])\s+", r.text):
            proposes = any(a.kind in ("proposal", "moves-work-off-path") and a.quote
                           and a.quote in sentence for a in r.acts)
            if "?" not in sentence and (proposes or _CHANGE.search(sentence)
                                        and _PART.search(sentence)):
                concrete += 1
    return _Signals(
        words=sum(r.words for r in readings),
        on_change=len(words & vocab),
        concrete=concrete,
        stays=bool(_STAYS.search(text)),
        numbers=sum(1 for r in readings for q in r.quantities if "bare" not in q.tags),
        trade_off=bool(_TRADE.search(text)),
        # A runtime point made with a wrong claim about the runtime is not handling it.
        runtime=(bool(_RUNTIME_SPECIFIC.search(text))
                 and not any(r.runtime or r.misconceptions for r in readings)),
        generic=len(_GENERIC.findall(text)),
        components=len({c for r in readings for c in r.components}),
        diagnosis=any(r.has("diagnosis") for r in readings) or bool(_BREAKS.search(text)),
    )


def grade_adaptation(kind: Kind, question: str, readings: Sequence[Reading],
                     modifier: Modifier | None = None,
                     problem_words: frozenset[str] = frozenset()) -> AdaptationGrade:
    """Grade the candidate's answer (one or more turns) to a curveball or a stretch."""
    answered = [r for r in readings if r.text.strip()]
    quote = _quote(answered)
    if not answered or all(r.has("idk") for r in answered):
        return AdaptationGrade(kind=kind, question=question, score=1, flags=["idk"],
                               reasons=["no answer to the change"])
    s = _signals(answered, change_words(question, modifier, problem_words))
    reasons: list[str] = []
    flags: list[str] = []
    # Taking up the change: a requirement change has words of its own the answer must use; a
    # stretch is taken up by naming what breaks or what changes at the new load.
    engaged = (s.on_change >= ENGAGED_WORDS or s.on_change and s.concrete if kind == "curveball"
               else s.on_change >= 1 or s.diagnosis or s.concrete >= 1)
    if s.words < 8 or any(r.off_topic for r in answered) or not engaged:
        return AdaptationGrade(kind=kind, question=question, score=1, quote=quote,
                               flags=["ignored"], reasons=["does not take up the change"])
    score = 2
    reasons.append(f"takes up the change ({s.on_change} of its words)" if kind == "curveball"
                   else "takes up the new load")
    if (s.concrete >= 2 or s.concrete and (s.stays or s.diagnosis or s.numbers >= NUMBERS_FOR_4)
            ) and s.generic <= s.concrete:
        score = 3
        reasons.append(f"says what changes in the design ({s.concrete} concrete sentence(s))"
                       + (" and what stays" if s.stays else ""))
        extras = [name for name, ok in (("re-derives numbers", s.numbers >= NUMBERS_FOR_4),
                                        ("names a trade-off", s.trade_off),
                                        ("handles the Node.js runtime", s.runtime)) if ok]
        if extras:
            score = 4
            reasons.append(", ".join(extras))
    elif s.generic:
        flags.append("generic")
        reasons.append("stays generic: no part of the design is named as changing")
    slips = [sl for r in answered for sl in r.slips]
    wrong = [m for r in answered for m in r.misconceptions]
    blocking = [f for r in answered for f in r.runtime]
    if slips and score == 4:
        score = 3
        flags.append("arithmetic")
        reasons.append("an arithmetic slip in the new numbers")
    if wrong:
        score = max(1, score - 1)
        flags.append("misconception")
        reasons.append(f"a wrong claim: \"{wrong[0].quote[:80]}\"")
    elif blocking and score > 2:
        score -= 1
        flags.append("event-loop-blocking")
        reasons.append("puts blocking work on the Node.js request path")
    return AdaptationGrade(kind=kind, question=question, score=score, quote=quote,
                           reasons=reasons, flags=flags)


def _quote(readings: Sequence[Reading], limit: int = 160) -> str:
    text = " ".join(" ".join(r.text.split()) for r in readings)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stretch_ids(prompts: InterviewerPrompts) -> frozenset[str]:
    """Probe ids of the 10x stretch: the generic one and the ladder rungs marked stretch."""
    return frozenset({"stretch"} | {f"ladder-{phase}-{i}" for phase, rungs in prompts.ladders.items()
                                    for i, rung in enumerate(rungs) if rung.stretch})


def grade_adaptations(record: InterviewRecord, prompts: InterviewerPrompts,
                      modifiers: Modifiers) -> list[AdaptationGrade]:
    """Every curveball and stretch of the interview, graded on the candidate's answer: the
    candidate turns after the question until the interviewer moves to another question (a
    restatement of the same question keeps the answer open)."""
    stretches = stretch_ids(prompts)
    grades = []
    entries = record.entries
    for i, entry in enumerate(entries):
        probe = entry.probe or ""
        if entry.role != "interviewer" or not (probe.startswith("curveball-") or probe in stretches):
            continue
        answers = []
        for later in entries[i + 1:]:
            if later.role == "candidate":
                if later.reading is not None:
                    answers.append(later.reading)
            elif later.probe and later.probe != probe or later.intent == "transition":
                break
        if probe.startswith("curveball-"):
            modifier = modifiers.by_id.get(probe.removeprefix("curveball-"))
            grades.append(grade_adaptation("curveball", entry.text, answers, modifier,
                                           record.vocabulary.topic))
        else:
            grades.append(grade_adaptation("stretch", entry.text, answers,
                                           problem_words=record.vocabulary.topic))
    return grades
