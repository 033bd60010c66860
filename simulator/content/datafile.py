"""Reading the YAML data files under `prompts/` (problems, rubric, interviewer prompts).

All of them are edited by hand, so all of them are read the same strict way: a duplicate
key is an error instead of silently keeping the last value, and a syntax or schema error
is one line naming the file, the line or field, and what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

# libyaml's parser when PyYAML was built with it: the claims library alone is ~20k lines, and
# the pure-Python parser took seconds of every server start reading it.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_SAFE_LOADER):  # type: ignore[misc,valid-type]
    """SafeLoader that rejects duplicate mapping keys instead of keeping the last."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    keys: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            continue  # construct_mapping below reports "found unhashable key" with its mark
        if key in keys:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark
            )
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_mapping(raw: str | bytes, path: Path, error: type[Exception],
                  what: str = "a mapping") -> dict[str, Any]:
    """The YAML document in `raw` as a dict; raises `error` with a one-line message."""
    try:
        data = yaml.load(raw, Loader=UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(" ".join(f"{path}{where}: invalid YAML: {problem}".split())) from None
    if not isinstance(data, dict):
        raise error(f"{path}: top level must be {what}")
    return data


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_message(path: Path, exc: ValidationError) -> str:
    """`path: field.path: what is wrong (and N more errors)`, on one line."""
    errors = exc.errors(include_url=False)
    # A misspelt key also makes the intended key "missing"; name the typo, the root cause.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    msg = str(first["msg"]).removeprefix("Value error, ")
    raw_loc = tuple(first["loc"])
    if raw_loc and raw_loc[-1] == "[key]":  # the mapping key itself is invalid
        raw_loc, msg = raw_loc[:-1], f"invalid key: {msg}"
    loc = _format_loc(raw_loc)
    head = f"{path}: {loc}: {msg}" if loc else f"{path}: {msg}"
    if first["type"] == "extra_forbidden":
        head = f"{path}: {loc}: unknown key (not in schema)"
    more = len(errors) - 1
    if more:
        head += f" (and {more} more error{'s' if more > 1 else ''})"
    return " ".join(head.split())
