"""Capacity calculator: back-of-the-envelope numbers from stated assumptions.

Used by the interviewer's probes, the grader, the question bank and the UI, so the
figures a candidate is compared against are always computed the same way.

Conventions, stated once so every caller agrees:

* a day is 86,400 s and a year is 365 days;
* sizes are decimal (SI): 1 KB = 1,000 bytes, 1 GB = 10^9 bytes. Estimates are powers of
  ten, and mixing in 1,024 only adds noise to a 3x tolerance;
* ingress is what writes carry in (writes x write size); egress is what reads send out
  (reads x read size). Rates are bytes per second.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DAYS_PER_YEAR",
    "MM1_MODEL",
    "SECONDS_PER_DAY",
    "EventLoopEstimate",
    "TrafficAssumptions",
    "TrafficEstimate",
    "event_loop",
    "human_bytes",
    "human_count",
    "human_rate",
    "traffic",
]

SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365
MM1_MODEL = "M/M/1 per process: wait = rho/(1-rho) * service time"


class TrafficAssumptions(BaseModel):
    """What a candidate (or the problem catalog) assumes about load.

    Per-user actions are per day; sizes are bytes per request or per stored record.
    """

    model_config = ConfigDict(extra="forbid")

    dau: int = Field(gt=0, description="daily active users")
    reads_per_user_per_day: float = Field(ge=0)
    writes_per_user_per_day: float = Field(ge=0)
    read_size_bytes: int = Field(ge=0, description="bytes returned per read")
    write_size_bytes: int = Field(ge=0, description="bytes stored per write")
    peak_factor: float = Field(default=3.0, ge=1, description="peak QPS / average QPS")
    retention_days: int = Field(default=365 * 5, ge=1)
    concurrent_fraction: float = Field(
        default=0.0, ge=0, le=1, description="share of DAU holding a connection at peak"
    )
    cpu_ms_per_request: float = Field(
        default=1.0, gt=0, description="main-thread CPU time per request in Node.js"
    )


class TrafficEstimate(BaseModel):
    """Every figure that follows from one set of :class:`TrafficAssumptions`.

    ``formulas`` holds the same arithmetic as text with the numbers filled in, so the UI,
    the grader and the interviewer can show *how* a figure was reached, not only the result.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    assumptions: TrafficAssumptions
    reads_per_day: float
    writes_per_day: float
    requests_per_day: float
    read_qps_avg: float
    write_qps_avg: float
    total_qps_avg: float
    read_qps_peak: float
    write_qps_peak: float
    peak_qps: float
    read_write_ratio: float | None = Field(description="reads per write; None when no writes")
    storage_bytes_per_day: float
    storage_bytes_per_year: float
    storage_bytes_retention: float
    ingress_bytes_per_s_avg: float
    ingress_bytes_per_s_peak: float
    egress_bytes_per_s_avg: float
    egress_bytes_per_s_peak: float
    concurrent_connections: int
    cpu_cores_at_peak: int = Field(
        description="single-threaded Node.js processes (one per core) to serve the peak at 70% "
        "main-thread utilisation"
    )
    formulas: dict[str, str]


