"""The capacity calculator widget shown in the estimate and bottlenecks phases.

A fragment, so changing a number reruns only the calculator, not the conversation. The
defaults are neutral round numbers, never the problem's reference assumptions: the widget
does arithmetic for the candidate, it does not hand out the answer.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from simulator.capacity import (
    TrafficAssumptions,
    event_loop,
    human_bytes,
    human_count,
    human_rate,
    traffic,
)
from simulator.ui.text import error_text


@st.fragment
def render(key: str) -> None:
    k = f"calc_{key}_"
    st.caption("Your assumptions → the same arithmetic the interviewer checks against "
               "(86,400 s a day, decimal units).")
    a, b = st.columns(2)
    dau = a.number_input("Daily active users", min_value=1, value=10_000_000, step=1_000_000,
                         key=k + "dau")
    peak = b.number_input("Peak factor (peak / average)", min_value=1.0, value=3.0, step=0.5,
                          key=k + "peak")
    reads = a.number_input("Reads per user per day", min_value=0.0, value=10.0, key=k + "reads")
    writes = b.number_input("Writes per user per day", min_value=0.0, value=1.0,
                            key=k + "writes")
    read_b = a.number_input("Bytes per read", min_value=0, value=1_000, step=100,
                            key=k + "read_b")
    write_b = b.number_input("Bytes per write", min_value=0, value=1_000, step=100,
                             key=k + "write_b")
    retention = a.number_input("Retention (days)", min_value=1, value=365 * 5,
                               key=k + "retention")
    concurrent = b.number_input("Connected at peak (% of DAU)", min_value=0.0, max_value=100.0,
                                value=0.0, key=k + "concurrent")
    cpu_ms = a.number_input("Main-thread CPU per request (ms)", min_value=0.01, value=1.0,
                            key=k + "cpu_ms")
    processes = b.number_input("Node.js processes", min_value=1, value=8, key=k + "processes")
    target = a.slider("Target event-loop utilisation", min_value=0.1, max_value=1.0, value=0.7,
                      step=0.05, key=k + "target")
    try:
        est = traffic(TrafficAssumptions(
            dau=int(dau), reads_per_user_per_day=reads, writes_per_user_per_day=writes,
            read_size_bytes=int(read_b), write_size_bytes=int(write_b), peak_factor=peak,
            retention_days=int(retention), concurrent_fraction=concurrent / 100,
            cpu_ms_per_request=cpu_ms,
        ))
        loop = event_loop(cpu_ms, est.peak_qps, int(processes), target)
    except (ValidationError, ValueError) as exc:
        st.error(f"Cannot compute: {error_text(exc)}")
        return

    rows = [
        ("Average QPS", human_rate(est.total_qps_avg)),
        ("Peak QPS", human_rate(est.peak_qps)),
        ("Read:write", f"{est.read_write_ratio:.3g}:1" if est.read_write_ratio else "no writes"),
        ("Storage per day", human_bytes(est.storage_bytes_per_day)),
        (f"Storage over {int(retention):,} days", human_bytes(est.storage_bytes_retention)),
        ("Ingress / egress at peak", (f"{human_bytes(est.ingress_bytes_per_s_peak)}/s / "
                                     f"{human_bytes(est.egress_bytes_per_s_peak)}/s")),
        ("Connections at peak", human_count(est.concurrent_connections)),
        ("Event loop busy per process", f"{loop.utilisation:.0%}"),
        ("Response time", "unbounded" if loop.response_time_ms is None
         else f"{loop.response_time_ms:.3g} ms"),
        ("Processes needed", str(loop.processes_needed)),
    ]
    st.markdown("| Figure | Value |\n|---|---|\n"
                + "\n".join(f"| {name} | {value} |" for name, value in rows))
    (st.warning if loop.saturated else st.caption)(loop.explanation)
    with st.expander("How these were computed"):
        st.text("\n".join({**est.formulas, **loop.formulas}.values()))
