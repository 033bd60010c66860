"""Reading hand-edited JSONL data sets (the grading dev set, the eval suites' data).

A bad line must fail before anything runs, with the file and the line number in a one-line
message (``grading_dev.jsonl:17: gold: ...``); ids must be unique. The grader, the eval
suites and the benchmarks all read their data through `load_jsonl`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class JsonlError(ValueError):
    """A data file or line that cannot be used; the message names the file and line."""


def first_error(exc: ValidationError) -> str:
    """`field: message` of the first validation error."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field (not in the schema)"
    return f"{where}: {msg}" if where else msg


def load_jsonl(
    path: Path | str,
    model: type[M],
    check: Callable[[M], None] | None = None,
    error: type[ValueError] = JsonlError,
) -> list[M]:
    """Every non-blank line of ``path`` as a ``model``; ids (when the model has them) unique.

    ``check`` may raise ValueError for a line that validates but cannot be used (an unknown
    problem id); it is reported with the line like a schema error. Raises ``error``.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise error(f"{path}: dataset file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    items: list[M] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = model.model_validate(json.loads(line))
            if check is not None:
                check(item)
        except json.JSONDecodeError as exc:
            raise error(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        except ValidationError as exc:
            raise error(f"{path}:{number}: {first_error(exc)}") from None
        except ValueError as exc:
            raise error(f"{path}:{number}: {str(exc).splitlines()[0]}") from None
        item_id = getattr(item, "id", None)
        if item_id is not None:
            if item_id in seen:
                raise error(
                    f"{path}:{number}: id: duplicate id {item_id!r} (also on line {seen[item_id]})"
                )
            seen[item_id] = number
        items.append(item)
    if not items:
        raise error(f"{path}: dataset has no cases")
    return items
