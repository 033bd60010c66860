from simulator.ui.interview import render

render()
