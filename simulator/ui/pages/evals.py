from simulator.ui.evals import render

render()
