"""Client/server mode: ingest and search against a real `chroma run` on loopback."""

import pytest
from click.testing import CliRunner
from servers import chroma_server, free_port

from simulator.cli import main
from simulator.corpus.ingest import ingest
from simulator.corpus.search import Retriever
from simulator.corpus.store import StoreError, open_collection, reset_clients
from simulator.settings import get_settings

pytestmark = pytest.mark.server


def test_ingest_and_search_through_a_chroma_server(tmp_path, small_corpus, monkeypatch):
    with chroma_server(tmp_path / "chroma-server-data") as url:
        monkeypatch.setenv("SDSIM_CHROMA_URL", url)
        reset_clients()
        settings = get_settings()
        assert settings.chroma_url == url
        report = ingest(settings, small_corpus)
        assert report.chunks_added == report.chunks_total > 10
        assert not settings.chroma_path.exists()  # nothing went to the embedded store

        hits = Retriever(settings).search("a popular key expires and every request hits the database", k=3)
        assert hits[0].doc_id == "caching-strategies"

        again = ingest(settings, small_corpus)
        assert again.chunks_added == 0 and again.files_unchanged == 3

        out = CliRunner().invoke(main, ["search", "least connections balancing", "-k", "2", "--json"])
        assert out.exit_code == 0, out.output
        assert '"doc_id": "load-balancing"' in out.output
    reset_clients()


def test_unreachable_server_is_a_one_line_error(monkeypatch):
    monkeypatch.setenv("SDSIM_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    reset_clients()
    with pytest.raises(StoreError, match="cannot reach Chroma server"):
        open_collection(get_settings())
    out = CliRunner().invoke(main, ["search", "anything"])
    assert out.exit_code == 2 and "cannot reach Chroma server" in out.output
    reset_clients()
