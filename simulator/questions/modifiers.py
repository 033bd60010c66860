"""How a catalog problem is turned into a variant: scale factors and named modifiers.

A variant is a catalog problem at another scale, optionally with one modifier: a changed
constraint (multi-region, 10x spikes, ten-year retention) or feature (end-to-end encryption
for chat). A modifier states, as data, everything it changes: the traffic assumptions the
calculator recomputes from, the clarifications that stop or start being true, extra
probes, what a good answer now contains, new red flags and the articles that ground it.
Keeping modifiers as validated data (not code paths) means adding one is a data edit, and a
typo in a field name fails at import.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulator.catalog.problems import Phase
from simulator.interview.calculator import TrafficAssumptions

__all__ = [
    "DEEP_DIVE_EXTRA",
    "META_ARTICLE_TOPICS",
    "MODIFIERS",
    "SCALE_FACTORS",
    "ModProbe",
    "Modifier",
    "apply_changes",
    "modifiers_for",
    "scale_noun",
]

#: DAU multipliers a variant may use; 1 is the catalog's own scale.
SCALE_FACTORS: tuple[float, ...] = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0)

_INT_FIELDS = {"dau", "read_size_bytes", "write_size_bytes", "retention_days"}


class ModProbe(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phase: Phase
    text: str
    nodejs: bool = False


class Modifier(BaseModel):
    """One named change to a problem. ``problems=None`` means it fits every problem."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str = Field(description="short, for titles: 'end-to-end encryption'")
    phrase: str = Field(description="follows the scale in the question: 'with ...'")
    detail: str = Field(description="one or two sentences added to the question")
    topics: list[str] = Field(min_length=1)
    problems: list[str] | None = None
    multiply: dict[str, float] = Field(default_factory=dict)
    set: dict[str, float] = Field(default_factory=dict)
    drop_clarify: list[str] = Field(default_factory=list, description="expectation ids")
    clarify: list[str] = Field(default_factory=list)
    probes: list[ModProbe] = Field(min_length=1)
    look_for: dict[Phase, list[str]] = Field(default_factory=dict)
    red_flags: list[str] = Field(min_length=1)
    articles: list[str] = Field(default_factory=list)

    @field_validator("multiply", "set")
    @classmethod
    def _known_fields(cls, changes: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(changes) - set(TrafficAssumptions.model_fields))
        if unknown:
            raise ValueError(f"unknown assumption field(s): {', '.join(unknown)}")
        return changes


def apply_changes(
    base: TrafficAssumptions,
    *,
    multiply: dict[str, float] | None = None,
    set_values: dict[str, float] | None = None,
) -> TrafficAssumptions:
    """``base`` with fields multiplied, then set; whole-number fields are rounded."""
    values = base.model_dump()
    for name, factor in (multiply or {}).items():
        values[name] = values[name] * factor
    values.update(set_values or {})
    for name in _INT_FIELDS:
        values[name] = round(values[name])
    return TrafficAssumptions.model_validate(values)


# How each problem's "users" read in a question; the calculator calls them all DAU.
_SCALE_NOUNS: dict[str, str] = {
    "payments": "shoppers a day",
    "rate-limiter": "active API clients",
    "web-crawler": "hosts crawled a day",
    "video-streaming": "daily viewers",
    "url-shortener": "people following links a day",
    "notifications": "users receiving notifications",
}


def scale_noun(problem_id: str) -> str:
    return _SCALE_NOUNS.get(problem_id, "daily active users")


#: Corpus articles about interviewing itself: cited, never the subject of a deep dive.
META_ARTICLE_TOPICS = frozenset({"interview", "career"})

#: Node.js runtime articles worth a deep dive for a problem beyond those it already lists.
DEEP_DIVE_EXTRA: dict[str, list[str]] = {
    "chat": ["nodejs-memory-gc", "event-loop-monitoring"],
    "image-upload": ["libuv-thread-pool", "nodejs-worker-threads-child-processes"],
    "news-feed": ["event-loop-monitoring", "nodejs-cluster-pm2"],
    "notifications": ["nodejs-memory-gc", "event-loop-monitoring"],
    "payments": ["resilience-patterns", "observability"],
    "rate-limiter": ["nodejs-event-loop", "horizontal-scaling-statelessness"],
    "url-shortener": ["nodejs-cluster-pm2", "load-balancing"],
    "video-streaming": ["nodejs-worker-threads-child-processes", "libuv-thread-pool"],
    "web-crawler": ["nodejs-memory-gc", "event-loop-monitoring"],
}


