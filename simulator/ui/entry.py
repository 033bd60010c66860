"""The script `sdsim app` hands to `streamlit run`: it ships in the package, so the app runs
from an installed wheel in any working directory (`streamlit_app.py` at the repo root is the
same two lines for `streamlit run` from a checkout)."""

from simulator.ui.app import main

main()
