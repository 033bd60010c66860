"""Measure what an answer *does*, sentence by sentence, independent of how long it is.

The rubric rewards reasoning, not vocabulary, so each feature asks a question a careful
interviewer asks while reading: which of the problem's expected points are made, and are
they made *with a reason* (a connective tied to a claim) or as bare nouns? Are there numbers,
and are they used to decide something? Does the answer go to staff depth (failure modes,
when a decision flips, cost, operations, Node.js runtime specifics with numbers)? Is it
padded with filler and slogans? Counts that naturally grow with length are either capped or
divided by the number of sentences, so a long answer earns nothing for being long.

Everything here is pure and deterministic: the same text gives the same features.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from simulator.content.problems import Expectation, Problem
from simulator.content.rubric import Rubric

_I = re.IGNORECASE


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), _I)


# -- sentences ------------------------------------------------------------------------------

# A sentence ends at . ! ? ; followed by space, or at a line break. Decimal points and
# "e.g." stay inside.
_SENTENCE = re.compile(r"\S(?:[^\n]*?)(?:(?<!\be\.g)(?<!\bi\.e)[.!?;](?=\s)|\n|$)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; exact repeats after the first are dropped."""
    out, seen = [], set()
    for m in _SENTENCE.finditer(text):
        body = m.group(0).strip()
        key = re.sub(r"\W+", " ", body.lower()).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(Sentence(m.start(), m.start() + len(m.group(0).rstrip()), body))
    return out


# -- lexical cues ---------------------------------------------------------------------------

# Reasoning connectives: a claim joined to its reason, consequence, alternative or condition.
CONNECTIVE = _rx(
    r"\bbecause\b|\bsince (the|we|it|our|each|every|a|an|there|they|that|this)\b|\bas a result\b",
    r"\bso (that|we|it|the|a|each|every|our|only|no|one|any|even|they|there|i|its|that's)\b",
    r",? so\b(?! (far|much|many|on|called|to speak))",
    r"\bwhich (means|is why|lets|keeps|avoids|gives|makes|caps|costs|saves|rules out|breaks|"
    r"would|turns|forces)\b|\bthat means\b|\bmeaning\b|\btherefore\b|\bhence\b|\bthus\b",
    r"\botherwise\b|\binstead of\b|\brather than\b|\bat the (cost|price|expense) of\b",
    r"\bin exchange\b|\bthe (cost|downside|price|catch|risk) is\b|\bwe give up\b|\btrade-?off\b",
    r"\bif\b[^.;]{2,80}\b(then|we|it|i|the|they|that|this|every|each|one)\b",
    r"\bunless\b|\bonly (if|when|once|for|until)\b|\bwhen\b[^.;]{2,60},",
    r"\b(to avoid|to keep|to prevent|to protect|in order to|so as to)\b",
    r"\b(over|vs\.?|versus)\b[^.;]{1,60}[:,]\s|\bwins? (when|once|at|for)\b",
    r"\b(enough|fits?|won't fit|doesn't fit|too (slow|big|much|many)|needs? (about|~|roughly)?\s?\d)",
    r"(->|→|=>)",
    r"\b(the )?(reason|why) (is|being)\b|\bthat's why\b|\bdue to\b|\bgiven (that|the|our)\b",
    r"\bbut\b|\bhowever\b|\bwhile\b",
)

# Numbers. List markers ("1.", "(2)", "3)") and bare years are not quantities.
_NUMBER = re.compile(
    r"(?<![\w.$/])(?:\$\s?)?~?\d[\d,]*(?:\.\d+)?(?:e\d+)?\s?"
    r"(?:%|x\b|[kmbt]\b|k?b/s|[a-z]{1,12}(?:/[a-z]+)?)?",
    _I,
)
_LIST_MARKER = re.compile(r"(^|\s|\()\d{1,2}[.)](\s|$)")
_BARE_ORDINAL = re.compile(r"^\(?\d{1,2}\)?[.)]?$")

