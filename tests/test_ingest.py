"""Readers: HTML pages, .story files, datasets with configurable fields, and what goes wrong in them."""

import gzip
import json

import pytest

from newsbrief.errors import InputError
from newsbrief.ingest import Fields, iter_records, read, read_file, read_story, record_document

from conftest import FIXTURES


def test_html_page_keeps_the_article_and_drops_the_rest():
    doc = read_file(FIXTURES / "page.html")
    assert doc.title == "Floods force 80,000 from homes in southern Brazil"
    assert doc.byline == "Ana Souza"
    assert doc.date == "2024-05-07"
    assert len(doc.sentences) == 6
    assert doc.sentences[0].text.startswith("Floodwaters from the Guaíba river")
    for junk in ("Subscribe now", "SuperPhone", "Most read", "Celebrity chef", "All rights reserved"):
        assert junk not in doc.text
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text


def test_html_without_article_body():
    with pytest.raises(InputError, match="no article text"):
        read("<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_story_file_highlights_are_references():
    doc = read_story("(CNN) -- The river rose.\n\nThe town flooded.\n\n@highlight\n\nRiver rises\n\n@highlight\n\nTown floods")
    assert [s.text for s in doc.sentences] == ["The river rose.", "The town flooded."]
    assert doc.reference == ["River rises", "Town floods"]
    assert doc.dateline == "(CNN) --"


def test_jsonl_gz_and_csv_with_custom_fields(tmp_path):
    rows = [{"key": "a", "body": "First story. It is short.", "summary": "One\nTwo"}, {"key": "b", "body": "Second story."}]
    gz = tmp_path / "d.jsonl.gz"
    with gzip.open(gz, "wt") as f:
        f.write("\n".join(json.dumps(r) for r in rows) + "\n")
    records = list(iter_records(gz, Fields(id="key", article="body", highlights="summary")))
    assert [(r.id, r.highlights) for r in records] == [("a", ["One", "Two"]), ("b", None)]
    assert len(record_document(records[0]).sentences) == 2

    csv_path = tmp_path / "d.csv"
    csv_path.write_text('id,article,highlights\nx,"A story, with a comma. And more.","H1\nH2"\n', encoding="utf-8")
    (rec,) = iter_records(csv_path)
    assert rec.id == "x" and rec.highlights == ["H1", "H2"]
    assert [s.text for s in record_document(rec).sentences] == ["A story, with a comma.", "And more."]


def test_broken_records_become_error_records(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "ok", "article": "Fine."}\n{not json\n{"id": "noart"}\n[1, 2]\n{"article": "No id."}\n')
    records = list(iter_records(path))
    assert [r.id for r in records] == ["ok", "2", "noart", "4", "5"]
    assert [r.error is None for r in records] == [True, False, False, False, True]
    assert "invalid JSON" in str(records[1].error)
    assert "no 'article' field" in str(records[2].error)
