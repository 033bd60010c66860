"""Text a candidate typed (or a model wrote), made safe to show or export as the literal words.

Two dangers, one place for both, used by the exports (`simulator.store.export`, the
scorecard report) and the browser (`simulator.ui.text.plain`):

- Bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C) reorder what follows
  them: "evil\\u202Eexe.txt" shows as "evil" + "txt.exe" reversed. `visible()` replaces each
  with its code point in brackets, so the reader sees the text in stored order and sees that
  something was there.
- Markdown turns `![x](http://...)` into a remote image, `[a](javascript:...)` into a link,
  `<img onerror=...>` into HTML and `$x$` into maths. `markdown_literal()` backslash-escapes
  every ASCII punctuation mark CommonMark lets one escape, so the text renders verbatim.
"""

from __future__ import annotations

import re

#: Characters that change the display order of the text around them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that mean
# something to Markdown or to Streamlit's extensions (`:red[...]`, `$x$`, `~~`).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def visible(text: str) -> str:
    """``text`` with each bidi control shown as ``[U+202E]`` instead of acting on the text."""
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text or "")


# For files people also read raw: only what can start markup inside a line (links, images,
# HTML, entities, code, emphasis, strike-through, maths, tables) ...
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~$|&])")
# ... and what starts a block at the beginning of a line (heading, quote, list, rule).
_BLOCK_START = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
_ORDERED_ITEM = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def markdown_text(text: str) -> str:
    """Like :func:`markdown_literal`, for exported files that are also read as plain text:
    escapes only what would start markup, so ``gpt-4o (mini).`` stays as written. Leading
    indentation is dropped (it would start a code block, where escapes show)."""
    lines = [line.strip() for line in visible(text).splitlines()]
    escaped = _INLINE_SPECIAL.sub(r"\\\1", "\n".join(lines))
    escaped = _BLOCK_START.sub(r"\1\\\2", escaped)
    return _ORDERED_ITEM.sub(r"\1\\\2", escaped)


def markdown_literal(text: str) -> str:
    """One line or paragraph of Markdown that renders as ``text`` verbatim (bidi made
    visible): no link, image, HTML, emphasis, heading, list or maths survives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


#: The most characters of an id or name a message repeats back: a 5,000-character
#: ``?session=`` must not fill the page.
ECHO_CHARS = 40
# An absolute POSIX path, or a Windows drive path, up to whitespace or a closing quote.
_ABSOLUTE_PATH = re.compile(r"""(?<![\w:/])(?:/|[A-Za-z]:\\)[^\s'"`]*""")


def clip(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for echoing ids and names."""
    text = visible(str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def without_paths(message: str) -> str:
    """``message`` with each absolute path replaced by its last part: errors shown to a
    browser say what happened without telling the visitor how the server is laid out."""
    def last_part(m: re.Match) -> str:
        parts = [p for p in re.split(r"[\\/]", m.group()) if p]
        return parts[-1] if parts else m.group()

    return _ABSOLUTE_PATH.sub(last_part, message)
