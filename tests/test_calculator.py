"""The capacity calculator against hand-worked numbers.

Every expected value below is worked out by hand in the comment next to it, so a change in
the calculator's arithmetic shows up as a disagreement with the working, not with itself.
"""

from __future__ import annotations

import math

import pytest

from simulator.capacity import (
    MM1_MODEL,
    TrafficAssumptions,
    TrafficEstimate,
    event_loop,
    human_bytes,
    human_count,
    human_rate,
    traffic,
)


@pytest.fixture
def feed() -> TrafficAssumptions:
    # 10M DAU, 10 reads and 10 writes per user per day, 2 KB per read, 1 KB per write,
    # 3x peak, 5 years of retention, 10% of DAU connected at peak, 1 ms CPU per request.
    return TrafficAssumptions(
        dau=10_000_000,
        reads_per_user_per_day=10,
        writes_per_user_per_day=10,
        read_size_bytes=2_000,
        write_size_bytes=1_000,
        peak_factor=3,
        retention_days=1_825,
        concurrent_fraction=0.1,
        cpu_ms_per_request=1.0,
    )


def test_traffic_qps(feed):
    t = traffic(feed)
    # 10M DAU x 10 reads = 100M reads/day; / 86,400 s = 1,157.4 QPS
    assert t.reads_per_day == 100_000_000
    assert t.read_qps_avg == pytest.approx(1157.407, rel=1e-6)
    # writes are the same: 100M/day = 1,157.4 QPS
    assert t.writes_per_day == 100_000_000
    assert t.write_qps_avg == pytest.approx(1157.407, rel=1e-6)
    # total 200M/day / 86,400 = 2,314.8 QPS; x3 peak = 6,944.4 QPS
    assert t.requests_per_day == 200_000_000
    assert t.total_qps_avg == pytest.approx(2314.815, rel=1e-6)
    assert t.peak_qps == pytest.approx(6944.444, rel=1e-6)
    assert t.read_qps_peak == pytest.approx(3472.222, rel=1e-6)
    # 10 reads / 10 writes
    assert t.read_write_ratio == 1.0


def test_traffic_storage(feed):
    t = traffic(feed)
    # 100M writes/day x 1 KB = 1e11 B = 100 GB/day
    assert t.storage_bytes_per_day == 100e9
    # 100 GB/day x 365 = 36.5 TB/year
    assert t.storage_bytes_per_year == pytest.approx(36.5e12)
    # 100 GB/day x 1,825 days = 182.5 TB
    assert t.storage_bytes_retention == pytest.approx(182.5e12)


def test_traffic_bandwidth_and_connections(feed):
    t = traffic(feed)
    # ingress: 1,157.4 writes/s x 1 KB = 1.157 MB/s; x3 at peak = 3.47 MB/s
    assert t.ingress_bytes_per_s_avg == pytest.approx(1.157407e6, rel=1e-6)
    assert t.ingress_bytes_per_s_peak == pytest.approx(3.472222e6, rel=1e-6)
    # egress: 1,157.4 reads/s x 2 KB = 2.31 MB/s; x3 at peak = 6.94 MB/s
    assert t.egress_bytes_per_s_avg == pytest.approx(2.314815e6, rel=1e-6)
    assert t.egress_bytes_per_s_peak == pytest.approx(6.944444e6, rel=1e-6)
    # 10M DAU x 10% = 1M connections
    assert t.concurrent_connections == 1_000_000
    # 6,944 QPS x 1 ms = 6.94 s of CPU per second; / 0.7 = 9.92 -> 10 cores
    assert t.cpu_cores_at_peak == 10


def test_traffic_formulas_show_the_numbers(feed):
    f = traffic(feed).formulas
    assert f["read_qps_avg"] == "10M DAU x 10 reads/day / 86,400 s = 1.2K QPS"
    assert f["total_qps_avg"] == "10M DAU x (10 + 10) requests/day / 86,400 s = 2.3K QPS"
    assert f["peak_qps"] == "2.3K QPS x 3 peak factor = 6.9K QPS"
    assert f["storage_bytes_per_day"] == "100M writes/day x 1 KB = 100 GB/day"
    assert f["storage_bytes_per_year"] == "100 GB/day x 365 = 36.5 TB/year"
    assert f["storage_bytes_retention"] == "100 GB/day x 1,825 days = 182 TB"
    assert f["concurrent_connections"] == "10M DAU x 10% = 1M connections"
    assert f["cpu_cores_at_peak"].endswith("= 9.9 -> 10 cores")
    assert set(f) >= {"write_qps_avg", "read_write_ratio", "ingress_bytes_per_s",
                      "egress_bytes_per_s"}


def test_traffic_without_writes_has_no_ratio():
    a = TrafficAssumptions(dau=1_000, reads_per_user_per_day=5, writes_per_user_per_day=0,
                           read_size_bytes=100, write_size_bytes=100)
    t = traffic(a)
    assert t.read_write_ratio is None
    assert t.storage_bytes_per_day == 0
    assert "undefined" in t.formulas["read_write_ratio"]


def test_traffic_chat_reference_numbers():
    # The chat problem's reference: 50M DAU x 40 messages = 2B/day; / 86,400 = 23,148/s;
    # 2B x 300 B = 600 GB/day; 50M x 20% = 10M sockets.
    a = TrafficAssumptions(dau=50_000_000, reads_per_user_per_day=20,
                           writes_per_user_per_day=40, read_size_bytes=4_000,
                           write_size_bytes=300, peak_factor=3, concurrent_fraction=0.2)
    t = traffic(a)
    assert t.writes_per_day == 2e9
    assert t.write_qps_avg == pytest.approx(23148.15, rel=1e-6)
    assert t.storage_bytes_per_day == 600e9
    assert t.concurrent_connections == 10_000_000
    # 20 reads / 40 writes
    assert t.read_write_ratio == 0.5


