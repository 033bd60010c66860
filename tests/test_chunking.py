"""Token-aware chunking keeps heading paths and content-derived ids."""

from pathlib import Path

from simulator.corpus.chunking import chunk_document
from simulator.corpus.documents import Document
from simulator.tokens import count_tokens


def _doc(text: str, doc_id: str = "d") -> Document:
    return Document(doc_id=doc_id, title="Caching", text=text, path=Path("d.md"), content_hash="h")


LONG_SECTION = " ".join(f"Sentence {i} explains why a cache stampede hurts the database." for i in range(200))
TEXT = f"# Caching\n\nIntro line.\n\n## Stampedes\n\n{LONG_SECTION}\n\n### Coalescing\n\nOne request refills the key.\n"


def test_chunks_respect_the_token_budget_and_keep_heading_paths():
    chunks = chunk_document(_doc(TEXT), chunk_tokens=120, overlap_tokens=20)
    assert len(chunks) > 5
    assert all(count_tokens(c.text) <= 120 for c in chunks)
    headings = [c.heading for c in chunks]
    assert headings[0] == ""  # the H1 equals the title and is not repeated
    assert "Stampedes" in headings
    assert headings[-1] == "Stampedes > Coalescing"
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_chunk_ids_are_stable_and_change_only_with_content():
    first = chunk_document(_doc(TEXT), 120, 20)
    again = chunk_document(_doc(TEXT), 120, 20)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    edited = chunk_document(_doc(TEXT.replace("One request refills", "A single request refills")), 120, 20)
    gone = {c.chunk_id for c in first} - {c.chunk_id for c in edited}
    added = {c.chunk_id for c in edited} - {c.chunk_id for c in first}
    # Only the chunk holding the edited sentence changes; every other id survives.
    assert gone == {c.chunk_id for c in first if "One request refills" in c.text}
    assert added == {c.chunk_id for c in edited if "A single request refills" in c.text}
    assert len(gone) == 1


def test_duplicate_text_gets_distinct_ids():
    para = "Same words here in this paragraph again.\n\nOther filler text long enough to split.\n\n"
    chunks = chunk_document(_doc("## A\n\n" + para * 3), 12, 0)
    texts = [c.text for c in chunks]
    assert texts.count("Same words here in this paragraph again.") == 3
    assert len({c.chunk_id for c in chunks}) == len(chunks) == 6
