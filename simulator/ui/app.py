"""The Streamlit app. Heavy resources (embeddings, Chroma) load once per process."""

from __future__ import annotations

import streamlit as st

from simulator.settings import get_settings


@st.cache_resource(show_spinner="Loading the corpus index…")
def _retriever():
    from simulator.corpus.search import Retriever

    return Retriever(get_settings())


def main() -> None:
    st.set_page_config(page_title="sdsim", layout="wide")
    st.title("sdsim — system-design interview practice")
    query = st.text_input("Search the corpus")
    if query:
        for hit in _retriever().search(query, k=5):
            with st.container(border=True):
                st.markdown(f"**{hit.title}** — {hit.heading or '(intro)'} · score {hit.score:.2f}")
                st.text(hit.text)
