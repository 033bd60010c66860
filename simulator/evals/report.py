"""A compare as one self-contained HTML file: readable offline, attachable to a review.

No scripts, fonts, images or stylesheets are fetched: the CSS is inline and every piece of
text from a run (case ids, candidate answers, check details) is HTML-escaped, because run
records contain text that candidates wrote.
"""

from __future__ import annotations

from html import escape

from simulator.evals.compare import Comparison
from simulator.evals.records import RunRecord

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2328;
max-width:70rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.up{color:#1a7f37}.down{color:#cf222e}.bad{background:#ffebe9}.good{background:#dafbe1}
.muted{color:#656d76}.warn{background:#fff8c5;padding:.4rem .6rem;border-radius:4px}
code{font-size:.85rem}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float | None, std: float = 0.0) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" + (f" ± {std:.3f}" if std else "")


def _runs_table(a: RunRecord, b: RunRecord) -> str:
    rows = [
        ("run", a.id, b.id),
        ("created", a.created_at, b.created_at),
        ("prompt set", f"{a.prompt_set_hash} ({a.prompts_dir})", f"{b.prompt_set_hash} ({b.prompts_dir})"),
        ("backend / model", f"{a.backend} / {a.model or '-'}", f"{b.backend} / {b.model or '-'}"),
        ("repeats", a.repeat, b.repeat),
        ("LLM calls (replayed)", f"{a.usage.llm_calls} ({a.usage.replayed})",
         f"{b.usage.llm_calls} ({b.usage.replayed})"),
        ("tokens", a.usage.prompt_tokens + a.usage.completion_tokens,
         b.usage.prompt_tokens + b.usage.completion_tokens),
        ("cost (USD)", f"{a.usage.cost_usd:.4f}", f"{b.usage.cost_usd:.4f}"),
        ("case time (s)", f"{a.usage.latency_s:.2f}", f"{b.usage.latency_s:.2f}"),
    ]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(x)}</td><td>{_e(y)}</td></tr>" for k, x, y in rows)
    return f"<table><tr><th></th><th>A</th><th>B</th></tr>{body}</table>"


def _metrics_table(c: Comparison) -> str:
    regressed = {r.metric: r.reason for r in c.regressions}
    rows = []
    for m in c.metrics:
        delta = m.delta
        cls = "" if not delta else ("up" if delta > 0 else "down")
        shown = "-" if delta is None else f"{delta:+.4f}"
        row_cls = ' class="bad"' if m.metric in regressed else ""
        note = _e(regressed.get(m.metric, ""))
        rows.append(
            f"<tr{row_cls}><td><code>{_e(m.metric)}</code></td><td class=num>{_num(m.a, m.a_std)}</td>"
            f"<td class=num>{_num(m.b, m.b_std)}</td><td class='num {cls}'>{shown}</td>"
            f"<td>{note}</td></tr>"
        )
    return ("<table><tr><th>metric</th><th>A</th><th>B</th><th>delta</th><th>gate</th></tr>"
            + "".join(rows) + "</table>")


def _flips_table(c: Comparison) -> str:
    if not c.flips:
        return "<p class=muted>No case changed its result.</p>"
    rows = []
    for f in c.flips:
        cls = {"broke": "bad", "fixed": "good"}.get(f.kind, "")
        rows.append(
            f"<tr class='{cls}'><td>{_e(f.kind)}</td><td>{_e(f.suite)}</td>"
            f"<td><code>{_e(f.case_id)}</code></td><td>{_e(f.a)}</td><td>{_e(f.b)}</td>"
            f"<td>{_e(f.about)}</td></tr>"
        )
    return ("<table><tr><th>flip</th><th>suite</th><th>case</th><th>A</th><th>B</th>"
            "<th>about</th></tr>" + "".join(rows) + "</table>")


def render_html(c: Comparison, a: RunRecord, b: RunRecord) -> str:
    verdict = ""
    if c.gated:
        if c.regressions:
            names = ", ".join(r.metric for r in c.regressions)
            verdict = f"<p class=warn><strong>Regressed:</strong> {_e(names)}</p>"
        else:
            verdict = "<p class=good>No metric regressed beyond its threshold.</p>"
    warnings = "".join(f"<p class=warn>{_e(w)}</p>" for w in c.warnings)
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>sdsim eval compare: {_e(c.a_id)} vs {_e(c.b_id)}</title>"
        f"<style>{CSS}</style></head><body>"
        f"<h1>sdsim eval compare</h1>{verdict}{warnings}"
        f"<h2>Runs</h2>{_runs_table(a, b)}"
        f"<h2>Metrics</h2>{_metrics_table(c)}"
        f"<h2>Flipped cases ({len(c.flips)})</h2>{_flips_table(c)}"
        "</body></html>\n"
    )
