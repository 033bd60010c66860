"""Chat messages as plain `{"role", "content"}` dicts, the one shape the LLM layer passes around.

Plain dicts are what LangChain chat models accept as input, what the OpenAI API speaks, what
hashes stably for the replay cache and what the session store can save as JSON. LangChain
message objects and `(role, content)` tuples are accepted at the edges and converted here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Message = dict[str, str]

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool",
          "user": "user", "assistant": "assistant", "developer": "developer"}


def as_dicts(messages: Iterable[Any]) -> list[Message]:
    """Normalise dicts, `(role, content)` tuples and LangChain messages to plain dicts."""
    out: list[Message] = []
    for message in messages:
        if isinstance(message, Mapping):
            role, content = message.get("role", "user"), message.get("content", "")
        elif isinstance(message, tuple) and len(message) == 2:
            role, content = message
        elif hasattr(message, "type") and hasattr(message, "content"):
            role, content = message.type, message.content
        else:
            raise TypeError(f"not a chat message: {message!r}")
        if not isinstance(content, str):  # content blocks: keep the text parts
            content = "".join(
                block.get("text", "") if isinstance(block, Mapping) else str(block)
                for block in content
            )
        out.append({"role": _ROLES.get(str(role), str(role)), "content": content})
    return out
