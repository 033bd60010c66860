from simulator.ui.scorecard import render

render()
