"""Turn saved web pages into article text.

Users drop in pages saved from the web; those carry navigation, cookie banners, share bars,
footers and calls to action ("Create Resume", "Explore Cosmetic Hospitals") that would
otherwise be embedded and retrieved as if they were knowledge. HTML loses its structural
chrome by tag; both HTML and plain text then lose boilerplate lines by pattern.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose whole content is page chrome, not article text.
_DROP_TAGS = {
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
    "svg", "iframe", "template", "select", "menu", "dialog",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "br",
    "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption",
}
_CHROME_HINT = re.compile(
    r"\b(nav|menu|footer|header|sidebar|cookie|banner|share|social|newsletter|subscribe|"
    r"promo|advert|ad-|cta|breadcrumb|related|comments?|popup|modal)\b",
    re.IGNORECASE,
)
_VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col"}


class _ArticleExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self._skip_depth:
                self.parts.append("\n")
            return
        attr_text = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        drops = tag in _DROP_TAGS or bool(_CHROME_HINT.search(attr_text))
        self._stack.append((tag, drops))
        if drops:
            self._skip_depth += 1
            return
        if tag == "title":
            self._in_title = True
        if self._skip_depth:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        # Pop to the matching open tag; tolerate unclosed children as browsers do.
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                for _, drops in self._stack[i:]:
                    if drops:
                        self._skip_depth -= 1
                del self._stack[i:]
                break
        if not self._skip_depth and tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if not self._skip_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> tuple[str, str]:
    """Return (title, markdown-ish text) with page chrome removed."""
    parser = _ArticleExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = "\n".join(line.strip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return parser.title.strip(), strip_boilerplate(text)


# Lines that are calls to action, bylines, share bars or legal footers.
_BOILERPLATE_LINE = re.compile(
    r"^(?:"
    r"(?:create|build|download|explore|book|start|get|try|join|sign ?up|subscribe|register|"
    r"log ?in|contact|call|shop|buy|apply|claim|compare|find|discover|learn more|read more|"
    r"click|share|follow|tweet|like)\b.{0,80}"
    r"|.*\b(?:all rights reserved|cookie(?:s)? (?:policy|settings)|privacy policy|terms of "
    r"(?:use|service)|accept (?:all )?cookies|newsletter|subscribe to)\b.*"
    r"|(?:\|?\s*)?posted by .{0,80}"
    r"|(?:share|tags?|categories|filed under)\s*:.*"
    r"|(?:home|menu|search|technology|blog|next|previous|back to top)\s*"
    r"|\|\s*"
    r")$",
    re.IGNORECASE,
)


def _is_boilerplate(line: str) -> bool:
    stripped = line.strip().strip("|•*-–— ").strip()
    if not stripped:
        return bool(line.strip()) and not line.strip().startswith("---")  # a lone "|" or "•"
    if _BOILERPLATE_LINE.match(stripped):
        # A real sentence that merely starts with "Find" or "Start" is long and ends in a
        # full stop with several clauses; CTAs are short.
        return len(stripped.split()) <= 14 or not stripped.endswith(".")
    return False


def strip_boilerplate(text: str) -> str:
    """Drop call-to-action, byline and footer lines, and lines repeated verbatim.

    A line that occurs more than once in a page and is short is almost always a repeated
    banner ("Create Resume" above and below the fold); real prose rarely repeats.
    """
    lines = text.splitlines()
    counts: dict[str, int] = {}
    for line in lines:
        key = line.strip().lower()
        if key:
            counts[key] = counts.get(key, 0) + 1
    kept: list[str] = []
    seen_repeats: set[str] = set()
    for line in lines:
        key = line.strip().lower()
        if _is_boilerplate(line):
            continue
        if key and counts[key] > 1 and len(key.split()) <= 25 and not key.startswith("#"):
            if key in seen_repeats:
                continue
            seen_repeats.add(key)
            if len(key.split()) <= 12:  # short repeated banner: drop even the first copy
                continue
        kept.append(line)
    out = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", out).strip()
