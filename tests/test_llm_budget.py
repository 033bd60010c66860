"""Token counting, per-turn prompt budget with a running summary, and cost estimates."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator.llm.budget import (
    DEFAULT_CONTEXT_TOKENS,
    SUMMARY_HEADER,
    BudgetError,
    context_limit,
    count_message_tokens,
    estimate_cost,
    extractive_summary,
    fit_messages,
    price_table,
    prompt_budget,
)
from simulator.tokens import count_tokens

SYSTEM = "You are a senior interviewer running a 45-minute system design interview."
TOPICS = ["the cache layer", "sharding the database", "the message queue", "rate limiting",
          "the CDN", "read replicas", "the write path", "failover"]


def synthetic_turn(i: int) -> list[dict[str, str]]:
    topic = TOPICS[i % len(TOPICS)]
    return [
        {"role": "assistant", "content": f"Turn {i}: tell me more about {topic}. "
                                         "What happens when traffic doubles overnight?"},
        {"role": "user", "content": f"For turn {i} I would scale {topic} horizontally. "
                                    f"We estimated {1000 + i} QPS at peak and {i % 7 + 1} TB "
                                    "of storage per year. The trade-off is more operational "
                                    "work, which I think is acceptable at this scale."},
    ]


def test_message_tokens_follow_the_chat_format():
    messages = [{"role": "system", "content": "Be brief."}, ("user", "Hello there")]
    expected = 3 + (4 + count_tokens("Be brief.")) + (4 + count_tokens("Hello there"))
    assert count_message_tokens(messages) == expected


@pytest.mark.parametrize("model, tokens", [
    ("gpt-4o-mini", 128_000), ("gpt-4o-mini-2024-07-18", 128_000), ("gpt-4.1", 1_047_576),
    ("openai/gpt-4o", 128_000), ("llama3.1:8b", 131_072), ("gpt-4", 8_192),
    ("my-finetune", DEFAULT_CONTEXT_TOKENS),
])
def test_context_limits_match_names_snapshots_and_tags(model, tokens):
    assert context_limit(model) == tokens


def test_prompt_budget_leaves_room_for_the_reply_and_respects_caps():
    assert prompt_budget("gpt-4o-mini") == 8_000  # capped: big windows are not free
    assert prompt_budget("gpt-4", reply_tokens=1_024) == 8_192 - 1_024
    tiny = SimpleNamespace(llm_context_tokens=4_096, llm_prompt_budget_tokens=None)
    assert prompt_budget("local-model", tiny, reply_tokens=512) == 3_584
    assert prompt_budget("gpt-4o", SimpleNamespace(llm_prompt_budget_tokens=2_000)) == 2_000


def test_short_history_is_sent_whole():
    history = [m for i in range(3) for m in synthetic_turn(i)]
    fitted = fit_messages(SYSTEM, history, "Next question please.", 4_000)
    assert fitted.folded == 0 and fitted.summary == "" and fitted.kept == 6
    assert fitted.messages == [{"role": "system", "content": SYSTEM}, *history,
                               {"role": "user", "content": "Next question please."}]
    assert fitted.tokens == count_message_tokens(fitted.messages)


def test_two_hundred_turns_stay_under_budget_with_latest_turns_verbatim():
    budget = 1_500
    history: list[dict[str, str]] = []
    for i in range(200):
        new = synthetic_turn(i)[1]
        fitted = fit_messages(SYSTEM, history, new, budget)
        assert fitted.tokens == count_message_tokens(fitted.messages) <= budget, i
        assert fitted.messages[0] == {"role": "system", "content": SYSTEM}
        assert fitted.messages[-1] == new
        if len(history) >= 4:
            assert fitted.messages[-5:-1] == history[-4:], i  # latest turns verbatim
        history.extend(synthetic_turn(i))
    assert fitted.folded > 300 and fitted.kept >= 4
    summary_message = fitted.messages[1]
    assert summary_message["role"] == "system"
    assert summary_message["content"].startswith(SUMMARY_HEADER)
    assert summary_message["content"].endswith(fitted.summary) and fitted.summary


def test_running_summary_kept_by_the_caller_stays_bounded():
    """The caller may drop folded turns and carry the summary forward instead."""
    budget, history, summary = 1_200, [], ""
    for i in range(200):
        fitted = fit_messages(SYSTEM, history, f"Answer {i}", budget, summary=summary)
        assert fitted.tokens <= budget
        history = history[fitted.folded:] + synthetic_turn(i)
        summary = fitted.summary
    assert summary and count_tokens(summary) <= budget // 4


def test_summary_is_extractive_deterministic_and_keeps_estimates():
    folded = [
        {"role": "assistant", "content": "Let's start. How big is the system?"},
        {"role": "user", "content": "We expect 50k QPS at peak and 20 TB of storage. "
                                    "Reads dominate writes ten to one."},
        {"role": "assistant", "content": "Okay. Nice weather today, by the way."},
    ]
    summary = extractive_summary("", folded, 40)
    assert summary == extractive_summary("", folded, 40)
    assert "candidate: We expect 50k QPS at peak and 20 TB of storage." in summary
    sources = " ".join(m["content"] for m in folded)
    for line in summary.splitlines():
        assert line.split(": ", 1)[1] in sources  # every line is copied, not invented
    assert count_tokens(summary) <= 40
    assert extractive_summary("", folded, 0) == ""


def test_custom_summariser_is_used():
    history = [m for i in range(60) for m in synthetic_turn(i)]
    fitted = fit_messages(SYSTEM, history, "next", 1_000,
                          summarise=lambda prev, folded, cap: f"{len(folded)} turns folded")
    assert fitted.summary == f"{fitted.folded} turns folded"


def test_system_and_new_message_over_budget_is_a_clear_error():
    with pytest.raises(BudgetError, match="over the prompt budget of 50"):
        fit_messages(SYSTEM, [], "word " * 200, 50)


def test_costs_from_the_price_table():
    assert estimate_cost("gpt-4o-mini", 1_000_000, 0).usd == pytest.approx(0.15)
    assert estimate_cost("gpt-4o-mini-2024-07-18", 0, 1_000_000).usd == pytest.approx(0.60)
    assert estimate_cost("gpt-4o", 2_000, 1_000).usd == pytest.approx((2_000 * 2.5 + 10_000) / 1e6)
    unknown = estimate_cost("llama3.1:8b", 5_000, 5_000)
    assert (unknown.usd, unknown.known) == (0.0, False) and str(unknown) == "cost unknown"


def test_prices_from_settings_override_and_extend_the_defaults():
    settings = SimpleNamespace(llm_prices={"llama3.1": [0.0, 0.0],
                                           "gpt-4o-mini": {"input": 1.0, "output": 2.0}})
    table = price_table(settings)
    assert estimate_cost("llama3.1:8b", 100, 100, table).known
    assert estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000, table).usd == pytest.approx(3.0)
    assert price_table(None)["gpt-4o-mini"] == (0.15, 0.60)
