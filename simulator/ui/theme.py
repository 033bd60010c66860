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
    #: Text that Streamlit draws in the primary colour (selected pills, slider values).
    accent_text: str

    def streamlit_options(self) -> dict[str, str]:
        """The options as `[theme.light]` / `[theme.dark]` keys of Streamlit's config."""
        return {"backgroundColor": self.background, "textColor": self.text,
                "primaryColor": self.primary, "codeTextColor": self.code_text}


THEMES: dict[str, Theme] = {
    # Streamlit's light text (#31333F) faded to 60% for captions is 3.9:1 on white; this text
    # gives 5.1:1 faded. Its red primary (#FF4B4B) as selected-pill text is 4.47:1 on its tint.
    # With a custom primary Streamlit draws inline code in green (3.0:1): body text instead.
    "light": Theme(background="#FFFFFF", text="#0E1117", primary="#C0283A",
                   code_text="#0E1117", accent_text="#C0283A"),
    # Streamlit's dark page, text and primary. The primary carries white button text (4.6:1)
    # and reads as a graphic on the page (3.9:1), but as text on a selected pill's tint it is
    # 3.6:1: accent text is a lighter red.
    "dark": Theme(background="#171614", text="#EDEBE8", primary="#CF4250",
                  code_text="#EDEBE8", accent_text="#F2919A"),
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
    """CSS giving primary-coloured text each theme's accent text colour.

    `light-dark()` follows the `color-scheme` Streamlit sets on `.stApp` for the theme in
    use, so the rule is right whichever theme the browser or the settings menu picked (the
    script cannot know that reliably before the page has rendered once).
    """
    light, dark = THEMES["light"].accent_text, THEMES["dark"].accent_text
    return (f"{', '.join(ACCENT_TEXT_SELECTORS)} {{\n"
            f"  color: light-dark({light}, {dark}) !important;\n}}\n")
