"""Batch never harms its inputs and never loses a record: harmful outputs are refused, a symlink is
written through, a lone surrogate, a broken CSV row or a facts crash costs one record (or its facts) only."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest

from newsbrief.batch import run_batch
from newsbrief.cli import main
from newsbrief.options import BriefOptions

from conftest import EXAMPLE, shared

ARTICLE = EXAMPLE.read_text(encoding="utf-8")
LEAD = BriefOptions(model="lead")


def cli(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().err


def lines_of(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- outputs that would harm an input -------------------------------------------------------------


def test_an_article_file_as_its_own_output_is_refused(tmp_path, capsys):
    article = tmp_path / "art.txt"
    article.write_text(ARTICLE)
    code, err = cli(capsys, "batch", str(article), "-o", str(article), "--model", "lead")
    assert (code, err) == (1, f"newsbrief: error: {article} is also an input; write the output elsewhere\n")
    assert article.read_text() == ARTICLE


def test_an_output_inside_an_input_directory_is_refused(tmp_path, capsys):
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (tmp_path / "alias").symlink_to(folder)
    for target in (folder / "a.txt", folder / "briefs.jsonl", tmp_path / "alias" / "new.jsonl"):
        code, err = cli(capsys, "batch", str(folder), "-o", str(target), "--model", "lead")
        assert code == 1, target
        assert err == (f"newsbrief: error: {target} lies inside the input directory {folder}: a later run would read it "
                       "as an article; write the output elsewhere\n")
    assert (folder / "a.txt").read_text() == ARTICLE and os.listdir(folder) == ["a.txt"]


def test_a_glob_that_matches_the_output_is_refused(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ARTICLE)
    out = tmp_path / "out.txt"
    out.write_text("an earlier output\n")
    code, err = cli(capsys, "batch", str(tmp_path / "*.txt"), "-o", str(out), "--model", "lead")
    assert (code, err) == (1, f"newsbrief: error: {out} is also an input; write the output elsewhere\n")


def test_a_fifo_or_device_output_is_refused_and_left_as_it_is(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    code, err = cli(capsys, "batch", str(article), "-o", str(fifo), "--model", "lead")
    assert code == 1 and err.startswith(f"newsbrief: error: cannot write {fifo}: it is a pipe (a FIFO, or a <(...) substitution)")
    assert fifo.is_fifo()
    code, err = cli(capsys, "batch", str(article), "-o", "/dev/null", "--model", "lead")
    assert code == 1 and err.startswith("newsbrief: error: cannot write /dev/null: it is a device; batch writes a regular .jsonl file")
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_symlinked_output_is_written_through(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "briefs.jsonl"
    target.write_text("old\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    run_batch(article, link, options=LEAD, workers=1, progress="off")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert [r["id"] for r in lines_of(target)] == [str(article)]
    assert not list(tmp_path.glob("*.job")) and not list((tmp_path / "real").glob("*.job"))


@pytest.mark.parametrize("how", ["fifo", "substitution"])
def test_a_pipe_as_batch_input_gets_a_clear_message(tmp_path, how):
    out = tmp_path / "o.jsonl"
    if how == "fifo":
        fifo = tmp_path / "in.jsonl"
        os.mkfifo(fifo)
        command = [sys.executable, "-m", "newsbrief", "batch", str(fifo), "-o", str(out), "--model", "lead"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        name = str(fifo)
    else:
        command = f'"{sys.executable}" -m newsbrief batch <(echo "{{}}") -o "{out}" --model lead'
        done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
        name = "/dev/fd/63"
    assert done.returncode == 1
    assert done.stderr.startswith(f"newsbrief: error: {name} is a pipe (a FIFO, or a <(...) substitution): batch reads "
                                  "its inputs more than once"), done.stderr
    assert not out.exists()


# --- every record gets its line -------------------------------------------------------------------


def test_a_lone_surrogate_is_one_error_record_and_resume_finishes(tmp_path):
    data = tmp_path / "s.jsonl"
    data.write_text(
        json.dumps({"id": "a", "article": ARTICLE}) + "\n"
        + '{"id": "b", "article": "Broken \\ud800 text. It goes on for a while. And on."}\n'
        + '{"id": "c\\udc80", "article": "A sentence here. And another one."}\n'
        + json.dumps({"id": "d", "article": ARTICLE, "highlights": "x"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.jsonl"
    summary = run_batch(data, out, options=LEAD, workers=1, chunk_records=1, progress="off")
    lines = lines_of(out)
    assert [r["id"] for r in lines] == ["a", "b", "c\\udc80", "d"]
    assert lines[1]["error"]["message"] == "b: article holds a lone surrogate (U+D800) at character 7: it is not valid Unicode text"
    assert "error" not in lines[0] and "error" not in lines[2] and "error" not in lines[3]
    assert (summary.ok, summary.errors) == (3, 1)
    # And a run that had stopped part-way resumes to the same end.
    first = out.read_bytes()
    out.unlink()
    assert run_batch(data, out, options=LEAD, workers=1, chunk_records=1, progress="off", resume=True).errors == 1
    assert out.read_bytes() == first


def test_a_result_that_cannot_be_written_as_json_is_its_error_line():
    from newsbrief.brief import json_line

    line = json.loads(json_line({"id": "x\ud800", "schema": "s", "title": "t\udfff"}))
    assert line["id"] == "x\ud800"  # ASCII-escaped, so the line itself is valid UTF-8
    assert line["error"]["type"] == "UnicodeEncodeError"
    assert line["error"]["message"].startswith("the result could not be written as JSON: 'utf-8' codec can't encode")


def test_a_broken_csv_row_is_one_error_record_and_the_rows_after_it_are_read(tmp_path):
    data = tmp_path / "s.csv"
    data.write_text(
        'id,article\n'
        'a,"' + ARTICLE.replace('"', '""') + '"\n'
        'b,"A broken row whose quote is never closed. It goes on.\n'
        'c,"The third story is here. It is complete."\n'
        'd,Plain fourth story. It has no quotes.\n',
        encoding="utf-8",
    )
    out = tmp_path / "o.jsonl"
    for workers in (1, 2):
        run_batch(data, out, options=LEAD, workers=workers, progress="off")
        lines = lines_of(out)
        assert [r["id"] for r in lines] == ["a", "2", "c", "d"]
        assert lines[1]["error"]["message"] == "row 2: broken CSV: ',' expected after '\"' (a quote that is never closed?)"
        assert lines[2]["highlights"][0]["text"] == "The third story is here."
        out.unlink()


def test_the_facts_crash_is_fixed_and_its_story_is_briefed(tmp_path):
    # validation-003509: every mention of "House" is an organisation tag followed by "office": no votes.
    with gzip.open(shared("cnndm", "validation-cased.jsonl.gz"), "rt", encoding="utf-8") as f:
        story = next(r for r in map(json.loads, f) if r["id"] == "validation-003509")
    data = tmp_path / "one.jsonl"
    data.write_text(json.dumps(story) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    run_batch(data, out, options=BriefOptions(model="lead", facts=True), workers=1, progress="off")
    (line,) = lines_of(out)
    assert "error" not in line and "facts_error" not in line
    assert len(line["highlights"]) == 3
    entities = {e["name"]: e["type"] for e in line["facts"]["entities"]}
    assert entities["House"] == "organization" and entities["Aaron Schock"] == "person"


def test_a_facts_failure_keeps_the_highlights_and_says_why(monkeypatch, tmp_path):
    import newsbrief.facts

    def broken(doc):
        raise IndexError("list index out of range")

    monkeypatch.setattr(newsbrief.facts, "extract_facts", broken)
    data = tmp_path / "one.jsonl"
    data.write_text(json.dumps({"id": "a", "article": ARTICLE}) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    summary = run_batch(data, out, options=BriefOptions(model="lead", facts=True), workers=1, progress="off")
    (line,) = lines_of(out)
    assert (summary.ok, summary.errors) == (1, 0)
    assert len(line["highlights"]) == 3 and "facts" not in line
    assert line["facts_error"] == {"type": "IndexError", "message": "the facts could not be extracted: list index out of range"}
