"""Benchmark the browser app as a candidate sees it: cold start and time per turn.

    python benchmarks/ui.py [--rounds N] [--turns N] [--data-dir DIR] [--json]

Each round starts a fresh `streamlit run streamlit_app.py` on a loopback port and drives
headless Debian Chromium (`make browser`; playwright's Python package, no browser download)
through an offline interview of the chat problem. Measured with the browser's eyes:

- server up: process launch until `/_stcore/health` answers;
- cold start: process launch until the first interviewer message is on screen. It includes
  the server start, the first page load and the first interview's start, which loads the
  embedding model and opens Chroma in the fresh process;
- first message: click on "Start interview" until the opening message shows (cold: first
  interview of the process; warm: a second interview in a new tab of the same server);
- turn: Enter in the chat box until the interviewer's whole answer is on screen (its stored
  text's last words are visible), over `--turns` candidate messages per round.

The store is a temporary data directory ingested once before timing (not timed), unless
`--data-dir` names one that already holds the corpus. The user's ~/.sdsim is never touched.
Figures are medians over rounds (and over all turns for the per-turn figure).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from servers import free_port, stop, wait_http

CHROMIUM = "/usr/bin/chromium"
ANSWERS = [
    ("Is it one to one messaging plus group chats? Offline users get missed messages on "
    "reconnect and a push notification; history on multiple devices; read receipts."),
    ("Non functional: p99 delivery under 200 ms, 99.99% availability, messages are never lost "
    "and are ordered per conversation. Out of scope: voice and video calls."),
    ("Say 50M DAU sending 40 messages a day: 2 billion messages a day, about 23K writes per "
    "second on average and 70K at a 3x peak. At 200 bytes each that is 400 GB a day."),
    ("Ten million concurrent WebSocket connections at peak; at 50K per Node.js process that is "
    "200 gateway processes, each with around 1 ms of CPU per message."),
    ("Clients hold a WebSocket to a gateway tier behind a load balancer. Gateways publish to "
    "Kafka partitioned by conversation id; a delivery service fans out to the recipients."),
    ("Messages go to Cassandra keyed by conversation id and a time-ordered message id, so a "
    "conversation's history is one partition read in order."),
    ("The first thing to break is the gateway event loop: JSON parsing of large group fan-out "
    "blocks it, so I would watch event loop lag with monitorEventLoopDelay and move that work "
    "to worker threads."),
    ("Presence is kept in Redis with a TTL instead of in process memory, because the gateways "
    "scale out and a user's connection can land on any of them."),
    ("I traded strict global ordering for per-conversation ordering, which keeps Kafka "
    "partitions independent; if we needed cross-device ordering we would revisit that."),
    ("Fan-out on write for small groups and on read for very large groups keeps write "
    "amplification bounded."),
]


# True once message number `n` (1-based) is on screen and holds `tail`.
ON_SCREEN = """([n, tail]) => {
  const all = document.querySelectorAll('[data-testid="stChatMessage"]');
  return all.length >= n && all[n - 1].innerText.includes(tail);
}"""


def prepared_data_dir(path: str | None) -> Path:
    """A data directory holding the ingested corpus (ingested here when empty)."""
    data = Path(path) if path else Path(tempfile.mkdtemp(prefix="sdsim-ui-bench-"))
    os.environ["SDSIM_DATA_DIR"] = str(data)
    from simulator.corpus.ingest import ingest, is_empty
    from simulator.settings import get_settings

    settings = get_settings()
    if is_empty(settings):
        started = time.perf_counter()
        ingest(settings)
        print(f"(ingested the corpus into {data} in {time.perf_counter() - started:.1f}s, "
              "not timed)", file=sys.stderr)
    return data


def start_interview(page, url: str) -> float:
    """Open the Start page, start a chat interview; seconds from click to opening message."""
    page.goto(url)
    page.get_by_text("Practise a system-design interview").wait_for()
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="Design a chat service").click()
    started = time.perf_counter()
    page.get_by_role("button", name=re.compile("Start interview")).click()
    page.wait_for_function(ON_SCREEN, arg=[1, "clarify"], polling="raf", timeout=120_000)
    return time.perf_counter() - started


def answer_tail(store, session_id: str, turn_count: int) -> str:
    """The end of the stored interviewer answer that makes `turn_count` turns."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        turns = store.get(session_id).turns
        if len(turns) >= turn_count:
            return turns[turn_count - 1].text.split("\n")[-1].strip()[-40:]
        time.sleep(0.01)
    raise TimeoutError(f"session {session_id} never reached {turn_count} turns")


