"""The Streamlit app: a frame around the pages (see `nav.py`); pages only call `simulator`.

Run with `streamlit run streamlit_app.py` (what `make run` does).
"""

from __future__ import annotations

from pathlib import Path

import numpy  # noqa: F401 - see main()
import streamlit as st

from simulator.ui import nav, state

_APP_CSS = (Path(__file__).parent / "app.css").read_text(encoding="utf-8")


def main() -> None:
    st.set_page_config(page_title="sdsim — system-design interview practice",
                       page_icon=":material/forum:", layout="wide")
    # numpy is imported above, before the warm-up thread starts: when that thread (chromadb,
    # torch) and a page (pandas) import numpy at the same moment, one of them can fail with
    # "partially initialized module 'numpy._typing'" on a fresh server.
    st.markdown(f"<style>{_APP_CSS}</style>", unsafe_allow_html=True)  # our file only
    state.warm_up()
    page = nav.navigation()
    state.sync_with_url()
    page.run()
