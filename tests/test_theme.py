"""The light and dark themes: WCAG 2.1 AA contrast of every pairing our pages show, and the
same colours in `.streamlit/config.toml` and in the flags `sdsim app` hands to Streamlit.
The browser page tour (tests/test_ui_pages.py) checks the rendered pages with axe-core."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from simulator.ui.charts import contrast_ratio
from simulator.ui.theme import CODE_TOKENS, THEMES, css, streamlit_flags

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def over(colour: str, background: str, alpha: float) -> str:
    """`colour` at opacity `alpha` drawn on `background` (how the browser composites it)."""
    fg, bg = (bytes.fromhex(c.lstrip("#")) for c in (colour, background))
    return "#" + "".join(f"{round(alpha * f + (1 - alpha) * b):02X}" for f, b in zip(fg, bg,
                                                                                  strict=True))


def test_config_toml_holds_the_themes_of_theme_py():
    config = tomllib.loads(CONFIG.read_text())["theme"]
    assert set(config) == set(THEMES)
    for name, theme in THEMES.items():
        assert config[name] == theme.streamlit_options(), name


def test_streamlit_takes_the_theme_flags_sdsim_app_passes(tmp_path):
    """`streamlit config show` in a directory without config.toml: the flags alone set both
    themes (an unknown or misspelt option would be refused or left out)."""
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show",
                            *streamlit_flags()], cwd=tmp_path, capture_output=True,
                           text=True, check=True, timeout=120).stdout
    set_options: dict[str, dict[str, object]] = {}
    section = ""
    for line in (raw.strip() for raw in shown.splitlines()):  # indented TOML-like text
        if line.startswith("["):
            section = line.strip("[]")
        elif option := re.fullmatch(r"(\w+) = (.+)", line):  # set, not commented out
            set_options.setdefault(section, {}).update(tomllib.loads(option[0]))
    for name, theme in THEMES.items():
        assert set_options[f"theme.{name}"] == theme.streamlit_options(), name


@pytest.mark.parametrize("name", list(THEMES))
def test_every_colour_pairing_passes_wcag_aa(name):
    theme = THEMES[name]
    page = theme.background
    assert contrast_ratio(theme.text, page) >= 4.5
    # Captions and help text are the text colour at 60% opacity.
    assert contrast_ratio(over(theme.text, page, 0.6), page) >= 4.5
    for ground in (page, theme.code_background):  # inline code and code blocks
        assert contrast_ratio(theme.code_text, ground) >= 4.5
        for group, colour in theme.code_tokens.items():
            assert contrast_ratio(colour, ground) >= 4.5, (group, colour, ground)
    # Streamlit writes primary buttons in white; sliders, radios, checkboxes and the border
    # of a selected pill are the primary colour on the page (graphics: 3:1).
    assert contrast_ratio("#FFFFFF", theme.primary) >= 4.5
    assert contrast_ratio(theme.primary, page) >= 3.0
    # A selected pill is a 10% tint of the primary; its text and the slider value are accent.
    tint = over(theme.primary, page, 0.1)
    assert contrast_ratio(theme.accent_text, tint) >= 4.5
    assert contrast_ratio(theme.accent_text, page) >= 4.5


def test_the_dark_primary_as_text_fails_which_is_why_there_is_an_accent_colour():
    """axe-core measured a selected pill in the dark theme as #cf4250 on #291a1a, 3.61:1;
    no primary passes both this and white button text (4.5:1 each)."""
    dark = THEMES["dark"]
    tint = over(dark.primary, dark.background, 0.1)
    assert tint == "#291A1A"
    assert contrast_ratio(dark.primary, tint) == pytest.approx(3.61, abs=0.01)
    assert dark.accent_text != dark.primary


def test_css_colours_every_code_token_group_and_the_accent_per_theme():
    rules = css()
    light, dark = THEMES["light"], THEMES["dark"]
    assert f"light-dark({light.accent_text}, {dark.accent_text})" in rules
    for group, tokens in CODE_TOKENS.items():
        assert set(light.code_tokens) == set(dark.code_tokens) == set(CODE_TOKENS)
        rule = next(r for r in rules.split("}") if f".token.{tokens[0]}," in r
                    or f".token.{tokens[0]} " in r)
        assert f"light-dark({light.code_tokens[group]}, {dark.code_tokens[group]})" in rule
