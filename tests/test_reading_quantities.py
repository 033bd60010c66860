"""Reading quantities with units, and finding the slips in a capacity estimate.

The arithmetic behind each expectation is in the comment next to it. The last tests score
slip detection on the labelled estimates in ``simulator/evals/datasets/estimates.jsonl``.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict

import simulator
from simulator.reading.quantities import Quantity, Slip, find_slips, read_quantities

DATASET = Path(simulator.__file__).parent / "evals" / "datasets" / "estimates.jsonl"


def one(text: str) -> Quantity:
    found = read_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def value_in(q: Quantity, unit: str) -> float:
    return q.to_pint().to(unit).magnitude


# -- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "value", "kind"),
    [
        ("1 Gbps", "megabyte / second", 125, "bandwidth"),  # 8 bits per byte
        ("10 Gb/s", "gigabyte / second", 1.25, "bandwidth"),
        ("10 GB/s", "gigabit / second", 80, "bandwidth"),
        ("5 Mbps", "bit / second", 5e6, "bandwidth"),
        ("300 B per message", "byte", 300, "size"),
        ("2 KB", "byte", 2_000, "size"),
        ("64-bit", "byte", 8, "size"),
        ("100M requests a day", "1 / second", 1e8 / 86_400, "rate"),
        ("1.2k/s", "1 / second", 1_200, "rate"),
        ("1B pages per month", "1 / second", 1e9 / 2_629_800, "rate"),  # pint's month
        ("6,000 writes per minute", "1 / second", 100, "rate"),
        ("12K QPS", "1 / second", 12_000, "rate"),
        ("3 TB a year", "terabyte / day", 3 / 365.25, "bandwidth"),
        ("10M DAU", "user", 1e7, "population"),
        ("ten million users", "user", 1e7, "population"),
        ("one hundred twenty million users", "user", 1.2e8, "population"),
        ("half a million users", "user", 5e5, "population"),
        ("two and a half million users", "user", 2.5e6, "population"),
        ("86,400 s", "day", 1, "duration"),
        ("over 5 years", "day", 5 * 365.25, "duration"),
        ("a 7-year retention", "year", 7, "duration"),
        ("20 shards", "node", 20, "nodes"),
        ("1e6", "dimensionless", 1e6, "count"),
        ("10^5", "dimensionless", 1e5, "count"),
        ("2 x 10^6", "dimensionless", 2e6, "count"),
        ("62^7", "dimensionless", 62**7, "count"),
        ("$40", "dollar", 40, "money"),
        ("20%", "dimensionless", 0.2, "factor"),
        ("a 3x peak", "dimensionless", 3, "factor"),
        ("read:write is 100:1", "dimensionless", 100, "factor"),
        ("3 replicas", "dimensionless", 3, "factor"),
    ],
)
def test_reads_one_quantity_with_its_unit(text, unit, value, kind):
    q = one(text)
    assert value_in(q, unit) == pytest.approx(value, rel=1e-6)
    assert q.kind == kind
    assert text[q.start : q.end] == q.text


def test_per_user_and_per_node_come_from_the_words_around():
    text = (
        "50M DAU each send 40 messages a day. One worker pushes about 500/s. "
        "10M viewers at 5 Mbps each."
    )
    by_text = {q.text: q for q in read_quantities(text)}
    assert value_in(by_text["40 messages a day"], "1 / user / day") == pytest.approx(40)
    assert value_in(by_text["500/s"], "1 / second / node") == pytest.approx(500)
    assert value_in(by_text["5 Mbps each"], "megabit / second / user") == pytest.approx(5)
    # 10M viewers x 5 Mbps each: the algebra gives a bandwidth, in terabytes per second
    total = by_text["10M viewers"].to_pint() * by_text["5 Mbps each"].to_pint()
    assert total.to("terabyte / second").magnitude == pytest.approx(6.25)


def test_numbers_that_are_not_figures_are_left_out():
    text = (
        "We run Node 20 and Postgres 16 behind nginx on port 8080 since 2024, p99 under "
        "200 ms, HTTP/2, TLS 1.3, S3, e2e tests, 4xx alerts, 24/7 on-call, O(1) lookups."
    )
    assert [q.text for q in read_quantities(text)] == ["200 ms"]


def test_tags_say_what_the_words_say():
    (avg, factor, peak) = read_quantities(
        "Average 1.2K QPS, peak factor of 3, so 3.6K QPS at peak."
    )
    assert "average" in avg.tags
    assert factor.kind == "factor" and "peak-factor" in factor.tags
    assert "peak" in peak.tags
    (length,) = [
        q for q in read_quantities("5 videos a day, each 10 minutes long") if q.kind == "duration"
    ]
    assert "length" in length.tags


# -- slips: bits and bytes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stated", "expected"),
    [
        ("A 1 Gbps NIC can push 1 GB per second.", "1 GB per second", "≈ 125 MB/s"),
        ("Our uplink is 10 Gbps, which is 10 GB/s.", "10 GB/s", "≈ 1.2 GB/s"),
        ("10M viewers at 5 Mbps each is 50 TB/s.", "50 TB/s", "≈ 6.2 TB/s"),
        (
            "Peak is 70K messages/s at ~1 KB each, so 70 MB/s, which is 70 Mbps.",
            "70 Mbps",
            "≈ 560 Mbit/s",
        ),
    ],
)
def test_bits_and_bytes_confusions_are_8x_slips(text, stated, expected):
    (slip,) = find_slips(text)
    assert slip.kind == "bits-bytes"
    assert slip.stated == stated and text[slip.start : slip.end].lstrip("~") == stated
    assert slip.expected == expected
    assert max(slip.factor, 1 / slip.factor) == pytest.approx(8, rel=1e-6)
    assert "8 bits in a byte" in slip.restatement and f'"{stated}"' in slip.restatement


@pytest.mark.parametrize(
    "text",
    [
        "10M concurrent viewers at 5 Mbps each is 50 Tbps of egress, which is about 6 TB/s.",
        "Peak upload is ~200 photos/s at 4 MB each = 800 MB/s inbound, which is 6.4 Gbps.",
        "A 1 Gbps NIC moves about 125 MB/s.",
        "Downloads: 50K image views/s × 300 KB = 15 GB/s ≈ 120 Gbps at the edge.",
    ],
)
def test_bits_and_bytes_used_correctly_are_not_slips(text):
    assert find_slips(text) == []


# -- slips: periods -------------------------------------------------------------------------


def test_a_month_divided_by_the_seconds_of_a_day_is_a_time_unit_slip():
    # 3M / 2.6M s = 1.1/s; dividing by 86,400 instead gives 35/s (30x)
    (slip,) = find_slips("3M uploads a month / 86,400 s ≈ 35 uploads per second.")
    assert slip.kind == "time-unit"
    assert slip.expected_value == pytest.approx(3e6 / 2_629_800)
    assert slip.factor == pytest.approx(35 / (3e6 / 2_629_800))
    assert "month" in slip.restatement


def test_a_daily_total_stated_per_second_is_a_time_unit_slip():
    # 10M x 10 = 100M a day = 1.2K/s, stated as 100M per second (86,400x)
    (slip,) = find_slips("10M DAU x 10 requests = 100M requests per second.")
    assert slip.kind == "time-unit"
    assert slip.factor == pytest.approx(86_400)
    assert "86,400 s in a day is about 10^5" in slip.restatement


def test_per_month_and_per_minute_conversions():
    assert (
        find_slips("We handle 1B requests per month, so about 33M per day, roughly 400 per second.")
        == []
    )  # 1B / 30 = 33M; 1B / 2.6M s = 380
    (slip,) = find_slips("100M new short URLs per month works out to about 40K writes/sec.")
    assert slip.stated == "40K writes/sec"  # 100M / 2.6M s = 38/s (1,000x)
    (slip,) = find_slips(
        "Limit is 100 requests per minute per user and 1M users are active, "
        "so the worst case is 100M requests per second."
    )
    assert slip.kind == "time-unit" and slip.factor == pytest.approx(60)  # 1M x 100/min


def test_rounding_the_day_to_10_to_the_5_is_not_a_slip():
    # 500M / 86,400 = 5,787; with 10^5 it is 5,000: a rounding, well within 3x
    assert (
        find_slips(
            "Assume 500M redirects a day. 86,400 s ≈ 10^5, so 500M / 10^5 = 5,000 "
            "redirects per second on average; p99 latency target is 200 ms."
        )
        == []
    )
    assert find_slips("1e8 requests per day divided by 1e5 seconds is 1e3 QPS.") == []


def test_slip_boundary_is_more_than_three_times():
    # 100M / 86,400 = 1,157/s: 3,400 is 2.94x (kept), 3,600 is 3.11x; 390 is 0.337x, 380 0.328x
    def slips(figure: str) -> list[Slip]:
        return find_slips(f"100M requests a day / 86,400 s = {figure} QPS.")

    assert slips("3,400") == [] and slips("390") == []
    assert len(slips("3,600")) == 1 and len(slips("380")) == 1


# -- slips: nodes, peaks, replicas, years, Little's law -------------------------------------


def test_per_node_division():
    # 2B / 50 = 40M per shard, not 4M; 100K / 50 = 2K per partition is right
    (slip,) = find_slips("2B messages a day across 50 shards is 4M messages a day per shard.")
    assert slip.expected_value == pytest.approx(40e6, rel=1e-6)
    assert "per node = total / nodes" in slip.restatement
    assert find_slips("100K events/s across 50 partitions is 2K/s per partition.") == []
    (slip,) = find_slips(
        "We need ~400 fetches/s overall and one crawler box does ~20 fetches/s, so 200 boxes."
    )
    assert slip.stated == "200 boxes" and slip.expected_value == pytest.approx(20)


def test_peak_factors_are_applied_only_when_stated():
    (slip,) = find_slips("Average 1.2K QPS, peak is 3x, so 36K QPS at peak.")
    assert slip.expected_value == pytest.approx(3_600)
    # no stated factor: the candidate's own assumption, never questioned
    assert find_slips("2B messages/day, ~23K/s on average and ~70K/s at peak.") == []


def test_replication_and_storage_over_years():
    # 6 TB/day x 365.25 x 5 x 3 = 33 PB, not 33 TB
    (slip,) = find_slips(
        "2M uploads a day at 3 MB average is 6 TB/day. Keeping 3 replicas "
        "for 5 years gives about 33 TB in total."
    )
    assert slip.stated == "33 TB"
    assert slip.expected == "≈ 33 PB"
    assert find_slips("2 TB/day x 365 = 730 TB a year, so over 5 years that's ~3.6 PB.") == []
    assert find_slips("Post storage is 50 TB; with a replication factor of 3 that's 150 TB.") == []


def test_littles_law():
    # 1,000/s x 3 s = 3,000 in flight, not 300
    (slip,) = find_slips(
        "At peak we process 1,000 payments/s and each one waits ~3 s on the "
        "bank, so about 300 concurrent requests are open at any moment."
    )
    assert slip.expected_value == pytest.approx(3_000)
    assert "Little's law" in slip.restatement
    assert (
        find_slips(
            "Payments peak at ~600 TPS and the PSP call takes about 2 s, so by "
            "Little's law we have ~1,200 requests in flight."
        )
        == []
    )


# -- slips: restatements and numbers that are not estimates ---------------------------------


def test_a_length_is_not_a_divisor():
    # 100M x 5 = 500M plays a day; the 10 minutes is how long each one lasts
    text = "100M DAU x 5 videos a day, each 10 minutes long, so 500M plays a day."
    assert find_slips(text) == []
    (slip,) = find_slips(
        "100M DAU x 5 videos a day, each 10 minutes long, gives 5B video starts a day."
    )
    assert slip.expected_value == pytest.approx(500e6)
    assert (
        find_slips(
            "With 6K starts per second and each play lasting 10 minutes, that's "
            "~3.5M concurrent streams."
        )
        == []
    )  # 6K x 600 s


def test_other_numbers_in_an_estimate_are_not_slips():
    assert (
        find_slips(
            "We're on Node 20 with Redis 7. Resizing a 12 MP JPEG takes ~150 ms of "
            "CPU; the p99 is 200 ms and version 2 ships in Q3."
        )
        == []
    )
    assert (
        find_slips(
            "10M DAU, about 2M concurrent, and we'll run 3 replicas for headroom, so "
            "I'd shard across 4 nodes."
        )
        == []
    )


def test_a_wrong_step_is_questioned_once_not_again_downstream():
    # 10M x 10 = 100M, not 1B; 1B / 86,400 = 11.6K follows from the wrong figure
    (slip,) = find_slips(
        "10M DAU, each making 10 requests a day, so 1B requests a day and ~11.6K QPS."
    )
    assert slip.stated == "1B requests a day"
    assert slip.expected_value == pytest.approx(100e6)


def test_slip_quotes_the_candidates_words():
    text = (
        "Say 200M DAU who each refresh 10 times daily — 2B refreshes/day, which is ~2,300 "
        "refreshes a second."
    )
    (slip,) = find_slips(text)
    assert slip.stated == "2,300 refreshes a second"
    assert slip.working == '"2B refreshes/day"'
    assert slip.unit == "read / second" and slip.expected == "≈ 23K reads a second"
    assert slip.restatement.startswith('From "2B refreshes/day" I get ≈ 23K reads a second')


def test_prior_turns_supply_inputs():
    prior = read_quantities("We have 50M DAU.")
    (slip,) = find_slips("Each sends 40 messages a day, so 20B messages a day.", prior=prior)
    assert slip.expected_value == pytest.approx(2e9)  # 50M x 40
    assert find_slips("Each sends 40 messages a day, so 2B messages a day.", prior=prior) == []


def test_empty_and_numberless_text():
    assert read_quantities("") == [] and find_slips("") == []
    assert find_slips("I'd put a cache in front of the database.") == []


# -- the labelled estimates --------------------------------------------------------------------


class Estimate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    problem: Literal[
        "url-shortener",
        "chat",
        "notifications",
        "payments",
        "video-streaming",
        "news-feed",
        "web-crawler",
        "rate-limiter",
        "image-upload",
    ]
    text: str
    has_slip: bool
    slips: list[str]
    why: str
    split: Literal["tune", "heldout"]


def load() -> list[Estimate]:
    return [
        Estimate.model_validate(json.loads(line))
        for line in DATASET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_dataset_is_well_formed_and_balanced():
    rows = load()
    assert len(rows) >= 70 and len({r.id for r in rows}) == len(rows)
    for r in rows:
        assert r.has_slip == bool(r.slips), r.id
        assert all(s in r.text for s in r.slips), r.id
    for split in ("tune", "heldout"):
        part = [r for r in rows if r.split == split]
        with_slip = sum(r.has_slip for r in part)
        assert abs(with_slip - (len(part) - with_slip)) <= 2, split
    assert len({r.problem for r in rows}) == 9


def score(rows: list[Estimate]) -> dict[str, float]:
    """Figure-level precision and recall: a found slip counts when it is a labelled figure."""
    tp = fp = fn = 0
    for r in rows:
        found = [s.stated for s in find_slips(r.text)]
        hits = [f for f in found if any(w in f or f in w for w in r.slips)]
        tp += sum(1 for w in r.slips if any(w in f or f in w for f in found))
        fn += sum(1 for w in r.slips if not any(w in f or f in w for f in found))
        fp += len(found) - len(hits)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_slip_detection_precision_and_recall(split):
    result = score([r for r in load() if r.split == split])
    assert result["precision"] >= 0.95, result
    assert result["recall"] >= 0.95, result


def test_reading_a_turn_is_fast():
    texts = [r.text for r in load()]
    find_slips(texts[0])  # the registry is built once, on first use
    times = []
    for text in texts * 3:
        start = time.perf_counter()
        find_slips(text)
        times.append(time.perf_counter() - start)
    p95 = statistics.quantiles(times, n=20)[-1]
    assert p95 < 0.030, f"p95 {p95 * 1000:.1f} ms"


# Written blind after the dataset was tuned, in two batches of 20 (the first scored P 0.67 /
# R 0.40 before the fixes it prompted, the second P 0.90 / R 0.90): kept as regression cases.
MORE_ESTIMATES = [
    (
        "Back of envelope: 25 million DAU, messages per user per day ≈ 60, total = 1.5B/day. Divide by ~10^5 s → ~15K writes/s. Peak 2x → ~30K/s.",
        [],
    ),
    (
        "Each message is about 2 KB with metadata, and we get 1.5B a day, so we're writing roughly 30 TB per day.",
        ["roughly 30 TB per day"],
    ),
    (
        "Shortening: 20M new URLs/day → 20M × 365 × 10 yrs ≈ 73B records. At 250 bytes each → ~18 TB total.",
        [],
    ),
    (
        "Redirect QPS: 2 billion clicks per day divided by 86400 is roughly 230,000 per second.",
        ["roughly 230,000 per second"],
    ),
    (
        "We have 80M devices registered; if 25% get a push on a typical day at 4 pushes each, that's 80M pushes a day, under 1K/s on average.",
        [],
    ),
    (
        "Each push payload is ~4 KB and we peak at 50,000 pushes per second, which means 200 MB/s, or about 200 Mbit/s of outbound traffic.",
        ["about 200 Mbit/s"],
    ),
    (
        "The fraud check averages 80 ms. At 2,500 payments per second that's 2,500 × 0.08 = 200 checks in flight, so a pool of 256 connections is enough.",
        [],
    ),
    (
        "Finance says 45 million payments per month. That works out to roughly 170 payments per second.",
        ["roughly 170 payments per second"],
    ),
    (
        "A 2-hour movie at 8 Mbps is 8 × 7,200 = 57,600 Mb, i.e. 7.2 GB. A catalogue of 20K movies in 4 renditions is ~580 TB.",
        [],
    ),
    (
        "Evening peak is 3x the daily average of 4 Tbps, so we need to serve 1.2 Tbps at peak.",
        ["1.2 Tbps"],
    ),
    (
        "Timeline cache: 150M DAU × 800 post IDs × 8 bytes ≈ 960 GB, so ~1 TB of Redis across 20 shards = 50 GB per shard.",
        [],
    ),
    (
        "We keep 5 TB of feed data and split it over 40 shards, which leaves 12.5 GB on each shard.",
        ["12.5 GB on each shard"],
    ),
    (
        "Politeness: if each of our 500 fetcher threads does one request every 2 s, we get 250 fetches/s, about 21M pages a day.",
        [],
    ),
    (
        "Downloading 20 TB of pages a day is about 230 MB/s, which is roughly 230 Gbps on the wire.",
        ["roughly 230 Gbps"],
    ),
    (
        "Token buckets in Redis: 10M users × 2 keys × ~60 B ≈ 1.2 GB, which fits on one node with room to spare.",
        [],
    ),
    (
        "Each API key is capped at 10 requests per second, and with 200K keys the theoretical max is 200K requests per second.",
        ["200K requests per second"],
    ),
    ("thumbs: 3 per photo, 30 KB each → 90 KB/photo; 10M photos/day → 900 GB/day", []),
    (
        "Originals: 4M photos a day at 3 MB is 12 TB a day, about 4.4 PB a year, so over 5 years about 2.2 PB.",
        ["about 2.2 PB"],
    ),
    (
        "We'll run Node 22 with p99 under 150 ms. 40K msgs/s at peak × 0.5 ms CPU each = 20 cores, so 3 machines of 16 cores covers it with headroom.",
        [],
    ),
    (
        "Forty million users times three reminders a day is one hundred twenty million a day, which is around fourteen thousand per second.",
        ["around fourteen thousand per second"],
    ),
    (
        "Reads dominate: 1.5B redirects/day. Over 86,400 seconds that averages out to ~17K/s, with peaks at maybe 3x that, so ~50K/s.",
        [],
    ),
    (
        "Suppose 200 new links per second at peak. Per year that's 200 × 3.15 × 10^7 ≈ 630M links.",
        ["630M links"],
    ),
    (
        "Online users: 30M. If each keeps one WebSocket and a gateway holds 60K sockets comfortably, we need about 500 gateways.",
        [],
    ),
    (
        "Group chats: 5M messages per minute into groups averaging 20 members gives 100M deliveries per second.",
        ["100M deliveries per second"],
    ),
    (
        "Email digests go out once a day to 40M users, all within a 4-hour window: 40M / 14,400 s ≈ 2.8K emails/s.",
        [],
    ),
    ("SMS OTPs: 3M logins a day, 1 SMS each at $0.01, so about $300K per day.", ["$300K per day"]),
    (
        "Ledger writes: 2,000 TPS × 4 postings = 8,000 row inserts/s; at ~200 bytes each that's 1.6 MB/s, around 140 GB per day.",
        [],
    ),
    (
        "Our PSP allows 500 concurrent requests and each call takes 250 ms, so the most we can push through is about 200 payments/s.",
        ["200 payments/s"],
    ),
    ("Live event: 3M viewers × 6 Mbps ≈ 18 Tbps, i.e. about 2.25 TB/s of edge egress.", []),
    (
        "Each transcoding job takes 30 minutes of CPU for a 10-minute upload, and we get 6,000 uploads an hour, so we need about 300 cores busy around the clock.",
        ["300 cores"],
    ),
    (
        "Likes: 500M DAU × 8 likes ≈ 4B likes a day, ~46K writes/s; each like row is 50 B so ~200 GB/day.",
        [],
    ),
    (
        "Ranking runs on every feed load: 50K loads/s, 20 ms of CPU each, which keeps 100 cores busy.",
        ["100 cores"],
    ),
    (
        "DNS lookups: with a 90% cache hit rate and 800 fetches/s, we make roughly 80 DNS queries per second.",
        [],
    ),
    (
        "We re-crawl 100M pages every 10 days, so 10M pages a day, about 1,200 pages per second.",
        ["1,200 pages per second"],
    ),
    (
        "Each gateway node sees 15K req/s and checks one Redis counter per request; with 12 nodes that's 180K Redis ops/s.",
        [],
    ),
    (
        "Sync traffic between the 3 limiter regions is about 40 MB/s, roughly 40 Mbps, so a 100 Mbps link is enough.",
        ["40 Mbps"],
    ),
    (
        "Honestly the numbers are small: 2 million new photos daily, average 2.5 MB, so 5 TB a day of originals, and if we keep them forever that's roughly 1.8 PB a year.",
        [],
    ),
    (
        "Thumbnail cache: 50M hot images × 20 KB = 100 GB, split over 4 Redis nodes that's 25 GB per node.",
        ["100 GB"],
    ),
    ("Annual volume 3 × 10^9 transactions ≈ 3e9 / 3.15e7 s ≈ 95 TPS average.", []),
    (
        "At the evening peak we see 90M messages per hour, which is 90M / 3,600 ≈ 2,500 messages per second.",
        ["2,500 messages per second"],
    ),
]


@pytest.mark.parametrize(("text", "labelled"), MORE_ESTIMATES)
def test_more_estimates_written_blind(text, labelled):
    found = [s.stated for s in find_slips(text)]
    assert len(found) == len(labelled), found
    assert all(any(w in f or f in w for f in found) for w in labelled), found


# -- precision on other people's words ------------------------------------------------------
# Correct working, written after the checker was tuned, in the shapes that used to draw false
# slips: a figure per process or per shard left implicit, inputs after the figure, a spec
# ("4-vCPU boxes"), a subject after "so", a pipeline arrow, a price per GB-month, a question.

CORRECT_WORKING = [
    (
        "Compute: resize is ~150 ms CPU per image, peak 140 uploads/s → 21 cores; I'd run six "
        "4-vCPU boxes so we're at ~90% at peak, more like eight to have headroom."
    ),
    (
        "We need ~105 cores at peak, which is 27 4-vCPU boxes; I'd run 32 4-vCPU boxes across "
        "three zones."
    ),
    (
        "Each feed read fetches 20 items with one MGET; at 70k feed reads/s Redis sees 70k round "
        "trips/s and the cache call should stay ~4 ms at p99."
    ),
    "Cache: 24 KB per user for 200M users is 4.8 TB; at 64 GB per shard that's ~75, so 80 shards.",
    (
        "libuv's pool has 4 threads by default and a lookup can take 100 ms, so that's 40 lookups/s "
        "per process at most."
    ),
    (
        "At 3 Mbps a minute of video is 180 Mb, which is 22.5 MB per minute, so with 300M minutes "
        "watched a day that's 6.75 PB/day."
    ),
    (
        "A ws connection costs roughly 40 KB of heap, so 50k sockets per process is ~2 GB; 10M / 50k "
        "= 200 gateway processes."
    ),
    "Storage: ~300 B per message is 600 GB/day, ~220 TB/year, ~650 TB/year with 3 replicas.",
    "Uploads: 100k/day x 5 min at 8 Mbps = 300 MB each, 30 TB/day of originals.",
    "Storage for the log at 500 bytes each is 125 GB a day, so about 3.75 TB if we keep 30 days.",
    "Storage: ~15 TB/day, ~5.6 PB by the end of year one; at $0.023/GB-month that's ~$129k/month.",
    "Read path: CDN -> LB -> in-process LRU (10k entries, 30 s TTL) -> Redis (24 h TTL).",
    "I budget ~48 MB per decoded 12 MP image, so 4 concurrent jobs is ~200 MB plus overhead.",
    "About 2 ms of CPU per notification, so 58K/s is about 116 cores busy.",
    (
        "If a client spreads requests over 30 instances, 100 a minute means 100 in total, not 100 "
        "per instance."
    ),
    "Keyspace: 7 characters of base62 is 62^7, about 3.5 trillion codes.",
    "The payment row is about 200 bytes, plus four ledger postings of 200 bytes, so roughly 1 KB.",
    "Retention: 30 days of logs at 125 GB/day ≈ 3.75 TB.",
    "Four nines is ~52 minutes a year; three nines is ~8.8 hours a year.",
    "How much storage per post? About 1 KB, so 20 GB a day?",
    "The URL table: 6B rows over 5 years at ~250 B = 1.5 TB, plus indexes.",
    "The upload API does one insert (~2 ms CPU), so even 1,400 uploads/s at 10x is ~3 cores.",
    "Delivery: 3 devices per user → 210K pushes/s at peak; at 300 B that's 63 MB/s.",
]


@pytest.mark.parametrize("text", CORRECT_WORKING)
def test_correct_working_is_not_questioned(text):
    assert find_slips(text) == []


def test_explicit_working_across_sentences_and_turns_is_still_checked():
    # "100 times that": the figure said just before, here in the previous turn
    prior = read_quantities("10 million a day is about 115 writes per second.")
    (slip,) = find_slips("Reads are 100 times that, so about 1,150 reads per second.", prior)
    assert slip.expected_value == pytest.approx(11_500)
    # "3 times 60" is a sum; the 3 repeats "3 Mbps": 180 Mb, not 180 MB
    (slip,) = find_slips("At 3 Mbps, one minute is 3 times 60 = 180 MB.")
    assert slip.kind == "bits-bytes" and slip.stated == "180 MB"
    # a restatement said outright, its day carried along: 10M KB is 10 GB
    (slip,) = find_slips("Each payment record is 1 KB, so 10 million KB, which is 10 TB a day.")
    assert slip.stated == "10 TB a day" and slip.kind == "magnitude"


def test_per_node_and_littles_law_need_the_words_to_say_so():
    # threads are not processes: no noun in common and no operator, so nothing to question
    assert (
        find_slips("The pool has 4 threads at 100 ms per lookup, so 4 lookups/s per process.") == []
    )
    # the same noun on both sides, or an operator, is enough
    (slip,) = find_slips("Peak is 30K pushes/s. One worker pushes about 500/s, so 600 workers.")
    assert slip.expected_value == pytest.approx(60)
    # a duration from a count and a rate only when divided outright
    assert find_slips("A page has 20 items and we serve 70k feed reads/s, so ~4 s per read.") == []


def test_a_figure_that_follows_a_questioned_one_correctly_is_not_questioned_again():
    found = find_slips("600 GB/day → ~22 TB/yr raw; ×3 replication ≈ 650 TB/yr.")
    assert [s.stated for s in found] == ["22 TB/yr"]


def test_a_reading_serialises_the_same_under_any_hash_seed():
    """Tags are a set; stored readings list them in one order whatever PYTHONHASHSEED is."""
    import os
    import subprocess
    import sys

    code = ("from simulator.reading.quantities import read_quantities as r;"
            "print([q.model_dump_json() for q in r('about 10M DAU at peak, roughly 20 requests "
            "a day per user, 3x peak factor, replicated 3 times')])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3", "4")}
    assert len(outs) == 1 and '"tags":["approx","peak"]' in outs.pop()


def test_plural_people_before_a_verb_are_the_population_and_each_is_the_last_thing_counted():
    qs = read_quantities("Each of our 20M monthly actives uploads 10 photos a month, so 200M "
                         "photos a month, at 3 MB each.")
    assert qs[0].kind == "population" and qs[0].unit == "user"
    each = next(q for q in qs if "each" in q.tags)
    assert each.unit == "megabyte"  # each photo, not each user
    assert read_quantities("10M viewers at 5 Mbps each")[1].unit == "megabit / second / user"


def test_shards_counted_as_ways_or_after_across_are_nodes():
    assert read_quantities("Sharded 64 ways, so 20 GB per shard.")[0].unit == "node"
    assert read_quantities("I'd shard across 4, so ~1.25 GB each.")[0].unit == "node"


@pytest.mark.parametrize(("said", "number", "value"), [
    ("sixteen point seven thousand requests a second", "sixteen point seven thousand", 16_700),
    ("one point two million users", "one point two million", 1_200_000),
    ("zero point five milliseconds", "zero point five", 0.5),
    ("point five seconds", "point five", 0.5),
])
def test_decimals_said_in_words(said, number, value):
    q = one(said)
    assert q.magnitude == pytest.approx(value)
    assert q.text.startswith(number)


def test_zero_is_not_a_figure_to_reckon_with():
    assert read_quantities("zero downtime deploys") == []


def test_a_price_per_gig_month_keeps_both_divisors():
    q = one("2.3 cents a gig-month")
    assert q.kind == "money" and q.unit == "cent / gigabyte / month"


def test_cores_of_one_worker_are_a_divisor_not_a_count_of_workers():
    q = one("four-vCPU workers")
    assert q.kind == "factor" and "cores-each" in q.tags and q.entity == "worker"
    assert "spec" in one("a 64-byte counter").tags


def test_a_rate_of_nothing_named_reads_as_a_rate_in_the_restatement():
    """A peak said as "ninety thousand a second" has no noun, so its unit is 1/second; the
    restatement says "a second" as the candidate did, not pint's "1/s"."""
    text = ("About 2,300 a second. At a four-x peak that's roughly ninety thousand a second.")
    (slip,) = find_slips(text)
    assert slip.expected == "≈ 9.2K a second"
    assert "1/s" not in slip.restatement and "≈ 9.2K a second" in slip.restatement


