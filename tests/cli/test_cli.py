"""The command line: outputs, the batch contract, eval numbers, and exit codes for bad input."""

import gzip
import json
import subprocess
import sys

import pytest
from rouge_score import rouge_scorer

import newsbrief
from newsbrief.cli import main

from conftest import EXAMPLE, FIXTURES, shared


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_highlights_text_json_markdown(capsys):
    code, out, _ = run(capsys, "highlights", str(EXAMPLE), "--model", "lead", "--count", "2")
    assert code == 0
    assert out.splitlines() == [
        "• Floodwaters from the Guaíba river forced more than 80,000 people from their homes in southern Brazil on "
        "Tuesday, as days of torrential rain swamped neighborhoods, cut power to the city's airport and left at least "
        "37 people dead across Rio Grande do Sul state.",
        "• Rescue teams in boats and helicopters worked through the night to reach families stranded on rooftops.",
    ]
    code, out, _ = run(capsys, "highlights", str(FIXTURES / "page.html"), "--model", "lead", "--format", "json")
    brief = json.loads(out)
    assert brief["schema"] == "newsbrief.brief/1"
    assert brief["title"] == "Floods force 80,000 from homes in southern Brazil"
    assert [(h["start"], h["end"], h["sentence"]) for h in brief["highlights"]] == [(0, 226, 0), (227, 329, 1), (330, 422, 2)]
    code, out, _ = run(capsys, "highlights", str(FIXTURES / "page.html"), "--model", "lead", "--format", "markdown", "--count", "1")
    assert out.startswith("## Floods force 80,000 from homes in southern Brazil\n\n- Floodwaters from")


def test_stdin_via_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "newsbrief", "highlights", "-", "--model", "lead", "--count", "1"],
        input=b"First sentence here. Second one.", capture_output=True,
    )
    assert proc.returncode == 0
    assert proc.stdout.decode() == "• First sentence here.\n"


def test_batch_contract(tmp_path, capsys):
    data = tmp_path / "in.jsonl"
    data.write_text(
        '{"id": "a", "article": "One. Two. Three. Four."}\n'
        "{broken\n"
        '{"id": "c", "highlights": "x"}\n'
        '{"id": "d", "article": ""}\n'
        '{"id": "e", "article": "Only one."}\n'
    )
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "batch", str(data), "-o", str(out), "--model", "lead", "--count", "2")
    assert code == 0
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert [l["id"] for l in lines] == ["a", "2", "c", "d", "e"]
    assert [h["text"] for h in lines[0]["highlights"]] == ["One.", "Two."]
    assert [(h["start"], h["end"], h["sentence"]) for h in lines[0]["highlights"]] == [(0, 4, 0), (5, 9, 1)]
    assert [l.get("error", {}).get("type") for l in lines] == [None, "InputError", "InputError", "InputError", None]
    assert "3 errors" in err and "2 ok" in err


def test_eval_matches_rouge_score(capsys, validation_head, tmp_path):
    data = tmp_path / "v20.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in validation_head))
    code, out, _ = run(capsys, "eval", str(data), "--model", "lead", "--json")
    assert code == 0
    report = json.loads(out)
    (lead,) = report["models"]
    assert report["documents"] == 20
    # Pinned: Lead-3 on the first 20 validation records.
    assert (lead["R1"], lead["R2"], lead["RLsum"]) == (25.99, 9.55, 22.69)
    # The same numbers straight from Google's rouge-score.
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    for r in validation_head:
        lead3 = [h.text for h in newsbrief.highlights(r["article"], count=3, model="lead")]
        s = scorer.score(r["highlights"], "\n".join(lead3))
        for k in totals:
            totals[k] += s[k].fmeasure * 100 / len(validation_head)
    assert lead["R1"] == round(totals["rouge1"], 2)
    assert lead["R2"] == round(totals["rouge2"], 2)
    assert lead["RLsum"] == round(totals["rougeLsum"], 2)


