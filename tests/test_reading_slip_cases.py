"""Hand-worked estimates through the shared slip finder (`simulator.reading`).

These cases were written for the estimate checker the reading package replaced; they stay as
regression cases. Four families: correct estimates (natural phrasing, rounding within 3x)
that must not be questioned, wrong ones that must be, real answers from the grading dev set,
and numbers that are not estimates at all (years, percentiles, ports, versions, replicas).
The arithmetic behind each expectation is worked out in the comment next to it.
"""

from __future__ import annotations

import re

import pytest

from simulator.reading.quantities import TOLERANCE, find_slips, read_quantities

CORRECT = [
    # 10M x 10 = 100M/day; 100M / 86,400 = 1,157 -> "1,200" is 1.04x
    "10M DAU, each doing 10 requests a day, that's 100M requests/day, so about 1,200 QPS.",
    # same chain in words; 100 million / 86,400 = 1,157 -> "~1.2K"
    ("We have 10 million daily active users and each one reads about 10 times a day, so "
    "roughly 100 million reads per day, which is ~1.2K reads per second."),
    # 10M x 10 / 86,400 = 1,157 -> "1,157", then rounded to "1K" (0.86x)
    "Read QPS = 10M x 10 / 86,400 ≈ 1,157, call it 1K.",
    # 1,157 rounded up to 2K is 1.73x: a rounding, not a slip
    "100M requests a day / 86,400 s is about 1,157 QPS; I'd round that to 2K QPS.",
    # 100K seconds in a day instead of 86,400: 100M / 100K = 1K (the exact 1,157 is 1.16x)
    "Let's use 100K seconds in a day to keep it simple: 100M / 100K = 1K QPS.",
    # 1.2K x 3 = 3.6K
    "Average is ~1.2K QPS and with a 3x peak factor that's ~3.6K QPS at peak.",
    # 100M x 1 KB = 100 GB/day; x 365 = 36.5 TB/year
    "Storage: 100M writes/day x 1KB = 100GB/day, about 36.5 TB/year.",
    # 2 TB x 365 = 730 TB/year; x 5 = 3.65 PB
    "2 TB/day x 365 = 730 TB a year, so over 5 years that's ~3.6 PB.",
    # 50M x 40 = 2B/day; / 86,400 = 23,148/s; x3 = 69K/s
    ("50M DAU each send 40 messages a day: 2B messages/day, ~23K/s on average and ~70K/s "
    "at peak."),
    # MAU is not the base: 100M DAU x 5 = 500M/day; / 86,400 = 5,787/s
    "500M MAU, 100M DAU, each user views 5 videos a day -> 500M views/day -> ~5.8K views/s.",
    # 1.5B x 20% = 300M
    "1.5B users, 20% daily active, so 300M DAU.",
    # 10M x 20% = 2M
    "20% of 10M DAU online at peak means 2M concurrent connections.",
    # 10,000,000 / 86,400 = 115.7/s; x5 = 579/s, "call it 600" is 1.04x
    ("Writes: 10,000,000 / 86,400 ≈ 116/s on average; peak factor is 5: ~580/s at peak "
    "(call it 600)."),
    # 10M x 1 KB = 10 GB/day; x 365 = 3.65 TB/year; x 7 = 25.6 TB
    ("Each payment stores ~1 KB. So 10M x 1 KB = ~10 GB/day, ~3.65 TB/year and ~26 TB over a "
    "7-year audit retention."),
    # 463 x 2 KB = 926 KB/s ≈ 1 MB/s
    "Bandwidth is trivial: 463/s x 2 KB ≈ 1 MB/s.",
    # 580 x 5 ms = 2.9 s of CPU per second
    "580 x 5 ms ≈ 3 s of CPU per second.",
    # 1e8 / 1e5 = 1e3
    "1e8 requests per day divided by 1e5 seconds is 1e3 QPS.",
    # 10M x 10 = 100M; / 86,400 = 1,157 -> "~1K"; x3 = 3.5K -> "~3K"
    "Roughly 10 million users, say 10 reads each per day: 100M reads, ~1K QPS avg, peaks ~3K.",
    # 1,157 x 1 KB = 1.16 MB/s; x 8 = 9.3 Mbps -> "10 Mbps"
    "We'll write 1,157 QPS x 1 KB = 1.2 MB/s of ingress, roughly 10 Mbps.",
    # 1B / 30 = 33M/day; / 86,400 = 386/s -> "400"
    "We handle 1B requests per month, so about 33M per day, roughly 400 per second.",
    # 1M writes/s? No: 1,000/s x 86,400 = 86.4M/day; x 500 B = 43 GB/day; x 365 = 15.8 TB
    ("About 1,000 writes per second means 86.4M writes per day, at 500 bytes each that's 43 GB "
    "per day, about 16 TB per year."),
    # fan-out: 100M posts x 200 followers = 20B inserts/day; / 86,400 = 231K/s
    ("Timeline fan-out: each post goes to ~200 followers, so 100M posts/day become 20B "
    "inserts/day, ~230K/s."),
    # traffic squeezed into 8 hours = 28,800 s: 100M / 28,800 = 3,472/s
    ("Traffic mostly happens within 8 hours, so 100M requests/day is more like 3.5K QPS "
    "during those hours."),
    # bullets and labels: 100M x 20 = 2B/day; / 86,400 = 23K; x3 = 69K; 100M x 1 KB = 100 GB
    ("Assumptions:\n- 100M DAU\n- each user reads 20 posts/day and writes 1 post/day\n"
    "- post size ~1 KB\nReads: 100M x 20 = 2B/day ≈ 23K QPS (peak 3x ≈ 70K)\n"
    "Writes: 100M/day ≈ 1.2K QPS\nStorage: 100M x 1 KB = 100 GB/day → ~36 TB/year"),
    # "86,400 ~ 100K" approximates the divisor, it is not a result
    "Seconds in a day: 86,400, round to 10^5. 10^8 requests / 10^5 s = 10^3 QPS.",
    # 20% x 340M x 300 B = 20.4 GB
    "Cache the hottest 20% of links: 20% x 340M x 300 B ≈ 20 GB in Redis.",
    # a day's volume comes from the daily count, not the peak rate of the sentence before:
    # 1B/day x 500 B = 500 GB/day (the 36k/s peak x 500 B x 86,400 would be 1.6 TB)
    ("Reads: 100M x 10 = 1B/day, / 86,400 = ~12k/s, peak 3x = ~36k/s. At 500 B each "
     "that's 500 GB/day of responses."),
    # a bare count after a per-process rate is what it divides into: 14k/s / 1,000/s = 14
    ("Peak is ~14k/s. Channel workers are I/O: 200 in flight at 200 ms provider latency is "
     "1,000/s per process, so ~14, run 25."),
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_estimates_are_not_questioned(text):
    assert find_slips(text) == []


# Reference notes from the problem catalog, copied verbatim: dense, correct arithmetic.
CATALOG_NOTES = [
    """50M DAU each send 40 messages a day: 2B messages/day, ~23K/s on average and ~70K/s
at peak. Group fan-out multiplies deliveries beyond that. 20% of DAU online at peak
means ~10M concurrent WebSocket connections; at 50-100K sockets per Node.js process
(memory-bound, not CPU-bound) that is 100-200 gateway processes before headroom.
A stored message with metadata and index overhead is ~300 B: ~600 GB/day and ~1.1 PB
over 5 years before replication, which rules out a single database and calls for a
store partitioned by conversation. Reads are history pages (~4 KB, about 20
messages) fetched ~20 times a day per user: ~12K/s average, ~35K/s peak. At ~1 ms of
main-thread CPU per message (parse, auth, persist, route) the send path alone needs
~70 cores at peak, so the message service scales horizontally too.""",
    """100M people follow short links daily; 3.4M new links a day is ~100M a month, and
reads are 100x writes. Writes average ~40/s (~120/s at peak): one relational primary
absorbs them easily. Redirects average ~3.9K/s and peak near 12K/s, so the read path
is what gets designed. A record (code, long URL, owner, timestamps, index overhead)
is ~500 B, so 5 years is ~6.2B links and ~3 TB before replication: small enough for
a few shards or even one large node, and a 7-character base62 code (62^7 ≈ 3.5
trillion) never runs out. A redirect response is ~300 B, so bandwidth is trivial.
At ~0.5 ms of main-thread CPU per redirect, the peak needs ~6 Node.js cores; run
several per-core processes for headroom and availability. Caching the hottest ~20%
of links fits in a few tens of GB of Redis.""",
    """20M shoppers a day, one payment per two shoppers: 10M payments/day.
Writes: 10,000,000 / 86,400 ≈ 116/s on average; flash sales make traffic spiky, so
the peak factor is 5: ~580/s at peak (call it 600). Reads (payment status, order
history, receipts) are 2 per shopper: 40M/day ≈ 463/s on average, ~2.3K/s at peak,
a read/write ratio of 4:1. Each payment stores ~1 KB: the payment row and its events
(~200 B) plus ~4 double-entry ledger postings of ~200 B. So 10M x 1 KB = ~10 GB/day,
~3.65 TB/year and ~26 TB over a 7-year audit retention, before replication and
indexes: one PostgreSQL primary with monthly partitions holds it, no sharding needed.
The ledger alone is 40M rows/day. Bandwidth is trivial: 463/s x 2 KB ≈ 1 MB/s. No
persistent client connections. The PSP takes ~2 s per call, so by Little's law
580/s x 2 s ≈ 1,200 PSP calls are in flight at peak: cheap for Node.js async I/O if
the HTTP agent's maxSockets allows it.""",
]


@pytest.mark.parametrize("text", CATALOG_NOTES)
def test_reference_notes_have_no_slips(text):
    assert find_slips(text) == []


WRONG = [
    # 10M x 10 / 86,400 = 1,157, not 1M (864x)
    ("10M DAU x 10 / 86,400 s = 1M QPS.",
     "You said 10M DAU x 10 / 86,400 s is 1M QPS - walk me through that.", 1e6, 1157.4),
    # chain: 10M x 10 = 100M/day; / 86,400 = 1,157, not 120K (104x)
    ("10M DAU, each doing 10 requests a day, that's 100M requests/day, so about 120K QPS.",
     "You said 10M DAU x 10 requests a day / 86,400 s is 120K QPS - walk me through that.",
     120e3, 1157.4),
    # 100M x 1 KB = 100 GB/day, not 100 TB/day (1000x)
    ("Storage: 100M writes/day x 1KB = 100TB/day.",
     "You said 100M writes/day x 1KB is 100TB/day - walk me through that.", 100e12, 100e9),
    # 100 GB x 365 = 36.5 TB/year, not 365 GB (0.01x)
    ("We write 100 GB a day, so about 365 GB per year.",
     "You said 100 GB a day x 365 is 365 GB per year - walk me through that.", 365e9, 36.5e12),
    # peak 1.2K x 3 = 3.6K, not 36K (10x)
    ("Average 1.2K QPS, peak is 3x, so 36K QPS at peak.",
     "You said 1.2K QPS x 3x is 36K QPS - walk me through that.", 36e3, 3.6e3),
    # 10M x 10 = 100M, not 10M (0.1x)
    ("10M users x 10 = 10M requests per day.",
     "You said 10M users x 10 is 10M requests per day - walk me through that.", 10e6, 100e6),
    # 100M / 86,400 = 1,157/s, not 100/s (0.086x)
    ("100M requests a day is about 100 requests per second.",
     ("You said 100M requests a day / 86,400 s is 100 requests per second - walk me through "
     "that."), 100, 1157.4),
    # tried as a user: the bytes come between, but "uploads" a day and "uploads" a second are
    # the same quantity: 10M / 86,400 = 116/s, not 460 (4x)
    ("10M uploads a day at 4 MB average is 40 TB a day, about 460 uploads per second.",
     "You said 10M uploads a day is 460 uploads per second - walk me through that.", 460,
     115.7),
    # 50M x 40 = 2B, not 20B (10x)
    ("50M DAU each send 40 messages a day: 20B messages/day.",
     "You said 50M DAU x 40 messages a day is 20B messages/day - walk me through that.",
     20e9, 2e9),
    # 10% of 50M = 5M, not 500K (0.1x)
    (("If 10% of 50 million daily users are online at once, that is 500K concurrent "
     "connections."),
     ("You said 50 million daily users x 10% is 500K concurrent connections - walk me "
     "through that."), 500e3, 5e6),
    # 1.2K x 1 KB = 1.2 MB/s, not 1.2 GB/s (1000x)
    ("1.2K QPS x 1 KB = 1.2 GB/s of ingress.",
     "You said 1.2K QPS x 1 KB is 1.2 GB/s - walk me through that.", 1.2e9, 1.2e6),
    # 200M x 10 / 86,400 = 23K/s, not 2.3K (0.1x)
    (("We have 200M DAU and each user refreshes the feed 10 times a day, so 2B feed reads a "
     "day, around 2.3K QPS."),
     "You said 200M DAU x 10 times a day / 86,400 s is 2.3K QPS - walk me through that.",
     2.3e3, 23148),
    # 100 GB x 365 x 5 = 182.5 TB, not 18 TB (0.1x)
    ("Storage is 100 GB a day, so over 5 years that is about 18 TB.",
     "You said 100 GB a day x 365 x 5 years is 18 TB - walk me through that.", 18e12, 182.5e12),
    # 23K x 2 KB = 46 MB/s, not 46 GB/s (1000x)
    ("With 2 KB responses and 23K QPS, egress is 46 GB/s.",
     "You said 23K QPS x 2 KB is 46 GB/s - walk me through that.", 46e9, 46e6),
    # 33M / 86,400 = 382/s, not 40 (0.1x)
    ("We handle 1B requests per month, so about 33M per day, roughly 40 per second.",
     "You said 33M per day / 86,400 s is 40 per second - walk me through that.", 40, 381.9),
    # 1B x 10% = 100M DAU, not 1M (0.01x)
    ("1B users, 10% daily active, so 1M DAU.",
     "You said 1B users x 10% is 1M DAU - walk me through that.", 1e6, 100e6),
]


def _stated_in(message: str) -> str:
    """The figure an old-style message ("You said ... is 1M QPS - walk me through that.")
    questioned."""
    return re.search(r" is (.+?) - walk", message).group(1)


@pytest.mark.parametrize(("text", "message", "stated", "recomputed"), WRONG)
def test_wrong_estimates_are_questioned(text, message, stated, recomputed):
    slips = find_slips(text)
    assert len(slips) == 1, [s.restatement for s in slips]
    slip = slips[0]
    assert _stated_in(message).lstrip("~") in slip.stated
    assert slip.factor == pytest.approx(stated / recomputed, rel=0.05)  # how far off, worked
    assert not 1 / TOLERANCE <= slip.factor <= TOLERANCE
    assert text[slip.start:slip.end] == slip.stated
    assert f'"{slip.stated}"' in slip.restatement  # quotes the candidate's own words


def test_a_wrong_step_is_questioned_once_not_again_downstream():
    # 10M x 10 = 100M, not 1B (10x). The next step, 1B / 86,400 = 11.6K, follows from the
    # wrong figure and is not questioned again.
    text = "10M DAU, each making 10 requests, so 1B requests a day and ~11.6K QPS."
    (slip,) = find_slips(text)
    assert slip.stated == "1B requests a day"
    assert slip.expected_value == pytest.approx(100e6, rel=0.02)


def test_slip_boundary_is_more_than_three_times():
    # 100M / 86,400 = 1,157.4: 3,400 is 2.94x (kept), 3,600 is 3.11x (questioned);
    # 390 is 0.337x (kept), 380 is 0.328x (questioned).
    def slips(figure: str) -> list:
        return find_slips(f"100M requests a day / 86,400 s = {figure} QPS.")

    assert slips("3,400") == []
    assert len(slips("3,600")) == 1
    assert slips("390") == []
    assert len(slips("380")) == 1


# Real answers from evals/datasets/grading_dev.jsonl, copied verbatim. Each wrong one has
# a 10x error against the candidate's own numbers, worked in the comment.
DEV_WRONG = [
    # g021: 400M / 86,400 = 4,630/s, not 460
    (("10M DAU, 5% online at peak, so 500k concurrent WebSockets. If a gateway process holds "
     "~50k sockets that's 10 gateways, I'd run 20 for redundancy. Messages: 40 per user per "
     "day is 400M a day; over 86,400 seconds that's about 460 per second, ~1,400/s at peak."),
     "You said 400M a day / 86,400 seconds is 460 per second - walk me through that."),
    # g035: 250M / 86,400 = 2,894/s, not 29,000
    (("50M DAU times 5 notifications is 250M a day. Divided by 86,400 that's about 29,000 per "
     "second, and with a 3x peak close to 90k/s, so we need Kafka with a lot of partitions, "
     "maybe 100, and a big worker fleet."),
     "You said 250M a day / 86,400 is 29,000 per second - walk me through that."),
    # g046: 10M / 86,400 = 116/s, not 1,150
    (("10M payments a day, divided by 86,400 that's about 1,150 per second, and with a 5x peak "
     "around 6,000 per second."),
     "You said 10M payments a day / 86,400 is 1,150 per second - walk me through that."),
    # g094: 10M x 150 B = 1.5 GB, not 150 MB
    (("50k requests per second at peak, 10M active keys. Memory: 10M keys times about 150 "
     "bytes is 150 MB, so it fits anywhere. Redis does about 100k ops per second, so a "
     "single instance handles it."),
     "You said 10M keys x 150 bytes is 150 MB - walk me through that."),
]


@pytest.mark.parametrize(("text", "message"), DEV_WRONG)
def test_real_answers_with_slips(text, message):
    slips = find_slips(text)
    assert len(slips) == 1 and _stated_in(message).lstrip("~") in slips[0].stated


DEV_CORRECT = [
    # g033: 50M x 5 = 250M/day; / 86,400 = 2,894/s; "~1 msg/s per SMS long code" is a
    # provider limit, not derived traffic
    ("Assume 50M DAU x 5 notifications/day = 250M/day ~ 2,900/s, ~8,700/s at a 3x peak. "
    "Campaigns on top: 20M users in one hour is 20M / 3,600 ~ 5,600/s. Log: 250M x 500 B = "
    "125 GB/day, 30 days ~ 3.75 TB. Consequence: our own throughput is easy; provider quotas "
    "(SES send rate, FCM 429s, ~1 msg/s per SMS long code) are the real ceiling."),
    # g057: 10M x 30 min = 300M minutes/day; x 22.5 MB = 6.75 PB/day; x 8 / 86,400 = 625 Gbps
    ("Viewing: 10M viewers x 30 min = 300M minutes/day. At an average 3 Mbps, a minute is 180 "
    "Mb = 22.5 MB, so 6.75 PB/day. That's 6.75e15 x 8 / 86,400 ~ 625 Gbps average, ~1.25 "
    "Tbps at a 2x evening peak, so only a CDN can serve it."),
    # g145: 200M x 10 = 2B/day; / 86,400 = 23K/s; one in ten of 200M post = 20M/day; x 1 KB
    ("For numbers, let's go with 200 million daily active users. People check their feed a "
    "lot, I'd say ten times a day. That's 2 billion feed loads a day, and dividing by 86,400 "
    "seconds, about 23,000 a second. Posting is much rarer, maybe one in ten posts on a given "
    "day, so 20 million posts a day. Each post is small, maybe 1 KB, so 20 GB of posts a day."),
]


@pytest.mark.parametrize("text", DEV_CORRECT)
def test_real_answers_without_slips(text):
    assert find_slips(text) == []


UNRELATED = [
    ("We'll run 3 replicas across 3 AZs, target p99 under 200 ms, on Node 20 behind nginx on "
    "port 8080. Launch in 2025."),
    ("Postgres 16 with 2 read replicas; HTTP/2 between services, TLS 1.3, 24/7 on-call, 1:1 "
    "chats and 99.99% availability."),
    ("The p50 is 20 ms and p999 is 900 ms; with 5 ms of CPU per request one process maxes at "
    "200 rps."),
    ("User IDs are 64-bit, short codes are 7 characters, and we keep 30 days of logs with "
    "4xx/5xx alerting."),
    ("Version 2 of the API ships in Q3; step 1 is auth, step 2 is rate limiting with 100 "
    "requests per minute per user."),
    # capacity claims are not derived from the traffic estimate
    ("10M DAU, 10 requests each a day, so ~1.2K QPS. Redis does 100K ops/s per node easily, "
    "and we should design for 50K QPS to be safe for growth."),
    ("A single Node.js process handles about 10K QPS of simple redirects, so 12K QPS peak "
    "needs 2 processes plus headroom."),
    # a new assumption for a different action, introduced with a label
    "10M DAU, each reading 10 posts a day, so 100M reads a day. Uploads: 100K/day.",
    # a read:write ratio is not a peak factor
    "Read:write is 100:1. If writes are 40/s, reads are 4K/s.",
    "A 7-character base62 code gives 62^7 ≈ 3.5 trillion codes, plenty.",
]


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_numbers_are_not_questioned(text):
    assert find_slips(text) == []


# -- written after a fresh set showed loose readings clearing real slips ---------------------------

@pytest.mark.parametrize(("text", "stated"), [
    # 1M / 2.6M s = 0.38/s; "40/s" is 1M / 86,400 x 3.5, over 100x off
    (("The free tier allows 1M calls per month per key. That averages out to about 40 calls per "
     "second per key."), "40"),
    # 80 GB/day x 365 = 29 TB/year; / 128 shards = 228 GB, so "3 TB" is 13x
    (("Comments: 80 GB/day, about 29 TB/year. Sharded 128 ways, so each shard grows by about "
     "3 TB a year."), "3 TB"),
    # 4 sizes x 500 KB = 2 MB per photo; x 1M/day = 2 TB/day; x 365 = 730 TB, not 70 TB
    (("1M photos per day, each kept in 4 sizes averaging 500 KB -> 2 MB per photo -> 2 TB/day. "
     "Per year that's about 70 TB."), "70 TB"),
    # 1 PB/day / 86,400 = 11.6 GB/s; x2 peak = 23 GB/s = 185 Gbps, not 23 Gbps (8x)
    ("Egress: 1 PB/day, ~11.6 GB/s on average, and with a 2x peak ≈ 23 Gbps.", "23 Gbps"),
    # 500M / 2.6M s = 190/s: a month's total divided by a day's seconds is 33x high
    (("Assume 500M uploads a month. Divided by the 86,400 seconds in a day, that's about "
     "6,000 uploads per second."), "6,000"),
    # 20M x 25 = 500M/day; / 86,400 = 5.8K/s, not 580/s; the users do not clear it
    (("20M users send 25 messages each per day, so 500 million a day. A day has 86,400 "
     "seconds, so that's roughly 580 per second."), "580"),
    # 60K / 500 per process = 120 processes, not 12
    (("Peak is 60K pushes/s. Each sender process manages at about 500/s, so we need 12 "
     "processes."), "12 processes"),
    # 86,400 x 30 = 2.6M s, not 260k
    ("A month is 86,400 × 30 ≈ 260k seconds, so 50M a month is ~190/s.", "260k seconds"),
    # 25 MB = 200 Mb; / 10 Mbps = 20 s, not 2.5 s (bytes read as bits)
    ("A 25 MB photo over a 10 Mbps connection uploads in about 2.5 seconds.", "2.5 seconds"),
])
def test_a_step_read_loosely_still_owns_its_inputs(text, stated):
    slips = find_slips(text)
    assert [s for s in slips if stated in s.stated], [s.stated for s in slips]


@pytest.mark.parametrize("text", [
    # 30B / 86,400 = 347K/s: a number in words, and a conversion constant, are no rates
    "Fan-out makes 30B feed inserts/day, roughly three hundred fifty thousand a second.",
    "1B pages a month. ~2.6M seconds/month → ~385 pages/s.",
    # 5 GB / 4 shards = 1.25 GB
    "50M keys × 100 B = 5 GB. I'd shard across 4, so ~1.25 GB each.",
    # 62^7 = 3.5e12: a formula on a spec, not a restatement of the 7
    "7-char base62 key → 62^7 ≈ 3.5 trillion keys, plenty.",
    # 90K / 300 = 300 workers; 400 is a choice with slack
    "Peak 90K sends/s, each worker does 300/s, so 300 workers; let's say 400 with slack.",
    # 24 x 60 = 1,440 minutes
    "A day is 24 × 60 = 1,440 minutes.",
    # 25 MB = 200 Mb; / 10 Mbps = 20 s
    "A 25 MB photo over a 10 Mbps connection takes about 20 seconds to upload.",
    # written after the second and third fresh estimate sets' tune halves
    # 40K/s avg, 2x peak = 80K/s; 80K x 25 KB = 2 GB/s: a bare peak keeps the rate's unit
    ("About 40K reads per second on average. Peak maybe 2x, so 80K. At 25 KB each, 80K × 25 KB = "
    "2 GB/s, roughly 16 Gbps."),
    # 20M a day x 10% x 1 KB = 2 GB
    "Cache the hottest tenth: 20M new a day × 10% × 1 KB = 2 GB.",
    # 900M / 2.6M s = ~350/s
    "900M new URLs/month, / 2.6M s per month -> ~350 writes/s.",
    # 600 Mbps / 10 Gbps = 6%
    "Replication traffic is 75 MB/s, which is 600 Mbps, roughly 6% of a 10 Gbps link.",
    # 8 MB/s = 64 Mbps, 64% of the link; the capacity named before the share
    "Egress is about 8 MB/s, so on a 100 Mbps link that's roughly 64% utilized.",
    # 1 req/s per host: reaching 20,000 pages/s is a target that needs 20,000 hosts
    ("Politeness allows 1 request/second per host, so reaching 20,000 pages/s means at least "
    "20,000 hosts in rotation."),
    # 20,000 / 400 = 50 boxes
    ("Little's law: 10,000/s × 2 s = 20,000 open sockets. At ~400 concurrent sockets per gateway "
    "box, that's 50 boxes."),
])
def test_more_correct_estimates_are_not_questioned(text):
    assert find_slips(text) == []


# -- written after the second and third fresh estimate sets' tune halves ------------------------

@pytest.mark.parametrize(("text", "stated"), [
    # 300 GB/month x 12 = 3.6 TB/yr; x 5 years = 18 TB, not 180 TB
    ("We add 300 GB a month, 3.6 TB a year, and after five years we're at about 180 TB.",
     "180 TB"),
    # 150K/s / 3,000/s per host = 50 hosts, not 5 (and "maybe 7" is a new figure, not a repeat)
    (("Peak is 150K pushes/sec. Each push/relay host handles about 3,000/s, so we need about 5 "
     "hosts, maybe 7 for safety."), "5 hosts"),
    # 400 TB / 2.5 GB/s = 160,000 s, not 1,600 s
    (("The backfill is 400 TB. Over a 20 Gbps link that's 2.5 GB/s, so 400 TB takes about 1,600 "
     "seconds."), "1,600 seconds"),
    # 3,000,000 GB x $0.02 = $60,000/month, not $6,000
    (("We keep 3 PB in object storage at $0.02 per GB-month. 3 PB = 3,000,000 GB, so that's about "
     "$6,000/month."), "$6,000/month"),
    # 600 Mbps / 10 Gbps = 6%, not 60%
    ("Replication traffic is 75 MB/s, which is 600 Mbps, roughly 60% of a 10 Gbps link.", "60%"),
    # 8 MB/s is 64 Mbps: 64% of a 100 Mbps link, not 8% (megabytes read as megabits)
    ("Egress is about 8 MB/s, so on a 100 Mbps link that's only 8% utilized.", "8%"),
    # 20,000 in flight / 400 per gateway box = 50 boxes, not 500
    (("Little's law: 10,000/s × 2 s = 20,000 open sockets. At ~400 concurrent sockets per gateway "
     "box, that's 500 boxes."), "500 boxes"),
    # a day has 86,400 s: 500k a day is ~5.8/s, not 500,000 / 3,600 = 139/s
    (("A daily quota of 500k requests per tenant works out to 500,000 / 3,600 ≈ 139 requests per "
     "second."), "139 requests per second"),
])
def test_more_kinds_of_steps_are_checked(text, stated):
    slips = find_slips(text)
    assert [s for s in slips if stated in s.stated], [s.stated for s in slips]


# -- written after the fresh estimate sets' tune halves, the fourth's included (session 13) -----

STEP_SLIPS = [
    # 90K x 200 B = 18 MB/s = 144 Mbps, not 144 Gbps: the "+" of the sentence before is the
    # message's own make-up, not this step's working
    (("Every lookup is about 200 bytes key+value. At 90k lookups/s that's 18 MB/s, which is "
      "about 144 Gbps of traffic."), "144 Gbps"),
    # 30M x 40 = 1.2B a month, 14.4B a year; x 1 MB = 14 PB, not 14 TB: the users behind the
    # 1.2B do not clear it (30M x 1 MB = 30 TB would)
    (("Our 30M monthly users each post 40 clips a month, so 1.2B clips a month, about 14B a "
      "year. At 1 MB each that's 14 TB a year."), "14 TB"),
    # 30 GB/day x 365 = 11 TB; x 3 replicas = 33 TB, not 3 TB
    (("We write 30 GB/day of audit rows. Over a year that's about 11 TB, and with 3x "
      "replication that's around 3 TB of disk."), "3 TB"),
    # 12 GB/day x 365 = 4.4 TB/yr; x 8 years x 3 copies = 105 TB, not 10 TB (a clause with no
    # figure between the steps, and the horizon in words)
    (("About 12 GB a day, roughly 4.4 TB a year. We keep everything; over an eight-year horizon "
      "with three copies, that's around 10 TB in all."), "10 TB"),
    # 5,000/s average x 4 = 20,000/s at peak, not 1,250/s (the factor divided, said in words)
    (("That's 5,000 lookups per second on average. Bursty traffic, a peak factor of four, so "
      "about 1,250/s at peak."), "1,250/s"),
    # 6M sockets / 300 processes = 20k per process; x 30 KB = 600 MB, not 60 MB
    (("6M sockets across 300 gateway processes is 20k per process. Each socket holds maybe "
      "30 KB, so a process needs about 60 MB for them."), "60 MB"),
    # session 14. 20M x 10 KB = 200 GB, not 2 TB: a share of the users ("a quarter of them")
    # stands for them from then on (80M x 10 KB = 800 GB would clear 2 TB)
    (("Eighty million DAU; about a quarter of them keep the app open at peak (so 20M "
      "sockets). Each of those holds roughly 10 KB. That comes to about 2 TB of memory."),
     "2 TB"),
    # 2B x 50 KB = 100 TB a month, not 100 GB: "50 KB a document" is the size of one, and
    # joins the count of the next sentence
    (("Say 50 KB a document. We index 2B documents a month, which is about 100 GB a month of "
     "text."), "100 GB"),
    # 4 GB/day x 90 days = 360 GB, not 4 GB: "puts us at" states a result
    (("200M events a day at ~20 bytes each, so 4 GB per day. Keeping 90 days of history puts "
      "us at around 4 GB overall."), "4 GB"),
    # 12k x 4 = 48k, then repeated as 4,800 in the next sentence
    (("Average is about 12 thousand a second; with a peak factor of four that's around 48k. "
      "So the ingest tier is what we size for: roughly 4,800 writes per second at peak."),
     "4,800"),
    # a day's total over the seconds of an hour: 30M / 86,400 = 350/s, not 8,300 (the division
    # itself is right; the divisor is another period's)
    (("Thirty million orders daily. Per second that's thirty million over 3,600, about 8,300 "
      "orders a second."), "8,300"),
    # a month's total over a day's seconds: 50M / 2.6M s = 19/s, not 580
    ("Fifty million signups a month; per second, 50M over 86,400, roughly 580 a second.", "580"),
    # the same number said again in another unit, linked by nothing but "so, um": 8x
    (("At 4 megabits a second for a minute, a clip is 240 megabits, so, um, 240 megabytes on "
      "disk."), "240 megabytes"),
    # a day's money said again per month: $2,000 x 30 = $60,000, not 6,000
    ("Storage costs about $2,000 a day, so, um, roughly 6,000 a month.", "6,000"),
    # thinking aloud between a product and its result: 50,000/s x 20 ms = 1,000 in flight
    (("Little's law: 50,000 requests a second times 20 milliseconds, um, about 10,000 in "
      "flight."), "10,000"),
    # a fleet named in words ("thirty checkout boxes") and "each one handles": 600 / 30 = 20
    (("Average is ~600 orders a second. If I run thirty checkout boxes, each one handles about "
      "two hundred orders a second."), "two hundred orders"),
    # "gigs" are gigabytes: 1B x 8 B = 8 GB, not 800
    ("A billion URLs at 8 bytes each is 800 gigs.", "800 gigs"),
    # 100/s x 5 = 500/s at peak, not 5,000: the factor chosen in the sentence before
    (("Nine million a day is about 100 a second on average. Mornings are busy, so I'll take "
      "a peak factor of five. That puts peak around 5,000 requests per second."), "5,000"),
]

# the same steps worked out right, and shapes that must not be read as a slip
STEP_CORRECT = [
    "Every lookup is about 200 bytes key+value. At 90k lookups/s that's 18 MB/s, about 144 Mbps.",
    ("Our 30M monthly users each post 40 clips a month, so 1.2B clips a month, about 14B a "
      "year. At 1 MB each that's 14 PB a year."),
    ("We write 30 GB/day of audit rows. Over a year that's about 11 TB, and with 3x "
      "replication that's around 33 TB of disk."),
    ("About 12 GB a day, roughly 4.4 TB a year. We keep everything; over an eight-year horizon "
      "with three copies, that's around 105 TB in all."),
    ("That's 5,000 lookups per second on average. Bursty traffic, a peak factor of four, so "
      "about 20,000/s at peak."),
    ("6M sockets across 300 gateway processes is 20k per process. Each socket holds maybe "
      "30 KB, so a process needs about 600 MB for them."),
    # a photo plus its thumbnail, summed in prose: not read as a restatement of the 200 KB
    "Each photo is 2 MB plus a 200 KB thumbnail, which is about 2.2 MB stored per upload.",
    # 400M x 600 x 8 B = 1.9 TB for everyone; only the 150M actives: x 150/400 = 0.72 TB
    ("Timelines: 400M users × 600 ids × 8 bytes ≈ 1.9 TB. But only ~150M actives need one, "
      "so ≈ 0.7 TB, and with a replica ≈ 1.4 TB of RAM."),
    # a new line starts a new note: the 12 GB is 10B x 9.6 bits, not a restatement of 25 TB
    "Raw ~25 TB a month gzipped.\nSeen set: ~10B URLs at ≈ 9.6 bits each ≈ 12 GB in RAM.",
    # session 14: the five slips above worked out right
    ("Eighty million DAU; about a quarter of them keep the app open at peak (so 20M "
     "sockets). Each of those holds roughly 10 KB. That comes to about 200 GB of memory."),
    "Say 50 KB a document. We index 2B documents a month, which is about 100 TB a month of text.",
    ("200M events a day at ~20 bytes each, so 4 GB per day. Keeping 90 days of history puts "
     "us at around 360 GB overall."),
    ("Average is about 12 thousand a second; with a peak factor of four that's around 48k. "
     "So the ingest tier is what we size for: roughly 48,000 writes per second at peak."),
    ("Nine million a day is about 100 a second on average. Mornings are busy, so I'll take "
     "a peak factor of five. That puts peak around 500 requests per second."),
    "Thirty million orders daily. Per second that's thirty million over 86,400, about 350 orders a second.",
    "A billion URLs at 8 bytes each is 8 gigs.",
    ("Average is ~600 orders a second. If I run thirty checkout boxes, each one handles about "
     "twenty orders a second."),
    "At 4 megabits a second for a minute, a clip is 240 megabits, so, um, 30 megabytes on disk.",
    "Storage costs about $2,000 a day, so, um, roughly 60,000 a month.",
    "Little's law: 50,000 requests a second times 20 milliseconds, um, about 1,000 in flight.",
    # "say four times" is the peak factor, not four events
    "Ten million writes daily over 86,400, about 116 a second. Peaks, say four times, so ~460.",
    # a figure of the product in words ("a hundred") that is not read: nothing to question
    "Ten million keys times a hundred times ~20 bytes ≈ 20 GB.",
    # a size per key is no total until the keys are counted: not "1% x 10 bits"
    "We expect about 10B distinct keys. A filter at 1% error needs ~10 bits per key: 100 gigabits, so ~12.5 GB.",
    # a code's length is an exponent: "seven characters" does not give 3.5 trillion by product
    ("Eight base62 characters give 62^8, roughly 218 trillion codes; we'd use a tiny slice. "
     "Seven characters (~3.5 trillion) would also do."),
    # CPU time is time: 200/s x 0.5 CPU-s = 100 cores, not "three thumbnails / half"
    ("At the ~200/s peak each upload needs three thumbnails, and all in it's half a "
     "CPU-second per upload. That's about 100 cores busy."),
]


@pytest.mark.parametrize(("text", "stated"), STEP_SLIPS)
def test_steps_after_a_derived_figure_are_checked(text, stated):
    slips = find_slips(text)
    assert [s for s in slips if stated in s.stated], [s.stated for s in slips]


@pytest.mark.parametrize("text", STEP_CORRECT)
def test_correct_steps_after_a_derived_figure_stand(text):
    assert find_slips(text) == []


@pytest.mark.parametrize("text", [
    ("100M a day over 86,400 s is about 12,000 a second. Wait, no, that is off by ten: about "
     "1,200 a second."),
    ("100M a day over 86,400 s is about 12,000 a second. Hmm, let me redo that: 100M over "
     "86,400 is about 1,200 a second."),
    "100M a day over 86,400 s is about 12,000 a second, sorry, 1,200.",
])
def test_a_figure_the_candidate_takes_back_is_not_questioned(text):
    assert find_slips(text) == []
    # the same figure left standing is
    kept = text.split("12,000 a second")[0] + "12,000 a second, so we need a few servers."
    assert [s.stated for s in find_slips(kept)] == ["12,000 a second"]


def _questioned_until_fixed(text: str, stated: str, fixed: str) -> None:
    """The wrong figure is questioned; with the right one in its place, nothing is."""
    assert [s.stated for s in find_slips(text) if stated in s.stated], find_slips(text)
    assert find_slips(text.replace(stated, fixed)) == []


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # Little's law named in words, figures in the sentence before: 900/s x 1.5 s = 1,350 in
    # flight, not 130 (a tenth)
    (("At peak we see about 900 checkouts/s and the bank's API takes ~1.5 s. Little's law, so "
      "in flight = rate × latency = about 130 concurrent bank calls."),
     "130 concurrent", "1,350 concurrent"),
    # "over ... we need": 8M sockets / 40,000 per box = 200 boxes, not 2,000
    (("Eight million sockets at peak, and one gateway box holds about forty thousand. So eight "
      "million over forty thousand... we need about 2,000 gateway boxes."),
     "2,000 gateway", "about 200 gateway"),
    # a peak factor said in words after a comma: 2,500/s x 4 = 10,000/s, not 100,000/s
    (("Uploads average about 2,500 a second. Peak factor, let's say four, since evenings are "
      "busy, so peak is about 100K uploads a second."), "100K uploads", "10K uploads"),
    # the peak built on a figure the candidate took back: 5K/s x 3 = 15K/s, not 150K/s
    (("Reads come to about 50K, sorry, 5K a second. With a peak factor of three, peak is about "
      "150K reads a second."), "150K reads", "15K reads"),
    # an ellipsis before the hedged result: 9,000 x 3,600 = 32.4M an hour, not 3 million
    ("Per hour, that's nine thousand times 3,600... roughly three million an hour.",
     "three million an hour", "thirty million an hour"),
    # "a terabyte a day" is one terabyte a day: x 30 days = 30 TB, not 300 TB
    ("We write a terabyte a day, so over 30 days that is about 300 TB.", "300 TB", "30 TB"),
    # "times 8" turns bytes into bits once: 50 TB x 8 / 86,400 = 4.6 Gbps, not 37 (the 8 twice)
    ("In bits a second, 50 TB times 8 over 86,400, about 37 gigabits.", "37 gigabits",
     "4.6 gigabits"),
    # bare figures divided in words give the result's own unit: 5M s / 86,400 = 58 days
    ("At one a second, five million pages is five million over 86,400, about 5.8 days.",
     "5.8 days", "58 days"),
    # a price per gigabyte in words, said again in dollars: 4M GB x $0.03 = $120,000 a day
    (("Egress is about 4 PB a day. At three cents a gig, that's 4 million gigs times 0.03, "
      "which works out to about twelve thousand dollars a day. Over a month it dominates."),
     "twelve thousand dollars", "a hundred and twenty thousand dollars"),
    # dividing by eight to get bits: 52 MB/s is 416 Mbps, not 6.5
    (("Egress: 520 pages/s at 100 KB a page, so 52 MB/s. Divide by eight for bits... roughly "
      "6.5 Mbps."), "6.5 Mbps", "416 Mbps"),
    # "a dollar an hour" is one dollar an hour: x 730 hours = $730 a month, not $7,300
    (("Twenty instances at five cents an hour, so a dollar an hour for the fleet. Over a month "
      "(~730 hours) that's roughly $7,300."), "$7,300", "$730"),
])
def test_steps_named_in_words_are_checked(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # said again sentences later with "as I said": 60M / 40K/s = 1,500 s = 25 min, not 4 hours
    (("Sending sixty million pushes at forty thousand a second is sixty million over forty "
      "thousand, about 1,500 seconds, so roughly twenty-five minutes. Password resets get their "
      "own queue so they never wait behind it. So, as I said, a full blast takes about four "
      "hours to go out."), "four hours", "half an hour"),
    # "the whole X is" points back at the total just worked out: 4B x 250 B = 1 TB, not 100 GB
    (("4B links × 250 B = 1 TB over the retention window. For caching, since the whole dataset "
      "is only around 100 GB, it could all sit in memory."), "100 GB", "1 TB"),
    # bits said again as bytes: 2M x 5 Mbps = 10 million megabits a second = 10 Tbps = 1.25 TB/s
    (("Two million viewers, and the average stream is 5 megabits. So two million times 5 "
      "Mbps is 10 million megabits... um, so that's 10 terabytes a second at the edge."),
     "10 terabytes", "1.25 terabytes"),
])
def test_a_worked_out_figure_said_again_later_is_checked(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


@pytest.mark.parametrize("text", [
    # another quantity: headroom, a different total, a new assumption
    ("Peak is 2,000 writes/s. As I said, we provision for 20,000 writes/s for headroom."),
    ("4B links × 250 B = 1 TB. The whole hot set is about 50 GB, since 5% of links get the "
     "clicks."),
])
def test_a_later_figure_that_is_another_quantity_stands(text):
    assert find_slips(text) == []


@pytest.mark.parametrize("text", [
    # what a time leads to, not the time said again: 700/s x 1.5 s is about 1,000 in flight
    "Peak is ~700 charges/s. The bank call takes ~1.5 s, so ~1,000 are in flight at peak.",
    # a bare result after a product whose first factor is in words the reader does not know
    "Encode: ~3 GPU-min per source hour x 200K hours/day = 600K GPU-min/day.",
    # the product as written, its unit in words: 8M x 20 minutes
    "Assume 8M listeners a day at 20 minutes each, so 160M listening minutes.",
    # a ratio of two counts: 20 opens per user a day against 0.2 posts is 100 reads per post
    "300M DAU, ~20 feed opens per user per day vs ~0.2 posts, so about 100 reads per post.",
    # a code length is chosen, not worked out from the headroom
    ("62^7 is about 3.5 trillion; against ~6B links that's over 500x headroom, so seven chars "
     "is plenty."),
    # the total of a size per item, not one item said again (8B x 9.6 bits = 9.6 GB)
    ("Dedupe set for 8B URLs: 8-byte hashes = 64 GB; a 1% Bloom filter at ~9.6 bits each ≈ "
     "9.6 GB, which fits on one box."),
    # a per-node reading needs this step's own operator, not one two sentences back
    ("2M x 365 x 5 ≈ 3.7B rows x 500 B ≈ 1.8 TB before replicas; storage is not the issue. At "
     "~0.5 ms of CPU per redirect one process does ~2K/s, so the peak is 4 cores."),
])
def test_figures_that_are_not_the_step_before_said_again_stand(text):
    assert find_slips(text) == []


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # the retention dropped: 2 TB a day x 30 days x 3 replicas = 180 TB, not 6 TB
    (("Each event is about 2 KB and there are a billion a day, so 2 TB a day. We keep thirty "
      "days for replay. With three replicas that's about 6 TB on disk."), "6 TB", "180 TB"),
    # ten years said, one year used: 700 GB a year x 10 x 3 = 21 TB, not 2.1 TB
    (("Storage grows about 700 GB a year, and links live ten years. With three replicas, "
      "roughly 2.1 TB all-in."), "2.1 TB", "21 TB"),
    # the copies said, then left out: 2 TB a year x 5 years x 3 copies = 30 TB, not 10 TB
    (("The ledger adds about 2 TB a year. We're keeping five years for audit, and three "
      "copies... so, call it 10 TB on disk."), "10 TB", "30 TB"),
])
def test_a_total_kept_for_a_stated_time_uses_that_time(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_a_total_before_its_replicas_or_for_a_shorter_window_stands():
    assert find_slips("We write 1 TB a day and keep 30 days, so 30 TB, and with 3 replicas "
                      "90 TB.") == []
    assert find_slips("1 TB a day; we keep 90 days in cold storage, but the hot tier holds "
                      "the last 7 days, so about 7 TB.") == []


def test_notes_with_arrows_carry_the_working_down_the_lines():
    """One figure a line, the result after an arrow: 5M x 40 KB is 200 GB, not 20 GB."""
    notes = "5M open sockets\n~40 KB per conn (TLS + buffers)\n→ 20 GB across the fleet\n"
    assert [s.stated for s in find_slips(notes)] == ["20 GB"]
    assert find_slips(notes.replace("20 GB", "200 GB")) == []


# -- session 16: decimals said in words, a dash around a pause, "N times five is", "we're at" --

@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # 12 points said with "point": 1.8 billion a day / 86,400 = 20.8K/s; x 4 = 83K/s, not 8K/s
    (("Twenty million devices at ninety events a day is 1.8 billion a day, over 86,400 is about "
      "twenty point eight thousand a second. Peak factor of four, so — uh — around eight "
      "thousand a second at peak."), "eight thousand a second", "eighty-three thousand a second"),
    # "a four-x peak": 15K/s x 4 = 60K/s, not 600K/s
    (("Reads average about fifteen thousand a second, and at a four-x peak that's roughly six "
      "hundred thousand a second."), "six hundred thousand a second",
     "sixty thousand a second"),
    # 250/s x 8 s = 2,000 in flight, not 20,000: "times eight is" is a product said in words
    (("We call the bank about 250 times a second. If a slow call takes eight seconds, 250 times "
      "eight is about twenty thousand open requests."), "twenty thousand open requests",
     "two thousand open requests"),
    # 4 TB a copy x 3 replicas = 12 TB, not 120 TB ("let's see" is a pause, not an assumption)
    (("The archive is roughly four terabytes per copy. With three replicas we're at, let's see, "
      "about a hundred and twenty terabytes."), "a hundred and twenty terabytes",
     "twelve terabytes"),
])
def test_spoken_workings_are_followed(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_a_factor_never_scales_the_seconds_in_a_day():
    """86,400 x 3 is 259,200: near 700K/s, but it is a period constant, not a count; the
    peak (23K/s x 3 = 69K/s) is what 700K/s must be checked against."""
    text = ("Two billion a day. Divided by 86,400 that's about twenty-three thousand a second, "
            "and at a three-x peak that's roughly seven hundred thousand a second.")
    assert [s.stated for s in find_slips(text)] == ["seven hundred thousand a second"]


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # 250,000 viewers x 4 Mbps = 1 Tbps; in bytes that is 125 GB/s, not 1 TB/s
    (("At peak we stream to 250,000 viewers at about four megabits a second each, so that's one "
      "terabit a second. Which in bytes is about 1 terabyte per second out of the CDN."),
     "1 terabyte per second", "125 gigabytes per second"),
    # 500 pages/s x 50 KB = 25 MB/s = 200 Mbps, not 25 Mbps: megabytes restated as megabits
    (("We fetch 500 pages a second at roughly 50 kilobytes each, so about twenty-five megabytes "
      "a second — call it twenty-five megabits of inbound traffic."), "twenty-five megabits",
     "two hundred megabits"),
])
def test_a_rate_said_again_in_other_units_is_checked(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_a_share_already_applied_is_not_applied_again():
    """40M DAU x 25% = 10M sockets; at 40,000 a process that is 250 processes, not 25. Applying
    the 25% again (10M / 40K x 25% ≈ 62) would clear 25 by accident."""
    text = ("Forty million DAU, twenty-five percent online at peak, so ten million concurrent "
            "sockets. One process holds about forty thousand sockets, so we need 25 gateway "
            "processes.")
    _questioned_until_fixed(text, "25 gateway", "250 gateway")


def test_hundreds_said_the_short_way():
    """'three-eighty-six' is 386: 386 x 10 ms = 3.9 CPU-seconds a second, no slip."""
    assert find_slips("Each page is ten milliseconds of CPU. At three-eighty-six pages a second "
                      "that's about 3.9 CPU-seconds every second, so four cores busy.") == []


def test_a_price_per_gig_month_multiplies_the_gigabytes():
    """3.2 PB is 3.2M GB; at 2 cents a gig-month that is $64K a month, not $6.4K."""
    text = ("We hold about three point two petabytes. Storage is 2 cents a gig-month: 3.2 million "
            "gigs times 0.02, that's about $6.4K a month.")
    _questioned_until_fixed(text, "$6.4K a month", "$64K a month")


def test_busy_cores_divide_by_the_cores_of_one_worker():
    """90 images/s x 0.4 s of CPU = 36 cores busy; with 4-vCPU workers that is 9, not 90."""
    text = ("About ninety images a second, and each one is 0.4 seconds of CPU. 90 times 0.4 is "
            "thirty-six cores busy. With four-vCPU workers that's something like ninety workers.")
    _questioned_until_fixed(text, "ninety workers", "nine workers")
    assert find_slips(text.replace("ninety workers", "ten workers")) == []


def test_what_each_one_does_after_a_count_is_an_input():
    """'80M users, ~5 pushes each a day': the 5 is what each user gets, not the 80M restated."""
    assert find_slips("80M users, ~5 pushes each a day, that's 400 million a day; 4e8 over "
                      "86,400 is about 4.6K a second.") == []


def test_a_total_is_not_rescaled_by_a_count_it_was_not_worked_out_for():
    """30 KB a user x 100M users is 3 TB; 3 GB is 1000x low. Dividing by the unrelated 'about
    300 followers' and multiplying by '30 million followers' must not clear it."""
    text = ("Average is about 300 followers, and one star has 30 million followers. Cache: 400 "
            "ids per user at ~75 bytes, so 30 KB a user. Times 100 million users, that's about "
            "3 GB, so one Redis box.")
    _questioned_until_fixed(text, "3 GB", "3 TB")


def test_a_rounded_seconds_a_day_divides_the_days_total():
    """12M payments a day over ~10^5 s is about 120 TPS; "1,200 TPS" is 10x high. The rounding
    of 86,400 is the constant again, not a step; "TPS" counts payments, not requests."""
    text = ("Twelve million payments a day. Dividing by 86,400, which I'd call a hundred "
            "thousand, we land at roughly 1,200 TPS.")
    _questioned_until_fixed(text, "1,200 TPS", "120 TPS")
    (slip,) = find_slips(text)
    assert "transactions a second" in slip.restatement


def test_dividing_where_the_units_say_multiply():
    """30M riders each get 4 alerts a day: 120M a day. "30 million over 4" divides a count of
    people by a per-person rate; the units only work multiplied."""
    text = ("We have 30 million riders and each one gets 4 alerts a day. 30 million over 4 gives "
            "7.5 million alerts a day.")
    (slip,) = find_slips(text)
    assert slip.stated == "7.5 million alerts a day"
    assert '"30 million riders" x "4 alerts a day"' in slip.restatement
    assert "120M notifications a day" in slip.restatement
    assert find_slips(text.replace("over 4 gives 7.5 million", "times 4 gives 120 million")) == []


def test_a_transfer_time_uses_the_link_speed_said_just_before():
    """A 20 Mbps uplink moves a 10 MB video in 4 s (80 megabits); "half a second" reads the
    megabytes as megabits."""
    text = ("Assume a twenty megabits per second uplink. The clip is 10 megabytes, so an upload "
            "takes about half a second.")
    _questioned_until_fixed(text, "half a second", "4 seconds")
    # a duration that is not a transfer is not worked out from the link speed
    assert find_slips(text.replace("so an upload takes", "so transcoding takes")) == []


def test_which_means_says_the_bits_again_as_bytes():
    """400K viewers x 5 Mbps = 2 Tbps, which is 250 GB/s; "2 terabytes a second" reads the
    bits as bytes."""
    text = ("Say 400K concurrent viewers at 5 Mbps: 400K x 5 Mbps = 2 million megabits per "
            "second, so 2 Tbps. Which means the edge serves about 2 terabytes per second.")
    _questioned_until_fixed(text, "2 terabytes per second", "250 gigabytes per second")


def test_a_lone_figure_said_again_in_another_period_in_the_next_sentence():
    """6 billion plays a month is 200 million a day; "That's about 50 million a day" is 4x
    low. A sentence that is only "That's about" says the figure before again outright."""
    text = "We expect 6 billion plays a month. That's about 50 million a day."
    _questioned_until_fixed(text, "50 million a day", "200 million a day")


def test_money_in_words_and_a_price_plus_a_fee():
    """3.4% of a sixty-dollar order is $2.04; with the 25-cent fee $2.29. Nothing is off: the
    figure before "plus" is money, not a count of "plus"."""
    assert find_slips("The card fee is 3.4 percent plus 25 cents. On a sixty-dollar order "
                      "that's $2.04 plus $0.25, so $2.29 per payment.") == []


def test_a_money_total_in_fees_a_month_is_per_month():
    """$2.29 x 4M payments a month is about $9.2M a month; "$900K in fees a month" is 10x low."""
    text = ("Each payment costs us $2.29 in fees. With 4 million payments a month that comes to "
            "about $900K in fees a month.")
    _questioned_until_fixed(text, "$900K in fees a month", "$9.2M in fees a month")


def test_littles_law_named_with_the_result_in_words():
    """20,000 calls a second x 150 ms = 3,000 in flight; "three hundred" is 10x low."""
    text = ("The gateway makes twenty thousand calls a second and each takes about a hundred and "
            "fifty milliseconds. So by Little's law the calls in flight at any moment number "
            "around three hundred, a modest pool.")
    _questioned_until_fixed(text, "three hundred", "three thousand")
    text = text.replace("number around", "come to about")
    _questioned_until_fixed(text, "three hundred", "three thousand")


def test_an_overhead_percent_added_on_top_is_not_a_share():
    """300 GB a day plus another 25 percent for indexes is 375 GB; 10x less, said again with
    "as I said", is a slip, while "about 375 GB" is not."""
    text = ("Ten million photos a day at 30 KB of metadata each, so 300 GB a day. Indexes add "
            "another 25 percent, which I'll leave out. So, as I said, about 30 GB a day.")
    _questioned_until_fixed(text, "30 GB a day", "375 GB a day")


def test_a_total_shared_over_nodes_is_divided_not_multiplied():
    """5 GB of counters over 10 shards is 500 MB a shard; "each shard holds about 50 GB"
    multiplies by the shards (100x high)."""
    text = ("Fifty million keys at 100 bytes each gives 5 GB in all. We split it over 10 Redis "
            "shards, meaning each shard holds about 50 GB.")
    _questioned_until_fixed(text, "50 GB", "500 MB")


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # 50M a day over ~10^5 s is 500 a second, not 5,000; the "..." is a pause, not a full stop
    (("Um, we get 50 million uploads a day. A day is about 100K seconds, so that's... roughly "
      "5,000 uploads per second."), "5,000 uploads per second", "500 uploads per second"),
    # "spikes of 8 times average" is the peak factor: 3,000 x 8 = 24K, not 3K
    (("Steady state is about 3,000 events per second. Spikes after a deploy could be 8 times "
      "average. So we provision for, hmm, 3K per second at peak."), "3K per second", "24K per second"),
    # 60K x 3 = 180K; "we design for 20K" divides by the factor
    (("Reads average 60K per second. Peak is maybe 3x average, so we design for 20K a second at "
      "peak."), "20K a second", "180K a second"),
    # 3 TB a day x 365 = 1.1 PB a year, not 110 TB
    (("We ingest 30 million documents a day at 100 KB each, so a day is 3 TB, and over a year "
      "we're looking at around 110 terabytes."), "110 terabytes", "1.1 petabytes"),
    # 1.5 GB/s is 12 gigabits a second, not 1.5
    (("Peak ingest is 300 videos a second at 5 MB each, so 1.5 GB per second. In network terms "
      "that's about 1.5 gigabits, one NIC."), "1.5 gigabits", "12 gigabits"),
    # 300 a minute is 5 a second; "what did I say, 50" later is 10x
    (("The free tier gets 300 requests per minute, so that's 5 per second. It matters for the "
      "limiter's memory. For their bucket we're budgeting, what did I say, about 50 requests a "
      "second."), "50 requests a second", "5 requests a second"),
    # 40K posts a second to 25 followers each is 1M deliveries a second; dividing gives 1,600
    (("Say 40k posts per second, and the average account has 25 followers. Every post goes to "
      "every follower, so that's 40k over 25, about 1,600 deliveries per second."),
     "1,600 deliveries per second", "1M deliveries per second"),
])
def test_more_steps_this_session(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_copies_in_total_include_the_replicas_said_before():
    """Three replicas plus an offsite copy is four copies: 5 TB x 4 = 20 TB. A reading of 3 x 4
    copies (60 TB) must not clear "around 150 TB"."""
    text = ("The archive grows 5 TB a year. Three replicas here, then one offsite copy, so four "
            "copies total, which puts us at around 150 TB a year of disk.")
    assert [s.stated for s in find_slips(text)] == ["150 TB a year"]


def test_a_price_per_million_is_the_price_of_one_over_a_million():
    """50 million requests a month at $0.40 per million requests is $20 a month; "$2,000 a month"
    is 100x high, and "$20 a month" stands."""
    text = ("The function runs 50 million times a month. At $0.40 per million requests, that's "
            "about $2,000 a month.")
    _questioned_until_fixed(text, "$2,000 a month", "$20 a month")


def test_a_total_said_again_per_day_in_notes():
    """'2e11 B = 200 GB/day' says the day's bytes per day: nothing to question."""
    assert find_slips("writes: 2e9/day\nstorage: 2e9 × 100 B = 2e11 B = 200 GB/day → ~73 TB/yr") == []


def test_terse_notes_with_a_ratio_and_a_rate_said_again_bare():
    """"~100:1 read-heavy" is a ratio, not a peak factor; "15K × ~20 KB ≈ 300 MB/s" uses the
    15K/s worked out lines before, in its unit. Nothing here is off."""
    text = ("Reads: 100M × 13 = 1.3B/day ≈ 15K/s; ×3 peak ≈ 45K/s.\n"
            "Writes: 5% post once/day = 5M ≈ 58/s (~170/s peak) → ~250:1 read-heavy.\n"
            "Media: 5M posts × 1 KB = 5 GB/day ≈ 1.8 TB/yr.\n"
            "Egress: 15K × ~20 KB page ≈ 300 MB/s ≈ 2.4 Gbps avg, ~7 Gbps peak.")
    assert find_slips(text) == []
    assert [s.stated for s in find_slips(text.replace("≈ 300 MB/s", "≈ 3 GB/s"))] == ["3 GB/s"]


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # a 40 gigabit NIC moves 5 GB/s, not 40 GB/s
    ("Each edge box has a 40 gigabit NIC, so roughly 40 gigabytes a second per box.",
     "40 gigabytes a second", "5 gigabytes a second"),
    # 10G NIC, glued: 1.25 GB/s, not 10
    ("The fetchers sit on 10G NICs, so each one can pull about 10 GB/s from the internet.",
     "10 GB/s", "1.25 GB/s"),
    # 600M a month is ~230 a second, not 2,300 (the period said first, "averages out to")
    ("Monthly we settle 600 million payouts, which averages out to about 2,300 a second.",
     "2,300 a second", "230 a second"),
    # a multiplier said as "the launch multiplier is 5x, so we need to absorb": 4K x 5 = 20K
    ("Baseline is 4K rps and the launch-day multiplier is 5x, so we need to absorb 6K rps.",
     "6K rps", "20K rps"),
    # 3.6M a minute during a sale is 60K a second, not 6K
    ("We take 3.6 million cart updates a minute during a sale, roughly 6,000 per second.",
     "6,000 per second", "60,000 per second"),
    # 8 Mbps for 90 minutes is 5.4 GB, not 43 GB
    ("The top rendition is 8 Mbps, so a ninety-minute film is about 43 GB.", "43 GB", "5.4 GB"),
    # 50M users x 4 KB of settings each is 200 GB, not 20 GB
    ("50 million users times 4 KB of settings each is 20 GB.", "20 GB", "200 GB"),
    # 300 a second for a year is ~9.5B, not 950M
    (("That's 300 inserts a second on average. Over a full year that comes to 950 million "
      "inserts."), "950 million inserts", "9.5 billion inserts"),
    # "call that": 40 Gbps is 5 GB/s
    ("We ingest 40 Gbps of logs, call that 40 GB a second into Kafka.", "40 GB a second",
     "5 GB a second"),
    # "lands us at": 20 TB x 3 replicas = 60 TB, not 5 TB
    ("Raw data is 20 TB, we keep 3 replicas, and that lands us at about 5 TB on disk.", "5 TB",
     "60 TB"),
])
def test_slips_in_my_own_wording(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_a_count_worked_out_from_a_daily_rate_is_a_days_total():
    """300M users x 4 lookups a day = 1.2B lookups (a day's worth): about 14K a second, so
    "about a thousand a second" is 14x low. A year's worth said later is no such total."""
    text = ("so, um, three hundred million users, and each one does maybe four lookups a day, so "
            "1.2 billion lookups, which is, uh, about a thousand a second")
    _questioned_until_fixed(text, "a thousand a second", "14 thousand a second")
    assert find_slips("Each upload is 500 MB and we get a hundred thousand a day, so fifty "
                      "terabytes a day, and a year of that is about eighteen petabytes.") == []


def test_what_one_node_holds_of_a_count_said_just_before():
    """2M sockets, 40K per process: 50 processes, not 500 (what one node "can hold" shares out
    the sockets of the sentence before)."""
    text = ("We'll have around 2 million concurrent sockets. A Node process can hold maybe 40K, "
            "so we're looking at roughly 500 processes.")
    _questioned_until_fixed(text, "500 processes", "50 processes")
    assert "≈ 50 processes" in find_slips(text)[0].restatement


def test_call_it_rounds_the_figure_just_worked_out_not_another():
    """2 GB/s is 16 Gbps; "call it 160 Gbps" is the figure just said, 10x off."""
    text = ("Two million events a second at 1 KB each is 2 GB a second, or 16 Gbps, hmm, call it "
            "160 Gbps at the edge.")
    _questioned_until_fixed(text, "160 Gbps", "20 Gbps")


def test_cpu_time_per_item_times_items_a_second_is_cores_busy():
    """90 s of CPU per video x 4 videos a second keeps 360 cores busy, not 36."""
    text = ("If a transcode takes 90 seconds of CPU per video and we get 4 videos a second, we "
            "need 36 cores.")
    _questioned_until_fixed(text, "36 cores", "360 cores")
    assert "≈ 360 cores" in find_slips(text)[0].restatement


def test_a_peak_planned_for_right_after_its_factor_is_worked_out():
    """3K/s average and peaks of ten times that is 30K/s; "so plan capacity for 3K/s peak"
    forgot the factor."""
    text = "Webhooks: 3K/s average, peaks are about ten times that, so plan capacity for 3K/s peak."
    assert [s.stated for s in find_slips(text)] == ["3K/s"]
    assert find_slips(text.replace("for 3K/s peak", "for 30K/s peak")) == []


def test_total_disk_is_states_a_result():
    """3 replicas of a 200 GB index is 600 GB of disk; "total disk is 60 GB" is 10x low."""
    _questioned_until_fixed("With 3 replicas of a 200 GB index, total disk is 60 GB.", "60 GB",
                            "600 GB")


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # the figure said in place of a right one takes over its working: 3M / 60 = 50K, not 5K
    (("Three million requests a second over sixty gateways, fifty K... no, sorry, five thousand "
     "a second per gateway."), "five thousand a second", "fifty thousand a second"),
    # a cleared figure taken back: 64 Gbit/s is 8 GB/s, and the "correction" to 0.8 is wrong
    (("A 64 kbit voice stream for a million callers is 64 gigabits a second, so eight gigabytes "
     "a second. Hmm, no: 64 gigabits is about 0.8 gigabytes a second."),
     "0.8 gigabytes a second", "8 gigabytes a second"),
])
def test_a_correction_to_a_wrong_value_is_checked(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_a_wrong_value_taken_back_for_the_right_one_is_not_a_slip():
    """"Hmm, no, 6 gigs" and "... well, redone" take the first figure back."""
    assert find_slips("Each of 20 million keys keeps 300 bytes, so 600 megabytes. Hmm, no, "
                      "6 gigs. Fits on one box.") == []
    assert find_slips("Logs are 20 GB a day, so a year is about 700 gigabytes... well, 20 GB "
                      "times 365 is 7.3 TB a year.") == []


def test_units_said_the_way_people_say_them():
    """kbps and kbit are kilobits; "a 96 kbit stream" is per second; "thirty K" is 30,000;
    "replicate three ways" is a replication factor."""
    assert [(q.unit, q.magnitude) for q in read_quantities("audio at 96 kbps")] == [
        ("kilobit / second", 96.0)]
    assert read_quantities("a 96 kbit stream")[0].unit == "kilobit / second"
    assert read_quantities("it is thirty K per node")[0].magnitude == 30_000
    assert "replication" in read_quantities("we replicate three ways")[0].tags
    assert read_quantities("there are three ways to do it")[0].tags.isdisjoint({"replication"})
    # 1,000 listeners at 96 kbps is 96 Mbit/s = 12 MB/s; "96 MB/s" reads kbps as kilobytes
    _questioned_until_fixed("A thousand listeners at 96 kbps each is 96 MB/s.", "96 MB/s",
                            "12 MB/s")


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # a rate summed over the year said after it: 40 TB a day is ~14.6 PB a year, not 1.5
    ("Ingest is 40 terabytes a day, and over a year roughly 1.5 petabytes.", "1.5 petabytes",
     "14.6 petabytes"),
    # an aside between dashes does not end the sentence: 1% of $20M is $200K, not $20K
    (("The gateway keeps 1 percent — it has no fixed fee — and we move about 20 million dollars "
     "a day. So that's twenty thousand dollars a day to the gateway."),
     "twenty thousand dollars a day", "two hundred thousand dollars a day"),
    # the product goes on after a short aside: 40 per user x 2M users = 80M, not 80K
    ("Each user keeps 40 items per user on average, times 2 million users is 80 thousand items.",
     "80 thousand items", "80 million items"),
    # "replicate three ways" multiplies: 500 GB x 3 = 1.5 TB, not 100 GB
    ("That's 500 GB a day, and we replicate three ways, so about 100 GB a day on disk.",
     "100 GB a day", "1.5 TB a day"),
    # "200 times half a second" is Little's law: 100 in flight, not 1,000
    (("At 200 fetches a second and half a second each, that's 200 times half a second, about "
     "1,000 open sockets."), "1,000 open sockets", "100 open sockets"),
])
def test_more_shapes_of_a_working(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)