def _p(phase: Phase, text: str, nodejs: bool = False) -> ModProbe:
    return ModProbe(phase=phase, text=text, nodejs=nodejs)


GENERIC: list[Modifier] = [
    Modifier(
        id="multi-region",
        label="multi-region, active-active",
        phrase="served active-active from three regions",
        detail="Users on three continents are served from their nearest region, and a whole "
        "region can fail without losing acknowledged writes. The global audience flattens "
        "the daily peak to about 2x the average.",
        topics=["replication", "high-availability", "consistency"],
        set={"peak_factor": 2},
        clarify=[
            ("Which data needs cross-region consistency and which may replicate asynchronously, "
            "with a replication-lag budget per flow."),
            "What users may lose or not see while a region is down, and for how long (RPO/RTO).",
        ],
        probes=[
            _p("clarify", "If a region goes dark, what may users lose or not see, and for how long?"),
            _p("design", "Where is each piece of data written, and how does it reach the other regions?"),
            _p("bottlenecks", "A remote region slows to 2 s per call. What happens to the in-flight "
               "requests, sockets and heap of a Node.js process that waits on it?", True),
            _p("trade-offs", "Active-active or active-passive: what does each cost you here?"),
        ],
        look_for={
            "design": [("Data homed per region or replicated asynchronously, with a stated "
                       "conflict rule (single-home ownership, last-writer-wins or CRDTs).")],
            "trade-offs": [("Latency against consistency per flow, using the ~100 ms "
                           "cross-region round trip.")],
        },
        red_flags=[
            ("Synchronous cross-region writes on every request without counting the ~100 ms "
            "round trip."),
            "Assumes a globally strongly consistent database comes for free.",
        ],
        articles=["database-replication", "cap-in-practice", "load-balancing"],
    ),
    Modifier(
        id="traffic-spikes",
        label="10x traffic spikes",
        phrase="with traffic spikes of 10x the daily average",
        detail="Live events and campaigns push traffic to ten times the daily average within "
        "a minute, several times a week.",
        topics=["autoscaling", "load-shedding", "resilience"],
        set={"peak_factor": 10},
        clarify=[("Traffic reaches 10x the average within a minute; what must still work "
                 "during a spike and what may degrade.")],
        probes=[
            _p("estimate", "What is the peak rate at 10x, and how many Node.js processes does "
               "it take at this CPU cost per request?", True),
            _p("bottlenecks", "Traffic jumps 10x in one minute, faster than new instances boot. "
               "What sheds load first, and how does a Node.js process know it is overloaded?",
               True),
        ],
        look_for={
            "bottlenecks": [
                ("Load shedding or admission control driven by event-loop lag or utilisation, "
                "not CPU alone."),
                "Headroom or pre-scaling for spikes that arrive faster than autoscaling reacts.",
            ],
        },
        red_flags=[
            "Relies on autoscaling alone for a spike that arrives faster than instances boot.",
            "No load shedding: every request is queued until the event loop drowns.",
        ],
        articles=["resilience-patterns", "event-loop-monitoring",
                  "horizontal-scaling-statelessness"],
    ),
    Modifier(
        id="cpu-heavy",
        label="CPU-heavy requests",
        phrase="where each request needs about 8 ms of CPU",
        detail="Every request now runs schema validation, personalisation and response "
        "templating: about 8 ms of main-thread CPU in Node.js.",
        topics=["cpu-bound", "worker-threads", "event-loop"],
        set={"cpu_ms_per_request": 8},
        clarify=[("Each request costs about 8 ms of main-thread CPU; which of that work must "
                 "happen before the response and which can be deferred.")],
        probes=[
            _p("estimate", "With 8 ms of CPU per request, how many requests per second can one "
               "Node.js process serve, and how many processes does the peak need?", True),
            _p("bottlenecks", "p99 latency climbs long before CPU reaches 100%. Why, and what do "
               "you change in the Node.js tier?", True),
        ],
        look_for={
            "estimate": [("One process tops out near 1,000 / 8 = 125 requests/s; keep each "
                         "below ~70% busy.")],
            "bottlenecks": [
                "Queueing on the event loop: waits explode as utilisation nears 1 (M/M/1).",
                ("CPU work moved to worker_threads (a pool such as Piscina) or a separate "
                "service, keeping the main thread for I/O."),
            ],
        },
        red_flags=[
            ("Keeps 8 ms of synchronous work on the event loop and adds replicas without "
            "the numbers."),
            "Assumes async/await makes CPU-bound work non-blocking.",
        ],
        articles=["nodejs-blocking-the-event-loop", "nodejs-worker-threads-child-processes",
                  "nodejs-cluster-pm2"],
    ),
    Modifier(
        id="long-retention",
        label="10-year retention",
        phrase="with every record kept for ten years",
        detail="Regulation requires keeping every record for ten years while honouring "
        "users' deletion requests.",
        topics=["databases", "cost", "capacity-planning"],
        set={"retention_days": 3650},
        clarify=[("Everything is kept ten years, and deletion requests must reach every copy "
                 "(replicas, cold tiers, backups).")],
        probes=[
            _p("estimate", "How much data do you hold after ten years, and what does storing "
               "it cost per month?"),
            _p("design", "Where does data older than a year live, and how is a deletion "
               "request honoured there?"),
        ],
        look_for={
            "estimate": [("The ten-year total from the daily volume, before and after "
                         "replication.")],
            "design": [("Hot/cold tiering (object storage, lifecycle policies) with deletion "
                       "that reaches backups.")],
        },
        red_flags=[
            "Keeps ten years of data on the primary OLTP database.",
            "Ignores deletion requests in backups and cold tiers.",
        ],
        articles=["cost-awareness", "database-sharding"],
    ),
    Modifier(
        id="small-team",
        label="small team and budget",
        phrase="with a small team and a fixed budget",
        detail="Four engineers build and operate everything, and the monthly cloud bill is "
        "capped.",
        topics=["cost", "right-sizing", "microservices"],
        clarify=[("The team is four engineers with a fixed monthly cloud budget; operational "
                 "load counts as a cost.")],
        probes=[
            _p("estimate", "What are the two or three biggest items on the monthly bill at "
               "these numbers?"),
            _p("trade-offs", "Which parts would you buy as managed services and which would "
               "you run yourselves?"),
        ],
        look_for={
            "trade-offs": [("Managed services for undifferentiated parts and few deployable "
                           "units (a modular monolith before microservices).")],
        },
        red_flags=[
            "A dozen microservices and a self-run Kafka cluster for a team of four.",
            "No figure for the largest cost driver.",
        ],
        articles=["cost-awareness", "microservices-costs"],
    ),
]

