"""What a whole answer does, sentence by sentence: the reading the grader scores.

The rubric rewards reasoning, not vocabulary, so the reader asks what a careful interviewer
asks while reading an answer: which sentences tie a claim to a reason, which use numbers and
derive one from another, how specific they are (identifiers, commands, figures), whether the
answer goes to staff depth (failure modes, when a decision flips, cost, operations, Node.js
runtime specifics with numbers), and how much of it is filler, slogans or vocabulary with
nothing behind it. It also answers the grader's questions about the problem's own points
(`cover`, `shows`), which arrive as data (cue patterns), so the grader never matches the
candidate's text itself.

Everything here is pure and deterministic: the same text gives the same reading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from simulator.reading.anchors import AnchoredPattern, present
from simulator.reading.numbers import read_numbers
from simulator.reading.resemblance import TermWeights
from simulator.reading.word_forms import content_stems

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
    """Sentences with their offsets; exact repeats after the first are dropped.

    Not `acts.sentences`: the grader counts per sentence, so a repeated sentence must earn
    nothing twice, and a ";" ends a sentence here (each clause of a list is weighed on its own).
    Several readers of one answer ask for them, so the last few texts' are kept.
    """
    return list(_sentences(text))


@functools.lru_cache(maxsize=32)
def _sentences(text: str) -> tuple[Sentence, ...]:
    out, seen = [], set()
    for m in _SENTENCE.finditer(text):
        body = m.group(0).strip()
        key = re.sub(r"\W+", " ", body.lower()).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(Sentence(m.start(), m.start() + len(m.group(0).rstrip()), body))
    return tuple(out)


def without_repeats(text: str) -> str:
    """``text`` with every sentence said before dropped; ``text`` itself when none was."""
    kept = sentences(text)
    said = [m for m in _SENTENCE.finditer(text) if re.sub(r"\W+", " ", m.group(0)).strip()]
    return text if len(kept) == len(said) else " ".join(s.text for s in kept)


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
    r"\bwins? (when|once|at|for)\b",
    r"\b(enough|fits?|won't fit|doesn't fit|too (slow|big|much|many)|needs? (about|~|roughly)?\s?\d)",
    r"(->|→|=>)",
    r"\b(the )?(reason|why) (is|being)\b|\bthat's why\b|\bdue to\b|\bgiven (that|the|our)\b",
    r"\bbut\b|\bhowever\b|\bwhile\b",
)

# A choice between options ("Kafka vs SQS: SQS, because ..."): it reasons only when what
# follows the colon argues. "HLS vs DASH: HLS, Apple supports it" names a winner and a
# slogan, the shape of a buzzword list; a justification with a number or of some length
# ("Token bucket over fixed window: a fixed window lets ~2x through at the boundary") argues.
CHOICE = _rx(r"\b(over|vs\.?|versus)\b[^.;]{1,60}?[:,]\s(?P<why>[^.;]*)")
_ARGUED_WORDS = 7


_WINNER = re.compile(r"^[^,\u2014\u2013]{1,40}?(?:,|\s[\u2014\u2013-]\s)")


def _argued(why: str) -> bool:
    # "301, it's faster": the winner named first is not part of the argument
    argument = _WINNER.sub("", why, count=1)
    return any(ch.isdigit() for ch in argument) or len(argument.split()) >= _ARGUED_WORDS


def reasons(text: str) -> bool:
    """Whether a sentence joins a claim to a reason or a consequence."""
    return bool(CONNECTIVE.search(text)) or any(
        _argued(m.group("why")) for m in CHOICE.finditer(text))


def bare_choices(text: str) -> int:
    """Choices in ``text`` that name a winner with no argument ("SQL vs NoSQL: NoSQL, it
    scales"): three of them, with nothing else reasoned, are a buzzword list."""
    return sum(1 for m in CHOICE.finditer(text) if not _argued(m.group("why")))


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
# "six hundred times two is twelve hundred": the operators and links of a working said in words
_WORDED_DERIVATION = re.compile(
    r"\b(?:times|divided by|over|multiplied by|so|that's|which is|comes to|works out to|gives|"
    r"is about|is roughly|is around|means)\b", re.IGNORECASE)
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
    r"socket\.io|express|fastify|hls|mpeg-dash|webrtc|av1|hevc|h\.?26[45]|vp9|multi-?cdn|p2p|"
    r"edge computing|quic|http/?3|mqtt|ai-powered|machine learning|vector databases?)\b",
)
QUALITY_ADJECTIVE = _rx(
    r"\b(scalable|highly available|available|secure|reliable|fault[- ]tolerant|real[- ]time|"
    r"low[- ]latency|resilient|robust|performant|fast|efficient|decoupled|cloud[- ]native|"
    r"battle[- ]tested|industry standard|elastic|compliant|modern|cutting[- ]edge|"
    r"future[- ]proof|state[- ]of[- ]the[- ]art|next[- ]gen\w*|best[- ]in[- ]class|"
    r"enterprise[- ]grade|world[- ]class|bleeding[- ]edge|seamless\w*|blazing(?:ly)?[- ]fast|"
    r"lightning[- ]fast|mission[- ]critical)\b",
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



# -- not an answer, and Node.js red flags the grader names ------------------------------------

_IDK = _rx(
    r"^\W*(i (really |honestly )?(don't|do not|dont) know|no idea|(i'm|i am) not (really )?sure|"
    r"not sure|no clue|dunno|pass\b|skip\b|i have no idea|i can't think of anything|"
    r"i'?d have to (look|check|google)|i haven't (done|thought|used))",
)
_IDK_ANYWHERE = _rx(r"\b(i'?d have to look (it |that )?up|i'?d have to look into it|no idea)\b")


# What an answer to each phase talks about, whatever the problem.
PHASE_VOCABULARY: dict[str, re.Pattern[str]] = {
    "clarify": _rx(
        r"\b(requirements?|functional|scope|non-?goals?|must|should|needs? to|support|targets?|"
        r"assum\w*|users? (can|should|need|want)|core (flow|feature|use case)s?|priorit\w*|"
        r"sla|availability|latency|durab\w*|consisten\w*|out of scope|questions?)\b",
    ),
    "estimate": _rx(
        r"\b(per (second|day|month|year)|qps|rps|/s\b|storage|bandwidth|peak|average|tb|gb|pb|"
        r"mb|gbps|mbps|86,?400|cores?|processes|instances|servers?)\b",
    ),
    "design": _rx(
        r"\b(service|api|endpoint|post|get|table|schema|stores?|queue|workers?|cache|database|"
        r"db|flow|handler|consumer|producer|keyed|index|writes? (to|into)|reads? (from)|"
        r"pipeline|gateway|tier|component)s?\b|->|→",
    ),
    "bottlenecks": _rx(
        r"\b(bottlenecks?|break\w*|saturat\w*|hot|spikes?|fail\w*|down|outage|overload\w*|"
        r"slow\w*|lag|limits?|exhaust\w*|storms?|backlog|contention|throttl\w*|degrad\w*|"
        r"mitigat\w*|first to|runs? out|blocks?|stall\w*|starv\w*|pressure|timeouts?|"
        r"what happens when|alert\w*|pile|queue depth)\b",
    ),
    "trade-offs": _rx(
        r"\b(vs\.?|versus|instead of|rather than|over|trade-?offs?|alternatives?|downsides?|"
        r"costs?|switch\w*|flip\w*|choose|chose|pick\w*|prefer\w*|whereas|give up|pros|cons|"
        r"options?|wins?|worth|price|accept\w*|either|or)\b",
    ),
}


# Per-process state that breaks as soon as there is a second process.
_LOCAL_STATE = _rx(
    r"\b(map|set|array|object|dictionary|dict|list)\b[^.;]{0,40}\b(in (process )?memory|"
    r"in the process|global)\b",
    r"\b(in[- ]memory|in[- ]process|global|module[- ]level)\b[^.;]{0,25}\b(map|set|array|"
    r"store|queue|registry|object|counter|dictionary|list)\b",
    r"\b(javascript|js) (map|set|array|object)\b",
)
_LOCAL_STATE_OK = _rx(
    r"\blru\b|\bttl\b|\bbounded\b|\bcapped\b|\bcap (it|them|the)\b|\b\d+k? entries\b|"
    r"\bredis\b|\bshared\b|\bregistry\b|\bpub/?sub\b|\bcache[- ]aside\b|\bper[- ]process cache\b|"
    r"\bpreview\b|\bsingle[- ]flight\b|\bfallback\b|\bleas\w*\b|\bonly\b",
    # warning against it, not proposing it: "never an in-memory Map: 20 pods would mean 20x"
    r"\b(never|not|no|avoid\w*|instead of|rather than|don'?t|won'?t|wouldn'?t)\b[^.;]{0,30}"
    r"\b(in[- ]memory|in[- ]process|global|module[- ]level|map|set|array|object|counter)\b",
    # naming the hazard: "an in-memory Map behind 30 pods = 30x the intended limit"
    r"(=|would (mean|give|allow)|means|gives)\s*(about |roughly |~)?\d+\s?(x|times) (the |our |its |each )?"
    r"((intended|real|actual|configured|true|set) )?(limit|quota|rate|allowance)\b",
)
_SCALE_OUT = _rx(
    r"\bcluster (mode|module)\b|\bmore (processes|instances|servers|pods|nodes)\b|"
    r"\b\d+ (pods|instances|processes|replicas)\b|\bscale (out|horizontally)\b|\ball the cores\b",
)



# A sentence that puts something out of scope shows the scope, not the skill it names
# ("Out of scope: end-to-end encryption" is no security evidence).
_SCOPED_OUT = re.compile(r"\b(out of scope|not in scope|non-?goals?|won'?t (cover|handle|build)|"
                         r"not (going to )?(cover|handle|build)|leave (it |that )?out)\b",
                         re.IGNORECASE)


class Cue(Protocol):
    """A point the grader looks for: a problem's expectation or a rubric checkpoint."""

    @property
    def id(self) -> str: ...

    @property
    def patterns(self) -> Sequence[AnchoredPattern | re.Pattern[str]]: ...


@dataclass(frozen=True)
class CueHit:
    """Where a cue was recognised: the sentence holding its first match, preferring one that
    reasons, quantifies or is specific (``supported``)."""

    cue: Cue
    sentence: Sentence
    start: int  # offset of the match in the answer
    end: int
    supported: bool


@dataclass
class AnswerReading:
    """One answer read sentence by sentence (see the module docstring)."""

    text: str
    sentences: list[Sentence] = field(default_factory=list)
    reasoning: list[bool] = field(default_factory=list)  # per sentence: ties claim to reason
    numbers: list[list[str]] = field(default_factory=list)  # per sentence: its quantities
    derives: list[bool] = field(default_factory=list)  # per sentence: combines numbers
    specific: list[int] = field(default_factory=list)  # per sentence: specific tokens
    tech: list[bool] = field(default_factory=list)  # per sentence: names a technology
    # staff-depth category -> the first sentence showing it (None: only across sentences)
    depth: dict[str, Sentence | None] = field(default_factory=dict)
    runtime_numbers: bool = False  # Node.js runtime specifics with a number beside them
    tech_terms: int = 0  # distinct technologies named
    bare_choices: int = 0  # options picked with no argument ("Kafka vs SQS: Kafka, it scales")
    adjectives: int = 0  # distinct quality adjectives
    filler_hits: int = 0
    # cue id -> (the cue, kept alive so its id is not reused; shown?)
    _shown: dict[int, tuple[object, bool]] = field(default_factory=dict, repr=False)
    _present: frozenset[str] | None = field(default=None, repr=False)  # anchors in the text
    _stems: list[frozenset[str]] | None = field(default=None, repr=False)  # per sentence
    _scoped: list[bool] | None = field(default=None, repr=False)  # per sentence: scopes out

    @property
    def words(self) -> int:
        return len(self.text.split())

    def supported(self, i: int) -> bool:
        """Sentence ``i`` reasons, quantifies or is specific: a point made there is argued."""
        return self.reasoning[i] or bool(self.numbers[i]) or self.specific[i] >= 2

    def cover(self, cue: Cue) -> CueHit | None:
        """Where ``cue`` is first recognised, preferring a supported sentence."""
        best: tuple[int, re.Match[str]] | None = None
        best_supported = False
        for i, s in enumerate(self.sentences):
            for pattern in cue.patterns:
                m = pattern.search(s.text)
                if not m:
                    continue
                sup = self.supported(i)
                if best is None or (sup and not best_supported):
                    best, best_supported = (i, m), sup
                break
            if best is not None and best_supported:
                break
        if best is None:
            return None
        i, m = best
        s = self.sentences[i]
        return CueHit(cue, s, s.start + m.start(), s.start + m.end(), best_supported)

    def resembles(self, point: frozenset[str], weights: TermWeights) -> tuple[float, int]:
        """How closely the closest sentence says ``point`` (its content stems) in its own
        words, and that sentence's index (0.0 and -1 when no sentence shares a word).

        Sentences that put something out of scope say nothing about the skill they name.
        """
        if self._stems is None:
            self._stems = [content_stems(s.text) for s in self.sentences]
        best, where = 0.0, -1
        stems = self._stems
        for i, said in enumerate(stems):
            if point.isdisjoint(said) or self.scopes_out(i):
                continue
            # A point is often said over two sentences ("... than risk charging twice. A feed
            # would choose the opposite."): the next sentence may complete it.
            if i + 1 < len(stems) and not self.scopes_out(i + 1):
                said = said | stems[i + 1]
            r = weights.resemblance(point, said)
            if r > best:
                best, where = r, i
        return best, where

    def may_show(self, cue: Cue) -> bool:
        """False only when ``cue`` cannot match: none of its patterns' literal anchors occur
        in the answer (no regex runs). An upper bound for counting cues cheaply."""
        if self._present is None:
            self._present = present(self.text)
        found = self._present
        return any(not isinstance(p, AnchoredPattern) or p.anchors is None
                   or not found.isdisjoint(p.anchors) for p in cue.patterns)

    def shows(self, cue: Cue) -> bool:
        """Whether any of ``cue``'s patterns matches anywhere in the answer.

        The grader asks this of every point of every problem (to notice an answer to another
        problem or phase), some of them several times, so answers are remembered per cue and
        a pattern's literal anchors are tested on the folded text before its regex runs.
        """
        key = id(cue)
        if key not in self._shown:
            if self._present is None:
                self._present = present(self.text)
            found = self._present
            self._shown[key] = (cue, any(
                (p.anchors is None or not found.isdisjoint(p.anchors))
                and p.regex.search(self.text) is not None
                if isinstance(p, AnchoredPattern) else p.search(self.text) is not None
                for p in cue.patterns))
        return self._shown[key][1]

    def reasoned_sentence(self, i: int) -> bool:
        """Sentence ``i`` reasons or quantifies (full credit for a cue found there)."""
        return self.reasoning[i] or bool(self.numbers[i])

    def scopes_out(self, i: int) -> bool:
        """Sentence ``i`` puts something out of scope (evidence of scope, not of skill)."""
        if self._scoped is None:  # asked of each sentence for every point of every problem
            self._scoped = [bool(_SCOPED_OUT.search(s.text)) for s in self.sentences]
        return self._scoped[i]

    def says_idk(self) -> bool:
        """The answer opens with (or says) that it does not know."""
        return bool(_IDK.search(self.text) or _IDK_ANYWHERE.search(self.text))

    def phase_vocabulary_share(self, phase: str) -> float:
        """Share of sentences using the phase's own vocabulary (two numbers or more for the
        estimate; questions count for clarify)."""
        if not self.sentences:
            return 0.0
        if phase == "estimate":
            n = sum(1 for nums in self.numbers if len(nums) >= 2)
        elif phase == "clarify":
            n = sum(1 for s in self.sentences
                    if s.text.endswith("?") or PHASE_VOCABULARY[phase].search(s.text))
        else:
            n = sum(1 for s in self.sentences if PHASE_VOCABULARY[phase].search(s.text))
        return n / len(self.sentences)

    def local_state(self) -> str | None:
        """A sentence keeping shared state in one process's memory while the design runs
        many, or None."""
        if not _SCALE_OUT.search(self.text):
            return None
        for s in self.sentences:
            if _LOCAL_STATE.search(s.text) and not _LOCAL_STATE_OK.search(s.text):
                return s.text
        return None

    def filler_density(self) -> float:
        return self.filler_hits / len(self.sentences) if self.sentences else 0.0


def read_answer(text: str) -> AnswerReading:
    """Read ``text`` (an answer, its questions already blanked) sentence by sentence."""
    sents = sentences(text)
    answer = AnswerReading(text=text, sentences=sents)
    if not sents:
        return answer
    answer.reasoning = [reasons(s.text) for s in sents]
    # figures said in words count as figures ("twelve hundred calls", "two point five million"):
    # the shared number reader finds them once for the whole answer
    worded = [n for n in read_numbers(text) if n.word and not n.factor]
    answer.numbers = [numbers_in(s.text) + [text[n.start:n.end].lower() for n in worded
                                            if s.start <= n.start < s.end]
                      for s in sents]
    answer.derives = [len(n) >= 2 and bool(DERIVATION.search(s.text) or (
                          any(s.start <= w.start < s.end for w in worded)
                          and _WORDED_DERIVATION.search(s.text)))
                      for s, n in zip(sents, answer.numbers, strict=True)]
    answer.specific = [_specific_count(s.text) for s in sents]
    tech = list(TECH_TERM.finditer(text))  # once for the whole answer, then by sentence
    answer.tech = [any(s.start <= m.start() < s.end for m in tech) for s in sents]
    for name, rx in DEPTH.items():
        if rx.search(text):
            answer.depth[name] = next((s for s in sents if rx.search(s.text)), None)
    answer.runtime_numbers = any(RUNTIME_SPECIFIC.search(s.text) and answer.numbers[i]
                                 for i, s in enumerate(sents))
    answer.tech_terms = len({m.group(0).lower() for m in tech})
    answer.bare_choices = sum(bare_choices(s.text) for s in sents)
    answer.adjectives = len({m.group(0).lower() for m in QUALITY_ADJECTIVE.finditer(text)})
    answer.filler_hits = len(FILLER.findall(text))
    return answer
