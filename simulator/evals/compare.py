"""Compare two run records: metric deltas and the cases whose result flipped.

A metric delta says *whether* a prompt change helped; the flipped cases say *where*, which
is what a reviewer reads next. A case flips when its outcome differs between the runs (a
different predicted score, a probe asked or not, a check that now fails); ``broke`` and
``fixed`` say whether it went from passing to failing or back.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from simulator.evals.records import CaseResult, RunRecord
from simulator.evals.thresholds import Regression, Thresholds, check_drops, check_floors

#: Flipped cases listed per suite in the table (the HTML report lists them all).
TABLE_FLIPS = 25


class MetricDelta(BaseModel):
    metric: str  # suite.metric
    a: float | None
    b: float | None
    a_std: float = 0.0
    b_std: float = 0.0

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else round(self.b - self.a, 6)


class Flip(BaseModel):
    suite: str
    case_id: str
    a: str
    b: str
    kind: Literal["broke", "fixed", "changed"]
    about: str = ""  # what the case is, and for a broken one why it fails


class Comparison(BaseModel):
    a_id: str
    b_id: str
    metrics: list[MetricDelta]
    flips: list[Flip]
    warnings: list[str] = Field(default_factory=list)
    regressions: list[Regression] = Field(default_factory=list)
    gated: bool = False


def case_detail(suite: str, case: CaseResult | None) -> str:
    """A short line saying what the case is about, from its recorded output."""
    if case is None:
        return ""
    out = case.output
    if suite == "grading":
        return f"{out.get('problem')}/{out.get('phase')}, gold {out.get('gold')}"
    if suite == "probes":
        return "should probe" if out.get("should_probe") else "should not probe"
    if suite == "interviewer":
        failed = [f"{n}: {c['detail']}" for n, c in out.get("checks", {}).items() if not c["passed"]]
        return "; ".join(failed) or "all checks pass"
    if suite == "retrieval":
        return f"{out.get('query')} (relevant: {', '.join(out.get('relevant', []))})"
    return ""


def compare_runs(a: RunRecord, b: RunRecord) -> Comparison:
    warnings = []
    shared = [s for s in a.suites if s in b.suites]
    if not shared:
        warnings.append("the runs share no suite")
    for name in shared:
        if a.suites[name].dataset_hash != b.suites[name].dataset_hash:
            warnings.append(f"{name}: the runs used different datasets; flips may be misleading")
    if (a.backend, a.model) != (b.backend, b.model):
        warnings.append(f"backends differ: {a.backend}/{a.model} vs {b.backend}/{b.model}")
    if a.prompt_set_hash == b.prompt_set_hash:
        warnings.append("both runs used the same prompt set")

    va, vb = a.metric_values(), b.metric_values()
    sa, sb = a.metric_std(), b.metric_std()
    keys = list(dict.fromkeys([*va, *vb]))
    metrics = [MetricDelta(metric=k, a=va.get(k), b=vb.get(k), a_std=sa.get(k, 0.0),
                           b_std=sb.get(k, 0.0)) for k in keys]

    flips = []
    for name in shared:
        before = {c.id: c for c in a.suites[name].cases}
        for case in b.suites[name].cases:
            old = before.get(case.id)
            if old is None or old.outcome == case.outcome:
                continue
            kind = "broke" if old.passed and not case.passed else \
                "fixed" if case.passed and not old.passed else "changed"
            about = case_detail(name, old if kind == "fixed" else case)
            flips.append(Flip(suite=name, case_id=case.id, a=old.outcome, b=case.outcome,
                              kind=kind, about=about))
    return Comparison(a_id=a.id, b_id=b.id, metrics=metrics, flips=flips, warnings=warnings)


def gate(comparison: Comparison, a: RunRecord, b: RunRecord, thresholds: Thresholds) -> Comparison:
    """Fill ``regressions``: drops of B against A beyond the allowed, and B under a floor."""
    regressions = check_drops(a.metric_values(), b.metric_values(), thresholds)
    flagged = {r.metric for r in regressions}
    regressions += [r for r in check_floors(b.metric_values(), thresholds) if r.metric not in flagged]
    comparison.regressions = regressions
    comparison.gated = True
    return comparison


def _fmt(value: float | None, std: float = 0.0) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" + (f"±{std:.3f}" if std else "")


def format_table(c: Comparison) -> str:
    """The plain-text report `sdsim eval compare` prints."""
    width = max([len(m.metric) for m in c.metrics] + [6])
    lines = [f"A: {c.a_id}", f"B: {c.b_id}", ""]
    lines.append(f"{'metric':<{width}}  {'A':>14}  {'B':>14}  {'delta':>8}")
    regressed = {r.metric for r in c.regressions}
    for m in c.metrics:
        delta = m.delta
        shown = "-" if delta is None else f"{delta:+.4f}"
        mark = "  REGRESSED" if m.metric in regressed else ""
        lines.append(f"{m.metric:<{width}}  {_fmt(m.a, m.a_std):>14}  {_fmt(m.b, m.b_std):>14}  "
                     f"{shown:>8}{mark}")
    lines.append("")
    if not c.flips:
        lines.append("no case changed its result")
    else:
        broke = sum(f.kind == "broke" for f in c.flips)
        fixed = sum(f.kind == "fixed" for f in c.flips)
        lines.append(f"{len(c.flips)} case(s) flipped: {broke} broke, {fixed} fixed, "
                     f"{len(c.flips) - broke - fixed} changed")
        for suite in dict.fromkeys(f.suite for f in c.flips):
            rows = [f for f in c.flips if f.suite == suite]
            for f in rows[:TABLE_FLIPS]:
                about = f"  ({f.about})" if f.about else ""
                lines.append(f"  {f.kind:7} {suite}/{f.case_id}: {f.a}  ->  {f.b}{about}")
            if len(rows) > TABLE_FLIPS:
                lines.append(f"  ... and {len(rows) - TABLE_FLIPS} more in {suite}")
    for w in c.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)
