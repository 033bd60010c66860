"""Offline candidates: every variant and deep dive of the catalog, in a seeded order.

The pool is built in rounds. Round 0 holds one scale of every (problem, modifier) pair and
every deep dive; each later round gives each pair another scale. A bank therefore draws
different problems and changes first and only repeats a pair at another scale when the
filters leave nothing else, and those repeats are what de-duplication catches ("chat for 5M
DAU with E2E" and "chat for 10M DAU with E2E" read as the same question). Within a round
the order is shuffled by the seed: same seed, same bank; another seed, another selection.
"""

from __future__ import annotations

from simulator.capacity import human_count
from simulator.content.modifiers import Modifier, apply_changes
from simulator.content.problems import Problem
from simulator.questions.build import (
    Context,
    Draft,
    base_topics,
    closing,
    question_core,
    scale_sentence,
    short_title,
    stable_rng,
)

__all__ = ["offline_pool", "variant_draft"]

_SECTIONS_PER_DEEP_DIVE = 3


def _dau_label(dau: int) -> str:
    return human_count(dau).lower()


def variant_draft(
    problem: Problem, modifier: Modifier | None, factor: float, ctx: Context, topics: list[str]
) -> Draft:
    """``problem`` at ``factor`` x its DAU, changed by ``modifier`` (None: scale only)."""
    a = apply_changes(problem.assumptions, multiply={"dau": factor})
    if modifier:
        a = apply_changes(a, multiply=modifier.multiply, set_values=modifier.set)
    parts = [question_core(problem), scale_sentence(problem, a, modifier and modifier.phrase,
                                                        ctx.modifiers.scale_noun(problem.id))]
    if modifier:
        parts.append(modifier.detail)
    parts.append(closing(ctx.level))
    label = modifier.label if modifier else f"{factor:g}x the catalog scale"
    return Draft(
        id=f"{problem.id}--{modifier.id if modifier else 'scale'}--{_dau_label(a.dau)}",
        kind="variant",
        problem=problem,
        assumptions=a,
        title=f"{short_title(problem)} at {human_count(a.dau)} {ctx.modifiers.scale_noun(problem.id)}: {label}",
        text=" ".join(parts),
        variant=label,
        topics=tuple(dict.fromkeys([*topics, *(modifier.topics if modifier else [])])),
        modifier=modifier,
    )


def _deep_dive_articles(problem: Problem, ctx: Context) -> list[str]:
    ids = [*problem.articles, *ctx.modifiers.deep_dive_extra.get(problem.id, [])]
    out = []
    for article_id in dict.fromkeys(ids):
        article = ctx.articles.get(article_id)
        if (article is None or article_id.startswith("design-")
                or ctx.modifiers.meta_article_topics & set(article.topics) or not article.sections):
            continue
        out.append(article_id)
    return out


def _deep_dive_draft(problem: Problem, article_id: str, ctx: Context,
                     topics: list[str]) -> Draft:
    article = ctx.articles[article_id]
    rng = stable_rng(ctx.seed, problem.id, article_id)
    factor = rng.choice(ctx.modifiers.scale_factors)
    a = apply_changes(problem.assumptions, multiply={"dau": factor})
    picked = sorted(rng.sample(range(len(article.sections)),
                               min(_SECTIONS_PER_DEEP_DIVE, len(article.sections))))
    sections = tuple(article.sections[i] for i in picked)
    quoted = [f'"{s}"' for s in sections]
    cover = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    text = " ".join([
        question_core(problem),
        scale_sentence(problem, a, None, ctx.modifiers.scale_noun(problem.id)),
        (f'Then go deep on one area ("{article.title}"): cover {cover} for this system, tie '
         "each point to its numbers and say what you would measure in production."),
        closing(ctx.level),
    ])
    return Draft(
        id=f"{problem.id}--deep-dive--{article_id}",
        kind="deep-dive",
        problem=problem,
        assumptions=a,
        title=f"{short_title(problem)}, deep dive: {article.title}",
        text=text,
        variant=f"deep dive: {article.title}",
        topics=tuple(dict.fromkeys([*topics, *article.topics])),
        article=article,
        sections=sections,
    )


def offline_pool(problems: list[Problem], ctx: Context) -> list[Draft]:
    """Every offline candidate for ``problems``, in the seeded round order described above."""
    rounds: dict[int, list[Draft]] = {}
    for problem in problems:
        topics = base_topics(problem, ctx.articles)
        for modifier in [None, *ctx.modifiers.for_problem(problem.id)]:
            factors = [f for f in ctx.modifiers.scale_factors if modifier or f != 1.0]
            stable_rng(ctx.seed, problem.id, modifier.id if modifier else "scale").shuffle(factors)
            for r, factor in enumerate(factors):
                rounds.setdefault(r, []).append(
                    variant_draft(problem, modifier, factor, ctx, topics))
        for article_id in _deep_dive_articles(problem, ctx):
            rounds.setdefault(0, []).append(_deep_dive_draft(problem, article_id, ctx, topics))
    pool: list[Draft] = []
    for r in sorted(rounds):
        drafts = sorted(rounds[r], key=lambda d: d.id)  # canonical before the seeded shuffle
        stable_rng(ctx.seed, "round", r).shuffle(drafts)
        pool += drafts
    return pool
