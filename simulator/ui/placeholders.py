"""Pages that reserve their place in the navigation until their features land."""

from __future__ import annotations

import streamlit as st


def question_bank() -> None:
    st.title("Question bank")
    st.info(
        "Not built yet. The question bank (generated practice questions per phase, "
        "de-duplicated, exportable) arrives with its own issue; this page holds its place."
    )


def evals() -> None:
    st.title("Evals")
    st.info(
        "Not built yet. Evaluation runs of the interviewer and grader against labelled data "
        "sets, with metrics and run comparison, arrive with their own issue; this page holds "
        "its place. Retrieval recall and MRR can already be measured with "
        "`python benchmarks/ingest_retrieval.py`."
    )