# Arithmetic or derivation: numbers combined into other numbers (with two numbers or more
# in the sentence, see extract()).
DERIVATION = _rx(
    r"\d\s?[x×*/÷]\s?~?\$?\d",
    r"\d\s?(x|times|divided by|over|per|/)\s",
    r"=\s?~?\$?\d|\b(is|that's|gives|comes to|works out to|about|roughly|around|~)\s?~?\$?\d",
    r"\b(so|means|need|needs|leaves|that's)\b[^.;]{0,40}\d",
)

# Staff-depth markers, by category; each category counts once per answer.
DEPTH: dict[str, re.Pattern[str]] = {
    "failure": _rx(
        r"\b(fail(s|ed|ure|ures|over)?|outage|goes down|is down|crash\w*|dies|die\b|"
        r"unavailable|partition(ed)? network|split[- ]brain|degrad\w*|fall(s)? back|fallback|"
        r"fail (open|closed)|dead[- ]letter|dlq|circuit[- ]breaker|timeouts?|retr(y|ies)\b[^.]{0,40}"
        r"\b(backoff|jitter|idempoten\w*)|poison|resync|recover\w*|lose|loses|lost|loss)\b",
    ),
    "flip": _rx(
        r"\bflip\w*\b|\bswitch(ed|ing)? (to|over)\b|\bwould (move|switch|revisit|change|go|drop|"
        r"split|add|regret)\b|\bonly (if|when|once|until|for)\b|\bonce (we|it|traffic|load|the|"
        r"writes|reads|volume)\b|\buntil (~|about|roughly)?\s?\d|\b(past|above|beyond|over|under|"
        r"below) (~|about|roughly)?\s?\$?\d[\d,.]*\s?[a-z%]*\b[^.;]{0,60}\b(we|i|we'd|i'd|switch|"
        r"move|flip|becomes?)\b|\bat (10|100)\s?x\b|\b10x\b|\bthreshold\b|\bwhen (it|that|this) "
        r"(stops|starts|becomes)\b",
    ),
    "cost": _rx(
        r"\$\s?\d|\bcosts?\b|\bcostly\b|\bper month\b|/month\b|\bmonthly\b|\begress\b|\bcheap\w*\b|"
        r"\bexpensive\b|\bbill(ed|ing)?\b|\bspot (instances|fleet)?\b|\bon-?call\b|\bbudget\b",
    ),
    "ops": _rx(
        r"\balert\w*\b|\bmetrics?\b|\bdashboards?\b|\bp9[059]\b|\bslos?\b|\berror budget\b|"
        r"\brunbook\b|\bmonitor\w*\b|\bobservab\w*\b|\btracing\b|\breadiness\b|\bliveness\b|"
        r"\bcanary\b|\brollback\b|\bautoscal\w*\b|\bqueue (depth|age|lag)\b|\bconsumer lag\b|"
        r"\bload[- ]test\w*\b|\bwatch (the |for )?\w+",
    ),
    "runtime": _rx(
        r"\bevent[- ]loop\b|\blibuv\b|\bworker[_ ]threads?\b|\bUV_THREADPOOL_SIZE\b|\bELU\b|"
        r"\bheap\b|\bgc\b|\bgarbage collect\w*\b|\bmax-old-space-size\b|\bpiscina\b|"
        r"\bmain[- ]thread\b|\bbackpressure\b|\bsetImmediate\b|\bmonitorEventLoopDelay\b|"
        r"\beventLoopUtilization\b|\bthread ?pool\b|\bcluster (mode|module)\b|"
        r"\b(process|container)(es)? per (v?cpu|core)\b|\bone process per\b",
    ),
    "sensitivity": _rx(
        r"\b(most )?sensitiv\w*\b|\bif (that|this|the \w+|it) (is|were|was) (wrong|off)\b|"
        r"\bdominat\w*\b|\bdwarfs?\b|\bbiggest (line|cost|lever)\b|\bdoubles?\b",
    ),
    "evolution": _rx(
        r"\bat (10|100)\s?x\b|\b10x\b|\bas (traffic|load|volume|we) grows?\b|\bevolv\w*\b|"
        r"\blater\b[^.;]{0,30}\b(split|move|add|shard)|\bwhen we outgrow\b|\bmulti-region\b",
    ),
}

