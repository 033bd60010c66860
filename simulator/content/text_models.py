"""The learned readers' weights, shipped as data in `simulator/content/models/`.

They are fitted by `simulator.evals.train_text_model` from the labelled turns and read here
once per process; the readers in `simulator.reading` only see the parsed `TextModel`. A missing
or unreadable file is an installation fault, reported with the path rather than silently
turning the learned reader off.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import ValidationError

from simulator.reading.text_model import TextModel

MODELS_DIR = Path(__file__).parent / "models"


class ModelFileError(RuntimeError):
    """A weights file is missing or malformed."""


@functools.lru_cache(maxsize=4)
def load_text_model(name: str) -> TextModel:
    """The model in ``models/<name>.json``."""
    path = MODELS_DIR / f"{name}.json"
    try:
        return TextModel.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise ModelFileError(f"{path}: cannot load the learned reader ({exc.__class__.__name__}); "
                             "rebuild it with `python -m simulator.evals.train_text_model`") from exc
