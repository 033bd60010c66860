"""Record/replay cache for LLM calls: the same prompt to the same model gives the stored reply.

Why: evaluation runs and demos must be repeatable and free once recorded, and tests of the
layers above must not need a live model. One JSON file per call, named by the sha256 of
(model, params, messages), under `<data_dir>/llm-cache/<first two hex>/<key>.json`; plain
files diff well and can be shipped as fixtures.

Modes:
- off: never read nor write.
- record: always call the model and (over)write the entry.
- replay: only read; a missing entry is an error (no network call is ever made).
- auto: read when present, else call the model and write.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from simulator.llm.messages import as_dicts

CacheMode = Literal["off", "record", "replay", "auto"]
MODES: tuple[str, ...] = ("off", "record", "replay", "auto")


def cache_key(model: str, params: Mapping[str, Any], messages: Sequence[Any]) -> str:
    """sha256 over a canonical JSON of everything that changes the reply."""
    blob = json.dumps(
        {"model": model, "params": dict(params), "messages": as_dicts(messages)},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


class LLMCache:
    def __init__(self, directory: Path | str, mode: CacheMode = "auto") -> None:
        if mode not in MODES:
            raise ValueError(f"llm cache mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.directory = Path(directory)
        self.mode = mode
        self.hits = 0
        self.misses = 0
        self.writes = 0

    @classmethod
    def from_settings(cls, settings: Any, mode: CacheMode | None = None) -> LLMCache:
        """`llm_cache_mode` (default off) and `llm_cache_dir` (default data_dir/llm-cache)."""
        directory = getattr(settings, "llm_cache_dir", None) or Path(settings.data_dir) / "llm-cache"
        return cls(directory, mode or getattr(settings, "llm_cache_mode", None) or "off")

    @property
    def reads(self) -> bool:
        return self.mode in ("replay", "auto")

    @property
    def writes_enabled(self) -> bool:
        return self.mode in ("record", "auto")

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry, counting a hit or a miss; None when absent or unreadable."""
        try:
            entry = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: Mapping[str, Any]) -> Path:
        """Write atomically, so a crash never leaves half an entry to replay."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        record = {"key": key, "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  **entry}
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.writes += 1
        return target

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json")) if self.directory.is_dir() else 0

    @property
    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "writes": self.writes}
