"""The score charts: WCAG contrast of their colours against both themes, fixed 1-4 axes,
values on every bar and point, and series that stay apart when their scores are equal."""

from __future__ import annotations

import pytest

from simulator.ui import charts
from simulator.ui.theme import THEMES


def test_relative_luminance_and_contrast_match_wcag_reference_values():
    assert charts.relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert charts.relative_luminance("#000000") == pytest.approx(0.0)
    assert charts.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    # WebAIM's checker: #777777 on white is 4.48:1, just under the 4.5:1 for text.
    assert charts.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_series_colours_pass_3_to_1_and_text_4_5_to_1_on_the_theme_background(theme):
    background = charts.BACKGROUNDS[theme]
    for colour in charts.PALETTE:
        assert charts.contrast_ratio(colour, background) >= 3.0, (colour, theme)
    assert charts.contrast_ratio(charts.TEXT[theme], background) >= 4.5
    assert (charts.BACKGROUNDS[theme], charts.TEXT[theme]) == (THEMES[theme].background,
                                                               THEMES[theme].text)
    # The colour the issue measured on History (Streamlit's light blue) fails, as reported.
    assert charts.contrast_ratio("#83C9FF", charts.BACKGROUNDS["light"]) < 3.0


def _layers(chart) -> list[dict]:
    return chart.to_dict()["layer"]


@pytest.mark.parametrize("horizontal", [False, True])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_bars_have_a_fixed_1_to_4_axis_value_labels_and_uncut_labels(horizontal, theme):
    chart = charts.score_bars(["clarify", "estimate"], [1, 2], "phase", horizontal=horizontal,
                              theme=theme)
    spec = chart.to_dict()
    bars, values = spec["layer"]
    score = bars["encoding"]["x" if horizontal else "y"]
    assert score["scale"]["domain"] == [1, 4] and score["scale"]["nice"] is False
    assert score["axis"]["values"] == [1, 2, 3, 4]
    label = bars["encoding"]["y" if horizontal else "x"]
    assert label["axis"]["labelLimit"] == 0  # never truncated
    assert values["mark"]["type"] == "text" and values["encoding"]["text"]["field"] == score["field"]
    assert values["mark"]["color"] == charts.TEXT[theme]
    assert spec["config"]["axis"]["labelColor"] == charts.TEXT[theme]
    assert bars["mark"]["color"] in charts.PALETTE


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_trend_lines_differ_by_colour_shape_dash_and_offset_and_carry_values(theme):
    points = [{"interview": "#1", "clarify": 2, "estimate": 2, "design": 2},
              {"interview": "#2", "clarify": 3, "estimate": 3, "design": 1}]
    series = ["clarify", "estimate", "design"]
    lines, marks, values = _layers(charts.score_trend(points, series, theme=theme))
    enc = lines["encoding"]
    assert enc["y"]["scale"]["domain"] == [1, 4] and enc["y"]["axis"]["values"] == [1, 2, 3, 4]
    assert enc["x"]["sort"] == ["#1", "#2"] and enc["x"]["axis"]["labelLimit"] == 0
    assert len(set(enc["color"]["scale"]["range"])) == 3
    assert len({tuple(d) for d in enc["strokeDash"]["scale"]["range"]}) == 3
    assert len(set(marks["encoding"]["shape"]["scale"]["range"])) == 3
    assert enc["xOffset"]["field"] == "offset"
    rows = charts.score_trend(points, series).data
    offsets = dict(zip(rows["phase"], rows["offset"], strict=False))
    assert len(set(offsets.values())) == 3  # equal scores are drawn side by side, not on top
    assert values["mark"]["type"] == "text"
    # Values are text (4.5:1): in the theme's text colour, not the series colour (3:1 only).
    assert values["encoding"]["color"] == {"value": charts.TEXT[theme]}
