"""The regression gate: how far a metric may drop against a baseline, and absolute floors.

Kept in a file (`evals/thresholds.yaml` by default, YAML or TOML) so that loosening a gate
is a reviewed change, not a command-line flag in a CI script. Keys are ``suite.metric``
and may use shell wildcards (``interviewer.*``); a key that matches no metric any suite
declares is an error, so a typo cannot silently switch a gate off.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"
#: Differences smaller than this are float noise, never a regression.
EPSILON = 1e-9


class ThresholdsError(ValueError):
    """The thresholds file is missing or invalid; the message names it."""


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    default_max_drop: float = Field(default=0.0, ge=0)
    max_drop: dict[str, float] = Field(default_factory=dict)
    min: dict[str, float] = Field(default_factory=dict)

    def allowed_drop(self, key: str) -> float:
        if key in self.max_drop:
            return self.max_drop[key]
        for pattern, value in self.max_drop.items():
            if fnmatch.fnmatchcase(key, pattern):
                return value
        return self.default_max_drop

    def floor(self, key: str) -> float | None:
        if key in self.min:
            return self.min[key]
        for pattern, value in self.min.items():
            if fnmatch.fnmatchcase(key, pattern):
                return value
        return None


class Regression(BaseModel):
    """One metric that failed the gate, and why."""

    metric: str
    value: float
    reason: str


def known_metrics() -> list[str]:
    from simulator.evals.runner import SUITES

    return [f"{name}.{m.name}" for name, suite in SUITES.items() for m in suite.metrics]


def load_thresholds(path: Path | str | None = None) -> Thresholds:
    path = Path(path) if path is not None else DEFAULT_THRESHOLDS
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ThresholdsError(f"{path}: thresholds file not found") from None
    except OSError as exc:
        raise ThresholdsError(f"{path}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(raw) if path.suffix == ".toml" else yaml.safe_load(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0]
        raise ThresholdsError(f"{path}: invalid {path.suffix.lstrip('.') or 'YAML'}: {first}") from None
    try:
        thresholds = Thresholds.model_validate(data or {})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ThresholdsError(f"{path}: {where}: {err['msg']}") from None
    known = known_metrics()
    for section in ("max_drop", "min"):
        for key in getattr(thresholds, section):
            if not any(fnmatch.fnmatchcase(k, key) for k in known):
                raise ThresholdsError(
                    f"{path}: {section}.{key}: matches no metric; metrics: {', '.join(known)}"
                )
    return thresholds


def check_floors(values: dict[str, float], thresholds: Thresholds) -> list[Regression]:
    """Metrics below their absolute floor."""
    out = []
    for key, value in sorted(values.items()):
        floor = thresholds.floor(key)
        if floor is not None and value < floor - EPSILON:
            out.append(Regression(metric=key, value=value, reason=f"{value:.4f} < floor {floor:g}"))
    return out


def check_drops(
    baseline: dict[str, float], candidate: dict[str, float], thresholds: Thresholds
) -> list[Regression]:
    """Metrics (present in both runs) that dropped by more than they are allowed to."""
    out = []
    for key in sorted(set(baseline) & set(candidate)):
        drop = baseline[key] - candidate[key]
        allowed = thresholds.allowed_drop(key)
        if drop > allowed + EPSILON:
            out.append(Regression(
                metric=key, value=candidate[key],
                reason=f"{baseline[key]:.4f} -> {candidate[key]:.4f} (dropped {drop:.4f}, "
                       f"allowed {allowed:g})",
            ))
    return out