def one_round(data_dir: Path, turns: int) -> dict[str, float | list[float]]:
    from playwright.sync_api import expect, sync_playwright

    from simulator.store.sessions import SessionStore

    expect.set_options(timeout=120_000)
    store = SessionStore(data_dir / "sessions.db")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SDSIM_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    launched = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"{url}/_stcore/health", timeout_s=120, poll_s=0.05)
        server_up = time.perf_counter() - launched
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-dev-shm-usage"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            first_cold = start_interview(page, url)
            cold_start = time.perf_counter() - launched

            messages = page.get_by_test_id("stChatMessage")
            box = page.get_by_test_id("stChatInputTextArea")
            turn_s = []
            for i in range(turns):
                if page.get_by_text("The interview is over").is_visible():
                    break
                expect(box).to_be_enabled()
                box.fill(ANSWERS[i % len(ANSWERS)])
                count = messages.count()
                started = time.perf_counter()
                box.press("Enter")
                # Done when the whole answer is on screen, not only its first words. Checked
                # on every animation frame: `expect` backs off to 1 s between checks, which
                # would round a 0.3 s turn up to 1.3 s.
                tail = answer_tail(store, page.url.rsplit("=", 1)[1], count + 2)
                page.wait_for_function(ON_SCREEN, arg=[count + 2, tail], polling="raf",
                                       timeout=120_000)
                turn_s.append(time.perf_counter() - started)

            warm_page = browser.new_page(viewport={"width": 1400, "height": 1000})
            warm_page.set_default_timeout(120_000)
            first_warm = start_interview(warm_page, url)
            browser.close()
    finally:
        stop(proc)
    return {"server_up_s": server_up, "cold_start_s": cold_start,
            "first_message_cold_s": first_cold, "first_message_warm_s": first_warm,
            "turn_s": turn_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh server starts")
    parser.add_argument("--turns", type=int, default=8, help="candidate messages per round")
    parser.add_argument("--data-dir", help="an already ingested data directory to reuse")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: run `make browser`", file=sys.stderr)
        return 2

    data_dir = prepared_data_dir(args.data_dir)
    rounds = [one_round(data_dir, args.turns) for _ in range(args.rounds)]
    turns = [t for r in rounds for t in r["turn_s"]]

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    figures = {
        "rounds": args.rounds,
        "turns": len(turns),
        "server_up_s": median("server_up_s"),
        "cold_start_to_first_message_s": median("cold_start_s"),
        "first_message_cold_s": median("first_message_cold_s"),
        "first_message_warm_s": median("first_message_warm_s"),
        "turn_median_s": statistics.median(turns),
        "turn_p90_s": statistics.quantiles(turns, n=10, method="inclusive")[-1] if len(turns) > 1 else turns[0],
        "turn_max_s": max(turns),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{args.rounds} fresh server start(s), {len(turns)} turns, offline backend")
    print(f"server up (health answers)            {figures['server_up_s']:6.2f} s")
    print(f"cold start to first interviewer msg   {figures['cold_start_to_first_message_s']:6.2f} s")
    print(f"  Start click -> opening, cold        {figures['first_message_cold_s']:6.2f} s")
    print(f"  Start click -> opening, warm        {figures['first_message_warm_s']:6.2f} s")
    print(f"turn (Enter -> answer on screen)      median {figures['turn_median_s']:.3f} s, "
          f"p90 {figures['turn_p90_s']:.3f} s, max {figures['turn_max_s']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
