"""Browser entry point: `streamlit run streamlit_app.py` (what `make run` starts)."""

from simulator.ui.app import main

main()