def test_eval_on_shared_validation_prints_a_table(capsys):
    code, out, _ = run(capsys, "eval", str(shared("cnndm", "validation.jsonl.gz")), "--model", "lead", "--limit", "30")
    assert code == 0
    assert "ROUGE F1 ×100 on 30 documents" in out
    # The first 30 records are all CNN's: one row, no by-source breakdown.
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│")]
    assert rows == [["lead", "all", "27.89", "11.24", "24.96", "24.09–32.24", "70.4"]]


# --- bad input: one clear line on stderr, a non-zero exit, no traceback ---------------------------


@pytest.fixture
def bad_inputs(tmp_path):
    files = {}
    files["empty"] = tmp_path / "empty.txt"
    files["empty"].write_text("")
    files["binary"] = tmp_path / "binary.txt"
    files["binary"].write_bytes(bytes(range(256)) * 10)
    files["cyrillic"] = tmp_path / "cp1251.txt"  # Latin-1 is read (tests/test_ingest_inputs.py); this is not
    files["cyrillic"].write_bytes("Президент заявил. Депутаты согласились.".encode("cp1251"))
    files["huge"] = tmp_path / "huge.txt"
    files["huge"].write_text("All work and no play makes Jack a dull boy. " * 460_000)  # ~20 MB
    files["nobody"] = tmp_path / "nav.html"
    files["nobody"].write_text("<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>")
    files["directory"] = tmp_path
    files["missing"] = tmp_path / "missing.txt"
    return files


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty", "is empty"),
        ("binary", "looks like a binary file"),
        ("cyrillic", "is not valid UTF-8 (bad byte at offset 0) nor clearly Windows-1252/Latin-1 text"),
        ("huge", "is too large (19.3 MB; the limit is 10 MB)"),
        ("nobody", "no article text found in the HTML page"),
        ("directory", "is a directory"),
        ("missing", "no such file"),
    ],
)
def test_bad_input_exit_codes(bad_inputs, case, message):
    proc = subprocess.run(
        [sys.executable, "-m", "newsbrief", "highlights", str(bad_inputs[case]), "--model", "lead"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("newsbrief: error: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("count", ["0", "-2", "three"])
def test_bad_count_is_a_usage_error(count, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["highlights", str(EXAMPLE), "--count", count])
    assert exit.value.code == 2
    assert "--count" in capsys.readouterr().err


def test_unknown_model(capsys):
    code, _, err = run(capsys, "highlights", str(EXAMPLE), "--model", "nope")
    assert code == 1 and "unknown model 'nope'" in err


def test_batch_missing_input_and_unwritable_output(tmp_path, capsys):
    code, _, err = run(capsys, "batch", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert code == 1 and "no such file" in err
    data = tmp_path / "in.jsonl"
    data.write_text('{"id": "a", "article": "One."}\n')
    code, _, err = run(capsys, "batch", str(data), "-o", str(tmp_path / "no" / "dir" / "o.jsonl"), "--model", "lead")
    assert code == 1 and "cannot write" in err


def test_dataset_given_to_highlights_points_to_batch(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text('{"id": "a", "article": "One."}\n')
    code, _, err = run(capsys, "highlights", str(data))
    assert code == 1 and "is a dataset" in err and "newsbrief batch" in err


def test_no_input_on_a_terminal_does_not_hang():
    import os
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "newsbrief", "highlights"], stdin=slave,
                              capture_output=True, text=True, timeout=30)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 1
    assert "no input" in proc.stderr


def test_train_then_use_the_trained_directory(tmp_path, capsys):
    rows = []
    with gzip.open(shared("cnndm", "train.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            rows.append(line)
            if len(rows) == 150:
                break
    data = tmp_path / "train150.jsonl"
    data.write_text("".join(rows))
    out = tmp_path / "model"
    code, _, err = run(capsys, "train", str(data), "--out", str(out))
    assert code == 0 and "150 documents" in err
    assert json.loads((out / "meta.json").read_text())["kind"] == "rerank"
    code, text, _ = run(capsys, "highlights", str(EXAMPLE), "--model", str(out), "--format", "json")
    brief = json.loads(text)
    assert code == 0 and brief["model"] == str(out) and len(brief["highlights"]) == 2  # this model chose 2
    assert brief["highlights"][0]["start"] == 30  # the lead sentence, after the dateline
