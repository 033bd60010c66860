"""Reading the candidate: one pure pass from a candidate message to a typed reading.

This package is a leaf: it imports only the standard library, pydantic, pint and
snowballstemmer, never another
`simulator` package, and does no I/O. Vocabularies (misconceptions, facts, cues) arrive as
pydantic models that `simulator.content` loads from data files; the interviewer and the grader
both consume what this package produces, so they never disagree about what was said:
`turn.read_turn` reads a message (acts, figures, work, claims, questions, points),
`answer.read_answer` reads a whole phase answer sentence by sentence for the grader,
`injection.strip_injection` finds what a message addresses to the grader instead of the
interviewer (cut before anything is graded), and `resemblance` measures how closely a
sentence says a point in its own words.
"""
