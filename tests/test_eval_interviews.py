"""The interviews suite's readings of a transcript: what counts as an answer, a canned
repeat, a close and a curveball. The suite's figures on the real dataset are checked in
test_evals.py with every other suite."""

from __future__ import annotations

from simulator.evals.interviews import canned, close_share, curveballs, gives, phase_answers
from simulator.transcript import Turn


def turn(role, phase, text, elapsed=0.0, probe=None):
    return Turn(role=role, phase=phase, text=text, elapsed_s=elapsed, probe=probe,
                intent="probe" if probe else "question")


def test_an_answer_is_given_in_the_sheets_words_or_most_of_them():
    answer = "About 50 million daily active users."
    assert gives("As I mentioned: About 50 million daily active users. Go on.", answer)
    assert gives("Plan for about 50 million daily active users, roughly.", answer)
    assert not gives("Your call: state an assumption and go on.", answer)
    assert not gives("About 5 million users.", answer)


def test_a_sentence_said_three_times_is_canned_twice_is_not():
    same = "Let me change one thing about the traffic."
    twice = [turn("interviewer", "design", f"{same} What now?"), turn("candidate", "design", "ok"),
             turn("interviewer", "design", same)]
    assert canned(twice) == []
    thrice = twice + [turn("candidate", "design", "hm"), turn("interviewer", "design", same)]
    assert canned(thrice) == [(same, 3)]


def test_close_share_and_answers_per_phase_and_curveballs():
    turns = [turn("interviewer", "clarify", "Design it."),
             turn("candidate", "clarify", "q", 60), turn("interviewer", "design", "x", 60),
             turn("candidate", "design", "a", 900),
             turn("interviewer", "design", "Let me change one thing.", 900, "curveball-ten-x"),
             turn("candidate", "design", "b", 1400), turn("interviewer", "wrap-up", "Thanks.", 1400)]
    assert close_share(turns, 30) == 1400 / 1800
    assert close_share(turns[:-1], 30) is None
    assert phase_answers(turns) == {"clarify": 1, "estimate": 0, "design": 2, "bottlenecks": 0,
                                    "trade-offs": 0}
    assert curveballs(turns) == ["curveball-ten-x"]
