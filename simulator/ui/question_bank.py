"""Question bank page: what `sdsim questions generate` does, with filters, a preview and downloads.

The page only calls `simulator.questions` and renders the result. A bank is generated when
the form is submitted and kept in `st.session_state` with the request that made it, so other
reruns (paging, expanding a question, a download) show it without generating again; an
offline request identical to the last one is not regenerated either (offline generation is
deterministic). Corpus and model text (titles, questions, anchors, warnings) is shown with
`plain()` or in a dataframe, never as Markdown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from simulator.content.loader import load_content
from simulator.content.prompt_set import corpus_files
from simulator.questions import FORMATS, LEVELS, MAX_COUNT, BankResult, Question, generate_bank
from simulator.questions import render as render_bank
from simulator.questions.build import Context
from simulator.questions.grounding import load_articles
from simulator.questions.variants import offline_pool
from simulator.settings import Settings
from simulator.ui import auth, state
from simulator.ui.text import plain

_RESULT = "qbank_result"  # (BankRequest, BankResult, seconds) of the last generation
_ERROR = "qbank_error"  # one-line message of the last failed generation
PAGE_SIZE = 25  # questions shown in full per page of the detail section
MIME = {"md": "text/markdown", "json": "application/json", "csv": "text/csv"}
FORMAT_LABELS = {"md": "Markdown", "json": "JSON", "csv": "CSV"}


@dataclass(frozen=True)
class BankRequest:
    """The form's values: everything `generate_bank` is called with."""

    problems: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    level: str = "senior"
    count: int = 10
    seed: int = 0
    use_llm: bool = False


def topic_problems(settings: Settings) -> dict[str, list[str]]:
    """Every topic `generate_bank` accepts, sorted, with the problems whose questions carry it.

    `generate_bank` validates topics against the offline pool of the whole catalog; this
    builds the same pool with the same public functions. Topics depend on neither level nor
    seed, so one pool answers for every request.
    """
    content = load_content(settings.prompts_dir)
    catalog = content.catalog
    ctx = Context(level="senior", seed=0, content=content,
                  articles=load_articles(corpus_files(settings.corpus_dir).values()))
    found: dict[str, set[str]] = {}
    for draft in offline_pool(list(catalog.values()), ctx):
        for topic in draft.topics:
            found.setdefault(topic, set()).add(draft.problem.id)
    return {topic: sorted(found[topic]) for topic in sorted(found)}


def file_name(request: BankRequest, fmt: str) -> str:
    return f"question-bank-{request.level}-seed{request.seed}.{fmt}"


def download_data(result: BankResult, fmt: str) -> str:
    """What a download holds: `render(result, fmt)`; a CSV starts with a BOM, as the CLI's
    `--out` writes it, so spreadsheet programs read it as UTF-8."""
    text = render_bank(result, fmt)
    return "\ufeff" + text if fmt == "csv" else text


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _llm_client() -> Any:
    """The browser's chosen LLM as an `LLMClient` (as the CLI builds it from settings)."""
    from simulator.llm.client import LLMClient

    return LLMClient(state.llm_settings())


def _generate(request: BankRequest) -> None:
    """Generate and keep the bank (or the error) in the session state."""
    st.session_state.pop(_ERROR, None)
    spinner = ("Generating the question bank (the LLM proposes variants first)…"
               if request.use_llm else "Generating the question bank…")
    started = time.perf_counter()
    try:
        with st.spinner(spinner):
            result = generate_bank(
                state.settings(), list(request.problems) or None, list(request.topics) or None,
                request.level, request.count, request.seed,
                llm_client=_llm_client() if request.use_llm else None)
    except ValueError as exc:  # QuestionBankError, LLMConfigError, a broken data file
        st.session_state.pop(_RESULT, None)
        st.session_state[_ERROR] = _one_line(exc)
        return
    st.session_state[_RESULT] = (request, result, time.perf_counter() - started)