SPECIFIC: list[Modifier] = [
    # chat
    Modifier(
        id="e2e-encryption",
        problems=["chat"],
        label="end-to-end encryption",
        phrase="with end-to-end encryption on every device",
        detail="Messages are end-to-end encrypted: the server stores and routes ciphertext "
        "only, encrypted once per recipient device (about three devices per user).",
        topics=["security", "messaging"],
        multiply={"writes_per_user_per_day": 3},
        set={"write_size_bytes": 400},
        drop_clarify=["e2e-encryption"],
        clarify=[
            ("End-to-end encryption is in scope: keys stay on devices and the server never "
            "sees plaintext (no server-side search, moderation or previews)."),
            "Each device has its own keys, so a message is stored once per recipient device.",
        ],
        probes=[
            _p("design", "The server cannot read messages. How does a user's new phone get "
               "its conversation history?"),
            _p("bottlenecks", "Every message is now stored and delivered once per recipient "
               "device. What does that do to a Node.js gateway's fan-out work and memory?",
               True),
            _p("trade-offs", "What do you give up by not being able to read messages on the "
               "server?"),
        ],
        look_for={
            "design": [("Opaque ciphertext per device; public keys and prekeys served by a key "
                       "directory; history for a new device comes from another device.")],
        },
        red_flags=[
            ("Server-side search, moderation or push previews of message text despite "
            "end-to-end encryption."),
            "Private keys stored on the server next to the messages.",
        ],
        articles=["design-chat", "backend-security"],
    ),
    Modifier(
        id="large-groups",
        problems=["chat"],
        label="5,000-member groups",
        phrase="with groups of up to 5,000 members",
        detail="Communities use groups of up to 5,000 members, and a busy group posts "
        "several messages a second.",
        topics=["fan-out", "pub-sub"],
        multiply={"reads_per_user_per_day": 2},
        clarify=[("Groups go up to 5,000 members; receipts in large groups are aggregated or "
                 "dropped.")],
        probes=[
            _p("estimate", "A busy 5,000-member group posts 5 messages a second. How many "
               "deliveries per second is that?"),
            _p("bottlenecks", "A message to a 5,000-member group: how long does one Node.js "
               "gateway spend serialising and writing it, and how do you stop that from "
               "stalling everyone else on the process?", True),
        ],
        look_for={
            "bottlenecks": [("Serialise once, fan out per gateway through pub/sub, batch socket "
                            "writes; no per-member receipts in large groups.")],
        },
        red_flags=[
            "Per-member read receipts in 5,000-member groups.",
            "A fan-out loop over all members on the sender's request path.",
        ],
        articles=["websocket-scaling"],
    ),
    # image-upload
    Modifier(
        id="video-clips",
        problems=["image-upload"],
        label="video clips up to 100 MB",
        phrase="with video clips of up to 100 MB as well as photos",
        detail="Users can also upload short video clips of up to 100 MB, which are "
        "transcoded before anyone sees them.",
        topics=["transcoding", "job-queue", "object-storage"],
        multiply={"write_size_bytes": 5},
        clarify=[("Clips up to 100 MB are accepted and must be transcoded before they are "
                 "visible; uploads resume after network drops.")],
        probes=[
            _p("design", "Where does a 100 MB upload go, and which of your services ever "
               "touches its bytes?"),
            _p("bottlenecks", "Transcoding starts on the upload API servers and latency jumps "
               "for everyone. Why, and where should it run?", True),
        ],
        look_for={
            "design": [("Presigned, resumable uploads straight to object storage; transcoding "
                       "by a queue-fed worker fleet.")],
        },
        red_flags=[
            ("100 MB uploads streamed through the Node.js API instead of presigned direct "
            "uploads."),
            "Transcoding in the request path.",
        ],
        articles=["design-video-streaming", "nodejs-worker-threads-child-processes"],
    ),
    Modifier(
        id="moderation",
        problems=["image-upload"],
        label="automated moderation",
        phrase="with automated moderation of every upload",
        detail="Every upload must pass an ML moderation classifier (about 300 ms per image) "
        "before it becomes visible to anyone but the uploader.",
        topics=["job-queue", "security"],
        drop_clarify=["no-editing-ml"],
        clarify=[("Moderation is in scope: uploads stay private until the classifier passes "
                 "them; editing, filters and search remain out of scope.")],
        probes=[
            _p("design", "Where does moderation sit between upload and visibility, and what "
               "does the uploader see meanwhile?"),
            _p("bottlenecks", "The classifier falls an hour behind after a viral event. What "
               "happens, and what do you do?"),
            _p("bottlenecks", "Someone proposes running the classifier inside the Node.js "
               "upload API with a JavaScript ML library. What happens at peak?", True),
        ],
        look_for={
            "design": [("A pending-moderation state and a queue-fed classifier fleet; only "
                       "approved images reach feeds and the CDN.")],
        },
        red_flags=[
            "The classifier runs synchronously inside the upload request.",
            "No pending state, so unmoderated images leak into feeds.",
        ],
        articles=["kafka-vs-rabbitmq", "nodejs-worker-threads-child-processes"],
    ),
    # news-feed
    Modifier(
        id="celebrities",
        problems=["news-feed"],
        label="50M-follower accounts",
        phrase="where the biggest accounts have 50M followers",
        detail="A few thousand accounts have more than a million followers, the largest "
        "50M, and their posts are the most read.",
        topics=["fan-out", "hot-keys", "caching"],
        multiply={"reads_per_user_per_day": 1.5},
        clarify=[("Follower counts are heavily skewed (up to 50M); celebrity posts may appear "
                 "a few seconds late.")],
        probes=[
            _p("design", "A celebrity with 50M followers posts. What does your system do, "
               "step by step?"),
            _p("bottlenecks", "One post is read 2M times in its first minute. Where does that "
               "load land?"),
        ],
        look_for={
            "design": [("Hybrid fan-out: push for normal accounts, pull and merge at read time "
                       "for celebrities.")],
        },
        red_flags=[
            "Fan-out on write for 50M-follower accounts.",
            "No protection for hot keys in the cache.",
        ],
        articles=["caching-strategies", "database-sharding"],
    ),
    Modifier(
        id="ranked-feed",
        problems=["news-feed"],
        label="ranked feed",
        phrase="with a ranked rather than chronological feed",
        detail="The feed is ranked by a relevance model instead of time and is re-scored "
        "every time a user opens the app.",
        topics=["cpu-bound", "caching"],
        multiply={"cpu_ms_per_request": 3},
        clarify=[("Ranking is in scope from day one; the feed may be a few seconds stale but "
                 "must open fast.")],
        probes=[
            _p("design", "Where does ranking run, and what does it need at read time?"),
            _p("bottlenecks", "Scoring 500 candidate posts per feed open inside the Node.js "
               "feed service: what does that do to the event loop at peak?", True),
        ],
        look_for={
            "design": [("Candidate generation in the feed service, scoring in a separate "
                       "inference service with a feature store.")],
        },
        red_flags=[("Model scoring runs synchronously on the Node.js event loop for every "
                   "candidate.")],
        articles=["nodejs-worker-threads-child-processes", "nodejs-blocking-the-event-loop"],
    ),
    # notifications
    Modifier(
        id="sms-provider-cap",
        problems=["notifications"],
        label="SMS provider capped at 1,000/s",
        phrase="with an SMS provider capped at 1,000 messages a second",
        detail="Login codes and alerts go out by SMS through a provider that accepts at "
        "most 1,000 messages a second per account.",
        topics=["rate-limiting", "queues"],
        clarify=[("The SMS provider accepts at most 1,000 messages/s; login codes must still "
                 "arrive within seconds during campaigns.")],
        probes=[
            _p("estimate", "How long does a campaign to 10M phone numbers take through a "
               "1,000/s provider?"),
            _p("design", "How do login codes still go out in seconds while a campaign is "
               "draining?"),
            _p("bottlenecks", "The SMS senders are Node.js workers that keep every pending "
               "send in memory while the provider is throttling. What happens to them?", True),
        ],
        look_for={
            "design": [("Separate priority queues per class of notification, and a token bucket "
                       "in front of the provider.")],
        },
        red_flags=[
            "One shared queue for login codes and marketing, so codes wait behind campaigns.",
            "Retries against the provider without backoff, burning the quota.",
        ],
        articles=["rate-limiting-algorithms", "resilience-patterns"],
    ),
    Modifier(
        id="quiet-hours",
        problems=["notifications"],
        label="quiet hours and digests",
        phrase="with per-user quiet hours and daily digests",
        detail="Users set quiet hours in their own time zone, and low-priority notifications "
        "are batched into one daily digest.",
        topics=["queues", "job-queue"],
        multiply={"writes_per_user_per_day": 0.7},
        clarify=[("Quiet hours are per user and time zone; low-priority sends are held and "
                 "batched into a digest.")],
        probes=[
            _p("design", "Where are held notifications stored until quiet hours end, and what "
               "releases them?"),
            _p("bottlenecks", "A Node.js scheduler loads every notification due at 08:00 into "
               "memory at once. What goes wrong?", True),
        ],
        look_for={
            "design": [("A due-time index or delayed queue, released in batches with jitter "
                       "rather than all at the same second.")],
        },
        red_flags=[
            "Every Node.js instance polls a huge table with setInterval.",
            "All held notifications released in the same second (thundering herd).",
        ],
        articles=["kafka-vs-rabbitmq", "idempotency"],
    ),
    # payments
    Modifier(
        id="multi-currency",
        problems=["payments"],
        label="30 currencies with FX",
        phrase="paying in 30 currencies with FX conversion",
        detail="Shoppers pay in 30 currencies, sellers are paid out in their own, and the "
        "exchange rate is locked at checkout.",
        topics=["payments", "consistency"],
        multiply={"write_size_bytes": 1.5},
        drop_clarify=["no-fraud-fx"],
        clarify=[("FX is in scope: which rate applies, when it is locked, and who bears the "
                 "difference at payout; fraud stays out of scope.")],
        probes=[
            _p("clarify", "Whose exchange rate applies, and when is it fixed?"),
            _p("design", "How does the ledger record a payment made in EUR and paid out in "
               "USD?"),
        ],
        look_for={
            "design": [("Every ledger entry carries an amount in minor units and a currency; "
                       "FX is recorded as its own balanced postings.")],
        },
        red_flags=[
            "Floating-point amounts or ledger entries without a currency.",
            "The FX rate is looked up again at payout, so the books never balance.",
        ],
        articles=["design-payments", "sql-vs-nosql"],
    ),
    Modifier(
        id="flash-sales",
        problems=["payments"],
        label="20x flash sales",
        phrase="with flash sales that bring 20x traffic",
        detail="Flash sales push checkout traffic to twenty times the daily average for the "
        "first few minutes.",
        topics=["idempotency", "load-shedding"],
        set={"peak_factor": 20},
        clarify=[("Flash sales bring 20x the average checkout rate; no shopper may be charged "
                 "twice, even when the provider times out.")],
        probes=[
            _p("design", "A shopper double-clicks Pay and the provider times out. What does "
               "your system guarantee?"),
            _p("bottlenecks", "At the start of a flash sale the payment service's Node.js "
               "processes show 400 ms of event-loop lag. What is happening, and what do you "
               "do?", True),
        ],
        look_for={
            "bottlenecks": [("Admission control or a queue in front of the provider, with "
                            "idempotency keys that survive retries.")],
        },
        red_flags=[
            "A timed-out charge retried with a new idempotency key.",
            "No queue or admission control in front of the payment provider.",
        ],
        articles=["idempotency", "resilience-patterns"],
    ),
    # rate-limiter
    Modifier(
        id="global-limits",
        problems=["rate-limiter"],
        label="global limits across five regions",
        phrase="enforcing each client's limit across five regions",
        detail="The API runs in five regions, and a client's limit is global: 1,000 requests "
        "a minute in total, wherever they land.",
        topics=["consistency", "redis"],
        clarify=[("Limits are global across five regions; how much over-admission is "
                 "acceptable while regions sync.")],
        probes=[
            _p("design", "A client sends half its traffic to Europe and half to the US. How "
               "do both regions agree on its count?"),
            _p("trade-offs", "How much over-admission would you accept to avoid a "
               "cross-region call per request?"),
            _p("bottlenecks", "Each Node.js instance awaits a cross-region Redis call before "
               "every request. What happens to its open sockets and latency?", True),
        ],
        look_for={
            "design": [("Local counters per region, synchronised asynchronously, with a stated "
                       "over-admission bound.")],
        },
        red_flags=[
            "A synchronous cross-region Redis call on every API request.",
            "Exact global limits claimed with no latency cost.",
        ],
        articles=["cap-in-practice", "database-replication"],
    ),
    Modifier(
        id="tenant-plans",
        problems=["rate-limiter"],
        label="per-tenant plans",
        phrase="with per-tenant plans for 100K tenants",
        detail="Limits come from each tenant's plan (100K tenants, five tiers), change "
        "without deploys, and each request is now checked against four rules.",
        topics=["api-gateway", "caching"],
        multiply={"writes_per_user_per_day": 2},
        clarify=[("Limits come from plans that change without deploys; four rules apply per "
                 "request.")],
        probes=[
            _p("design", "Where do the limit rules live, and how does a Node.js instance "
               "learn that a tenant upgraded?"),
            _p("bottlenecks", "Each check now evaluates four rules. How many Redis round trips "
               "is that per request, and what does it do to a Node.js instance at peak?", True),
        ],
        look_for={
            "design": [("Rules cached in-process with a short TTL or pushed on change; all "
                       "rules checked in one Lua script.")],
        },
        red_flags=[
            "The tenant's plan read from the database on every request.",
            "One Redis round trip per rule instead of one script.",
        ],
        articles=["api-gateway", "caching-strategies"],
    ),
    # url-shortener
    Modifier(
        id="click-stream",
        problems=["url-shortener"],
        label="real-time click stream",
        phrase="with every click recorded for real-time analytics",
        detail="Link owners see clicks per minute by country and referrer, so every "
        "redirect also records a ~100-byte click event.",
        topics=["messaging", "queues"],
        multiply={"writes_per_user_per_day": 101},
        set={"write_size_bytes": 105},
        clarify=[("Every redirect records a click event; dashboards may lag by a minute but "
                 "redirects must not slow down.")],
        probes=[
            _p("estimate", "How many click events a second at peak, and how much raw click "
               "data a day?"),
            _p("design", "How is a click recorded without slowing the redirect?"),
            _p("bottlenecks", "The redirect handler awaits the analytics write before "
               "responding. What happens to redirect latency and the Node.js event loop at "
               "peak?", True),
        ],
        look_for={
            "design": [("Fire-and-forget click events to a log (Kafka) with batching, "
                       "aggregated downstream.")],
        },
        red_flags=[
            "The click is written synchronously to the main database before redirecting.",
            "A row update per click on a hot link.",
        ],
        articles=["kafka-vs-rabbitmq"],
    ),
    Modifier(
        id="abuse-protection",
        problems=["url-shortener"],
        label="malware and phishing protection",
        phrase="with malware and phishing links blocked",
        detail="Spammers use the service to hide phishing pages; new links are checked "
        "against threat feeds, and links found bad later must stop redirecting within a "
        "minute.",
        topics=["security", "rate-limiting"],
        clarify=[("Abuse is in scope: links are screened at creation, can be disabled later, "
                 "and creation is rate-limited per account and IP.")],
        probes=[
            _p("design", "A link is flagged as phishing an hour after creation. How fast does "
               "it stop redirecting, given your caches?"),
            _p("bottlenecks", "Link creation calls a threat-feed API that starts taking 5 s. "
               "What happens to your Node.js creation service?", True),
        ],
        look_for={
            "design": [("Screening at creation plus a revocation path that purges CDN and "
                       "cache entries; rate limits on creation.")],
        },
        red_flags=[
            "Cache TTLs longer than the revocation guarantee.",
            "No rate limit on link creation.",
        ],
        articles=["backend-security", "rate-limiting-algorithms"],
    ),
    # video-streaming
    Modifier(
        id="live-streaming",
        problems=["video-streaming"],
        label="live streaming",
        phrase="with live streams as well as uploads",
        detail="Creators can also go live; viewers expect under ten seconds of delay, and a "
        "popular stream has a million concurrent viewers.",
        topics=["cdn", "real-time"],
        multiply={"concurrent_fraction": 2},
        drop_clarify=["no-live-recs"],
        clarify=[("Live streaming is in scope with under 10 s glass-to-glass delay; search, "
                 "recommendations, comments, ads and DRM stay out of scope.")],
        probes=[
            _p("design", "How does a live stream get from the creator's phone to a million "
               "viewers within ten seconds?"),
            _p("bottlenecks", "A million viewers of one live stream ask the Node.js playback "
               "API for a fresh manifest every 2 s. What breaks first?", True),
        ],
        look_for={
            "design": [("Ingest, segmenting into short HLS/DASH segments and a CDN serving "
                       "manifests with short TTLs and request collapsing.")],
        },
        red_flags=[
            "Live segments served from origin servers without a CDN.",
            "Node.js processes in the video byte path.",
        ],
        articles=["cost-awareness", "caching-strategies"],
    ),
    Modifier(
        id="4k-playback",
        problems=["video-streaming"],
        label="4K playback",
        phrase="with 4K playback on TVs",
        detail="Half of the watch time moves to TVs streaming 4K at about 15 Mbps.",
        topics=["cdn", "cost", "transcoding"],
        multiply={"read_size_bytes": 3, "write_size_bytes": 2},
        clarify=[("4K renditions are needed for TVs; which videos get them is a cost "
                 "decision.")],
        probes=[
            _p("estimate", "What does peak egress become with half the watch time in 4K, and "
               "what does it cost per day?"),
            _p("trade-offs", "Which videos deserve a 4K rendition, given the transcoding and "
               "storage cost?"),
            _p("bottlenecks", "The Node.js upload service computes checksums of 4K masters "
               "with crypto and fs on the libuv pool. What saturates first?", True),
        ],
        look_for={
            "estimate": ["Egress recomputed for the 4K share, with a daily CDN cost."],
        },
        red_flags=[
            "Every upload transcoded into every rendition eagerly.",
            "No egress cost figure.",
        ],
        articles=["cost-awareness", "libuv-thread-pool"],
    ),
    # web-crawler
    Modifier(
        id="js-rendering",
        problems=["web-crawler"],
        label="JavaScript rendering",
        phrase="rendering JavaScript-heavy pages",
        detail="A third of pages need a headless browser to render before links can be "
        "extracted.",
        topics=["cpu-bound", "worker-threads"],
        multiply={"cpu_ms_per_request": 10},
        drop_clarify=["html-only"],
        clarify=[("A third of pages must be rendered in a headless browser; rendering is "
                 "slow and memory-hungry.")],
        probes=[
            _p("estimate", "How many render workers does a third of pages need if each "
               "render takes 2 s?"),
            _p("bottlenecks", "Rendering runs in the same Node.js process as fetching, and "
               "throughput drops to a trickle. Why, and how do you split it?", True),
        ],
        look_for={
            "design": ["A separate render fleet fed by a queue; fetchers stay I/O-bound."],
        },
        red_flags=["Headless rendering inside the fetcher's event-loop process."],
        articles=["nodejs-worker-threads-child-processes", "nodejs-blocking-the-event-loop"],
    ),
    Modifier(
        id="news-freshness",
        problems=["web-crawler"],
        label="10-minute news recrawl",
        phrase="recrawling news sites every 10 minutes",
        detail="News sites must be recrawled every 10 minutes while the rest of the web "
        "stays on a monthly cycle.",
        topics=["url-frontier", "politeness"],
        multiply={"writes_per_user_per_day": 1.5, "reads_per_user_per_day": 1.5},
        clarify=[("News sites are recrawled every 10 minutes within their politeness limits; "
                 "the rest stays monthly.")],
        probes=[
            _p("design", "How does the frontier pick what to fetch next when some pages are "
               "due every 10 minutes and others monthly?"),
            _p("bottlenecks", "A news site rate-limits you after a burst of recrawls. What "
               "does your crawler do?"),
        ],
        look_for={
            "design": [("A prioritised frontier with per-host queues and due times, "
                       "respecting crawl-delay.")],
        },
        red_flags=[
            "One FIFO frontier, so news waits behind the monthly crawl.",
            "robots.txt crawl-delay and per-host politeness ignored.",
        ],
        articles=["rate-limiting-algorithms"],
    ),
]

MODIFIERS: dict[str, Modifier] = {m.id: m for m in (*GENERIC, *SPECIFIC)}
if len(MODIFIERS) != len(GENERIC) + len(SPECIFIC):  # pragma: no cover - data error
    raise ValueError("duplicate modifier id in simulator/questions/modifiers.py")


def modifiers_for(problem_id: str) -> list[Modifier]:
    """The modifiers that fit ``problem_id``: its own, then the generic ones."""
    own = [m for m in SPECIFIC if m.problems and problem_id in m.problems]
    return [*own, *GENERIC]
