"""The published JSON Schema of the JSON export, generated from the pydantic model.

``schemas/question_bank.schema.json`` is checked in so that consumers (another team's
tooling, a spreadsheet import script) can validate a bank without Python. It is generated
from :class:`QuestionBank`, never edited by hand; a test fails when the two drift apart.
Regenerate with ``python -m simulator.questions.schema``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.questions.models import QuestionBank

__all__ = ["SCHEMA_PATH", "bank_json_schema", "write_schema"]

SCHEMA_PATH = Path(__file__).resolve().parent / "question_bank.schema.json"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def bank_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a bank as :func:`render` writes it in JSON."""
    schema = QuestionBank.model_json_schema(mode="serialization")
    return {"$schema": _DIALECT, **schema}


def schema_text() -> str:
    return json.dumps(bank_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(f"wrote {write_schema()}")