# Node.js runtime specifics that only count with a number nearby (pool size, heap, ELU...).
RUNTIME_SPECIFIC = _rx(
    r"\blibuv\b|\bUV_THREADPOOL_SIZE\b|\bELU\b|\bevent[- ]loop (lag|delay|utili[sz]ation)\b|"
    r"\bheap\b|\bmax-old-space-size\b|\bgc pause|\bthread ?pool\b|\bworker[_ ]threads?\b|"
    r"\bms of (main[- ]thread )?cpu\b|\bcpu (time|per request|ms)\b|\bper (process|core)\b",
)

# Vocabulary that sounds right on its own: technologies and quality adjectives.
TECH_TERM = _rx(
    r"\b(kafka|redis|memcached|cassandra|dynamo(db)?|mongo(db)?|postgres(ql)?|mysql|"
    r"elasticsearch|kubernetes|k8s|docker|microservices?|cqrs|event sourcing|event[- ]driven|"
    r"sharding|shards?|load balanc\w*|cdn|graphql|grpc|rabbitmq|sqs|sns|s3|lambda|serverless|"
    r"blockchain|nosql|hpa|redis cluster|service mesh|istio|api gateway|websockets?|"
    r"circuit breakers?|eventual consistency|cap theorem|consistent hashing|bloom filters?|"
    r"replication|replicas?|horizontal scaling|autoscal\w*|cach(e|ing)|message queues?|"
    r"pub/?sub|fan-?out|spark|flink|hadoop|clickhouse|zookeeper|etcd|nginx|envoy|terraform|"
    r"socket\.io|express|fastify)\b",
)
QUALITY_ADJECTIVE = _rx(
    r"\b(scalable|highly available|available|secure|reliable|fault[- ]tolerant|real[- ]time|"
    r"low[- ]latency|resilient|robust|performant|fast|efficient|decoupled|cloud[- ]native|"
    r"battle[- ]tested|industry standard|elastic|compliant)\b",
)

# Filler, hedges and slogans: words a careful reader skips.
FILLER = _rx(
    r"\b(i think|i guess|kind of|sort of|basically|honestly|to be honest|obviously|pretty much|"
    r"in a way|if you think about it|stuff|things like that|at the end of the day|super|really|"
    r"interesting|fascinating|i'd say|you know|i mean|like,|i've seen|i know that's)\b",
    r"\b(everyone|everybody|all the big companies|what (twitter|google|netflix|facebook) does|"
    r"most popular|industry standard|battle[- ]tested|best of both worlds|scales better|"
    r"more scalable|the standard for|community support|safe choice|in general|overall i'?m|"
    r"pretty good place|good place|pros and cons)\b",
)

# Code-like or otherwise specific tokens: identifiers, API calls, commands (ZADD, INCRBY),
# keys, paths. Generic architecture acronyms (CDN, CQRS) are not specific: they are exactly
# what a buzzword list is made of, so they are not counted (see _specific_count).
SPECIFIC_TOKEN = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z]\w+\b|\b[A-Z]{2,}[A-Z0-9_]*\b|\w+\(\)|\b(GET|POST|PUT|"
    r"DELETE|PATCH) /|\w+:\{?\w+\}?|\{[a-z_]+\}|\b\w+\.\w+\(",
)


_ACRONYM_WORDS = (
    "API APIS CDN CQRS SQL NOSQL DB DBS LB HPA AWS GCP AZURE HTTP HTTPS REST JSON UI UX CAP "
    "ACID BASE SLA SQS SNS ML AI CPU CPUS RAM SSD IO OLTP OLAP ETL CI CD K8S VM VMS DNS TCP "
    "UDP IP MVP SDK SAAS PAAS IAAS GRPC RPC SOA DDD TDD OK"
)
GENERIC_ACRONYMS = frozenset(_ACRONYM_WORDS.split())


