"""Start page: pick a problem (or a random one), level, length and interviewer backend."""

from __future__ import annotations

import random

import streamlit as st

from simulator.content.loader import load_content
from simulator.store.sessions import SessionNotFound
from simulator.ui import auth, nav, state
from simulator.ui.text import error_text

RANDOM = "random"
LEVELS = ("mid", "senior", "staff")
BACKEND_LABELS = {
    "offline": "Offline (deterministic, no network)",
    "openai": "OpenAI",
    "openai-compatible": "OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio)",
}


def _backend_form(default: state.BackendChoice) -> state.BackendChoice:
    settings = state.settings()
    backend = st.radio("Interviewer backend", state.BACKENDS, key="start_backend",
                       index=state.BACKENDS.index(default.backend),
                       format_func=BACKEND_LABELS.__getitem__,
                       help="Offline needs nothing else. An LLM rephrases the offline "
                            "interviewer's decisions; it never chooses them.")
    if backend == "offline":
        return state.BackendChoice()
    base_url = st.text_input(
        "Base URL", key="start_base_url",
        value=default.base_url or settings.llm_base_url or "",
        placeholder="https://api.openai.com/v1" if backend == "openai"
        else "http://localhost:11434/v1")
    model = st.text_input("Model", key="start_model",
                          value=default.model or settings.llm_model)
    api_key = st.text_input(
        "API key", key="start_api_key", type="password", value=default.api_key,
        help="Kept in this browser tab's session only: never saved with the interview, "
             "never put in the URL. Leave empty to use SDSIM_LLM_API_KEY / OPENAI_API_KEY.")
    return state.BackendChoice(backend, base_url.strip(), model.strip(), api_key.strip())


def _continue_box() -> None:
    session_id = state.current_id()
    if not session_id:
        return
    try:
        record = state.store().get(session_id, viewer=auth.user_id())
    except SessionNotFound:
        return
    if record.status == "active":
        with st.container(border=True):
            st.markdown(f"Interview **{session_id}** ({record.problem_id}, {record.state.phase} "
                        "phase) is not finished.")
            if st.button("Continue it", key="continue_interview"):
                nav.go("interview", session_id)


def render() -> None:
    st.title("Practise a system-design interview")
    st.caption("Five phases: clarify → estimate → design → bottlenecks → trade-offs, then a "
               "scorecard with evidence. Node.js backends; the interviewer probes the event loop.")
    _continue_box()
    settings = state.settings()
    catalog = load_content(settings.prompts_dir).catalog
    titles = {RANDOM: "Surprise me (random problem)"} | {
        pid: problem.title for pid, problem in catalog.items()}

    problem_id = st.selectbox("Problem", list(titles), key="start_problem",
                              format_func=titles.__getitem__)
    left, right = st.columns(2)
    with left:
        level = st.segmented_control("Target level", LEVELS, default="senior",
                                     key="start_level", required=True)
    with right:
        minutes = st.slider("Length (minutes)", min_value=10, max_value=90, step=5,
                            value=min(90, max(10, settings.interview_minutes)),
                            key="start_minutes")
    choice = _backend_form(state.backend_choice())

    if st.button("Start interview", type="primary", key="start_interview"):
        from simulator.llm.errors import LLMConfigError

        chosen = random.choice(sorted(catalog)) if problem_id == RANDOM else problem_id
        try:
            with st.spinner("Preparing the interviewer…"):
                session = state.start(chosen, minutes=minutes, level=level or "senior",
                                      seed=random.randrange(1_000_000), choice=choice)
        except LLMConfigError as exc:
            st.error(error_text(exc))
            return
        nav.go("interview", session.id)
