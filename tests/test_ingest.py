"""Incremental ingest into a real persistent Chroma store with the real local embeddings."""

import pytest

from simulator.corpus.ingest import ingest
from simulator.corpus.store import open_collection


def _ids_by_source(settings):
    got = open_collection(settings).get(include=["metadatas"])
    out = {}
    for chunk_id, meta in zip(got["ids"], got["metadatas"]):
        out.setdefault(meta["source"], set()).add(chunk_id)
    return out


def test_first_ingest_then_unchanged_reingest_embeds_nothing(settings, small_corpus):
    first = ingest(settings, small_corpus)
    assert first.files_changed == 3 and first.chunks_added == first.chunks_total > 10
    again = ingest(settings, small_corpus)
    assert again.files_unchanged == 3 and again.files_changed == 0
    assert again.chunks_added == again.chunks_deleted == 0
    assert again.chunks_total == first.chunks_total


def test_changed_file_replaces_only_its_own_chunks(settings, small_corpus):
    ingest(settings, small_corpus)
    before = _ids_by_source(settings)
    path = small_corpus / "load-balancing.md"
    path.write_text(path.read_text() + "\n\n## A new section\n\nLeast-connections suits long-lived WebSocket traffic.\n")
    report = ingest(settings, small_corpus)
    after = _ids_by_source(settings)
    assert report.files_changed == 1 and report.files_unchanged == 2
    assert after["caching-strategies.md"] == before["caching-strategies.md"]
    assert after["nodejs-event-loop.md"] == before["nodejs-event-loop.md"]
    assert report.chunks_added >= 1
    assert len(before["load-balancing.md"] - after["load-balancing.md"]) == report.chunks_deleted
    assert len(after["load-balancing.md"] - before["load-balancing.md"]) == report.chunks_added


def test_deleted_file_chunks_go(settings, small_corpus):
    ingest(settings, small_corpus)
    (small_corpus / "caching-strategies.md").unlink()
    report = ingest(settings, small_corpus)
    assert report.files_removed == 1 and report.chunks_deleted > 0
    assert "caching-strategies.md" not in _ids_by_source(settings)


def test_bad_files_are_reported_and_others_still_ingest(settings, small_corpus):
    (small_corpus / "empty.md").write_bytes(b"")
    (small_corpus / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (small_corpus / "latin.txt").write_bytes("na\xefve".encode("latin-1"))
    report = ingest(settings, small_corpus)
    reasons = {s.path: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.md", "photo.md", "latin.txt"}
    assert "empty" in reasons["empty.md"] and "binary" in reasons["photo.md"]
    assert "UTF-8" in reasons["latin.txt"]
    assert set(_ids_by_source(settings)) == {
        "caching-strategies.md", "load-balancing.md", "nodejs-event-loop.md"
    }


def test_interrupted_ingest_leaves_a_consistent_store_and_the_next_run_completes(settings, small_corpus):
    calls = []

    def stop_on_second_file(message):
        calls.append(message)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(settings, small_corpus, progress=stop_on_second_file)
    partial = _ids_by_source(settings)
    assert list(partial) == ["caching-strategies.md"]  # first file complete, nothing half-written
    report = ingest(settings, small_corpus)
    assert report.files_unchanged == 1 and report.files_changed == 2
    complete = _ids_by_source(settings)

    fresh = settings.model_copy(update={"collection": "fresh-check"})
    ingest(fresh, small_corpus)
    assert _ids_by_source(fresh) == complete


def test_two_corpus_roots_in_one_store_do_not_delete_each_other(settings, small_corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.md").write_text("# Note\n\nA consistent hash ring moves about 1/N of keys.\n")
    ingest(settings, small_corpus)
    ingest(settings, other)
    again = ingest(settings, small_corpus)
    assert again.files_removed == 0
    assert "note.md" in _ids_by_source(settings)


def test_missing_corpus_directory_is_a_clear_error(settings, tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus directory not found"):
        ingest(settings, tmp_path / "nope")
