"""Capacity calculator: back-of-the-envelope numbers from stated assumptions.

Used by the interviewer's probes, the grader, the question bank and the UI, so the
figures a candidate is compared against are always computed the same way.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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
