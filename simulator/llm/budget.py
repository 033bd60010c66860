"""Token budget and cost of LLM calls: count, fit, price.

An interview can run for hundreds of turns; the prompt sent each turn must not grow with it.
`fit_messages` keeps the system prompt, the newest turns verbatim and the new message, and
folds everything older into a running summary. The default summariser is extractive and
deterministic (sentences picked from the folded turns, no LLM call), so the same transcript
always gives the same prompt, which keeps replay-cache keys stable.

Prices are USD per million tokens. They drift; `llm_prices` in the settings (when present)
overrides or extends the table, and a model found in neither costs 0 with `known=False`, so
a report can say "cost unknown" instead of a wrong number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.llm.messages import Message, as_dicts
from simulator.tokens import OFFLINE_ENCODING, count_tokens, truncate_tokens

TOKENS_PER_MESSAGE = 4  # role and framing tokens around each message (OpenAI's chat format)
REPLY_PRIMING_TOKENS = 3  # every reply is primed with <|start|>assistant<|message|>
DEFAULT_CONTEXT_TOKENS = 8_192  # for models we know nothing about: assume a small window
DEFAULT_PROMPT_BUDGET_TOKENS = 8_000  # per-turn cap even on huge windows: cost and latency
DEFAULT_REPLY_TOKENS = 1_024
SUMMARY_HEADER = "Summary of the earlier interview (older turns folded to fit the prompt):"

CONTEXT_TOKENS: dict[str, int] = {
    "gpt-5": 400_000, "gpt-5-mini": 400_000, "gpt-5-nano": 400_000,
    "gpt-4.1": 1_047_576, "gpt-4.1-mini": 1_047_576, "gpt-4.1-nano": 1_047_576,
    "gpt-4o": 128_000, "gpt-4o-mini": 128_000, "gpt-4-turbo": 128_000, "gpt-4": 8_192,
    "gpt-3.5-turbo": 16_385, "o1": 200_000, "o3": 200_000, "o3-mini": 200_000,
    "o4-mini": 200_000,
    # Common local models behind OpenAI-compatible servers (Ollama, vLLM, llama.cpp).
    "llama3": 8_192, "llama3.1": 131_072, "llama3.2": 131_072, "llama3.3": 131_072,
    "mistral": 32_768, "mixtral": 32_768, "qwen2.5": 32_768, "qwen3": 40_960,
    "gemma2": 8_192, "gemma3": 131_072, "phi3": 4_096, "phi4": 16_384,
}

# USD per 1M tokens: (input, output).
PRICES_PER_1M: dict[str, tuple[float, float]] = {
    "gpt-5": (1.25, 10.00), "gpt-5-mini": (0.25, 2.00), "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.00, 8.00), "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.00), "gpt-4o-mini": (0.15, 0.60), "gpt-4-turbo": (10.00, 30.00),
    "gpt-4": (30.00, 60.00), "gpt-3.5-turbo": (0.50, 1.50), "o1": (15.00, 60.00),
    "o3": (2.00, 8.00), "o3-mini": (1.10, 4.40), "o4-mini": (1.10, 4.40),
}


class BudgetError(ValueError):
    """The parts that can never be folded (system prompt + new message) exceed the budget."""


# -- counting ------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8192)
def _tokens(text: str, encoding: str) -> int:
    """Cached: every turn re-fits the same transcript, so the same texts recur."""
    return count_tokens(text, encoding)


def message_tokens(message: Message, encoding: str = OFFLINE_ENCODING) -> int:
    return TOKENS_PER_MESSAGE + _tokens(message.get("content") or "", encoding)


def count_message_tokens(messages: Sequence[Any], encoding: str = OFFLINE_ENCODING) -> int:
    """Prompt tokens of a chat request, counted the way OpenAI bills chat messages."""
    return REPLY_PRIMING_TOKENS + sum(message_tokens(m, encoding) for m in as_dicts(messages))


def _lookup(table: Mapping[str, Any], model: str) -> Any | None:
    """Exact name, else the longest known name that `model` extends (`gpt-4o-mini-2024-07-18`,
    `llama3.1:8b`, `openai/gpt-4o`)."""
    name = model.strip().lower().rsplit("/", 1)[-1]
    if name in table:
        return table[name]
    prefixes = [k for k in table if name.startswith((k + "-", k + ":", k + "@"))]
    return table[max(prefixes, key=len)] if prefixes else None


def context_limit(model: str, override: int | None = None) -> int:
    """Context window of `model` in tokens (`override`, e.g. settings.llm_context_tokens, wins)."""
    if override:
        return int(override)
    return _lookup(CONTEXT_TOKENS, model) or DEFAULT_CONTEXT_TOKENS


def prompt_budget(model: str, settings: Any = None, *,
                  reply_tokens: int = DEFAULT_REPLY_TOKENS) -> int:
    """Tokens one turn's prompt may use: the context window less room for the reply, capped by
    `llm_prompt_budget_tokens` (default 8000) so a 1M-token window does not mean 1M-token bills."""
    window = context_limit(model, getattr(settings, "llm_context_tokens", None))
    cap = getattr(settings, "llm_prompt_budget_tokens", None) or DEFAULT_PROMPT_BUDGET_TOKENS
    return max(256, min(int(cap), window - reply_tokens))


# -- extractive summary --------------------------------------------------------------------
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SPEAKER = {"user": "candidate", "assistant": "interviewer", "system": "note"}
_KEY_TERMS = frozenset({
    "cache", "caching", "shard", "sharding", "partition", "replica", "replication", "queue",
    "kafka", "redis", "database", "sql", "nosql", "cdn", "load", "balancer", "consistency",
    "availability", "latency", "throughput", "qps", "rps", "index", "bottleneck", "trade-off",
    "tradeoff", "estimate", "storage", "bandwidth", "scale", "failover", "api", "write", "read",
    "requirement", "requirements", "users", "peak", "p99", "sla", "schema", "rate", "limit",
})
MAX_WORDS_PER_LINE = 40
SENTENCES_PER_MESSAGE = 2

Summariser = Callable[[str, Sequence[Message], int], str]


def _score(line: str) -> float:
    words = re.findall(r"[a-z0-9][a-z0-9\-]*", line.lower())
    numbers = sum(1 for w in words if any(c.isdigit() for c in w))
    terms = sum(1 for w in words if w in _KEY_TERMS)
    return 3 * numbers + 2 * terms + min(len(words), 20) / 10


def _lines(folded: Sequence[Message]) -> list[str]:
    lines = []
    for message in folded:
        speaker = _SPEAKER.get(message["role"], message["role"])
        sentences = [s.strip() for s in _SENTENCE.split(message.get("content") or "") if s.strip()]
        for sentence in sentences[:SENTENCES_PER_MESSAGE]:
            words = sentence.split()
            clipped = " ".join(words[:MAX_WORDS_PER_LINE])
            if len(words) > MAX_WORDS_PER_LINE:
                clipped += " ..."
            lines.append(f"- {speaker}: {clipped}")
    return lines


def extractive_summary(previous: str, folded: Sequence[Message], max_tokens: int,
                       encoding: str = OFFLINE_ENCODING) -> str:
    """Fold `folded` messages into `previous` summary, within `max_tokens`.

    Candidate lines are the previous summary's lines and the first sentences of each folded
    message. Lines with numbers (estimates) and design terms score highest; ties favour the
    more recent line. The chosen lines keep their original order. Deterministic.
    """
    if max_tokens <= 0:
        return ""
    candidates: list[str] = []
    for line in [*previous.splitlines(), *_lines(folded)]:
        if line.strip() and line not in candidates:
            candidates.append(line)
    ranked = sorted(range(len(candidates)), key=lambda i: (-_score(candidates[i]), -i))
    chosen: set[int] = set()
    used = 0
    for i in ranked:
        cost = _tokens(candidates[i], encoding) + 1  # + newline
        if used + cost <= max_tokens:
            chosen.add(i)
            used += cost
    text = "\n".join(candidates[i] for i in sorted(chosen))
    return truncate_tokens(text, max_tokens, encoding)


# -- fitting -------------------------------------------------------------------------------
@dataclass
class FittedPrompt:
    messages: list[Message]
    summary: str  # the running summary after this turn ("" when nothing was ever folded)
    folded: int  # history messages folded into the summary by this call
    kept: int  # history messages kept verbatim
    tokens: int  # prompt tokens of `messages`


def _summary_message(summary: str) -> Message:
    return {"role": "system", "content": f"{SUMMARY_HEADER}\n{summary}"}


def fit_messages(
    system: str | Message | None,
    history: Sequence[Any],
    new: str | Message | Sequence[Any],
    budget_tokens: int,
    summarise: Summariser = extractive_summary,
    *,
    summary: str = "",
    summary_share: float = 0.25,
    encoding: str = OFFLINE_ENCODING,
) -> FittedPrompt:
    """Build a prompt of at most `budget_tokens`: system, running summary, newest history
    verbatim, new message(s).

    `history` is oldest first. `summary` is a running summary of turns already dropped from
    `history` by the caller (empty when the caller passes the whole transcript every turn).
    When everything fits nothing is folded; otherwise up to `summary_share` of the budget goes
    to the summary and the rest to as many of the newest messages as fit.
    Raises BudgetError if the system prompt and the new message alone exceed the budget.
    """
    head = [] if not system else as_dicts([{"role": "system", "content": system}
                                           if isinstance(system, str) else system])
    if isinstance(new, str):
        tail = [{"role": "user", "content": new}]
    elif isinstance(new, Mapping):
        tail = as_dicts([new])
    else:
        tail = as_dicts(new)
    past = as_dicts(history)
    fixed = count_message_tokens(head + tail, encoding)
    if fixed > budget_tokens:
        raise BudgetError(
            f"the system prompt and the new message take {fixed} tokens, over the prompt "
            f"budget of {budget_tokens}; shorten the message (max_input_tokens)"
        )
    costs = [message_tokens(m, encoding) for m in past]
    current = [_summary_message(summary)] if summary else []
    whole = head + current + past + tail
    if fixed + sum(costs) + sum(message_tokens(m, encoding) for m in current) <= budget_tokens:
        return FittedPrompt(whole, summary, 0, len(past), count_message_tokens(whole, encoding))

    reserve = min(int(budget_tokens * summary_share), budget_tokens - fixed)
    room = budget_tokens - fixed - reserve
    kept = 0
    used = 0
    for cost in reversed(costs):
        if used + cost > room:
            break
        used += cost
        kept += 1
    folded = past[: len(past) - kept]
    text_cap = reserve - TOKENS_PER_MESSAGE - count_tokens(SUMMARY_HEADER + "\n", encoding)
    new_summary = ""
    if text_cap > 0:
        new_summary = truncate_tokens(summarise(summary, folded, text_cap), text_cap, encoding)
    middle = [_summary_message(new_summary)] if new_summary else []
    messages = head + middle + past[len(folded):] + tail
    return FittedPrompt(messages, new_summary, len(folded), kept,
                        count_message_tokens(messages, encoding))


# -- cost ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CostEstimate:
    usd: float
    known: bool  # False: the model has no price; usd is 0, not a real figure

    def __str__(self) -> str:
        return f"${self.usd:.6f}" if self.known else "cost unknown"


def price_table(settings: Any = None) -> dict[str, tuple[float, float]]:
    """Default prices overlaid with `settings.llm_prices` ({model: [in, out]} or
    {model: {"input": x, "output": y}}, USD per 1M tokens) when that setting exists."""
    table = dict(PRICES_PER_1M)
    for model, price in (getattr(settings, "llm_prices", None) or {}).items():
        if isinstance(price, Mapping):
            table[model.lower()] = (float(price["input"]), float(price["output"]))
        else:
            table[model.lower()] = (float(price[0]), float(price[1]))
    return table


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int,
                  prices: Mapping[str, tuple[float, float]] | None = None) -> CostEstimate:
    price = _lookup(prices if prices is not None else PRICES_PER_1M, model)
    if price is None:
        return CostEstimate(0.0, False)
    usd = (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
    return CostEstimate(round(usd, 8), True)
