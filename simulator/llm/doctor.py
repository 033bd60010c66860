"""`sdsim doctor`: is the configured LLM backend usable, and if not, why (in one line)?

One tiny chat call, no retries, no cache. A failure is explained in terms of the setting to
change: no key, nothing listening at the URL, a URL that is not an OpenAI-style API, a model
the server does not serve, a rejected key, a server too slow to answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from simulator.llm.cache import LLMCache
from simulator.llm.client import PLACEHOLDER_KEY, LLMClient, base_url_for
from simulator.llm.errors import LLMConfigError, LLMFailed

DOCTOR_TIMEOUT_S = 15.0
PING = [{"role": "user", "content": "Reply with the single word: ok"}]


@dataclass(frozen=True)
class DoctorReport:
    ok: bool
    backend: str
    model: str
    latency_ms: float | None
    message: str
    base_url: str | None = None

    def __str__(self) -> str:
        where = f" at {self.base_url}" if self.base_url else ""
        took = f" in {self.latency_ms:.0f} ms" if self.latency_ms is not None else ""
        return (f"{'ok' if self.ok else 'FAILED'}: {self.backend} / {self.model}{where}{took}: "
                f"{self.message}")


def check_backend(settings: Any, *, timeout_s: float | None = None) -> DoctorReport:
    """Make one tiny call to the configured backend and report what happened."""
    backend, model = settings.llm_backend, settings.llm_model
    if backend == "offline":
        return DoctorReport(True, backend, model, None, "offline engine, no LLM needed")
    url = base_url_for(settings) or None

    def report(ok: bool, message: str, latency_ms: float | None = None) -> DoctorReport:
        return DoctorReport(ok, backend, model, latency_ms, message, url)

    timeout = timeout_s or min(settings.llm_timeout_s, DOCTOR_TIMEOUT_S)
    try:
        client = LLMClient(settings, cache=LLMCache(settings.data_dir, "off"), max_retries=0,
                           timeout_s=timeout, total_deadline_s=timeout + 1)
    except LLMConfigError as exc:
        return report(False, str(exc))
    started = time.monotonic()
    try:
        result = client.complete(PING, max_tokens=5)
    except LLMFailed as exc:
        elapsed_ms = (time.monotonic() - started) * 1000
        message = _explain_not_found(settings, timeout) if exc.kind == "not_found" else exc.reason
        return report(False, message.removesuffix(" (gave up after 1 attempt)"), elapsed_ms)
    elapsed_ms = (time.monotonic() - started) * 1000
    return report(True, f"the model answered {result.text.strip()[:40]!r} "
                  f"({result.usage.total_tokens} tokens)", elapsed_ms)


def _explain_not_found(settings: Any, timeout_s: float) -> str:
    """A 404 means a wrong model or a wrong URL; the model list tells which."""
    import openai

    url = base_url_for(settings)
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else PLACEHOLDER_KEY
    try:
        with openai.OpenAI(api_key=key, base_url=url, max_retries=0, timeout=timeout_s) as api:
            served = [m.id for m in api.models.list()]
    except openai.OpenAIError:
        return (f"{url} does not answer like an OpenAI API (HTTP 404); check "
                "SDSIM_LLM_BASE_URL (it usually ends in /v1)")
    if settings.llm_model not in served:
        listed = ", ".join(sorted(served)[:8]) or "none"
        return (f"model '{settings.llm_model}' is not served at {url} (HTTP 404); set "
                f"SDSIM_LLM_MODEL to one it serves: {listed}")
    return (f"the chat endpoint at {url} answered HTTP 404 for model '{settings.llm_model}'; "
            "check SDSIM_LLM_BASE_URL")