# -- session 17: four readings that hid or invented a slip ----------------------------------


def test_a_plural_scale_word_scales_the_figure():
    """"10 millions" (non-native plural) is ten million: 10M / 40K = 250 hosts is right."""
    (q, *_) = read_quantities("We expect 10 millions open sockets and 40K per host, so 250 hosts.")
    assert q.magnitude == pytest.approx(10e6)
    assert find_slips("We expect 10 millions open sockets and 40K per host, so 250 hosts.") == []


def test_a_period_after_a_compound_noun_makes_a_rate():
    """"re-index the whole 6 billion document corpus every week": 6B a week is ~860M a day,
    so "about 9 million a day" is ~95x low."""
    text = ("We re-index the whole 6 billion document corpus every week, so about 9 million "
            "documents a day go through the indexers.")
    (slip,) = find_slips(text)
    assert slip.stated.endswith("9 million documents a day")
    assert slip.factor == pytest.approx(9e6 / (6e9 / 7), rel=0.05)


def test_a_bare_peak_after_the_peak_factor_is_that_factor_applied():
    """"60K a second ... a 2x peak factor gets us to 600K at peak": 60K x 2 = 120K (5x)."""
    text = "Reads average 60K a second. A 2x peak factor gets us to roughly 600K at peak."
    (slip,) = find_slips(text)
    assert slip.stated.endswith("600K")
    assert slip.factor == pytest.approx(5, rel=0.05)
    assert '"60K a second" x "2x"' in slip.restatement
    assert find_slips("Reads average 60K a second. A 2x peak factor gets us to roughly "
                      "120K at peak.") == []


