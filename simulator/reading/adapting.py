"""What an answer to a requirement change says about the change: the reading the adaptation
grade is given.

A candidate answering a curveball or a 10x stretch should say which part of their design
changes (a change word beside a part of the design, or a proposal), what stays, which figures
are re-derived, what it costs, what it does to the Node.js runtime and what breaks first; or
stay generic ("add servers", "cache it"). The readings of the answering turns carry most of
that (acts, components, quantities, runtime findings, wrong claims); this module adds the
words that say change, stay, trade-off, runtime and breakage, and how many of the change's
own words the answer uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.reading.turn import Reading

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
WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
STOP = frozenset(
    ["about", "after", "again", "also", "because", "before", "being", "between", "both", "could", "does", "each", "from", "have", "into", "just", "like", "long", "make", "many", "more", "most", "much", "must", "only", "other", "over", "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "through", "time", "very", "what", "when", "where", "which", "while", "will", "with", "would", "your", "design", "change", "changes", "stays", "part", "first", "breaks", "what's"])



@dataclass(frozen=True)
class AdaptationSignals:
    """What an answer to a requirement change says about the change (see the module docstring)."""

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


def read_adaptation(readings: Sequence[Reading], vocab: frozenset[str]) -> AdaptationSignals:
    """Read the turns answering a change; ``vocab`` is the change's own words."""
    text = " ".join(r.text for r in readings)
    words = {w.rstrip("s") for w in WORD.findall(text.lower())}
    concrete = 0
    for r in readings:
        for sentence in re.split(r"(?<=[.!?;])\s+", r.text):
            proposes = any(a.kind in ("proposal", "moves-work-off-path") and a.quote
                           and a.quote in sentence for a in r.acts)
            if "?" not in sentence and (proposes or _CHANGE.search(sentence)
                                        and _PART.search(sentence)):
                concrete += 1
    return AdaptationSignals(
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
