"""Loading corpus files: front matter, formats, and every kind of bad file."""

import pytest

from simulator.content.prompt_set import BUILTIN_CORPUS
from simulator.corpus.documents import DocumentError, discover, load_document


def test_markdown_front_matter_is_read(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\nid: my-id\ntitle: My title\ntopics: [x, y]\nsources: [seed:1]\n---\n# H\n\nBody text.\n")
    doc = load_document(path)
    assert (doc.doc_id, doc.title, doc.topics, doc.sources) == ("my-id", "My title", ["x", "y"], ["seed:1"])
    assert doc.text.startswith("# H") and "---" not in doc.text


def test_markdown_without_front_matter_uses_heading_and_stem(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("## Queues\n\nKafka keeps a log.\n")
    doc = load_document(path)
    assert doc.doc_id == "notes" and doc.title == "Queues"


@pytest.mark.parametrize(
    "name, payload, reason",
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"   \n\n  ", "empty file"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), "not valid UTF-8"),
        ("bad-front.md", b"---\nid: [unclosed\n---\nbody\n", "bad YAML front matter"),
        ("image.png", b"\x89PNG", "unsupported file type"),
        ("only-chrome.txt", b"Create Resume\nSign up today\n", "no article text"),
    ],
)
def test_bad_files_raise_document_error_naming_the_file(tmp_path, name, payload, reason):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert reason in str(info.value) and name in str(info.value)


def test_unreadable_and_oversized_files(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 3000)
    with pytest.raises(DocumentError, match="too large"):
        load_document(big, max_bytes=1000)
    with pytest.raises(DocumentError, match="unreadable"):
        load_document(tmp_path / "missing.md")


def test_real_corpus_front_matter_is_complete():
    paths = discover(BUILTIN_CORPUS)
    assert len(paths) >= 25
    ids = set()
    for path in paths:
        doc = load_document(path)
        assert doc.doc_id == path.stem, path
        assert doc.title and doc.topics and doc.sources, path
        ids.add(doc.doc_id)
    assert len(ids) == len(paths)
