"""A prompt set: the built-in content shipped in the package, optionally overlaid by a user's.

The built-in problems, rubric, interviewer templates, LLM prompts, modifiers and corpus live
inside the package (`simulator/content/prompts`, `simulator/content/corpus`) and are found with
`importlib.resources`, so a wheel installed anywhere carries them. A user's directory with the
same layout is laid over them: a file at the same relative path replaces the built-in one, a new
file (another problem, another article) adds to it. The hash covers the merged files, so two
sessions or eval runs with the same hash used the same prompts.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

#: The built-in prompt set and corpus, inside the installed package.
BUILTIN_PROMPTS = Path(str(files("simulator.content") / "prompts"))
BUILTIN_CORPUS = Path(str(files("simulator.content") / "corpus"))


def _tree(root: Path) -> dict[str, Path]:
    """Regular files under ``root`` by relative POSIX path, hidden files and caches skipped."""
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            out[rel.as_posix()] = path
    return out


def layered_files(builtin: Path, overlay: Path | None) -> dict[str, Path]:
    """The built-in tree with ``overlay``'s files replacing or adding to it."""
    merged = _tree(builtin)
    if overlay is not None:
        merged.update(_tree(overlay))
    return dict(sorted(merged.items()))


class PromptSetError(ValueError):
    """A configured prompt-set directory cannot be used; the message names it."""


class PromptSet:
    """The files of one prompt set: built-in, with an optional overlay directory."""

    def __init__(self, overlay: Path | str | None = None) -> None:
        self.overlay = Path(overlay).expanduser().resolve() if overlay else None
        if self.overlay is not None and not self.overlay.is_dir():
            raise PromptSetError(f"prompt set directory not found: {self.overlay}")
        self.files = layered_files(BUILTIN_PROMPTS, self.overlay)

    @property
    def label(self) -> str:
        """How the set is named to people: never an absolute path of the server."""
        return "built-in" if self.overlay is None else f"built-in + {self.overlay.name}"

    def path(self, relative: str) -> Path:
        """The file that answers for ``relative`` (overlay first); raises when neither has it."""
        try:
            return self.files[relative]
        except KeyError:
            raise PromptSetError(f"prompt set {self.label}: {relative}: file not found") from None

    def under(self, folder: str, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[Path]:
        """Files directly in ``folder`` with one of ``suffixes``, sorted by name."""
        prefix = folder.rstrip("/") + "/"
        return [p for rel, p in self.files.items()
                if rel.startswith(prefix) and "/" not in rel[len(prefix):]
                and p.suffix in suffixes]

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """Changes whenever a file is edited, added or removed (for caches)."""
        return tuple((rel, p.stat().st_mtime_ns, p.stat().st_size) for rel, p in self.files.items())

    def hash(self) -> str:
        return _hash(self.files)


def _hash(tree: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for rel, path in tree.items():
        digest.update(rel.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def prompt_set_hash(overlay: Path | str | None = None) -> str:
    """The hash of the built-in prompt set laid under ``overlay``."""
    return PromptSet(overlay).hash()


def corpus_files(overlay: Path | str | None = None) -> dict[str, Path]:
    """The articles to ingest by source id: built-in, replaced or extended by ``overlay``."""
    extra = Path(overlay).expanduser().resolve() if overlay else None
    if extra is not None and not extra.is_dir():
        raise PromptSetError(f"corpus directory not found: {extra}")
    return layered_files(BUILTIN_CORPUS, extra)
