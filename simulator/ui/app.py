"""The Streamlit app: a frame around the pages (see `nav.py`); pages only call `simulator`.

Run with `streamlit run streamlit_app.py` (what `make run` does).
"""

from __future__ import annotations

from pathlib import Path

import numpy  # noqa: F401 - see main()
import streamlit as st

from simulator.ui import auth, nav, state, theme

#: The tab icon, shipped in the package. A `:material/...:` or emoji page icon makes the
#: browser fetch its picture from fonts.gstatic.com or an emoji CDN; a file is served by the
#: app itself, so the page loads with no network.
PAGE_ICON = Path(__file__).parent / "static" / "icon.png"

_APP_CSS = (Path(__file__).parent / "app.css").read_text(encoding="utf-8") + theme.css()


def main() -> None:
    st.set_page_config(page_title="sdsim — system-design interview practice",
                       page_icon=str(PAGE_ICON), layout="wide")
    # numpy is imported above, before the warm-up thread starts: when that thread (chromadb,
    # torch) and a page (pandas) import numpy at the same moment, one of them can fail with
    # "partially initialized module 'numpy._typing'" on a fresh server.
    st.markdown(f"<style>{_APP_CSS}</style>", unsafe_allow_html=True)  # our file only
    user = auth.gate()  # shared mode: a sign-in screen until signed in
    auth.sidebar(user)
    state.warm_up()
    page = nav.navigation(user)
    state.sync_with_url()
    page.run()