def test_problem_reference_estimate_uses_the_calculator(catalog):
    assert catalog
    for problem in catalog.values():
        estimate = problem.reference_estimate()
        assert isinstance(estimate, TrafficEstimate)
        assert estimate == traffic(problem.assumptions)


def test_event_loop_hand_worked():
    # cpu 5 ms at 150 rps on one process:
    #   rho = 150 x 5 / 1000 = 0.75; max = 1000 / 5 = 200 rps
    #   M/M/1 wait = 0.75 / 0.25 x 5 ms = 15 ms; response = 15 + 5 = 20 ms
    #   cores at 0.7 = ceil(150 x 5 / 1000 / 0.7) = ceil(1.07) = 2
    e = event_loop(5, 150)
    assert e.utilisation == pytest.approx(0.75)
    assert e.max_rps_per_process == pytest.approx(200)
    assert e.max_rps_total == pytest.approx(200)
    assert e.queue_wait_ms == pytest.approx(15)
    assert e.response_time_ms == pytest.approx(20)
    assert e.processes_needed == 2
    assert e.saturated is False
    assert e.model == MM1_MODEL == "M/M/1 per process: wait = rho/(1-rho) * service time"
    assert e.formulas["queue_wait_ms"] == "0.75 / (1 - 0.75) x 5 ms = 15 ms"


def test_event_loop_spreads_load_over_processes():
    # 300 rps over 2 processes = 150 rps each: the same rho 0.75 and 15 ms wait as above;
    # capacity 2 x 200 = 400 rps; needed ceil(300 x 5 / 1000 / 0.7) = ceil(2.14) = 3.
    e = event_loop(5, 300, processes=2)
    assert e.rps_per_process == 150
    assert e.utilisation == pytest.approx(0.75)
    assert e.queue_wait_ms == pytest.approx(15)
    assert e.max_rps_total == pytest.approx(400)
    assert e.processes_needed == 3


def test_event_loop_saturated():
    # 300 rps x 5 ms on one process: rho = 1.5 >= 1, so the queue never drains.
    e = event_loop(5, 300)
    assert e.saturated is True
    assert e.utilisation == pytest.approx(1.5)
    assert e.queue_wait_ms is None and e.response_time_ms is None
    assert "unbounded" in e.explanation and "None" in e.explanation
    # exactly rho = 1 (200 rps x 5 ms) is saturated too
    assert event_loop(5, 200).saturated is True


def test_event_loop_light_load():
    # 10 rps x 2 ms: rho = 0.02; wait = 0.02 / 0.98 x 2 = 0.0408 ms; one process is plenty.
    e = event_loop(2, 10)
    assert e.queue_wait_ms == pytest.approx(0.02 / 0.98 * 2)
    assert e.processes_needed == 1
    # an idle service still needs one process
    assert event_loop(2, 0).processes_needed == 1


def test_event_loop_ceil_ignores_float_noise():
    # 210 rps x 10 ms = 2.1 s of CPU per second; / 0.7 = exactly 3 cores, which floats
    # compute as 3.0000000000000004. The answer is 3, not 4.
    assert 210 * 10 / 1000 / 0.7 > 3
    assert event_loop(10, 210).processes_needed == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cpu_ms_per_request": 0, "rps": 10}, "cpu_ms_per_request must be > 0"),
        ({"cpu_ms_per_request": -1, "rps": 10}, "cpu_ms_per_request must be > 0"),
        ({"cpu_ms_per_request": 5, "rps": -1}, "rps must be >= 0"),
        ({"cpu_ms_per_request": 5, "rps": math.nan}, "rps must be finite"),
        ({"cpu_ms_per_request": math.inf, "rps": 1}, "cpu_ms_per_request must be finite"),
        ({"cpu_ms_per_request": "5", "rps": 1}, "cpu_ms_per_request must be a number"),
        ({"cpu_ms_per_request": 5, "rps": True}, "rps must be a number"),
        ({"cpu_ms_per_request": 5, "rps": 1, "processes": 0}, "processes must be a whole number"),
        ({"cpu_ms_per_request": 5, "rps": 1, "processes": 1.5}, "processes must be a whole"),
        ({"cpu_ms_per_request": 5, "rps": 1, "target_utilisation": 0}, "target_utilisation"),
        ({"cpu_ms_per_request": 5, "rps": 1, "target_utilisation": 1.5}, "in (0, 1]"),
    ],
)
def test_event_loop_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("]", r"\]")):
        event_loop(**kwargs)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (0.25, "0.25"),
        (12.5, "12.5"),
        (999, "999"),
        (1_157.4, "1.2K"),
        (34_722, "34.7K"),
        (115_740, "116K"),
        (999_960, "1M"),  # 999.96K rounds up to the next unit, not "1000K"
        (3_500_000, "3.5M"),
        (2_000_000_000, "2B"),
        (1.2e13, "12T"),
        (-2_500, "-2.5K"),
    ],
)
def test_human_count(value, text):
    assert human_count(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (500, "500 B"),
        (1_000, "1 KB"),
        (1_500_000, "1.5 MB"),
        (100e9, "100 GB"),
        (36.5e12, "36.5 TB"),
        (1.1e15, "1.1 PB"),
    ],
)
def test_human_bytes_is_decimal(value, text):
    assert human_bytes(value) == text


def test_human_rate():
    # 100M / 86,400 = 1,157.4 per second
    assert human_rate(100e6 / 86_400) == "1.2K QPS"
    assert human_rate(12, "writes/s") == "12 writes/s"
