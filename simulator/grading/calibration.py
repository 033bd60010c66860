"""The grader's calibration: how interviewers' grades relate to the rubric reading's score.

The rubric reading (`simulator.grading.offline`) scores what it recognises: points made,
reasoning, red flags. On answers written by other hands it under-scores plain words and
over-scores dense jargon by about one step. A least-squares model fitted on graded answers
(`simulator.evals.train_text_model`), over the answer's word and character n-grams, the
phase, the rubric score and the answer's length, predicts the grade an interviewer gave. It
may move the rubric's score by one step at most, never above a red flag's cap: the evidence,
the concerns and every reason on the scorecard still come from the rubric reading.
"""

from __future__ import annotations

import math

from simulator.phases import PHASES
from simulator.reading.answer import without_repeats
from simulator.reading.text_model import TextModel


def features(phase: str, text: str, rubric_score: int) -> tuple[str, dict[str, float]]:
    """What the calibration reads: the answer as text; the phase, the rubric's score and the
    answer's length as numbers. A sentence said twice is read once, as the rubric reading
    does: repeating an answer must not earn a step."""
    text = without_repeats(text)
    extra = {f"rule={k}": float(rubric_score == k) for k in (1, 2, 3, 4)}
    extra.update({f"phase={p}": float(phase == p) for p in PHASES})
    extra["log_words"] = math.log1p(len(text.split()))
    return text, extra


def calibrated(model: TextModel, phase: str, text: str, rubric_score: int,
               flagged: bool) -> int:
    """The score after calibration: within one step of ``rubric_score``, and no higher than
    it when a red flag (a wrong claim, a slip, rambling...) has capped it."""
    said, extra = features(phase, text, rubric_score)
    return step(model.value(said, extra), rubric_score, flagged, model.margins)


def step(predicted: float, rubric_score: int, flagged: bool,
         margins: tuple[float, float]) -> int:
    """One step towards ``predicted`` when it is at least the up (or down) margin away from the
    rubric's score (the model's own ``margins``, chosen by cross-validation); capped by a red
    flag."""
    up, down = margins
    moved = rubric_score
    if predicted >= rubric_score + up:
        moved = min(4, rubric_score + 1)
    elif predicted <= rubric_score - down:
        moved = max(1, rubric_score - 1)
    return min(moved, rubric_score) if flagged else moved
