"""`sdsim app` (what `make run` starts) listens on this machine only unless told otherwise."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import free_port, wait_http

pytestmark = pytest.mark.server


def listeners(port: int) -> set[str]:
    """The local addresses (hex, as in /proc/net/tcp*) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_sdsim_app_binds_loopback_by_default(tmp_path):
    port = free_port()
    env = {**os.environ, "SDSIM_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    with open(tmp_path / "app.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "app", "--no-ingest", "--port", str(port)],
            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # `sdsim app` runs streamlit as a child: stop both
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout_s=90)
            assert listeners(port) == {"0100007F"}  # 127.0.0.1, and nothing on :: or 0.0.0.0
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        deadline = time.monotonic() + 30  # the streamlit child exits on its own schedule
        while listeners(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not listeners(port)