def _specific_count(text: str) -> int:
    return sum(1 for m in SPECIFIC_TOKEN.finditer(text) if m.group(0) not in GENERIC_ACRONYMS)


# -- answer features ------------------------------------------------------------------------


@dataclass
class Hit:
    """Where an expectation was recognised: the sentence holding its first cue match."""

    expectation: Expectation
    sentence: Sentence
    start: int  # offset of the cue match in the cleaned text
    end: int
    supported: bool  # the sentence also reasons, quantifies or is specific


@dataclass
class Features:
    words: int = 0
    sentences: int = 0
    coverage: float = 0.0  # weighted share of the phase's expectations matched
    supported_coverage: float = 0.0  # ... matched in a sentence that reasons or quantifies
    hits: list[Hit] = field(default_factory=list)
    missed: list[Expectation] = field(default_factory=list)
    # points of this phase the candidate made in another phase: (expectation, that phase)
    elsewhere: list[tuple[Expectation, str]] = field(default_factory=list)
    reasoning_sentences: int = 0  # sentences joining a claim to a reason/consequence
    reasoning_density: float = 0.0  # ... per sentence
    quantities: int = 0  # distinct numbers with units (not list markers)
    used_quantities: int = 0  # ... in a sentence that derives or decides something
    derivations: int = 0  # sentences combining numbers
    depth: list[str] = field(default_factory=list)  # staff-depth categories present
    runtime_numbers: bool = False  # Node.js runtime specifics with a number beside them
    tech_terms: int = 0
    adjectives: int = 0
    filler_density: float = 0.0  # filler hits per sentence
    specific_density: float = 0.0  # specific tokens + numbers per sentence
    substance: float = 0.0  # share of sentences that hit, reason or quantify
    checkpoints: dict[int, list[str]] = field(default_factory=dict)  # rubric evidence shown
    checkpoints3: float = 0.0  # share of the phase's level-3 checkpoints shown
    checkpoints4: float = 0.0  # share of the phase's level-4 checkpoints shown
    point_density: float = 0.0  # problem points + rubric checkpoints per 100 words

    def as_dict(self) -> dict[str, float | int | bool | list[str]]:
        """The numbers, rounded, for the transparency record on a grade."""
        return {
            "words": self.words,
            "sentences": self.sentences,
            "coverage": round(self.coverage, 3),
            "supported_coverage": round(self.supported_coverage, 3),
            "reasoning_sentences": self.reasoning_sentences,
            "reasoning_density": round(self.reasoning_density, 3),
            "quantities": self.quantities,
            "used_quantities": self.used_quantities,
            "derivations": self.derivations,
            "depth": list(self.depth),
            "runtime_numbers": self.runtime_numbers,
            "tech_terms": self.tech_terms,
            "adjectives": self.adjectives,
            "filler_density": round(self.filler_density, 3),
            "specific_density": round(self.specific_density, 3),
            "substance": round(self.substance, 3),
            "checkpoints3": round(self.checkpoints3, 3),
            "checkpoints4": round(self.checkpoints4, 3),
            "point_density": round(self.point_density, 2),
            "checkpoints": {str(k): v for k, v in self.checkpoints.items()},
        }


def numbers_in(text: str) -> list[str]:
    """Quantities in ``text``: numbers (with an optional unit), not list markers."""
    out = []
    for m in _NUMBER.finditer(text):
        token = m.group(0).strip()
        if _BARE_ORDINAL.match(token):
            before = text[max(0, m.start() - 1) : m.start()]
            if m.start() == 0 or before in ("(", "\n") or _LIST_MARKER.match(text[m.start() - 1 :]):
                continue
        out.append(token.lower())
    return out


def _is_reasoning(s: Sentence) -> bool:
    return bool(CONNECTIVE.search(s.text))


