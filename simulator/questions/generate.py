"""``generate_bank``: validate the request, pool candidates, de-duplicate, enrich.

The one library call behind ``sdsim questions generate`` (and any UI page). Offline it is
a pure function of the catalog, rubric, corpus, settings and arguments: the same seed gives
the same bank byte for byte. With an LLM client, model-proposed variants are put first in
the pool and everything else is unchanged.
"""

from __future__ import annotations

import difflib
from typing import Any

from simulator.content.loader import Content, load_content
from simulator.content.problems import Problem
from simulator.content.prompt_set import corpus_files
from simulator.corpus.embeddings import get_embedder
from simulator.questions.build import Context, enrich, stable_rng
from simulator.questions.dedup import select_distinct
from simulator.questions.errors import QuestionBankError
from simulator.questions.grounding import load_articles
from simulator.questions.llm_variants import llm_drafts
from simulator.questions.models import LEVELS, BankResult, BankStats, QuestionBank
from simulator.questions.variants import offline_pool
from simulator.settings import Settings

__all__ = ["MAX_COUNT", "MAX_LLM_PROBLEMS", "QuestionBankError", "generate_bank"]

#: Largest bank one call may ask for; beyond this the pool is all near-duplicates anyway.
MAX_COUNT = 500
#: Without an explicit --problem, the LLM is asked about this many problems (one call each).
MAX_LLM_PROBLEMS = 3


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise QuestionBankError(f"unknown level {level!r}; valid levels: {', '.join(LEVELS)}")


def _check_count(count: int) -> None:
    if isinstance(count, bool) or not isinstance(count, int):
        raise QuestionBankError(f"count must be a whole number, got {count!r}")
    if not 1 <= count <= MAX_COUNT:
        raise QuestionBankError(f"count must be between 1 and {MAX_COUNT}, got {count}")


def _unknown(kind: str, name: str, valid: list[str]) -> QuestionBankError:
    close = difflib.get_close_matches(name, valid, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return QuestionBankError(f"unknown {kind} {name!r}{hint}; valid {kind}s: {', '.join(valid)}")


def _pick_problems(catalog: dict[str, Problem], wanted: list[str]) -> list[Problem]:
    valid = sorted(catalog)
    for problem_id in wanted:
        if problem_id not in catalog:
            raise _unknown("problem", problem_id, valid)
    return [catalog[p] for p in dict.fromkeys(wanted)] if wanted else [catalog[p] for p in valid]


def generate_bank(
    settings: Settings,
    problems: list[str] | None = None,
    topics: list[str] | None = None,
    level: str = "senior",
    count: int = 10,
    seed: int = 0,
    llm_client: Any = None,
    content: Content | None = None,
) -> BankResult:
    """A bank of ``count`` distinct questions for ``level``, reproducible from ``seed``.

    ``problems`` and ``topics`` filter the pool (a question matches a topic filter when it
    carries any of the topics). ``llm_client`` (an ``LLMClient``) adds model-proposed
    variants. Raises :class:`QuestionBankError` for bad arguments and the catalog's or
    rubric's own errors (``ValueError`` subclasses) for broken data files. Fewer than
    ``count`` questions come back when the filters leave too few distinct ones; the result's
    warnings say so.
    """
    _check_level(level)
    _check_count(count)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise QuestionBankError(f"seed must be a whole number, got {seed!r}")
    content = content or load_content(settings.prompts_dir)
    catalog = content.catalog
    chosen = _pick_problems(catalog, list(problems or []))
    ctx = Context(level=level, seed=seed, content=content,  # type: ignore[arg-type]
                  articles=load_articles(corpus_files(settings.corpus_dir).values()))

    everything = offline_pool(list(catalog.values()), ctx)
    valid_topics = sorted({t for d in everything for t in d.topics})
    topic_filter = list(dict.fromkeys(t.strip().lower() for t in topics or []))
    for topic in topic_filter:
        if topic not in valid_topics:
            raise _unknown("topic", topic, valid_topics)

    chosen_ids = {p.id for p in chosen}
    pool = [d for d in everything if d.problem.id in chosen_ids
            and (not topic_filter or set(topic_filter) & set(d.topics))]
    if not pool:
        raise QuestionBankError(
            f"no question matches problem(s) {', '.join(sorted(chosen_ids))} and topic(s) "
            f"{', '.join(topic_filter)}; drop a filter or pick another topic")

    warnings: list[str] = []
    dropped = failed = 0
    if llm_client is not None:
        targets = list(dict.fromkeys(d.problem.id for d in pool)) if problems else sorted(
            {d.problem.id for d in pool})
        if not problems and len(targets) > MAX_LLM_PROBLEMS:
            targets = sorted(stable_rng(seed, "llm-problems").sample(targets, MAX_LLM_PROBLEMS))
        outcome = llm_drafts(llm_client, settings, [catalog[p] for p in targets], ctx, count,
                             topic_filter, set(valid_topics))
        pool = [*outcome.drafts, *pool]
        dropped, failed = outcome.dropped_invalid, outcome.failed_calls
        warnings += outcome.warnings

    selection = select_distinct(pool, lambda d: d.text, lambda d: d.id, get_embedder(settings),
                                settings.dedup_threshold, count)
    questions = [enrich(d, ctx) for d in selection.kept]
    if len(questions) < count:
        warnings.append(f"only {len(questions)} distinct questions match these filters "
                        f"(asked for {count}); {selection.removed} near-duplicates removed")
    stats = BankStats(
        requested=count,
        generated=len(questions),
        candidates=selection.considered,
        removed_duplicates=selection.removed,
        dropped_invalid=dropped,
        llm_added=sum(q.kind == "llm-variant" for q in questions),
        llm_failed_calls=failed,
    )
    bank = QuestionBank(level=level, seed=seed, problems=[p.id for p in chosen] if problems else [],  # type: ignore[arg-type]
                        topics=topic_filter, dedup_threshold=settings.dedup_threshold,
                        stats=stats, questions=questions)
    return BankResult(bank=bank, warnings=warnings)
