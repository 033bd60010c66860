from simulator.ui.history import render

render()
