from simulator.ui.start import render

render()
