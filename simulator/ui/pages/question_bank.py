from simulator.ui.placeholders import question_bank

question_bank()
