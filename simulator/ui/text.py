"""Showing text a candidate typed or a model wrote, without letting it become markup.

Streamlit never renders raw HTML unless asked (`unsafe_allow_html`, which the app never
uses), but Markdown still turns `![x](http://...)` into a remote image, `[a](b)` into a
link and `$...$` into LaTeX. `plain()` backslash-escapes every Markdown punctuation mark so
the text shows exactly as written, line breaks and indentation included, and shows bidi
controls as their code points so "evil\u202Eexe.txt" is not displayed reversed
(`simulator.safe_text`, shared with the exports).
"""

from __future__ import annotations

import re

from simulator.safe_text import ECHO_CHARS, clip, markdown_literal, without_paths
from simulator.transcript import Citation

_LEADING_SPACES = re.compile(r"^( +)", re.MULTILINE)


def plain(text: str) -> str:
    """Markdown that renders as `text` verbatim: no links, images, HTML, maths or code."""
    escaped = markdown_literal(text or "")
    # Leading spaces would start a code block, where the escapes would show; keep them as
    # non-breaking spaces. A trailing double space makes each newline a hard line break.
    escaped = _LEADING_SPACES.sub(lambda m: "\u00a0" * len(m.group(1)), escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def error_text(exc: BaseException, limit: int = 300) -> str:
    """An error for the browser: one line, no absolute server path, no markup, and
    short: any one word over ``ECHO_CHARS`` (an echoed 5,000-character id) is cut to that,
    and the whole line to ``limit``."""
    words = without_paths(str(exc)).split()
    text = " ".join(clip(w) if len(w) > ECHO_CHARS else w for w in words)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return plain(text)


def clock(seconds: float) -> str:
    """`m:ss`, or `-m:ss` once a budget is overrun."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def sources(citations: list[Citation]) -> str:
    """Distinct source titles (with the section when known), in citation order."""
    seen: dict[str, None] = {}
    for c in citations:
        seen.setdefault(c.title + (f" › {c.heading}" if c.heading else ""), None)
    return "; ".join(seen)