def extract(text: str, problem: Problem, phase: str, rubric: Rubric,
            elsewhere: Mapping[str, str] | None = None) -> Features:
    """Every feature of ``text`` as an answer to ``phase`` of ``problem``.

    ``elsewhere`` maps the ids of points the candidate made in other phases of the same
    interview to that phase: such a point counts as covered (though not as supported, since
    the reason, if any, was given elsewhere) instead of being listed as missed.
    """
    f = Features()
    sents = sentences(text)
    f.words = len(text.split())
    f.sentences = len(sents)
    elsewhere = elsewhere or {}
    if not sents:
        f.missed = list(problem.expectations(phase))
        return f

    reasoning = [_is_reasoning(s) for s in sents]
    numbers = [numbers_in(s.text) for s in sents]
    derives = [len(n) >= 2 and bool(DERIVATION.search(s.text)) for s, n in zip(sents, numbers)]
    specific = [_specific_count(s.text) for s in sents]

    # Expectations: first matching cue, preferring a sentence that supports the claim.
    exps = problem.expectations(phase)
    total_w = sum(e.weight for e in exps) or 1
    got_w = supported_w = 0.0
    hit_sentences: set[int] = set()
    for exp in exps:
        best: tuple[int, re.Match[str]] | None = None
        best_supported = False
        for i, s in enumerate(sents):
            for pattern in exp.patterns:
                m = pattern.search(s.text)
                if not m:
                    continue
                sup = reasoning[i] or bool(numbers[i]) or specific[i] >= 2
                if best is None or (sup and not best_supported):
                    best, best_supported = (i, m), sup
                break
            if best is not None and best_supported:
                break
        if best is None:
            if exp.id in elsewhere:
                f.elsewhere.append((exp, elsewhere[exp.id]))
                got_w += exp.weight
            else:
                f.missed.append(exp)
            continue
        i, m = best
        hit_sentences.add(i)
        got_w += exp.weight
        supported_w += exp.weight if best_supported else 0
        s = sents[i]
        f.hits.append(Hit(exp, s, s.start + m.start(), s.start + m.end(), best_supported))
    f.coverage = got_w / total_w
    f.supported_coverage = supported_w / total_w

    content = [
        (i in hit_sentences)
        or bool(numbers[i])
        or bool(TECH_TERM.search(s.text))
        or specific[i] > 0
        for i, s in enumerate(sents)
    ]
    f.reasoning_sentences = sum(1 for r, c in zip(reasoning, content) if r and c)
    f.reasoning_density = f.reasoning_sentences / len(sents)
    distinct = {q for qs in numbers for q in qs}
    f.quantities = len(distinct)
    f.used_quantities = len(
        {q for qs, r, d in zip(numbers, reasoning, derives) if r or d for q in qs}
    )
    f.derivations = sum(derives)
    f.depth = sorted(name for name, rx in DEPTH.items() if rx.search(text))
    f.runtime_numbers = any(
        RUNTIME_SPECIFIC.search(s.text) and numbers[i] for i, s in enumerate(sents)
    )
    f.tech_terms = len({m.group(0).lower() for m in TECH_TERM.finditer(text)})
    f.adjectives = len({m.group(0).lower() for m in QUALITY_ADJECTIVE.finditer(text)})
    f.filler_density = len(FILLER.findall(text)) / len(sents)
    f.specific_density = (sum(specific) + sum(len(n) for n in numbers)) / len(sents)
    f.substance = sum(
        1
        for i in range(len(sents))
        if i in hit_sentences or numbers[i] or (reasoning[i] and specific[i])
    ) / len(sents)
    phase_rubric = rubric.phases.get(phase)
    f.checkpoints = phase_rubric.checkpoints_hit(text) if phase_rubric else {}
    for level in (3, 4):
        total = len(phase_rubric.checkpoints(level)) if phase_rubric else 0
        setattr(f, f"checkpoints{level}", len(f.checkpoints.get(level, [])) / max(1, total))
    # Points made per 100 words, over the whole problem (a design answer may rightly touch
    # bottlenecks): high for dense answers, low for rambling ones, whatever their length.
    points_made = len(problem.covered(text)) + sum(len(v) for v in f.checkpoints.values())
    f.point_density = 100 * points_made / max(f.words, 1)
    return f
