"""Score charts for the Scorecard and History pages, readable by everyone.

Scores are drawn on a fixed 1-4 axis (the rubric's range), so two charts always compare and a
run of low scores never auto-scales into looking strong. Every bar and point carries its value
as text. Colours meet WCAG 2.1 non-text contrast (3:1) against both Streamlit themes'
backgrounds, and text meets 4.5:1 against the theme in use. Lines of equal scores stay apart:
each series has its own marker shape, dash pattern and a small sideways offset.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulator.ui.theme import THEMES

SCORE_MIN, SCORE_MAX = 1, 4
SCORE_TITLE = "score (1-4)"

#: The app's page backgrounds (light and dark theme, `theme.py`).
BACKGROUNDS = {name: theme.background for name, theme in THEMES.items()}
#: Text colour per theme.
TEXT = {name: theme.text for name, theme in THEMES.items()}
#: Series colours, each at least 3:1 against both backgrounds (tests/test_charts.py).
PALETTE = ("#1F77B4", "#D95F02", "#7570B3", "#1B9E77", "#E7298A")
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross")
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3), (4, 4))


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour like '#1F77B4'."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio between two colours (1 to 21)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _theme(theme: str | None) -> str:
    return theme if theme in TEXT else "light"


def _config(chart: alt.Chart, theme: str | None) -> alt.Chart:
    text = TEXT[_theme(theme)]
    return chart.configure_axis(labelColor=text, titleColor=text, labelFontSize=13,
                                titleFontSize=13).configure_legend(
        labelColor=text, titleColor=text, labelFontSize=13, titleFontSize=13
    ).configure_view(strokeWidth=0)


def _score_scale() -> alt.Scale:
    return alt.Scale(domain=[SCORE_MIN, SCORE_MAX], nice=False, zero=False)


def _score_axis() -> alt.Axis:
    return alt.Axis(values=list(range(SCORE_MIN, SCORE_MAX + 1)), format="d")


def score_bars(labels: list[str], scores: list[float], category: str, *,
               horizontal: bool, theme: str | None = None) -> alt.Chart:
    """Bars of one score per label, in the given order, each with its value written on it."""
    frame = pd.DataFrame({category: labels, SCORE_TITLE: scores})
    score_ch = alt.X if horizontal else alt.Y
    label_ch = alt.Y if horizontal else alt.X
    score = score_ch(f"{SCORE_TITLE}:Q", scale=_score_scale(), axis=_score_axis(),
                     title=SCORE_TITLE)
    label = label_ch(f"{category}:N", sort=None, title=None,
                     axis=alt.Axis(labelAngle=0, labelLimit=0, labelOverlap=False))
    base = alt.Chart(frame).encode(
        x=score if horizontal else label, y=label if horizontal else score,
        tooltip=[category, SCORE_TITLE])
    bars = base.mark_bar(color=PALETTE[0], clip=True)
    values = base.mark_text(
        align="left" if horizontal else "center", baseline="middle" if horizontal else "bottom",
        dx=4 if horizontal else 0, dy=0 if horizontal else -4, fontSize=13,
        color=TEXT[_theme(theme)],
    ).encode(text=alt.Text(f"{SCORE_TITLE}:Q", format=".2~f"))
    height = 36 * len(labels) + 40 if horizontal else 260
    return _config((bars + values).properties(height=height), theme)


def score_trend(points: list[dict[str, float | str]], series: list[str], *,
                theme: str | None = None) -> alt.Chart:
    """One line per series (phase) over interviews, oldest first.

    `points` are rows with an "interview" label (unique, short) and a score per series. Each
    series gets a colour, a marker shape, a dash pattern and a small sideways offset, so two
    series with the same scores are both visible; every point carries its value.
    """
    frame = pd.DataFrame(points).melt(id_vars="interview", value_vars=series,
                                      var_name="phase", value_name=SCORE_TITLE).dropna()
    order = [p["interview"] for p in points]
    n = max(1, len(series))
    offsets = {s: (i - (n - 1) / 2) * 6 for i, s in enumerate(series)}
    frame["offset"] = frame["phase"].map(offsets)
    colour = alt.Color("phase:N", scale=alt.Scale(domain=series, range=list(PALETTE[:n])),
                       legend=alt.Legend(orient="bottom", title=None))
    shape = alt.Shape("phase:N", scale=alt.Scale(domain=series, range=list(SHAPES[:n])))
    dash = alt.StrokeDash("phase:N", scale=alt.Scale(domain=series,
                                                     range=[list(d) for d in DASHES[:n]]))
    base = alt.Chart(frame).encode(
        x=alt.X("interview:N", sort=order, title="interview",
                axis=alt.Axis(labelAngle=0, labelLimit=0, labelOverlap=False)),
        xOffset=alt.XOffset("offset:Q", scale=alt.Scale(domain=[-20, 20])),
        y=alt.Y(f"{SCORE_TITLE}:Q", scale=_score_scale(), axis=_score_axis()),
        color=colour, tooltip=["interview", "phase", SCORE_TITLE],
    )
    lines = base.mark_line(strokeWidth=2).encode(strokeDash=dash)
    marks = base.mark_point(size=80, filled=True, opacity=1).encode(shape=shape)
    # Values in the text colour, not the series colour: text needs 4.5:1, which no colour
    # reaches on both a white and a dark page while staying a distinct hue.
    values = base.mark_text(dy=-10, fontSize=11).encode(
        text=alt.Text(f"{SCORE_TITLE}:Q", format=".2~f"), color=alt.value(TEXT[_theme(theme)]))
    return _config((lines + marks + values).properties(height=320), theme)