def _form(titles: dict[str, str], topics: dict[str, list[str]]) -> BankRequest | None:
    """The filters; the request when the form was submitted this run, else None."""
    offline = state.backend_choice().backend == "offline"

    def topic_label(topic: str) -> str:
        owners = topics[topic]
        return f"{topic} ({owners[0]})" if len(owners) == 1 else f"{topic} ({len(owners)} problems)"

    with st.form("qbank_form", border=True):
        left, right = st.columns(2)
        problems = left.multiselect(
            "Problems", list(titles), key="qbank_problems", format_func=titles.__getitem__,
            placeholder="All problems", help="Empty: variants of every catalog problem.")
        chosen_topics = right.multiselect(
            "Topics", list(topics), key="qbank_topics", format_func=topic_label,
            placeholder="All topics",
            help="A question matches when it carries any chosen topic. The brackets say "
                 "which problems have questions on it.")
        level_col, count_col, seed_col = st.columns(3)
        with level_col:
            level = st.segmented_control("Level", LEVELS, default="senior", key="qbank_level",
                                         required=True)
        count = count_col.number_input("Questions", min_value=1, max_value=MAX_COUNT,
                                       value=10, step=1, key="qbank_count")
        seed = seed_col.number_input("Seed", value=0, step=1, key="qbank_seed",
                                     help="Same seed and filters, same bank.")
        use_llm = st.checkbox(
            "Let the LLM propose extra variants", key="qbank_llm", disabled=offline,
            help="Needs an LLM backend: pick one on the Start page. Invalid proposals are "
                 "dropped and counted; a failing LLM leaves the offline bank.")
        if offline:
            st.caption("The offline backend is selected, so no LLM is asked. Choose OpenAI or "
                       "an OpenAI-compatible server on the Start page to enable LLM variants.")
        submitted = st.form_submit_button("Generate", type="primary", key="qbank_generate",
                                          icon=":material/quiz:")
    if not submitted:
        return None
    return BankRequest(tuple(problems), tuple(chosen_topics), level or "senior", int(count),
                       int(seed), bool(use_llm) and not offline)


def _summary(request: BankRequest, result: BankResult, seconds: float) -> None:
    bank, stats = result.bank, result.bank.stats
    filters = [f"problems: {', '.join(bank.problems)}" if bank.problems else "all problems",
               f"topics: {', '.join(bank.topics)}" if bank.topics else "all topics"]
    st.caption(plain(f"{bank.level} level · seed {bank.seed} · {' · '.join(filters)} · "
                     f"{'offline + LLM' if request.use_llm else 'offline'} · "
                     f"generated in {seconds:.1f} s"))
    cols = st.columns(4)
    cols[0].metric("Questions (generated / requested)", f"{stats.generated} / {stats.requested}")
    cols[1].metric("Near-duplicates removed", stats.removed_duplicates)
    cols[2].metric("LLM-proposed added", stats.llm_added)
    cols[3].metric("Invalid LLM variants dropped", stats.dropped_invalid)
    failed = f"; {stats.llm_failed_calls} failed LLM call(s)" if request.use_llm else ""
    st.caption(f"{stats.candidates} candidates considered; near-duplicates are those at "
               f"similarity ≥ {bank.dedup_threshold:g}{failed}.")
    for warning in result.warnings:
        st.warning(plain(warning), icon=":material/warning:")


def _downloads(request: BankRequest, result: BankResult) -> None:
    for col, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        col.download_button(
            f"Download {FORMAT_LABELS.get(fmt, fmt)}", download_data(result, fmt),
            file_name=file_name(request, fmt), mime=MIME.get(fmt, "text/plain"),
            icon=":material/download:", key=f"qbank_download_{fmt}", on_click="ignore",
            width="stretch")


def _preview(questions: list[Question]) -> None:
    """One row per question; the dataframe shows cells as plain text, never as Markdown."""
    frame = pd.DataFrame({
        "#": range(1, len(questions) + 1),
        "question": [q.title for q in questions],
        "level": [q.level for q in questions],
        "kind": [q.kind for q in questions],
        "problem": [q.problem_id for q in questions],
        "topics": [list(q.topics) for q in questions],
        "as read to the candidate": [q.text for q in questions],
    })
    st.dataframe(frame, hide_index=True, key="qbank_table", column_config={
        "#": st.column_config.NumberColumn(width=40),
        "question": st.column_config.TextColumn(width="large"),
        "level": st.column_config.TextColumn(width=60),
        "kind": st.column_config.TextColumn(width=90),
        "problem": st.column_config.TextColumn(width=110),
        "topics": st.column_config.ListColumn(width="medium"),
        "as read to the candidate": st.column_config.TextColumn(width="large"),
    })


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {plain(' '.join(item.split()))}" for item in items)