def test_a_compression_ratio_and_a_range_in_words():
    """"5 to 1" is a ratio; "between twelve hundred and two thousand" is two figures."""
    text = "Raw is 2 PB, compresses about 4 to 1 with zstd, so ~500 TB on disk."
    assert find_slips(text) == []
    assert [s.stated for s in find_slips(text.replace("~500 TB", "~50 TB"))] == ["50 TB"]
    figures = read_quantities("somewhere between twelve hundred and two thousand uploads a second")
    assert [q.magnitude for q in figures] == [2000.0]


def test_machines_counted_as_them_and_a_k_said_for_kilobytes():
    """"with 32-gig boxes I'd want around 250 of them": 800 GB / 32 GB is 25 boxes. "thirty K"
    after "30 KB each" is the kilobytes again, so 20M x 30 KB = 600 GB is right."""
    text = ("Twenty million sockets at 40 KB each is 800 gigabytes, so with 32-gig boxes I'd want "
            "around 250 of them.")
    _questioned_until_fixed(text, "250", "25")
    assert "boxes" in find_slips(text)[0].restatement
    assert find_slips("Each socket holds maybe 30 KB. So twenty million times thirty K is about "
                      "600 gigabytes.") == []


@pytest.mark.parametrize(("text", "stated", "fixed"), [
    # "N in flight" counts requests at once: 500/s x 1.5 s = 750, not 75
    (("Webhook calls take about 1.5 seconds and we send 500 of them a second, so by Little's law "
     "about 75 in flight."), "75 in flight", "750 in flight"),
    # a bare share after a node count is the rate per node: 90,000/s over 30 pods is 3,000 each
    ("Peak is 90,000 a second and we run 30 pods, so 300 each.", "300 each", "3,000 each"),
])
def test_in_flight_counts_and_a_share_each(text, stated, fixed):
    _questioned_until_fixed(text, stated, fixed)
    # "concurrently active users" are users, not requests in flight
    assert read_quantities("2 million concurrently active users")[0].unit == "user"


def test_the_restatement_shows_money_and_the_candidates_own_noun():
    """"≈ $60K a day", not "usd/d"; "≈ 300 open sockets", not "users"."""
    fee = find_slips("The processor keeps 0.3 percent of the 20 million dollars a day we move, so "
                     "that's about six thousand dollars a day in fees.")
    assert "≈ $60K a day" in fee[0].restatement
    sockets = find_slips("Each fetch takes half a second and we do 600 a second, so 600 times half "
                         "a second, about 3,000 open sockets.")
    assert "≈ 300 open sockets" in sockets[0].restatement
