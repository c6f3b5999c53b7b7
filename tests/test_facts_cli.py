"""`newsbrief facts` through the main command line."""

import io
import json

import pytest
from conftest import shared

from newsbrief.cli import main


def _run(argv, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_brief_of_the_sample(capsys):
    code, out, err = _run(["facts", str(shared("samples", "derna.json"))], capsys)
    assert code == 0 and err == ""
    brief = json.loads(out)
    assert brief["schema"] == "newsbrief.brief/1" and brief["id"] == "sample-derna"
    speakers = {q["speaker"] for q in brief["facts"]["quotes"]}
    assert speakers == {"Noman Benotman", "Aaron Zelin", "Mujahideen of Libya", "David Cameron"}


def test_markdown_from_stdin(capsys, monkeypatch):
    text = '"We are ready," said Jane Smith, the mayor. Two people were killed in Riverton.\n'
    code, out, _ = _run(["facts", "-", "--format", "markdown"], capsys, stdin=text, monkeypatch=monkeypatch)
    assert code == 0
    assert "- **Jane Smith** — the mayor (1 mention)" in out
    assert "- **Jane Smith**: “We are ready,”" in out
    assert "Two killed" in out


@pytest.mark.parametrize(
    "name, content, message",
    [("in.txt", "", "in.txt is empty"), ("in.json", '{"title": "x"}', "a JSON input needs an 'article' string field"),
     ("in.json", "{not json", "is not valid JSON"), ("in.jsonl", '{"article": "x"}', "is a dataset; brief its records with `newsbrief batch")],
)  # fmt: skip
def test_bad_input_is_one_line_and_nonzero(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    code, out, err = _run(["facts", str(path)], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("newsbrief: error: ") and message in err


def test_missing_file(capsys):
    code, _, err = _run(["facts", "no/such/file.txt"], capsys)
    assert code == 1 and err == "newsbrief: error: no/such/file.txt: no such file\n"


def test_brief_with_facts_from_the_python_api(derna_text):
    from newsbrief.brief import make_brief
    from newsbrief.options import BriefOptions
    from newsbrief.ingest import read_text

    brief = make_brief(read_text(derna_text, id="derna"), BriefOptions(model="lead", count=3, facts=True))
    assert brief["schema"] == "newsbrief.brief/1" and len(brief["highlights"]) == 3
    facts = brief["facts"]
    assert [c["killed"]["value"] if c["killed"] else None for c in facts["casualties"]] == [3, 1, 4, 6, 21]
    benotman = next(e for e in facts["entities"] if e["name"] == "Noman Benotman")
    assert benotman["mentions"] == 9 and benotman["type"] == "person"
    json.dumps(brief)  # JSON as it is, for batch lines and the HTTP API
