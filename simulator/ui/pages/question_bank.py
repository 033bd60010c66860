from simulator.ui.question_bank import render

render()
