"""The rubric's evidence lists, as recognisers that work for any problem.

Each phase of `prompts/rubric.yaml` lists what a score-3 and a score-4 answer contains
("average and peak QPS", "a stated consequence", "flip conditions with numbers"). The
problem catalog says *what* this problem needs; these checkpoints say *what kind of move*
the phase needs, so an estimate that never gives a peak or a design consequence is
incomplete whatever the problem. A checkpoint counts once per answer.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), _I)


_NUM = r"~?\$?\d[\d,.]*\s?[kmbt]?"

#: phase -> level (3 or 4) -> checkpoint name -> recogniser.
CHECKPOINTS: dict[str, dict[int, dict[str, re.Pattern[str]]]] = {
    "clarify": {
        3: {
            "core flows": _rx(
                r"\b(functional|core (flows?|features?|use cases?)|core:|users? (can|should|must)|"
                r"must be able|flows?:)",
            ),
            "numeric targets": _rx(
                rf"{_NUM}\s?(ms|%|dau|mau|users|qps|rps|/s|per second)\b|\bp9[059]\b|\b99\.9",
            ),
            "consistency or durability": _rx(
                r"\b(durab\w*|never (be )?lost|must never|no[- ]loss|losing|consisten\w*|"
                r"exactly[- ]once|at[- ]least[- ]once|order(ed|ing)?|same order|stale)\b",
            ),
            "out of scope": _rx(
                r"\bout of scope\b|\bout:|\bnon-?goals?\b|\bwon'?t (cover|handle|build)\b|"
                r"\bscope:|\bnot in (v1|scope)\b",
            ),
            "read/write shape": _rx(
                r"\bread[- ](heavy|dominated)\b|\bwrite[- ]heavy\b|\b\d+ ?: ?1\b|\bratio\b|"
                r"\breads? (dominate|outnumber)\b",
            ),
        },
        4: {
            "what drives the design": _rx(
                r"\b(decides?|drives?|shapes?) (the )?(design|architecture)\b|\bwould change\b|"
                r"\bchanges? (the|my) (design|answer)\b|\bif (yes|no|so)\b|\bdecides\b|"
                r"\bthe question that\b|\bopen questions?\b",
            ),
            "delivery semantics": _rx(
                r"\b(exactly[- ]once|at[- ]least[- ]once|idempoten\w*|dedup\w*)\b",
            ),
            "retention, privacy, compliance": _rx(
                r"\b(retention|retain\w*|gdpr|pii|complian\w*|audit|residency|privacy|private|"
                r"takedowns?|abuse|fraud|phishing|consent)\b",
            ),
            "recorded assumptions": _rx(
                r"\b(i'?ll assume|assuming|working assumption|i assume|flag it|revisit)\b",
            ),
        },
    },
    "estimate": {
        3: {
            "assumptions": _rx(r"\b(assum\w*|let'?s say|say|each|per user|x \d|×)\b"),
            "peak": _rx(
                r"\bpeak\w*\b|\bbusiest\b|\bspikes?\b|\bburst\w*\b|\bcatch[- ]up\b|"
                r"\b(evening|prime[- ]time|rush|holiday|black friday|flash sale|campaign|launch|"
                r"worst[- ]case|max(imum)?)\b|\b(x ?\d+|\d+ ?x)\b[^.;]{0,30}\b(average|avg|load|"
                r"traffic|qps|rps|per second|/s)\b",
            ),
            "storage over time": _rx(
                r"\b(per|a|/) ?(year|month)\b|/(year|yr|month|mo)\b|\bover \w+ years?\b|"
                r"\bretention\b|\byears?\b",
            ),
            "bandwidth or connections": _rx(
                r"\b(bandwidth|egress|ingress|[gmt]bps|concurrent|connections|sockets)\b",
            ),
            "design consequence": _rx(
                r"\bso (we|one|a single|the|only|it|that|this|storage|reads|writes)\b|"
                r"\b(enough|fits?|won'?t fit|need(s)? (a|an|its|their|to)|which means|means|"
                r"consequence|takeaway|is the (real )?ceiling|dominat\w*)\b",
            ),
        },
        4: {
            "per-process throughput": _rx(
                r"\bper (process|core|instance|vcpu|worker)\b|\bms of (main[- ]thread )?cpu\b|"
                r"\bcpu (time|per|ms)\b|\b\d+ (cores|vcpus?)\b",
            ),
            "instances with headroom": _rx(
                r"\bheadroom\b|\b\d+ ?% (target|utili\w*|cpu)\b|\bat \d+ ?%|\bzone\b|"
                r"\bredundan\w*\b|\bfailover\b|\bprovision\w*\b",
            ),
            "cost": _rx(r"\$\s?\d|\bper month\b|/month\b|\bcost\w*\b"),
            "sensitivity": _rx(
                r"\bsensitiv\w*\b|\bif (it|that|this|the \w+)('s| is| were| was)\b[^.]{0,40}"
                r"\b(double|wrong|off|\d+%|\d+x)|\bdominat\w*\b|\bdwarfs?\b",
            ),
        },
    },
    "design": {
        3: {
            "traced flows": _rx(r"->|→|\bthen\b|\bflow\b|\bpath\b|\bhits?\b|\breturns?\b"),
            "keyed data model": _rx(
                r"\b(pk|primary key|keyed (by|on)|partition(ed)? (key|by)|index (on|by)|"
                r"sorted sets?|table|schema)\b|\w+\((\w+,\s?)+\w+\)|\w+:\{\w+\}",
            ),
            "stateless tier": _rx(r"\bstateless\b|\bload[- ]balanc\w*\b|\blb\b|\breplicas?\b"),
            "async work": _rx(
                r"\b(queues?|workers?|kafka|sqs|bullmq|async\w*|consumers?|background)\b",
            ),
            "retries or failure path": _rx(
                r"\b(retr(y|ies)|dlq|dead[- ]letter|timeouts?|ack\w*|fail\w*)\b",
            ),
        },
        4: {
            "partitioning and hot keys": _rx(
                r"\b(hot|skew\w*|shard key|partition key|partitioned by|hash partition\w*)\b",
            ),
            "idempotency": _rx(r"\b(idempoten\w*|dedup\w*|outbox|overwrite|no-?ops?)\b"),
            "backpressure": _rx(
                r"\b(backpressure|bounded|in[- ]flight|concurrency|semaphore|at most \d+)\b",
            ),
            "event-loop split": _rx(
                r"\b(event[- ]loop|worker[_ ]threads|libuv|thread ?pool|main[- ]thread|"
                r"child process|piscina|process model|heap)\b",
            ),
            "evolution": _rx(r"\b10x\b|\bat \d+\s?x\b|\bevolv\w*\b|\bas (traffic|load) grows\b"),
        },
    },
    "bottlenecks": {
        3: {
            "ranked": _rx(
                r"\b(first|second|third|then|ranking|ranked|breaks first|to hurt|next)\b|\b\d\.",
            ),
            "hot keys or fan-out": _rx(
                r"\b(hot|stampede|single[- ]flight|coalesc\w*|thundering|fan-?out|viral|celebrity|"
                r"skew\w*)\b",
            ),
            "dependency failure": _rx(
                r"\b(timeouts?|retr(y|ies)|backoff|circuit[- ]breakers?|breaker|fall ?back|"
                r"fail (open|closed)|goes down|is down|outage)\b",
            ),
            "event loop kept free": _rx(
                r"\b(event[- ]loop|cpu[- ]bound|block\w*|main[- ]thread|sync\w*)\b",
            ),
            "connection pools": _rx(r"\b(pool\w*|connections?|max_connections|pgbouncer)\b"),
        },
        4: {
            "detection signals": _rx(
                r"\b(alert\w*|p9[059]|lag|elu|utili[sz]ation|queue (depth|age)|metrics?|"
                r"watch|track)\b",
            ),
            "libuv pool": _rx(r"\b(libuv|uv_threadpool_size|thread ?pool)\b"),
            "heap and gc": _rx(r"\b(heap|gc|garbage|max-old-space-size|memory)\b"),
            "retry storms": _rx(r"\b(storms?|thundering|jitter|herd)\b"),
            "degradation": _rx(
                r"\b(degrad\w*|fail (open|closed)|fall ?back|shed\w*|runbook|readiness)\b",
            ),
        },
    },
    "trade-offs": {
        3: {
            "options compared": _rx(
                r"\b(vs\.?|versus|over|instead of|rather than|compared)\b",
            ),
            "cost admitted": _rx(
                r"\b(cost|downside|give up|at the (cost|price)|price|lose|worse|slower|"
                r"harder|complexity|adds?)\b",
            ),
            "tied to requirements": _rx(r"\b(because|since|so|our|requirement\w*|here)\b"),
        },
        4: {
            "flip conditions": _rx(
                r"\b(flip|switch|revisit|would move|until|once|only (if|when|once))\b|"
                r"\b(past|above|beyond|below|under|over) ~?\$?\d",
            ),
            "money or operations": _rx(r"\$\s?\d|\b(on-?call|operational|ops|money|bill)\b"),
            "runtime trade-off": _rx(
                r"\b(worker[_ ]threads|cluster|process per|per container|runtime|rust|go|"
                r"event[- ]loop|libuv)\b",
            ),
            "reversibility": _rx(r"\b(reversib\w*|migrat\w*|cheap to change|lock-?in)\b"),
            "build or buy": _rx(r"\b(buy|managed|build vs|build or)\b"),
        },
    },
}


def checkpoints_hit(text: str, phase: str) -> dict[int, list[str]]:
    """Names of the level-3 and level-4 checkpoints of ``phase`` that ``text`` shows."""
    levels = CHECKPOINTS.get(phase, {})
    return {
        level: [name for name, rx in marks.items() if rx.search(text)]
        for level, marks in levels.items()
    }


def checkpoint_share(text: str, phase: str) -> tuple[float, float]:
    """Share of level-3 and of level-4 checkpoints hit."""
    hit = checkpoints_hit(text, phase)
    levels = CHECKPOINTS.get(phase, {})
    share = [len(hit.get(lv, [])) / max(1, len(levels.get(lv, {}))) for lv in (3, 4)]
    return share[0], share[1]
