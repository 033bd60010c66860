from simulator.ui.library import render

render()