def _cell(text: str) -> str:
    """A `st.table` cell: tables render Markdown, so corpus text is escaped."""
    return plain(" ".join(text.split()))


def _detail(n: int, q: Question) -> None:
    with st.expander(plain(f"{n}. {q.title}")):
        variant = f" · {q.variant}" if q.variant else ""
        st.caption(plain(f"{q.id} · {q.kind} · {q.level} · problem {q.problem_id}{variant}"))
        st.markdown("> " + plain(" ".join(q.text.split())))
        st.caption("Topics: " + plain(", ".join(q.topics)))
        left, right = st.columns(2)
        with left:
            st.markdown("**Clarifications to expect**\n\n" + _bullets(q.clarifications))
            st.markdown("**Red flags**\n\n" + _bullets(q.red_flags))
        with right:
            st.markdown("**Probes**")
            for phase, probes in q.probes.items():
                lines = [f"- {':blue-badge[Node.js] ' if p.nodejs else ''}{plain(p.text)}"
                         for p in probes]
                st.markdown(f"*{phase.capitalize()}*\n\n" + "\n".join(lines))
        st.markdown("**Estimation targets**")
        st.table(pd.DataFrame({
            "Figure": [_cell(t.label) for t in q.estimation_targets],
            "Reference": [_cell(t.display) for t in q.estimation_targets],
            "How it is computed": [_cell(t.formula) for t in q.estimation_targets],
        }), hide_index=True)
        assumptions = ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v:g}"
                                for k, v in q.assumptions.model_dump().items())
        st.caption(plain(f"From the assumptions {assumptions}."))
        bar = q.rubric[0].bar
        st.markdown(f"**Rubric** (in bold: the bar for {q.level}, score {bar})")
        rows = []
        for row in q.rubric:
            cells = {str(s): (f"**{_cell(row.anchor(s))}**" if s == row.bar
                              else _cell(row.anchor(s))) for s in (1, 2, 3, 4)}
            rows.append({"Phase": row.phase.capitalize(), **cells})
        st.table(pd.DataFrame(rows), hide_index=True)
        st.markdown(f"**What a {q.level} answer contains here**\n\n" + "\n".join(
            f"- *{row.phase.capitalize()}*: " + plain("; ".join(row.look_for))
            for row in q.rubric))
        st.markdown("**Sources**\n\n" + "\n".join(
            f"- `{s.id}`: {plain(s.title)}" for s in q.sources))


def _details(questions: list[Question]) -> None:
    st.subheader("Questions in full")
    start = 0
    if len(questions) > PAGE_SIZE:
        starts = list(range(0, len(questions), PAGE_SIZE))
        start = st.selectbox(
            "Show", starts, key="qbank_page",
            format_func=lambda s: f"questions {s + 1}-{min(s + PAGE_SIZE, len(questions))}")
    for n, q in enumerate(questions[start:start + PAGE_SIZE], start + 1):
        _detail(n, q)


def render() -> None:
    auth.require("interviewer")
    st.title("Question bank")
    st.caption("Interview questions for a loop: variants of the catalog problems and deep dives "
               "from the corpus, every number from the capacity calculator, near-duplicates "
               "removed. Same filters and seed, same bank.")
    settings = state.settings()
    try:
        catalog = load_content(settings.prompts_dir).catalog
        topics = topic_problems(settings)
    except ValueError as exc:  # a broken problem, rubric or corpus file
        st.error(plain(_one_line(exc)))
        return
    request = _form({pid: p.title for pid, p in catalog.items()}, topics)
    last = st.session_state.get(_RESULT)
    if request is not None and (request.use_llm or last is None or last[0] != request):
        _generate(request)
        last = st.session_state.get(_RESULT)
    if error := st.session_state.get(_ERROR):
        st.error(plain(error), icon=":material/error:")
        return
    if last is None:
        st.info("Choose filters and press Generate.")
        return
    request, result, seconds = last
    _summary(request, result, seconds)
    _downloads(request, result)
    st.subheader("Preview")
    _preview(result.questions)
    _details(result.questions)

