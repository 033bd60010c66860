"""Grading: the rubric, the deterministic offline grader, agreement metrics and the scorecard.

Where things live:

- ``rubric``       schema and loader for ``prompts/rubric.yaml``; the level-rule language
- ``injection``    cut out text addressed to the grader before anything is scored
- ``features``     length-independent measurements of one phase answer, asked of its reading
                   (``simulator.reading.answer``): the grader never matches candidate text
- ``checks``       gates and red flags (idk, off-topic, buzzwords), from the same reading
- ``offline``      ``grade_answer(problem, phase, answer, rubric) -> PhaseGrade``
- ``metrics``      QWK, exact/adjacent agreement, confusion matrix, word-count baseline
- ``devset``       the human-graded dev set and its stable tune/held-out split
- ``dimensions``   cross-cutting dimension scores for a whole session
- ``reading``      corpus articles to read next
- ``scorecard``    ``build_scorecard(record, rubric) -> Scorecard`` and its Markdown
- ``review``       the card in a reviewer's words: summary and level in words, one unrepeated
                   quote per point, decisive moments, drills
- ``practice``     drills, the change against the previous attempt, the spaced-review plan
- ``judge``, ``service``  the LLM judge (starts from the offline grade) and the entry points
"""
