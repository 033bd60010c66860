from simulator.ui.placeholders import evals

evals()
