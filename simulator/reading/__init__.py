"""Reading the candidate: one pure pass from a candidate message to a typed reading.

This package is a leaf: it imports only the standard library, pydantic, pint and
snowballstemmer, never another
`simulator` package, and does no I/O. Vocabularies (misconceptions, facts, cues) arrive as
pydantic models that `simulator.content` loads from data files; the interviewer and the grader
both consume what this package produces, so they never disagree about what was said:
`turn.read_turn` reads a message (acts, figures, work, claims, questions, points) and
`answer.read_answer` reads a whole phase answer sentence by sentence for the grader.
"""
