"""The Chroma collection that holds corpus chunks: embedded on disk or a Chroma server.

`SDSIM_CHROMA_URL` selects client/server mode (`chroma run`); otherwise the store is a
persistent directory under the data dir. Embeddings are always computed by sdsim and passed
in, so Chroma never loads (or downloads) an embedding model of its own.
"""

from __future__ import annotations

import functools
from urllib.parse import urlparse

import chromadb
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from simulator.settings import Settings


class StoreError(RuntimeError):
    """The vector store cannot be reached or opened; the message says which and why."""


@functools.lru_cache(maxsize=8)
def _client(chroma_url: str | None, path: str) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        port = url.port or (443 if url.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(
                host=url.hostname, port=port, ssl=url.scheme == "https", settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types; all mean "unreachable"
            raise StoreError(f"cannot reach Chroma server at {chroma_url}: {exc}") from None
        return client
    return chromadb.PersistentClient(path=path, settings=chroma_settings)


def open_collection(settings: Settings) -> Collection:
    """The corpus collection (created on first use, cosine distance)."""
    if not settings.chroma_url:
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
    client = _client(settings.chroma_url, str(settings.chroma_path))
    try:
        return client.get_or_create_collection(
            settings.collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )
    except Exception as exc:  # noqa: BLE001 - any failure here is reported as the store's error
        where = settings.chroma_url or settings.chroma_path
        raise StoreError(f"cannot open collection {settings.collection!r} at {where}: {exc}")


def reset_clients() -> None:
    """Forget cached clients (tests that stop a server or delete a directory call this)."""
    _client.cache_clear()
