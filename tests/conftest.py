"""Shared fixtures: every test gets its own data directory, so no test touches a user's data.

The real corpus is ingested once per test session into a real persistent Chroma store with
the real local embedding model; tests that only read from it share that store.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from simulator.content.prompt_set import BUILTIN_CORPUS, BUILTIN_PROMPTS
from simulator.settings import Settings, get_settings

REAL_CORPUS = BUILTIN_CORPUS


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SDSIM_DATA_DIR", str(tmp_path / "data"))
    for name in ("SDSIM_CHROMA_URL", "SDSIM_DATABASE_URL", "SDSIM_CONFIG", "SDSIM_LLM_BACKEND",
                 "OPENAI_API_KEY", "SDSIM_LLM_API_KEY", "SDSIM_LLM_BASE_URL", "SDSIM_COLLECTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Settings:
    """Settings pointing at a store holding the whole real corpus (ingested once)."""
    from simulator.corpus.ingest import ingest

    data = tmp_path_factory.mktemp("corpus-store")
    settings = Settings(data_dir=data)
    report = ingest(settings)
    assert report.chunks_total > 0 and not report.skipped, report
    return settings


@pytest.fixture
def data_dir(corpus_store, monkeypatch):
    """The app's data directory for UI tests: the shared real corpus store (its Chroma index
    is built once per test session), with the app pointed at it."""
    monkeypatch.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
    return corpus_store.data_dir


@pytest.fixture
def store(data_dir):
    """The session store the app in `data_dir` uses."""
    from simulator.store.sessions import SessionStore

    return SessionStore(get_settings().db_path)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """A writable copy of three real articles, for tests that change files."""
    target = tmp_path / "corpus"
    target.mkdir()
    for name in ("caching-strategies.md", "load-balancing.md", "nodejs-event-loop.md"):
        shutil.copy(REAL_CORPUS / name, target / name)
    return target


@pytest.fixture
def settings(tmp_path) -> Settings:
    return get_settings(data_dir=tmp_path / "data")


def pytest_report_header(config):
    return f"sdsim data dir per test; corpus {REAL_CORPUS} ({len(list(REAL_CORPUS.glob('*.md')))} articles)"


os.environ.setdefault("HF_HUB_OFFLINE", "1")


# The scripted OpenAI-compatible server (tests/llm_server.py), for the LLM layer's tests.
from llm_server import llm_server  # noqa: F401

# A real PostgreSQL server on loopback (tests/postgres.py), started once when a test asks.
from postgres import postgres_server  # noqa: F401

# The session database on SQLite and on that PostgreSQL server (tests/store_backends.py).
from store_backends import database  # noqa: F401


@pytest.fixture(scope="session")
def catalog():
    """The built-in problem catalog, loaded once (tests must not change it)."""
    from simulator.content.problems import load_catalog

    return load_catalog(BUILTIN_PROMPTS / "problems")


@pytest.fixture(scope="session")
def rubric():
    """The built-in rubric, loaded once."""
    from simulator.content.rubric import load_rubric

    return load_rubric(BUILTIN_PROMPTS / "rubric.yaml")