class EventLoopEstimate(BaseModel):
    """Load on Node.js event loops, modelled as independent M/M/1 queues.

    Each process runs its JavaScript on one thread, so a request's main-thread CPU time is a
    service time and the process is a single server. M/M/1 (random arrivals, random
    service times) is pessimistic next to real, more regular service times, which is the
    right side to err on in an interview.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    cpu_ms_per_request: float
    rps: float
    processes: int
    target_utilisation: float
    rps_per_process: float
    utilisation: float = Field(description="rho = rps per process x service time; >= 1 saturates")
    max_rps_per_process: float
    max_rps_total: float
    saturated: bool
    queue_wait_ms: float | None = Field(description="mean wait before service; None if saturated")
    response_time_ms: float | None = Field(description="mean wait + service; None if saturated")
    processes_needed: int = Field(description="processes (cores) to stay at the target utilisation")
    model: str = MM1_MODEL
    explanation: str
    formulas: dict[str, str]


# -- human-readable numbers ------------------------------------------------------------

_COUNT_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_BYTE_UNITS = ((1e18, "EB"), (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB"))


def _short(v: float) -> str:
    """Three significant figures at most, without trailing zeros: 1.16 -> '1.2', 116.4 -> '116'."""
    if v >= 100:
        text = f"{v:.0f}"
    elif v >= 1:
        text = f"{v:.1f}"
    elif v == 0:
        return "0"
    else:
        text = f"{v:.2g}"
    return text.removesuffix(".0")


def _scaled(x: float, units: tuple[tuple[float, str], ...], base_suffix: str) -> str:
    if not math.isfinite(x):
        return str(x)
    sign = "-" if x < 0 else ""
    x = abs(x)
    for i, (size, suffix) in enumerate(units):
        if x >= size:
            text = _short(x / size)
            # 999.96K rounds to "1000"; say 1M instead.
            if float(text) >= 1000 and i > 0:
                bigger, big_suffix = units[i - 1]
                text, suffix = _short(x / bigger), big_suffix
            return f"{sign}{text}{suffix}"
    text = _short(x)
    if float(text) >= 1000:
        return f"{sign}{_short(x / units[-1][0])}{units[-1][1]}"
    return f"{sign}{text}{base_suffix}"


def human_count(x: float) -> str:
    """A count the way people say it: 1157 -> '1.2K', 3.5e6 -> '3.5M', 2e9 -> '2B'."""
    return _scaled(x, _COUNT_UNITS, "")


def human_bytes(n: float) -> str:
    """A size in decimal (SI, base 1000) units: 1e11 -> '100 GB', 3.65e13 -> '36.5 TB'."""
    text = _scaled(n, _BYTE_UNITS, " B")
    if text.endswith(" B"):
        return text
    return f"{text[:-2]} {text[-2:]}"


def human_rate(qps: float, unit: str = "QPS") -> str:
    """A per-second rate: 1157.4 -> '1.2K QPS'; pass ``unit`` for e.g. 'writes/s'."""
    return f"{human_count(qps)} {unit}"


def _num(x: float) -> str:
    """An input as written in a formula: exact with separators below a million."""
    if abs(x) < 1e6 and float(x).is_integer():
        return f"{int(x):,}"
    if abs(x) < 1e6:
        return f"{x:,.4g}"
    return human_count(x)


# -- traffic ---------------------------------------------------------------------------


def traffic(a: TrafficAssumptions) -> TrafficEstimate:
    """Average and peak QPS, storage, bandwidth and connections for ``a``.

    Every figure is derived from the DAU and per-user daily actions, so a candidate's
    estimate can be compared figure by figure with the same arithmetic.
    """
    reads_day = a.dau * a.reads_per_user_per_day
    writes_day = a.dau * a.writes_per_user_per_day
    requests_day = reads_day + writes_day
    read_qps = reads_day / SECONDS_PER_DAY
    write_qps = writes_day / SECONDS_PER_DAY
    total_qps = requests_day / SECONDS_PER_DAY
    peak = total_qps * a.peak_factor
    ratio = reads_day / writes_day if writes_day else None
    storage_day = writes_day * a.write_size_bytes
    storage_year = storage_day * DAYS_PER_YEAR
    storage_retention = storage_day * a.retention_days
    ingress = write_qps * a.write_size_bytes
    egress = read_qps * a.read_size_bytes
    connections = round(a.dau * a.concurrent_fraction)
    cores = event_loop(a.cpu_ms_per_request, peak).processes_needed

    dau = f"{human_count(a.dau)} DAU"
    pf = _num(a.peak_factor)
    formulas = {
        "reads_per_day": f"{dau} x {_num(a.reads_per_user_per_day)} reads/day = "
        f"{human_count(reads_day)} reads/day",
        "writes_per_day": f"{dau} x {_num(a.writes_per_user_per_day)} writes/day = "
        f"{human_count(writes_day)} writes/day",
        "read_qps_avg": f"{dau} x {_num(a.reads_per_user_per_day)} reads/day / 86,400 s = "
        f"{human_rate(read_qps)}",
        "write_qps_avg": f"{dau} x {_num(a.writes_per_user_per_day)} writes/day / 86,400 s = "
        f"{human_rate(write_qps)}",
        "total_qps_avg": f"{dau} x ({_num(a.reads_per_user_per_day)} + "
        f"{_num(a.writes_per_user_per_day)}) requests/day / 86,400 s = {human_rate(total_qps)}",
        "peak_qps": f"{human_rate(total_qps)} x {pf} peak factor = {human_rate(peak)}",
        "read_write_ratio": (
            f"{_num(a.reads_per_user_per_day)} reads / {_num(a.writes_per_user_per_day)} "
            f"writes = {_num(round(ratio, 2))}:1"
            if ratio is not None
            else "no writes: ratio undefined"
        ),
        "storage_bytes_per_day": f"{human_count(writes_day)} writes/day x "
        f"{human_bytes(a.write_size_bytes)} = {human_bytes(storage_day)}/day",
        "storage_bytes_per_year": f"{human_bytes(storage_day)}/day x 365 = "
        f"{human_bytes(storage_year)}/year",
        "storage_bytes_retention": f"{human_bytes(storage_day)}/day x {a.retention_days:,} days "
        f"= {human_bytes(storage_retention)}",
        "ingress_bytes_per_s": f"{human_rate(write_qps, 'writes/s')} x "
        f"{human_bytes(a.write_size_bytes)} = {human_bytes(ingress)}/s "
        f"(peak x {pf} = {human_bytes(ingress * a.peak_factor)}/s)",
        "egress_bytes_per_s": f"{human_rate(read_qps, 'reads/s')} x "
        f"{human_bytes(a.read_size_bytes)} = {human_bytes(egress)}/s "
        f"(peak x {pf} = {human_bytes(egress * a.peak_factor)}/s)",
        "concurrent_connections": f"{dau} x {_num(a.concurrent_fraction * 100)}% = "
        f"{human_count(connections)} connections",
        "cpu_cores_at_peak": f"{human_rate(peak)} x {_num(a.cpu_ms_per_request)} ms / 1,000 / 0.7 "
        f"= {peak * a.cpu_ms_per_request / 1000 / 0.7:,.1f} -> {cores} cores",
    }
    return TrafficEstimate(
        assumptions=a,
        reads_per_day=reads_day,
        writes_per_day=writes_day,
        requests_per_day=requests_day,
        read_qps_avg=read_qps,
        write_qps_avg=write_qps,
        total_qps_avg=total_qps,
        read_qps_peak=read_qps * a.peak_factor,
        write_qps_peak=write_qps * a.peak_factor,
        peak_qps=peak,
        read_write_ratio=ratio,
        storage_bytes_per_day=storage_day,
        storage_bytes_per_year=storage_year,
        storage_bytes_retention=storage_retention,
        ingress_bytes_per_s_avg=ingress,
        ingress_bytes_per_s_peak=ingress * a.peak_factor,
        egress_bytes_per_s_avg=egress,
        egress_bytes_per_s_peak=egress * a.peak_factor,
        concurrent_connections=connections,
        cpu_cores_at_peak=cores,
        formulas=formulas,
    )


# -- event loop ------------------------------------------------------------------------


def _positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        # ValueError, not TypeError: callers catch one error type for any bad input.
        raise ValueError(f"{name} must be a number, got {value!r}")  # noqa: TRY004
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return float(value)


def event_loop(
    cpu_ms_per_request: float,
    rps: float,
    processes: int = 1,
    target_utilisation: float = 0.7,
) -> EventLoopEstimate:
    """How busy ``processes`` Node.js event loops are at ``rps``, and how many are needed.

    ``rps`` may be 0 (an idle service); every other input must be positive, and
    ``target_utilisation`` must be at most 1. Load is assumed to spread evenly across
    processes. Raises ``ValueError`` naming the bad input.
    """
    cpu_ms = _positive("cpu_ms_per_request", cpu_ms_per_request)
    rps = _positive("rps", rps, allow_zero=True)
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a whole number >= 1, got {processes!r}")
    target = _positive("target_utilisation", target_utilisation)
    if target > 1:
        raise ValueError(f"target_utilisation must be in (0, 1], got {target_utilisation!r}")

    per_process = rps / processes
    rho = per_process * cpu_ms / 1000
    max_one = 1000 / cpu_ms
    # round() keeps float noise (e.g. 2.0000000000000004) from adding a process.
    needed = max(1, math.ceil(round(rps * cpu_ms / 1000 / target, 9)))
    saturated = rho >= 1
    if saturated:
        wait = response = None
        explanation = (
            f"rho = {rho:.2f} >= 1: each process gets {human_rate(per_process, 'rps')} but can "
            f"serve at most {human_rate(max_one, 'rps')}, so the queue grows without bound and "
            f"the wait is unbounded (reported as None). Add processes: {needed} keep each "
            f"below {target:.0%} busy."
        )
    else:
        wait = rho / (1 - rho) * cpu_ms
        response = wait + cpu_ms
        explanation = (
            f"Each event loop is busy {rho:.0%} of the time; a request waits {wait:.3g} ms on "
            f"average before its {cpu_ms:g} ms of CPU, so it takes {response:.3g} ms in total. "
            f"{needed} process{'es' if needed != 1 else ''} keep each below {target:.0%} busy."
        )
    rate = human_rate(per_process, "rps")
    formulas = {
        "utilisation": f"rho = {rate} x {cpu_ms:g} ms / 1,000 = {rho:.3g}",
        "max_rps_per_process": f"1,000 / {cpu_ms:g} ms = {human_rate(max_one, 'rps')}",
        "queue_wait_ms": (
            f"{rho:.3g} / (1 - {rho:.3g}) x {cpu_ms:g} ms = {wait:.3g} ms"
            if wait is not None
            else "unbounded: rho >= 1"
        ),
        "processes_needed": f"ceil({human_rate(rps, 'rps')} x {cpu_ms:g} ms / 1,000 / {target:g}) "
        f"= {needed}",
    }
    return EventLoopEstimate(
        cpu_ms_per_request=cpu_ms,
        rps=rps,
        processes=processes,
        target_utilisation=target,
        rps_per_process=per_process,
        utilisation=rho,
        max_rps_per_process=max_one,
        max_rps_total=max_one * processes,
        saturated=saturated,
        queue_wait_ms=wait,
        response_time_ms=response,
        processes_needed=needed,
        explanation=explanation,
        formulas=formulas,
    )
