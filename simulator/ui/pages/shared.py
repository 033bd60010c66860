from simulator.ui.sharing import render

render()