def test_a_figure_said_again_with_we_are_talking_about_is_checked():
    """The daily ingest is worked out as 30 TB, then "we're only dealing with 3 TB of daily
    ingest" later: 10x low, in the candidate's own units."""
    text = ("Six million photos a day at 5 MB each is 30 TB a day. Thumbnails go to a separate "
            "bucket. Since we're only dealing with 3 TB of daily ingest, one region is enough.")
    (slip,) = find_slips(text)
    assert slip.stated.startswith("3 TB") and slip.factor == pytest.approx(0.1, rel=0.05)


def test_a_bare_total_after_a_yearly_figure_is_a_year_of_it():
    """Monthly figures come first, then "~300 TB/yr, x3 replicas ~900 TB": 900 TB is a year
    of replicated data, not a month of it (which would make it look 12x high)."""
    text = ("Ingest is 25 TB/month, so ~300 TB/yr, x3 replicas ~900 TB. At ~$0.02/GB-month "
            "that's roughly $18K/month by the end of the year.")
    assert [s.stated for s in find_slips(text)] == []


def test_one_items_size_over_a_retention_period_is_not_a_total():
    """The count of events was said in another turn or paragraph; "2 KB per event, 30-day
    retention -> 4 TB/day" is that count x 2 KB, not 2 KB spread over 30 days."""
    text = "Audit log: ~2 KB per event with headers, 30-day retention -> 4 TB/day, ~120 TB kept."
    assert [s.stated for s in find_slips(text)] == []


@pytest.mark.parametrize("text", [
    # 30/s x 50 = 1,500/s; x 4 = 6K at peak; "we size the API tier for 60K a second" is 10x
    ("Uploads are about thirty a second and views are fifty times that, so 1,500 views a second, "
     "and a peak factor of four gives ~6K a second. The CDN takes most of it. The Node servers "
     "sit behind it, and we size the API tier for 60K a second."),
    # 200M a month is ~77/s, ~230 at peak; "going back to ... at 7,000 writes a second" is 30x
    ("Two hundred million orders a month is about seventy-seven a second, two hundred and thirty "
     "at peak. Right. Going back to the storage choice: at seven thousand writes a second, one "
     "primary is enough."),
])
def test_a_figure_said_again_for_sizing_or_after_going_back_is_checked(text):
    (slip,) = find_slips(text)
    assert slip.factor > 9


def test_a_count_in_that_hour_is_that_hours_rate():
    """"2M posts in the busiest hour" is 2M posts an hour; "10M users in a year" stays users."""
    (busy,) = read_quantities("2M posts in the busiest hour")
    assert busy.unit == "post / hour" and busy.magnitude == 2e6
    assert [q.unit for q in read_quantities("10M users in a year")] == ["user", "year"]
