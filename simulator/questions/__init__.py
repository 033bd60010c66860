"""Question banks for interviewers: generation, de-duplication and export.

``generate_bank`` builds variants of the catalog's problems and deep dives drawn from the
corpus (optionally LLM-proposed variants too), recomputes every number with the capacity
calculator, removes near-duplicates by embedding similarity, and returns a ``BankResult``;
``render`` writes it as Markdown, JSON or CSV. ``questions_group`` (in ``.cli``) is the
``sdsim questions`` command.
"""

from simulator.questions.errors import QuestionBankError
from simulator.questions.export import FORMATS, render
from simulator.questions.generate import MAX_COUNT, generate_bank
from simulator.questions.models import LEVELS, BankResult, Question, QuestionBank

__all__ = [
    "FORMATS",
    "LEVELS",
    "MAX_COUNT",
    "BankResult",
    "Question",
    "QuestionBank",
    "QuestionBankError",
    "generate_bank",
    "render",
]
