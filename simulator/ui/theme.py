"""The app's light and dark colour themes, in one place, chosen to pass WCAG 2.1 AA.

Streamlit follows the browser's light/dark preference (and its settings menu) between
`[theme.light]` and `[theme.dark]`. It reads themes only from config, never from the script,
so these colours reach it twice: `.streamlit/config.toml` for `streamlit run` from a checkout
(tests/test_theme.py keeps the file equal to this module) and `--theme.*` flags from
`sdsim app`, which runs from an installed wheel in any directory. The charts and our CSS use
the same colours.

Both themes keep Streamlit's white text on primary buttons, so each primary colour is dark
enough for white text (4.5:1) and light enough to stand out from its page (3:1, graphics).
That leaves text drawn in the primary colour (a selected pill, the slider's value) under
4.5:1 in the dark theme: `css()` gives such text its own accent colour per theme.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Theme(BaseModel):
    """One theme: the Streamlit options we set, plus the accent for text in the primary role."""

    model_config = ConfigDict(frozen=True)

    background: str
    text: str
    primary: str
    code_text: str
    code_background: str
    #: Text that Streamlit draws in the primary colour (selected pills, slider values).
    accent_text: str
    #: Syntax-highlighting colour per token group of `CODE_TOKENS`.
    code_tokens: dict[str, str]

    def streamlit_options(self) -> dict[str, str]:
        """The options as `[theme.light]` / `[theme.dark]` keys of Streamlit's config."""
        return {"backgroundColor": self.background, "textColor": self.text,
                "primaryColor": self.primary, "codeTextColor": self.code_text,
                "codeBackgroundColor": self.code_background}


#: Streamlit highlights code blocks with one fixed palette for both themes (its blue keywords
#: are 3.8:1 on the light code background, its green strings 3.0:1; on the dark one the
#: blue is 4.0:1 and grey comments 4.2:1). These groups of Prism tokens get a colour per theme.
CODE_TOKENS: dict[str, tuple[str, ...]] = {
    "grey": ("comment", "prolog", "doctype", "cdata", "punctuation", "unchanged"),
    "blue": ("keyword", "tag", "function", "class-name", "selector"),
    "light-blue": ("attr-name", "property", "variable"),
    "green": ("string", "char", "attr-value", "boolean", "constant", "symbol", "inserted"),
    "blue-green": ("number", "regex"),
    "orange": ("operator", "entity", "decorator", "atrule"),
    "purple": ("url",),
    "red": ("important", "deleted"),
}


THEMES: dict[str, Theme] = {
    # Streamlit's light text (#31333F) faded to 60% for captions is 3.9:1 on white; this text
    # gives 5.1:1 faded. Its red primary (#FF4B4B) as selected-pill text is 4.47:1 on its tint.
    # With a custom primary Streamlit draws inline code in green (3.0:1): body text instead.
    "light": Theme(background="#FFFFFF", text="#0E1117", primary="#C0283A",
                   code_text="#0E1117", code_background="#F7F7F6", accent_text="#C0283A",
                   code_tokens={"grey": "#5E6170", "blue": "#1060B0", "light-blue": "#0B6794",
                                "green": "#177A3A", "blue-green": "#0B736C",
                                "orange": "#A44A0C", "purple": "#7A3DB8", "red": "#B3261E"}),
    # Streamlit's dark page, text and primary. The primary carries white button text (4.6:1)
    # and reads as a graphic on the page (3.9:1), but as text on a selected pill's tint it is
    # 3.6:1: accent text is a lighter red.
    "dark": Theme(background="#171614", text="#EDEBE8", primary="#CF4250",
                  code_text="#EDEBE8", code_background="#242321", accent_text="#F2919A",
                  code_tokens={"grey": "#A9A5A0", "blue": "#85B8F8", "light-blue": "#7CCBF5",
                               "green": "#7ED5B0", "blue-green": "#6CD3C8",
                               "orange": "#F2A56D", "purple": "#BF8EF7", "red": "#F2919A"}),
}


def streamlit_flags() -> list[str]:
    """`streamlit run` flags that set both themes (for `sdsim app`)."""
    return [f"--theme.{name}.{key}={value}" for name, theme in THEMES.items()
            for key, value in theme.streamlit_options().items()]


#: Where Streamlit draws text in the primary colour: a selected pill or segmented-control
#: option (on a 10% tint of the primary) and the slider's value above its thumb.
ACCENT_TEXT_SELECTORS = (
    "button[data-variant][data-selected]:not([data-disabled])",
    '[data-testid="stSliderThumbValue"]',
)


def css() -> str:
    """CSS giving primary-coloured text each theme's accent text colour, and code tokens
    each theme's highlighting colours.

    `light-dark()` follows the `color-scheme` Streamlit sets on `.stApp` for the theme in
    use, so the rule is right whichever theme the browser or the settings menu picked (the
    script cannot know that reliably before the page has rendered once).
    """
    light, dark = THEMES["light"], THEMES["dark"]
    rules = [(ACCENT_TEXT_SELECTORS, light.accent_text, dark.accent_text)]
    rules += [(tuple(f".stCode .token.{token}" for token in tokens),
               light.code_tokens[group], dark.code_tokens[group])
              for group, tokens in CODE_TOKENS.items()]
    return "".join(f"{', '.join(selectors)} {{\n  color: light-dark({a}, {b}) !important;\n}}\n"
                   for selectors, a, b in rules)
