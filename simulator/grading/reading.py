"""Pick corpus articles to read next, from what the scorecard found weak.

Corpus ids are the file stems in `corpus/`. A problem lists the articles relevant to it;
the scorecard recommends the ones that address the weak phases and dimensions, ranked by how
many gaps each one addresses, and adds the Node.js articles when the runtime was weak. Only
articles that exist in the corpus directory are ever recommended.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from simulator.content.problems import Problem

#: Articles that teach each phase or dimension (ids; missing files are skipped).
TOPIC_ARTICLES: dict[str, tuple[str, ...]] = {
    "clarify": ("clarifying-requirements", "five-phase-framework"),
    "estimate": ("capacity-estimation", "cost-awareness"),
    "design": (
        "horizontal-scaling-statelessness",
        "sql-vs-nosql",
        "caching-strategies",
        "database-sharding",
        "idempotency",
    ),
    "bottlenecks": (
        "resilience-patterns",
        "caching-strategies",
        "observability",
        "database-replication",
    ),
    "trade-offs": ("cap-in-practice", "microservices-costs", "cost-awareness", "sql-vs-nosql"),
    "communication": ("five-phase-framework", "interview-scorecard"),
    "nodejs-runtime": (
        "nodejs-event-loop",
        "nodejs-blocking-the-event-loop",
        "libuv-thread-pool",
        "nodejs-worker-threads-child-processes",
        "event-loop-monitoring",
        "nodejs-memory-gc",
        "nodejs-cluster-pm2",
    ),
    "data-persistence": (
        "sql-vs-nosql",
        "database-sharding",
        "database-replication",
        "caching-strategies",
    ),
    "reliability-operations": ("resilience-patterns", "idempotency", "observability"),
    "security": ("backend-security", "rate-limiting-algorithms"),
    "cost-awareness": ("cost-awareness", "microservices-costs"),
}

_NODE_PREFIXES = ("nodejs-", "libuv-", "event-loop-")
#: Reading-list places kept for Node.js articles when the runtime dimension is weak.
NODE_SLOTS = 2
_TITLE = re.compile(r"^title:\s*[\"']?(.*?)[\"']?\s*$", re.MULTILINE)


class Article(BaseModel):
    """A corpus article to read, the gaps it addresses, and the section to open it at."""

    id: str
    title: str
    why: list[str]
    heading: str | None = None  # the section that speaks most to the gaps (None: the top)


#: Words a section heading uses when it speaks to a weak phase or dimension.
TOPIC_WORDS: dict[str, frozenset[str]] = {
    topic: frozenset(words.split()) for topic, words in {
        "clarify": "requirement requirements scope clarify clarifying question questions goals "
                   "non-goals functional assumptions",
        "estimate": "estimate estimates estimation capacity numbers qps throughput storage "
                    "bandwidth peak arithmetic math",
        "design": "design model schema api flow components architecture write read path",
        "bottlenecks": "bottleneck bottlenecks failure failures hot overload limits breaks "
                       "scaling backpressure",
        "trade-offs": "trade-off trade-offs tradeoffs choosing choice when cost consistency "
                      "versus vs",
        "communication": "structure framework phases communicate interview",
        "nodejs-runtime": "event loop blocking thread threads worker workers pool libuv cpu "
                          "memory heap gc cluster",
        "data-persistence": "data storage database databases shard sharding replica "
                            "replication partition partitioning schema keys",
        "reliability-operations": "failure failures retry retries idempotency timeouts "
                                  "monitoring observability recovery",
        "security": "security auth authentication authorization secrets abuse",
        "cost-awareness": "cost costs money budget pricing",
    }.items()
}
_HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def best_heading(text: str, topics: Iterable[str]) -> str | None:
    """The article's section heading sharing most words with the gaps' topics, if any does."""
    wanted = frozenset().union(*(TOPIC_WORDS.get(t, frozenset()) for t in topics))
    best, best_score = None, 0
    for match in _HEADING.finditer(text):
        heading = match.group(1).strip()
        score = len(set(re.findall(r"[a-z][a-z-]+", heading.lower())) & wanted)
        if score > best_score:
            best, best_score = heading, score
    return best


def corpus_titles(articles: Iterable[Path]) -> dict[str, str]:
    """Article id -> title (front matter `title:`, else the id) for every corpus file."""
    titles: dict[str, str] = {}
    for path in sorted(articles):
        if path.suffix not in (".md", ".markdown", ".txt", ".html", ".htm"):
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        except OSError:
            continue
        match = _TITLE.search(head)
        titles[path.stem] = match.group(1) if match else path.stem
    return titles


def recommend(
    problem: Problem,
    weak: list[str],
    articles: Iterable[Path],
    limit: int = 6,
) -> list[Article]:
    """Articles for the weak phases/dimensions, problem articles first, at most ``limit``.

    The problem's own design article is included when the design phase is weak, because it
    walks this exact problem; when the Node.js runtime is weak, two runtime articles always
    make the list.
    """
    paths = {p.stem: p for p in articles}
    titles = corpus_titles(paths.values())
    why: dict[str, list[str]] = {}
    if "design" in weak and f"design-{problem.id}" in titles:
        why[f"design-{problem.id}"] = ["design"]
    for topic in weak:
        for article in TOPIC_ARTICLES.get(topic, ()):
            is_node = article.startswith(_NODE_PREFIXES)
            if article not in titles:
                continue
            if article not in problem.articles and not (topic == "nodejs-runtime" and is_node):
                continue
            why.setdefault(article, [])
            if topic not in why[article]:
                why[article].append(topic)
    order = {a: i for i, a in enumerate(problem.articles)}
    ranked = sorted(why, key=lambda a: (-len(why[a]), order.get(a, len(order)), a))
    chosen = ranked[:limit]
    if "nodejs-runtime" in weak:
        # The runtime articles must not be crowded out by broader ones: keep two of them.
        node = [a for a in ranked if a.startswith(_NODE_PREFIXES)][:NODE_SLOTS]
        others = [a for a in chosen if a not in node][: max(0, limit - len(node))]
        chosen = [a for a in ranked if a in node or a in others]
    return [Article(id=a, title=titles[a], why=why[a], heading=best_heading(
        paths[a].read_text(encoding="utf-8", errors="replace"), why[a])) for a in chosen]
