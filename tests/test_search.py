"""Retrieval over the whole real corpus: result shape, errors, and quality on the labelled set."""

import json

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.corpus.search import Retriever
from simulator.evals.retrieval import load_queries, recall_at_k
from simulator.evals.suite import DATASETS_DIR

DATASET = DATASETS_DIR / "retrieval.jsonl"


def test_hits_carry_title_heading_score_and_text(corpus_store):
    hits = Retriever(corpus_store).search("how many threads does libuv use for fs and crypto by default", k=5)
    assert len(hits) == 5
    assert "libuv-thread-pool" in {h.doc_id for h in hits}
    assert all(h.title and h.text and 0 < h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert any(h.heading for h in hits)


def test_search_can_be_restricted_to_articles(corpus_store):
    hits = Retriever(corpus_store).search("retry with jitter", k=4, doc_ids=["design-payments", "idempotency"])
    assert {h.doc_id for h in hits} <= {"design-payments", "idempotency"}


def test_empty_query_is_a_clear_error(corpus_store):
    with pytest.raises(ValueError, match="empty query"):
        Retriever(corpus_store).search("   ")


def test_cli_search_prints_ranked_results_and_json(corpus_store, monkeypatch):
    monkeypatch.setenv("SDSIM_DATA_DIR", str(corpus_store.data_dir))
    runner = CliRunner()
    text = runner.invoke(main, ["search", "sticky sessions for websockets", "-k", "3"])
    assert text.exit_code == 0 and text.output.startswith("1. [")
    as_json = runner.invoke(main, ["search", "sticky sessions for websockets", "-k", "3", "--json"])
    rows = json.loads(as_json.output)
    assert len(rows) == 3 and {"title", "heading", "score", "text", "doc_id"} <= set(rows[0])
    empty = runner.invoke(main, ["search", ""])
    assert empty.exit_code == 2 and "empty query" in empty.output


def test_recall_at_5_on_the_labelled_query_set(corpus_store):
    queries = load_queries(DATASET)
    assert len(queries) >= 30
    retriever = Retriever(corpus_store)
    recall, misses = recall_at_k(retriever, queries, k=5)
    assert recall >= 0.9, f"recall@5 = {recall:.3f}; misses: {misses[:10]}"


def test_a_turn_cites_only_chunks_relevant_to_it(corpus_store):
    """The grounder drops chunks below the relevance threshold chosen on the retrieval set:
    a question about the chat's connection gateway cites the chat article, while small talk
    restricted to the same articles cites nothing."""
    from simulator.interview.session import CITATION_MIN_SCORE, retriever_grounder

    ground = retriever_grounder(Retriever(corpus_store))
    articles = ["design-chat", "websocket-scaling"]
    relevant = ground("Design a chat service: how many WebSocket connections can one Node.js "
                      "gateway process hold, and how does a message reach the other gateway?",
                      articles)
    assert relevant and all(c.score >= CITATION_MIN_SCORE for c in relevant)
    unrelated = ground("my favourite football team won the cup final on penalties", articles)
    assert unrelated == []
    everything = retriever_grounder(Retriever(corpus_store), min_score=0.0)
    assert everything("my favourite football team won the cup final on penalties", articles)
