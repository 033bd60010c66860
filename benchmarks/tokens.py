"""Prompt tokens of a 45-minute interview on the LLM path, against sending the whole history.

    python benchmarks/tokens.py [--turns N] [--budget TOKENS] [--json]

Starts the scripted OpenAI-compatible server from the tests on loopback, runs a long scripted
interview through the real LLM phrasing path (openai SDK + LangChain over HTTP), and prints
prompt tokens per turn (p50/max), total tokens and estimated cost per interview, beside the
naive approach that sends the whole transcript every turn.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import simulator  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from llm_server import ScriptedLLMServer

from simulator.interview.phrasing import LLMPhraser
from simulator.interview.session import InterviewSession
from simulator.llm.budget import count_message_tokens, estimate_cost
from simulator.settings import get_settings
from simulator.store.sessions import SessionStore

ANSWERS = [
    ("Let me clarify: 1:1 and group chats, offline delivery with push, history on every device, "
    "read receipts and presence. Latency under 300 ms p99, ordering per conversation, no loss."),
    ("Assume 50M DAU, 40 messages each per day: 2B messages a day, about 23K per second on "
    "average and 70K at a 3x peak. At 200 bytes each that is 400 GB a day, 146 TB a year."),
    ("Gateways hold WebSocket connections; a message service persists to Cassandra partitioned "
    "by conversation id and fans out through Redis pub/sub to the gateways of the recipients."),
    ("What fails first: a gateway's event loop when a big group fans out, then hot partitions "
    "for huge groups, then the push provider's rate limits during reconnect storms."),
    ("The main trade-off is Cassandra over Postgres: write throughput and partitioning win, "
    "but we lose joins and strong consistency across conversations; with 10x less load I'd flip."),
]


def run(turns: int, budget: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLMServer() as server:
        settings = get_settings(
            data_dir=Path(tmp), llm_backend="openai-compatible", llm_base_url=server.url,
            llm_model="gpt-4o-mini", llm_prompt_budget_tokens=budget,
        )
        phraser = LLMPhraser(settings)
        store = SessionStore(settings.db_path)
        session, _ = InterviewSession.start(settings, store, "chat", minutes=45, phraser=phraser)
        naive: list[int] = []
        clock = 0.0
        for i in range(turns):
            server.reply(f"Thanks. Follow-up {i}: what happens to that at peak load, and why?")
            clock += 45 * 60 / turns
            session.answer(ANSWERS[i % len(ANSWERS)] + f" (turn {i})", elapsed_s=clock)
            # The naive prompt: system + every turn so far, verbatim.
            sent = server.chat_requests[-1].messages
            history = [{"role": "assistant" if t.role == "interviewer" else "user", "content": t.text}
                       for t in session.history]
            naive.append(count_message_tokens([sent[0], *history, sent[-1]]))
        record = store.get(session.id)
        prompt = [u["prompt_tokens"] for u in record.turn_usage if u.get("prompt_tokens")]
        completion = sum(u.get("completion_tokens", 0) for u in record.turn_usage)
        naive_total = sum(naive)
        return {
            "turns": len(prompt),
            "budget_tokens": budget,
            "prompt_tokens_p50": statistics.median(prompt),
            "prompt_tokens_max": max(prompt),
            "prompt_tokens_total": sum(prompt),
            "completion_tokens_total": completion,
            "cost_usd": round(estimate_cost("gpt-4o-mini", sum(prompt), completion).usd, 5),
            "naive_prompt_tokens_max": max(naive),
            "naive_prompt_tokens_total": naive_total,
            "naive_cost_usd": round(estimate_cost("gpt-4o-mini", naive_total, completion).usd, 5),
            "ratio_total": round(sum(prompt) / naive_total, 3),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60, help="candidate turns (45 minutes)")
    parser.add_argument("--budget", type=int, default=2000, help="per-turn prompt budget")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    r = run(args.turns, args.budget)
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print(f"{r['turns']} LLM turns, per-turn prompt budget {r['budget_tokens']} tokens")
    print(f"prompt tokens per turn: p50 {r['prompt_tokens_p50']}, max {r['prompt_tokens_max']} "
          f"(naive max {r['naive_prompt_tokens_max']})")
    print(f"total prompt tokens {r['prompt_tokens_total']} vs naive {r['naive_prompt_tokens_total']} "
          f"(ratio {r['ratio_total']})")
    print(f"estimated cost per interview (gpt-4o-mini prices): ${r['cost_usd']} "
          f"vs naive ${r['naive_cost_usd']}")


if __name__ == "__main__":
    main()
