"""Whether a message is about this problem at all, and whether it talks about the runtime.

An answer that makes none of this problem's points and uses no design vocabulary, or that makes
several points of another problem, is off topic; the interviewer steers back and the grader
scores it 1. Talk of the event loop, worker threads or the heap counts as raising the Node.js
runtime, which the interviewer otherwise asks for in the bottlenecks phase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_I = re.IGNORECASE

RUNTIME_MENTION = re.compile(
    r"\bevent[- ]loop\b|\bmain thread\b|\bsingle[- ]thread\w*\b|\bworker[_ ]threads?\b|"
    r"\blibuv\b|\bthread ?pool\b|\bUV_THREADPOOL_SIZE\b|\bcluster (mode|module)\b|\bpm2\b|"
    r"\bpiscina\b|\bELU\b|\bevent-loop (lag|utili[sz]ation)\b|\b(heap|gc|garbage collect\w*)\b|"
    r"\bmax-old-space-size\b|\bblock\w* the (loop|thread|process)\b|\bcpu[- ](bound|heavy)\b|"
    r"\bone (node )?process per core\b|"
    # CPU cost said of the Node.js process or handler ("a lot of CPU in the Node handler")
    r"\b(?:node(?:\.js)?|the handler|request path)\b[^.;]{0,80}\bcpu\b|"
    r"\bcpu\b[^.;]{0,80}\b(?:node(?:\.js)? (?:handler|process|service|api)|the handler|"
    r"request path|event loop)\b",
    _I,
)
# Words any system-design answer uses; an answer with none of them is not about design.
_DOMAIN_WORDS = re.compile(
    r"\b(users?|requests?|servers?|services?|databases?|db|cache|queues?|latency|qps|rps|scale|"
    r"api|storage|throughput|availab\w*|consisten\w*|node(\.js)?|clients?|traffic|data|writes?|"
    r"reads?|messages?|events?|system|design|components?|bandwidth|peak|load|failures?|"
    r"trade-?offs?|cost|replica\w*|partition\w*|index\w*|endpoints?|handlers?|bottlenecks?|"
    r"cach\w*|shard\w*|loops?|workers?|threads?|process(es)?|cpu|memory|heap|retr(y|ies)|"
    r"timeouts?|scal\w*|instances?|nodes?|clusters?|regions?|zones?|backups?|tables?|keys?|"
    # How data is kept and typed is always about the system being designed.
    r"stor(e|es|ed|ing)|records?|schemas?|columns?|rows?|fields?|javascript|typescript|json|"
    r"amounts?|formats?|encod\w*)\b",
    _I,
)
# How a team works rather than what it builds: sprints, reviews, hiring. An answer made of these
# talks about the process, not about the system the question asks for.
_PROCESS_WORDS = re.compile(
    r"\b(sprints?|code reviews?|reviewers?|QA|stand-?ups?|pair programming|mob programming|"
    r"trunk-based|feature flags?|release process|retros?|retrospectives?|agile|scrum|kanban|"
    r"jira|tickets?|story points|velocity|hiring|onboarding|teams?|teammates?|seniors?|juniors?|"
    r"managers?|stakeholders?|deadlines?|roadmaps?|knowledge silos?|ci(?:/cd)? pipelines?|"
    r"code quality|tech debt|technical debt|documentation|meetings?|on-?call rota)\b",
    _I,
)
# Infrastructure names: two of them in the clarify phase means drawing boxes already.
_DESIGN_WORDS = re.compile(
    r"\b(load balancers?|redis|kafka|rabbitmq|postgres(ql)?|mysql|cassandra|dynamodb|mongodb|"
    r"s3|cdn|microservices?|shard(s|ing)?|replicas?|api gateway|kubernetes|k8s|memcached|"
    r"elasticsearch|sqs|nginx|websocket servers?|message queue|consistent hashing)\b",
    _I,
)
_STOP = {"design", "would", "should", "where", "which", "there", "their", "about", "like",
         "start", "what", "with", "that", "this", "from", "your", "have", "spirit"}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text)}


def topic_words(title: str, statement: str) -> frozenset[str]:
    """Words of a problem's title and statement: talk about them is on topic."""
    found = words(f"{title} {statement}") - _STOP
    return frozenset(found | {w.rstrip("s") for w in found})


def components(text: str) -> list[str]:
    """The infrastructure components ``text`` names, in order, each once."""
    return list(dict.fromkeys(m.group(0).lower() for m in _DESIGN_WORDS.finditer(text)))


def design_terms(text: str) -> int:
    """How many different infrastructure components ``text`` names."""
    return len(components(text))


def mentions_runtime(text: str) -> bool:
    return bool(RUNTIME_MENTION.search(text or ""))


def off_topic(text: str, own_points: int, topic: frozenset[str],
              other_points: Sequence[tuple[str, int]]) -> str | None:
    """``"off-topic"`` or the id of the other problem the text answers, else None.

    ``own_points`` is how many of this problem's points the text makes; ``other_points`` gives
    the same count for each other problem of the catalog.
    """
    if len(text.split()) < 6 or own_points:
        return None
    domain = _domain(text, topic)
    if domain == 0 or _process(text, domain):
        return "off-topic"  # nothing about a system, or about how a team works instead
    best, hits = max(other_points, key=lambda p: p[1], default=(None, 0))
    return best if hits >= 3 else None


def _domain(text: str, topic: frozenset[str]) -> int:
    return len(_DOMAIN_WORDS.findall(text)) + len(topic & words(text)) + design_terms(text)


def _process(text: str, domain: int) -> bool:
    return len(_PROCESS_WORDS.findall(text)) >= max(3, 2 * domain)


def about_process(text: str, topic: frozenset[str]) -> bool:
    """The text talks about how a team works (sprints, reviews, QA) far more than about any
    system: an answer about the process, whatever figures it gives ("two-week sprints")."""
    return _process(text, _domain(text, topic))
