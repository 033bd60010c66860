"""The LangChain/OpenAI-backed LLM client: one object for replies, streams and structured output.

`ChatOpenAI` covers OpenAI and every OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM
Studio). Around it `LLMClient` adds what an interview needs from a remote model:

- retries for timeouts, connection errors, 429 and 5xx, with exponential backoff, jitter and
  the server's Retry-After, bounded by `llm_max_retries` and a total deadline. The SDK's own
  retries are off (`max_retries=0`), so every retry is ours, counted in `stats` and logged;
- one error type: anything that goes wrong surfaces as `LLMFailed` with a one-line reason;
  a stream cut mid-way raises `StreamBroken` carrying the text received so far;
- structured output through `with_structured_output`, re-asked when the reply does not parse;
- the record/replay cache (`simulator.llm.cache`) and token/cost accounting.

Structured output method: `json_schema` (OpenAI's structured outputs, a `response_format`) is
the default; OpenAI and current Ollama, vLLM, llama.cpp and LM Studio accept it. Servers that
only do tools can use `function_calling`, and servers with neither `json_mode` (the schema is
then put in a system message). Set with `llm_structured_method`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import openai
from pydantic import BaseModel, SecretStr

from simulator.llm.budget import CostEstimate, count_message_tokens, estimate_cost, price_table
from simulator.llm.cache import LLMCache, cache_key
from simulator.llm.errors import LLMConfigError, LLMFailed, StreamBroken
from simulator.llm.messages import Message, as_dicts
from simulator.tokens import count_tokens

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

log = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"  # local servers ignore the key, the SDK insists on one
DEFAULT_TOTAL_DEADLINE_S = 120.0
DEFAULT_BACKOFF_BASE_S = 0.5
DEFAULT_BACKOFF_MAX_S = 8.0
DEFAULT_STRUCTURED_RETRIES = 2
MIN_ATTEMPT_S = 0.05  # don't start an attempt with less time than this left
STRUCTURED_METHODS = ("json_schema", "function_calling", "json_mode")
RETRYABLE_KINDS = frozenset({"timeout", "connection", "rate_limit", "server"})

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


# -- building the model --------------------------------------------------------------------
def base_url_for(settings: Any) -> str:
    if settings.llm_backend == "openai":
        return settings.llm_base_url or OPENAI_BASE_URL
    return settings.llm_base_url or ""


def build_chat_model(settings: Any, *, streaming: bool = False,
                     timeout_s: float | None = None) -> ChatOpenAI:
    """A `ChatOpenAI` for the configured backend, with the SDK's retries off.

    Raises LLMConfigError (one line, naming the setting) when the settings cannot work.
    """
    from langchain_openai import ChatOpenAI

    backend = settings.llm_backend
    if backend == "offline":
        raise LLMConfigError("llm_backend is 'offline': there is no LLM to call "
                             "(set SDSIM_LLM_BACKEND=openai or openai-compatible)")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
    if backend == "openai" and not key:
        raise LLMConfigError("llm_backend=openai needs an API key: set SDSIM_LLM_API_KEY "
                             "or OPENAI_API_KEY")
    if backend == "openai-compatible" and not settings.llm_base_url:
        raise LLMConfigError("llm_backend=openai-compatible needs SDSIM_LLM_BASE_URL, "
                             "e.g. http://localhost:11434/v1")
    kwargs: dict[str, Any] = {
        "model": settings.llm_model,
        "base_url": base_url_for(settings),
        "api_key": SecretStr(key or PLACEHOLDER_KEY),
        "timeout": timeout_s or settings.llm_timeout_s,
        "max_retries": 0,
        "stream_usage": getattr(settings, "llm_stream_usage", True),
    }
    if streaming:  # an explicit streaming=False would make .stream() fall back to one chunk
        kwargs["streaming"] = True
    temperature = getattr(settings, "llm_temperature", None)
    if temperature is not None:
        kwargs["temperature"] = temperature
    return ChatOpenAI(**kwargs)


# -- results -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    estimated: bool = False  # True: the server reported none; counted locally with tiktoken

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, Any]:
        return {"prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "estimated": self.estimated}


@dataclass(frozen=True)
class LLMResult:
    text: str
    usage: Usage
    cost: CostEstimate  # what this call spent: 0 (known) for a replay
    replayed: bool = False
    attempts: int = 0  # HTTP attempts made (0 for a replay)


@dataclass
class CallStats:
    """Running totals for one client; `retries` makes the retry policy observable."""

    calls: int = 0
    attempts: int = 0
    retries: int = 0
    replayed: int = 0
    malformed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True


# -- errors --------------------------------------------------------------------------------
def _one_line(text: Any, limit: int = 160) -> str:
    flat = re.sub(r"\s+", " ", str(text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _cause_text(exc: BaseException) -> str:
    parts, seen = [], set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        parts.append(f"{type(node).__name__}: {node}")
        node = node.__cause__ or node.__context__
    return " | ".join(parts)


def explain_error(exc: Exception, *, model: str, base_url: str, timeout_s: float) -> LLMFailed:
    """Map an SDK/HTTP error to LLMFailed with a one-line explanation and a `kind`."""
    where = base_url or "the server"
    if isinstance(exc, openai.APITimeoutError):
        return LLMFailed(f"no reply from {where} within {timeout_s:g}s (llm_timeout_s)",
                         kind="timeout")
    if isinstance(exc, openai.APIConnectionError):
        causes = _cause_text(exc)
        if "refused" in causes.lower():
            return LLMFailed(f"cannot connect to {where}: connection refused; is the server "
                             "running and SDSIM_LLM_BASE_URL right?", kind="connection")
        unresolved = r"name or service not known|nodename nor servname|getaddrinfo"
        if re.search(unresolved, causes, re.IGNORECASE):
            return LLMFailed(f"cannot resolve the host of {where}; check SDSIM_LLM_BASE_URL",
                             kind="connection")
        return LLMFailed(f"connection to {where} failed: {_one_line(causes, 120)}",
                         kind="connection")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        body = exc.body if isinstance(exc.body, dict) else {}
        detail = _one_line(body.get("message") or exc.message)
        code = str(body.get("code") or body.get("type") or "")
        if status == 401:
            return LLMFailed(f"{where} rejected the API key (HTTP 401); check SDSIM_LLM_API_KEY",
                             kind="auth", status=status)
        if status == 403:
            return LLMFailed(f"the API key has no access to model '{model}' at {where} "
                             f"(HTTP 403): {detail}", kind="forbidden", status=status)
        if status == 404:
            return LLMFailed(f"model '{model}' or the chat endpoint was not found at {where} "
                             "(HTTP 404); check SDSIM_LLM_MODEL and SDSIM_LLM_BASE_URL",
                             kind="not_found", status=status)
        if status == 429 and "insufficient_quota" in code:
            return LLMFailed(f"the account behind the API key is out of quota (HTTP 429): "
                             f"{detail}", kind="quota", status=status)
        if status == 429:
            return LLMFailed(f"rate limited by {where} (HTTP 429): {detail}",
                             kind="rate_limit", status=status)
        if status >= 500 or status in (408, 409):
            return LLMFailed(f"server error from {where} (HTTP {status}): {detail}",
                             kind="server", status=status)
        if "context" in (code + detail).lower() and "length" in (code + detail).lower():
            return LLMFailed(f"the prompt is too long for model '{model}' (HTTP {status})",
                             kind="context", status=status)
        return LLMFailed(f"{where} refused the request (HTTP {status}): {detail}",
                         kind="bad_request", status=status)
    return LLMFailed(f"LLM call failed: {_one_line(exc)}", kind="error")


def _retry_after_s(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if value := headers.get("retry-after-ms"):
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


# -- the client ----------------------------------------------------------------------------
class _Attempts:
    """Retry bookkeeping for one logical call: attempt count, backoff, total deadline."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.number = 0
        self.deadline = time.monotonic() + client.total_deadline_s
        self.last: LLMFailed | None = None

    def next_timeout(self) -> float:
        """Per-attempt timeout: llm_timeout_s, shortened to what is left of the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining < MIN_ATTEMPT_S and self.number:
            raise self._gave_up()
        self.number += 1
        self.client.stats.attempts += 1
        return max(MIN_ATTEMPT_S, min(self.client.timeout_s, remaining))

    def failed(self, exc: Exception) -> None:
        """Sleep before the next attempt, or raise LLMFailed if retrying is pointless."""
        c = self.client
        failure = explain_error(exc, model=c.model_name, base_url=c.base_url,
                                timeout_s=c.timeout_s)
        failure.attempts = self.number
        self.last = failure
        if failure.kind not in RETRYABLE_KINDS:
            raise failure from exc
        if self.number > c.max_retries:
            raise self._gave_up() from exc
        hint = _retry_after_s(exc)
        backoff = min(c.backoff_max_s, c.backoff_base_s * 2 ** (self.number - 1))
        delay = hint if hint is not None else backoff * (0.5 + c.rng.random() / 2)
        if time.monotonic() + delay + MIN_ATTEMPT_S > self.deadline:
            raise self._gave_up() from exc
        c.stats.retries += 1
        log.warning("LLM attempt %d failed (%s); retrying in %.2fs", self.number,
                    failure.reason, delay)
        c.sleep(delay)

    def _gave_up(self) -> LLMFailed:
        last = self.last or LLMFailed("no time left for the LLM call", kind="deadline")
        tries = "1 attempt" if self.number == 1 else f"{self.number} attempts"
        return LLMFailed(f"{last.reason} (gave up after {tries})", kind=last.kind,
                         status=last.status, attempts=self.number)

    def run(self, call: Callable[[float], T]) -> T:
        while True:
            timeout = self.next_timeout()
            try:
                return call(timeout)
            except openai.APIError as exc:
                self.failed(exc)


class LLMClient:
    """Chat with the configured LLM: `complete`, `stream`, `structured`.

    Keyword arguments override the settings (tests use small timeouts and backoff):
    `max_retries` (llm_max_retries), `timeout_s` (llm_timeout_s, per attempt),
    `total_deadline_s` (llm_total_deadline_s, whole call including retries and sleeps),
    `backoff_base_s`/`backoff_max_s`, `structured_method`, `structured_retries`, `cache`.
    `model` injects another LangChain chat model instead of building a ChatOpenAI.
    """

    def __init__(
        self,
        settings: Any,
        *,
        model: Any = None,
        cache: LLMCache | None = None,
        max_retries: int | None = None,
        timeout_s: float | None = None,
        total_deadline_s: float | None = None,
        backoff_base_s: float | None = None,
        backoff_max_s: float | None = None,
        structured_method: str | None = None,
        structured_retries: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        def pick(value: Any, name: str, default: Any) -> Any:
            if value is not None:
                return value
            configured = getattr(settings, name, None)
            return default if configured is None else configured

        self.settings = settings
        self.model_name: str = settings.llm_model
        self.base_url = base_url_for(settings)
        self.timeout_s = float(pick(timeout_s, "llm_timeout_s", 30.0))
        self.max_retries = int(pick(max_retries, "llm_max_retries", 3))
        self.total_deadline_s = float(pick(total_deadline_s, "llm_total_deadline_s",
                                           DEFAULT_TOTAL_DEADLINE_S))
        self.backoff_base_s = float(pick(backoff_base_s, "llm_backoff_base_s",
                                         DEFAULT_BACKOFF_BASE_S))
        self.backoff_max_s = float(pick(backoff_max_s, "llm_backoff_max_s",
                                        DEFAULT_BACKOFF_MAX_S))
        self.structured_method = pick(structured_method, "llm_structured_method", "json_schema")
        if self.structured_method not in STRUCTURED_METHODS:
            raise LLMConfigError(f"llm_structured_method must be one of "
                                 f"{', '.join(STRUCTURED_METHODS)}, got {self.structured_method!r}")
        self.structured_retries = int(pick(structured_retries, "llm_structured_retries",
                                           DEFAULT_STRUCTURED_RETRIES))
        self.cache = cache if cache is not None else LLMCache.from_settings(settings)
        self.prices = price_table(settings)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.stats = CallStats()
        self.last_result: LLMResult | None = None
        self._pass_timeout = model is None  # only our ChatOpenAI takes a per-call timeout
        # In replay mode no call is ever made, so a missing key must not stop it.
        self._model = model
        if model is None and self.cache.mode != "replay":
            self._model = build_chat_model(settings, timeout_s=self.timeout_s)

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = build_chat_model(self.settings, timeout_s=self.timeout_s)
        return self._model

    # -- plain replies ---------------------------------------------------------------------
    def complete(self, messages: Sequence[Any], *, max_tokens: int | None = None) -> LLMResult:
        """One reply. Retries transient failures; raises LLMFailed."""
        msgs = as_dicts(messages)
        key = self._key(msgs, {"kind": "chat", "max_tokens": max_tokens})
        if (replay := self._replay(key)) is not None:
            return replay
        attempts = _Attempts(self)
        extra = {"max_tokens": max_tokens} if max_tokens else {}
        reply = attempts.run(lambda t: self.model.invoke(msgs, **self._kwargs(t), **extra))
        return self._finish(key, msgs, str(reply.text), getattr(reply, "usage_metadata", None),
                            attempts.number)

    def stream(self, messages: Sequence[Any]) -> Iterator[str]:
        """Yield the reply's text as it arrives.

        Failures before the first token are retried like `complete`. Once text has been
        yielded a failure raises StreamBroken(partial_text); so does a stream that ends without
        the model's finish signal. After a full stream `last_result` holds usage and cost.
        """
        msgs = as_dicts(messages)
        key = self._key(msgs, {"kind": "chat", "max_tokens": None})
        if (replay := self._replay(key)) is not None:
            yield replay.text
            return
        attempts = _Attempts(self)
        while True:
            timeout = attempts.next_timeout()
            pieces: list[str] = []
            usage: Any = None
            finished = False
            try:
                for chunk in self.model.stream(msgs, **self._kwargs(timeout)):
                    if chunk.usage_metadata:
                        usage = chunk.usage_metadata
                    if chunk.response_metadata.get("finish_reason"):
                        finished = True
                    if text := str(chunk.text):
                        pieces.append(text)
                        yield text
            except openai.APIError as exc:
                if pieces:
                    failure = explain_error(exc, model=self.model_name, base_url=self.base_url,
                                            timeout_s=self.timeout_s)
                    raise StreamBroken("".join(pieces), "the reply stream broke after "
                                       f"{len(''.join(pieces))} characters: "
                                       f"{failure.reason}") from exc
                attempts.failed(exc)
                continue
            partial = "".join(pieces)
            if not finished:
                raise StreamBroken(partial, "the reply stream ended before the model finished "
                                   f"({len(partial)} characters received)")
            self._finish(key, msgs, partial, usage, attempts.number)
            return

    # -- structured output -----------------------------------------------------------------
    def structured(self, messages: Sequence[Any], schema: type[M]) -> M:
        """A validated `schema` instance. A reply that does not parse or validate is asked for
        again up to `structured_retries` times; then LLMFailed(kind="malformed")."""
        msgs = as_dicts(messages)
        method = self.structured_method
        if method == "json_mode":
            msgs = [{"role": "system", "content": "Reply with one JSON object only, matching "
                     f"this JSON schema: {json.dumps(schema.model_json_schema())}"}, *msgs]
        key = self._key(msgs, {"kind": "structured", "method": method,
                               "schema": schema.model_json_schema()})
        if (replay := self._replay(key)) is not None:
            return schema.model_validate_json(replay.text)
        attempts = _Attempts(self)
        problem = ""
        for _ in range(self.structured_retries + 1):
            def call(timeout: float) -> dict[str, Any]:
                runnable = self.model.with_structured_output(
                    schema, method=method, include_raw=True, **self._kwargs(timeout))
                return runnable.invoke(msgs)

            try:
                out = attempts.run(call)
            except ValueError as exc:  # json_schema parses inside the call: ValidationError
                problem = _one_line(exc, 120)
            except openai.OpenAIError as exc:  # e.g. LengthFinishReasonError (reply cut short)
                problem = _one_line(exc, 120)
            else:
                parsed = out.get("parsed")
                if isinstance(parsed, schema):
                    raw = out.get("raw")
                    self._finish(key, msgs, parsed.model_dump_json(),
                                 getattr(raw, "usage_metadata", None), attempts.number)
                    return parsed
                error = out.get("parsing_error")
                problem = _one_line(error, 120) if error else "no parsable JSON in the reply"
            self.stats.malformed += 1
            log.warning("malformed structured output for %s: %s", schema.__name__, problem)
        tries = self.structured_retries + 1
        raise LLMFailed(f"the model's reply did not match {schema.__name__} in {tries} "
                        f"tries: {problem}", kind="malformed", attempts=attempts.number)

    # -- internals -------------------------------------------------------------------------
    def _kwargs(self, timeout: float) -> dict[str, Any]:
        return {"timeout": timeout} if self._pass_timeout else {}

    def _key(self, msgs: list[Message], params: dict[str, Any]) -> str:
        temperature = getattr(self.settings, "llm_temperature", None)
        return cache_key(self.model_name, {**params, "temperature": temperature}, msgs)

    def _replay(self, key: str) -> LLMResult | None:
        cache = self.cache
        if not cache.reads:
            return None
        entry = cache.get(key)
        if entry is None:
            if cache.mode == "replay":
                raise LLMFailed(f"no recorded reply for this prompt in {cache.directory} "
                                "(llm_cache_mode=replay); record it first with mode record "
                                "or auto", kind="no_recording")
            return None
        u = entry.get("usage") or {}
        result = LLMResult(entry["text"], Usage(u.get("prompt_tokens", 0),
                                                u.get("completion_tokens", 0),
                                                u.get("estimated", False)),
                           CostEstimate(0.0, True), replayed=True, attempts=0)
        self.stats.calls += 1
        self.stats.replayed += 1
        self.last_result = result
        return result

    def _finish(self, key: str, msgs: list[Message], text: str, usage_metadata: Any,
                attempts: int) -> LLMResult:
        if usage_metadata:
            usage = Usage(int(usage_metadata.get("input_tokens", 0)),
                          int(usage_metadata.get("output_tokens", 0)))
        else:
            usage = Usage(count_message_tokens(msgs), count_tokens(text), estimated=True)
        cost = estimate_cost(self.model_name, usage.prompt_tokens, usage.completion_tokens,
                             self.prices)
        result = LLMResult(text, usage, cost, replayed=False, attempts=attempts)
        s = self.stats
        s.calls += 1
        s.prompt_tokens += usage.prompt_tokens
        s.completion_tokens += usage.completion_tokens
        s.cost_usd += cost.usd
        s.cost_known = s.cost_known and cost.known
        if self.cache.writes_enabled:
            self.cache.put(key, {"model": self.model_name, "text": text,
                                 "usage": usage.as_dict(), "messages": msgs})
        self.last_result = result
        return result
