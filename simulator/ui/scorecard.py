"""Scorecard page (provisional until simulator.grading lands)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from simulator.ui import state


def phase_scores(card: dict[str, Any]) -> dict[str, float]:
    return {}


def render() -> None:
    st.title("Scorecard")
    st.write(state.current_id())
