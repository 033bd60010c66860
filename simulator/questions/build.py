"""Drafts and questions: what a candidate question is, and how it becomes a full entry.

Generation works in two steps so that the expensive part only runs for questions that are
kept. A :class:`Draft` is cheap (problem, assumptions, wording, topics) and is all that
de-duplication needs; :func:`enrich` turns a kept draft into a :class:`Question` with
clarifications, calculator figures, probes, rubric rows, red flags and sources. Offline
variants, deep dives and LLM-proposed variants all go through the same :func:`enrich`, so an
LLM variant gets exactly the same numbers and rubric treatment as an offline one.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

from simulator.capacity import (
    TrafficAssumptions,
    event_loop,
    human_bytes,
    human_count,
    human_rate,
    traffic,
)
from simulator.content.loader import Content
from simulator.content.modifiers import Modifier, Modifiers
from simulator.content.problems import PHASE_SECTIONS, PHASES, Phase, Problem
from simulator.content.rubric import Rubric
from simulator.questions.grounding import Article
from simulator.questions.models import (
    EstimationTarget,
    Level,
    Question,
    QuestionKind,
    QuestionProbe,
    RubricAnchor,
    SourceRef,
)

__all__ = ["LEVEL_BAR", "Context", "Draft", "base_topics", "enrich", "question_core", "short_title"]

#: The phase score a hire at each level should reach; mirrors the rubric's level rules
#: (mid: average >= 2, senior: design and bottlenecks >= 3, staff: average >= 3.5).
LEVEL_BAR: dict[str, int] = {"mid": 2, "senior": 3, "staff": 4}

_LEVEL_CLOSING: dict[str, str] = {
    "mid": "Start with a design that works end to end, then make it scale.",
    "senior": "Cover the numbers, the design and what breaks first.",
    "staff": "Say where this design stops working and what you would change at 10x.",
}
#: Sources listed per question: the deep-dive and modifier articles, then the problem's own.
MAX_SOURCES = 8
_SECTION_PREFIX = {"functional": "Functional", "non_functional": "Non-functional",
                   "out_of_scope": "Out of scope"}
_RUNTIME_TOPICS = {"event-loop", "libuv", "worker-threads", "memory", "cluster", "runtime",
                   "v8", "garbage-collection", "thread-pool", "pm2"}


@dataclass(frozen=True)
class Context:
    """What every question of one bank shares: inputs and the loaded reference data."""

    level: Level
    seed: int
    content: Content
    articles: dict[str, Article]

    @property
    def rubric(self) -> Rubric:
        return self.content.rubric

    @property
    def modifiers(self) -> Modifiers:
        return self.content.modifiers


@dataclass(frozen=True)
class Draft:
    """A candidate question before enrichment; ``text`` is what de-duplication compares."""

    id: str
    kind: QuestionKind
    problem: Problem
    assumptions: TrafficAssumptions
    title: str
    text: str
    variant: str | None
    topics: tuple[str, ...]
    modifier: Modifier | None = None
    article: Article | None = None
    sections: tuple[str, ...] = field(default=())


# -- wording ---------------------------------------------------------------------------------


def short_title(problem: Problem) -> str:
    """'Design a chat service' -> 'Chat service'."""
    text = re.sub(r"^design (an?|the)\s+", "", problem.title, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def question_core(problem: Problem) -> str:
    """The catalog statement without its closing question ('Where would you start?')."""
    sentences = re.split(r"(?<=[.?!])\s+", " ".join(problem.statement.split()))
    kept = [s for s in sentences if not s.endswith("?")]
    return " ".join(kept) or problem.statement


def scale_sentence(problem: Problem, a: TrafficAssumptions, phrase: str | None, noun: str) -> str:
    tail = f", {phrase}" if phrase else ""
    return f"Plan for about {human_count(a.dau)} {noun}{tail}."


def closing(level: Level) -> str:
    return _LEVEL_CLOSING[level]


def base_topics(problem: Problem, articles: dict[str, Article]) -> list[str]:
    """The problem's topics: its own design article's, without the 'classic-question' tag."""
    topics = [problem.id]
    for article_id in problem.articles:
        article = articles.get(article_id)
        if article and article_id.startswith("design-"):
            topics += [t for t in article.topics if t != "classic-question"]
            break
    return list(dict.fromkeys(topics))


def is_runtime_article(article: Article) -> bool:
    """True for articles about the Node.js runtime itself (their probes are Node.js probes)."""
    return article.id.startswith("nodejs-") or bool(_RUNTIME_TOPICS & set(article.topics))


def stable_rng(*parts: object) -> random.Random:
    """A Random seeded from text, so the same inputs give the same choices in any process."""
    return random.Random(":".join(str(p) for p in parts))


def text_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


# -- enrichment ------------------------------------------------------------------------------


def _targets(a: TrafficAssumptions) -> list[EstimationTarget]:
    est = traffic(a)
    f = est.formulas
    pf = f"{a.peak_factor:g}"
    out = [
        EstimationTarget(id="total_qps_avg", label="Average requests/s (reads + writes)",
                         value=est.total_qps_avg, display=human_rate(est.total_qps_avg),
                         formula=f["total_qps_avg"]),
        EstimationTarget(id="peak_qps", label="Peak requests/s", value=est.peak_qps,
                         display=human_rate(est.peak_qps), formula=f["peak_qps"]),
    ]
    if est.read_qps_peak:
        out.append(EstimationTarget(
            id="read_qps_peak", label="Peak reads/s", value=est.read_qps_peak,
            display=human_rate(est.read_qps_peak, "reads/s"),
            formula=f"{human_rate(est.read_qps_avg, 'reads/s')} x {pf} peak factor = "
                    f"{human_rate(est.read_qps_peak, 'reads/s')}"))
    if est.write_qps_peak:
        out.append(EstimationTarget(
            id="write_qps_peak", label="Peak writes/s", value=est.write_qps_peak,
            display=human_rate(est.write_qps_peak, "writes/s"),
            formula=f"{human_rate(est.write_qps_avg, 'writes/s')} x {pf} peak factor = "
                    f"{human_rate(est.write_qps_peak, 'writes/s')}"))
    if est.read_write_ratio is not None:
        out.append(EstimationTarget(
            id="read_write_ratio", label="Reads per write", value=est.read_write_ratio,
            display=f"{est.read_write_ratio:,.3g}:1", formula=f["read_write_ratio"]))
    if est.storage_bytes_per_day:
        out.append(EstimationTarget(
            id="storage_bytes_per_day", label="New storage per day",
            value=est.storage_bytes_per_day,
            display=f"{human_bytes(est.storage_bytes_per_day)}/day",
            formula=f["storage_bytes_per_day"]))
        out.append(EstimationTarget(
            id="storage_bytes_retention", label=f"Storage over {a.retention_days:,} days",
            value=est.storage_bytes_retention, display=human_bytes(est.storage_bytes_retention),
            formula=f["storage_bytes_retention"]))
    if est.ingress_bytes_per_s_peak:
        out.append(EstimationTarget(
            id="ingress_bytes_per_s_peak", label="Peak ingress",
            value=est.ingress_bytes_per_s_peak,
            display=f"{human_bytes(est.ingress_bytes_per_s_peak)}/s",
            formula=f["ingress_bytes_per_s"]))
    if est.egress_bytes_per_s_peak:
        out.append(EstimationTarget(
            id="egress_bytes_per_s_peak", label="Peak egress", value=est.egress_bytes_per_s_peak,
            display=f"{human_bytes(est.egress_bytes_per_s_peak)}/s",
            formula=f["egress_bytes_per_s"]))
    if est.concurrent_connections:
        out.append(EstimationTarget(
            id="concurrent_connections", label="Concurrent connections at peak",
            value=est.concurrent_connections, display=human_count(est.concurrent_connections),
            formula=f["concurrent_connections"]))
    out.append(EstimationTarget(
        id="cpu_cores_at_peak", label="Node.js processes for the peak (70% busy)",
        value=est.cpu_cores_at_peak, display=f"{est.cpu_cores_at_peak:,} processes",
        formula=f["cpu_cores_at_peak"]))
    loop = event_loop(a.cpu_ms_per_request, est.peak_qps, processes=est.cpu_cores_at_peak)
    out.append(EstimationTarget(
        id="event_loop_utilisation",
        label=f"Event-loop load per process at peak ({loop.processes:,} processes)",
        value=loop.utilisation,
        display=f"{loop.utilisation:.0%} busy, ~{loop.response_time_ms:.3g} ms mean response",
        formula=f"{loop.formulas['utilisation']}; wait {loop.formulas['queue_wait_ms']} "
                f"(M/M/1)"))
    return out


def _clarifications(draft: Draft, ctx: Context) -> list[str]:
    problem, a, mod = draft.problem, draft.assumptions, draft.modifier
    dropped = set(mod.drop_clarify) if mod else set()
    out = list(mod.clarify) if mod else []
    for section, prefix in _SECTION_PREFIX.items():
        out += [f"{prefix}: {e.text}" for e in problem.expectations(section) if e.id not in dropped]
    numbers = (
        f"Numbers to give if asked: {human_count(a.dau)} {ctx.modifiers.scale_noun(problem.id)}, "
        f"{a.reads_per_user_per_day:g} reads and {a.writes_per_user_per_day:g} writes per user "
        f"a day, ~{human_bytes(a.read_size_bytes)} per read and "
        f"~{human_bytes(a.write_size_bytes)} per write, peak {a.peak_factor:g}x the average, "
        f"kept {a.retention_days:,} day{'' if a.retention_days == 1 else 's'}, "
        f"~{a.cpu_ms_per_request:g} ms of Node.js CPU per request"
    )
    if a.concurrent_fraction:
        numbers += f", {a.concurrent_fraction:.0%} of users connected at peak"
    return [*out, numbers + "."]


def _probes(draft: Draft, ctx: Context, est_peak: float) -> dict[Phase, list[QuestionProbe]]:
    problem, a = draft.problem, draft.assumptions
    probes: dict[Phase, list[QuestionProbe]] = {p: [] for p in PHASES}
    if draft.modifier:
        for mp in draft.modifier.probes:
            probes[mp.phase].append(QuestionProbe(text=mp.text, nodejs=mp.nodejs))
    if draft.article:
        runtime = is_runtime_article(draft.article)
        phase: Phase = "bottlenecks" if runtime else "design"
        for section in draft.sections:
            probes[phase].append(QuestionProbe(
                text=f'How does "{section}" apply to this design, at these numbers?',
                nodejs=runtime))
    if not any(p.nodejs for p in probes["estimate"]):
        probes["estimate"].append(QuestionProbe(
            text=f"At about {human_rate(est_peak)} at peak and ~{a.cpu_ms_per_request:g} ms of "
                 "main-thread CPU per request, how many Node.js processes do you need, and how "
                 "busy is each event loop?", nodejs=True))
    for phase in PHASES:
        probes[phase] += [QuestionProbe(text=p.text, nodejs=problem.is_nodejs_probe(p))
                          for p in problem.probes[phase]]
    if ctx.level == "staff":
        probes["trade-offs"].append(QuestionProbe(
            text=f"At 10x this scale (about {human_count(a.dau * 10)} "
                 f"{ctx.modifiers.scale_noun(problem.id)}), which decision flips first, and what would you "
                 "move to?"))
    return probes


def _keeps(weight: int, nodejs: bool, level: Level) -> bool:
    """Which catalog expectations a level is held to: essentials for mid, plus the Node.js
    runtime points for senior, everything for staff."""
    if level == "staff":
        return True
    if level == "senior":
        return weight == 2 or nodejs
    return weight == 2


def _rubric(draft: Draft, ctx: Context, targets: list[EstimationTarget]) -> list[RubricAnchor]:
    problem, mod = draft.problem, draft.modifier
    dropped = set(mod.drop_clarify) if mod else set()
    rows = []
    for phase in PHASES:
        pr = ctx.rubric.phases[phase]
        look: list[str] = list(mod.look_for.get(phase, [])) if mod else []
        if draft.article and phase == ("bottlenecks" if is_runtime_article(draft.article)
                                       else "design"):
            look.append(f"From '{draft.article.title}': {draft.article.strong_answer}")
        if phase == "estimate":
            figures = {t.id: t.display for t in targets}
            wanted = ["peak_qps", "storage_bytes_retention", "egress_bytes_per_s_peak",
                      "concurrent_connections", "cpu_cores_at_peak"]
            shown = [f"{t.label}: {figures[t.id]}" for t in targets if t.id in wanted]
            look.append("Reaches, within about 3x: " + "; ".join(shown) + ".")
        for section in PHASE_SECTIONS[phase]:
            if section == "estimate_focus" and draft.assumptions != problem.assumptions:
                continue  # catalog texts quote the catalog's numbers, not this variant's
            look += [e.text for e in problem.expectations(section)
                     if e.id not in dropped and _keeps(e.weight, e.nodejs, ctx.level)]
        rows.append(RubricAnchor(
            phase=phase, goal=pr.goal, score_1=pr.anchors[1], score_2=pr.anchors[2],
            score_3=pr.anchors[3], score_4=pr.anchors[4], bar=LEVEL_BAR[ctx.level],
            look_for=list(dict.fromkeys(look))))
    return rows


def _red_flags(draft: Draft, ctx: Context) -> list[str]:
    a = draft.assumptions
    est = traffic(a)
    loop = event_loop(a.cpu_ms_per_request, est.peak_qps)
    flags = list(draft.modifier.red_flags) if draft.modifier else []
    if draft.article:
        flags += draft.article.mistakes[:3]
    flags.append(
        f"Sizes the Node.js tier without arithmetic: at {a.cpu_ms_per_request:g} ms of CPU a "
        f"process serves at most ~{human_count(loop.max_rps_per_process)} requests/s, so "
        f"{human_rate(est.peak_qps)} at peak needs ~{est.cpu_cores_at_peak:,} processes.")
    rng = stable_rng(ctx.seed, draft.id, "red-flags")
    for phase in PHASES:
        flags.append(rng.choice(ctx.rubric.phases[phase].red_flags))
    if ctx.level == "staff":
        flags.append("Stops at a design that works today without saying at what scale it "
                     "breaks or what it costs.")
    return list(dict.fromkeys(flags))


def _sources(draft: Draft, ctx: Context) -> list[SourceRef]:
    ids = [draft.article.id] if draft.article else []
    if draft.modifier:
        ids += draft.modifier.articles
    ids += draft.problem.articles
    known = [i for i in dict.fromkeys(ids) if i in ctx.articles][:MAX_SOURCES]
    return [SourceRef(id=i, title=ctx.articles[i].title) for i in known]


def enrich(draft: Draft, ctx: Context) -> Question:
    """The full question for ``draft``; every figure is recomputed from its assumptions."""
    targets = _targets(draft.assumptions)
    peak = next(t.value for t in targets if t.id == "peak_qps")
    return Question(
        id=draft.id,
        kind=draft.kind,
        title=draft.title,
        text=draft.text,
        level=ctx.level,
        problem_id=draft.problem.id,
        variant=draft.variant,
        topics=list(draft.topics),
        assumptions=draft.assumptions,
        clarifications=_clarifications(draft, ctx),
        estimation_targets=targets,
        probes=_probes(draft, ctx, peak),
        rubric=_rubric(draft, ctx, targets),
        red_flags=_red_flags(draft, ctx),
        sources=_sources(draft, ctx),
    )
