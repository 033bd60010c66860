"""One hash for the whole prompt set, recorded with every session and eval run.

Any edit under `prompts/` (interviewer templates, LLM prompts, rubric, problem catalog)
changes it, so two runs with the same hash used the same prompts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def prompt_set_hash(prompts_dir: Path | str) -> str:
    digest = hashlib.sha256()
    root = Path(prompts_dir)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
