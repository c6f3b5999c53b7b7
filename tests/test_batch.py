"""Batch at scale: the same bytes from every engine, every bad record its own error line, and exit codes."""

import csv
import gzip
import json
import resource
import subprocess
import sys

import pytest

from newsbrief.batch import Progress, run_batch
from newsbrief.batch import plan as plan_module
from newsbrief.brief import error_record, make_brief
from newsbrief.cli import main
from newsbrief.errors import InputError
from newsbrief.ingest import iter_records, record_document
from newsbrief.options import BriefOptions

from conftest import EXAMPLE, FIXTURES, shared

LEAD = BriefOptions(model="lead")
OPTIONS = BriefOptions(model="lead", count=3)


def expected(path) -> bytes:
    """The contract, computed the plain sequential way: one line per record, in order."""
    lines = []
    for r in iter_records(path):
        try:
            brief = make_brief(record_document(r), OPTIONS)
        except InputError as e:
            brief = error_record(r.id, e)
        lines.append(json.dumps(brief, ensure_ascii=False) + "\n")
    return "".join(lines).encode()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """600 validation records as JSONL, with a blank line and a broken one mixed in."""
    src = shared("cnndm", "validation.jsonl.gz")
    path = tmp_path_factory.mktemp("data") / "v600.jsonl"
    with gzip.open(src, "rt", encoding="utf-8") as f, open(path, "w", encoding="utf-8") as out:
        for n, line in enumerate(f):
            if n == 600:
                break
            out.write(line)
            if n == 100:
                out.write("\n{not json\n")
    return path


def cli(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_local_engine_matches_the_sequential_contract(dataset, tmp_path, capsys):
    want = expected(dataset)
    assert want.count(b"\n") == 601
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        code, err = cli(capsys, "batch", str(dataset), "-o", str(out), "--model", "lead", "--workers", workers,
                        "--chunk-size", "64", "--progress", "off")
        assert code == 0
        assert out.read_bytes() == want
        assert "600 ok, 1 errors" in err
        assert not (tmp_path / f"w{workers}.jsonl.job").exists()
    lines = want.decode().splitlines()
    assert json.loads(lines[101]) == {"id": "102", "error": {"type": "InputError",
                                      "message": "record 102: invalid JSON (Expecting property name enclosed in double quotes)"}}


def test_dask_engine_gives_identical_output(dataset, tmp_path):
    from distributed import LocalCluster

    want = expected(dataset)
    # The engine's own LocalCluster (worker processes) ...
    out = tmp_path / "dask.jsonl.gz"
    summary = run_batch(dataset, out, options=LEAD, engine="dask", workers=2, chunk_records=64, progress="off")
    assert (summary.ok, summary.errors, summary.workers) == (600, 1, 2)
    assert gzip.decompress(out.read_bytes()) == want
    # ... and a scheduler given by address.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        out = tmp_path / "dask2.jsonl"
        run_batch(dataset, out, options=LEAD, engine="dask", scheduler=cluster.scheduler_address,
                  chunk_records=50, progress="off")
        assert out.read_bytes() == want


def test_dask_local_cluster_workers_run_quiet():
    """The LocalCluster's workers run without Dask's profiler and without the nanny's malloc setting,
    which together cost ~0.9 ms of CPU per article over the local pool (docs/benchmarks.md, Batch)."""
    import os

    import dask

    from distributed import get_client

    from newsbrief.batch.dask_engine import dask_engine

    engine = dask_engine(None, 1)
    try:
        got = get_client().run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS"),
                                         dask.config.get("distributed.worker.profile.enabled")))
    finally:
        engine.close()
    assert list(got.values()) == [(None, "1", False)]


def test_gz_output_is_one_valid_gzip_and_deterministic(dataset, tmp_path):
    a, b = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    run_batch(dataset, a, options=LEAD, workers=1, chunk_records=100, progress="off")
    run_batch(dataset, b, options=LEAD, workers=2, chunk_records=100, progress="off")
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()) == expected(dataset)


def test_several_inputs_of_every_kind(dataset, tmp_path):
    rows = [json.loads(l) for l in dataset.read_text().splitlines()[:30] if l.startswith('{"id"')]
    gz = tmp_path / "part.jsonl.gz"
    gz.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    table = tmp_path / "part.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "article", "highlights"], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(EXAMPLE.read_text())
    (folder / "sub" / "b.html").write_text((FIXTURES / "page.html").read_text())
    (folder / "c.story").write_text("First line of story. Second.\n\n@highlight\n\none\n")
    (folder / ".hidden").write_text("skipped")
    out = tmp_path / "all.jsonl"
    summary = run_batch([gz, table, folder, dataset], out, options=LEAD, workers=2, chunk_records=7, progress="off")
    got = out.read_text().splitlines()
    assert len(got) == 30 + 30 + 3 + 601
    assert [json.loads(l)["id"] for l in got[60:63]] == ["a.txt", "c.story", "sub/b.html"]
    want = expected(gz) + expected(table)
    assert "\n".join(got[:60]).encode() + b"\n" == want
    assert "\n".join(got[63:]).encode() + b"\n" == expected(dataset)
    assert json.loads(got[62])["title"] == "Floods force 80,000 from homes in southern Brazil"
    assert (summary.ok, summary.errors) == (663, 1)


def test_bad_records_each_get_an_error_line(tmp_path, monkeypatch):
    big = "word. " * 900_000  # 5.4 MB
    data = tmp_path / "bad.jsonl"
    data.write_text(
        '{"id": "a", "article": "One. Two."}\n'
        "{broken\n"
        '{"id": "c", "highlights": "x"}\n'
        + json.dumps({"id": "d", "article": big}) + "\n"
        + '"just a string"\n'
        '{"id": "f", "article": "Last. One."}\n'
    )
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "bin.dat").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (folder / "big.txt").write_text(big)
    (folder / "empty.txt").write_text("")
    (folder / "ok.txt").write_text("A sentence. Another one.")
    out = tmp_path / "out.jsonl"
    summary = run_batch([data, folder], out, options=LEAD, workers=1, chunk_records=2, progress="off")
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert [l["id"] for l in lines] == ["a", "2", "c", "d", "5", "f", "big.txt", "bin.dat", "empty.txt", "ok.txt"]
    assert [l["error"]["message"] if "error" in l else None for l in lines] == [
        None,
        "record 2: invalid JSON (Expecting property name enclosed in double quotes)",
        "record c has no 'article' field",
        "d: article is too long (5,400,000 characters; the limit is 1,000,000)",
        "record 5 is not a JSON object",
        None,
        "article is too long (5,400,000 characters; the limit is 1,000,000)",
        f"{folder / 'bin.dat'} looks like a binary file, not text",
        f"{folder / 'empty.txt'} is empty",
        None,
    ]
    assert (summary.ok, summary.errors) == (3, 7)


def test_a_line_too_long_to_read_is_an_error_record(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_module, "MAX_LINE_BYTES", 2000)  # rather than writing a 64 MB line
    data = tmp_path / "long.jsonl"
    data.write_text('{"id": "a", "article": "One."}\n{"id": "b", "article": "' + "x" * 5000 + '"}\n{"id": "c", "article": "Two."}\n')
    out = tmp_path / "out.jsonl"
    run_batch(data, out, options=LEAD, workers=1, progress="off")
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert [l["id"] for l in lines] == ["a", "2", "c"]
    assert lines[1]["error"]["message"] == "record 2: line too long (5,027 bytes; the limit is 2,000)"


def test_exit_codes_and_messages(dataset, tmp_path, capsys):
    out = str(tmp_path / "o.jsonl")
    code, err = cli(capsys, "batch", str(tmp_path / "missing.jsonl"), "-o", out)
    assert (code, err) == (1, f"newsbrief: error: {tmp_path / 'missing.jsonl'}: no such file or directory\n")
    code, err = cli(capsys, "batch", str(tmp_path / "*.none"), "-o", out)
    assert (code, err) == (1, f"newsbrief: error: {tmp_path / '*.none'}: no files match\n")
    code, err = cli(capsys, "batch", str(dataset), "-o", str(tmp_path / "no" / "o.jsonl"), "--model", "lead")
    assert code == 1 and "cannot write" in err and "Traceback" not in err
    code, err = cli(capsys, "batch", str(dataset), "-o", str(tmp_path), "--model", "lead")
    assert (code, err) == (1, f"newsbrief: error: cannot write {tmp_path}: it is a directory\n")
    code, err = cli(capsys, "batch", str(dataset), "-o", out, "--model", "nope")
    assert code == 1 and "unknown model 'nope'" in err
    code, err = cli(capsys, "batch", str(dataset), "-o", out, "--scheduler", "tcp://127.0.0.1:1")
    assert (code, err) == (1, "newsbrief: error: --scheduler needs --engine dask\n")
    code, err = cli(capsys, "batch", str(dataset), "-o", str(dataset), "--model", "lead")
    assert code == 1 and "is also an input" in err
    with pytest.raises(SystemExit) as exit:
        main(["batch", str(dataset), "-o", out, "--workers", "0"])
    assert exit.value.code == 2
    assert not (tmp_path / "o.jsonl").exists() and not (tmp_path / "o.jsonl.job").exists()


def test_dask_scheduler_unreachable(dataset, tmp_path, capsys):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code, err = cli(capsys, "batch", str(dataset), "-o", str(tmp_path / "o.jsonl"), "--model", "lead",
                        "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1 and err.startswith("newsbrief: error: cannot connect to the Dask scheduler at tcp://127.0.0.1:9")


def _interrupt_after(monkeypatch, chunks: int):
    """Make the (inline) engine die after `chunks` chunks, the way a kill would."""
    import newsbrief.batch as batch

    real, calls = batch.run_chunk, []

    def run_chunk(chunk, options):
        if len(calls) == chunks:
            raise KeyboardInterrupt
        calls.append(chunk.index)
        return real(chunk, options)

    monkeypatch.setattr(batch, "run_chunk", run_chunk)


def test_resume_after_interrupt_and_a_torn_write(dataset, tmp_path, monkeypatch, capsys):
    out = tmp_path / "r.jsonl"
    job = tmp_path / "r.jsonl.job"
    with monkeypatch.context() as m:
        _interrupt_after(m, 3)
        with pytest.raises(KeyboardInterrupt):
            run_batch(dataset, out, options=LEAD, workers=1, chunk_records=50, progress="off")
    assert "150 records kept: continue with --resume" in capsys.readouterr().err
    state = json.loads((job / "state.json").read_text())
    assert (state["merged"], state["ok"], state["errors"]) == (3, 149, 1)
    # What a kill -9 mid-write leaves: half a line past the committed length, a temporary part file,
    # and a merged part not yet deleted.
    with open(job / "output", "ab") as f:
        f.write(b'{"schema": "newsbrief.brief/1", "id": "torn')
    (job / "parts" / ".000000003.50.0.part.abc.tmp").write_bytes(b"half")
    (job / "parts" / "000000001.50.0.part").write_bytes(b"stale\n")
    code, err = cli(capsys, "batch", str(dataset), "-o", str(out), "--model", "lead", "--chunk-size", "50")
    assert code == 1 and "continue it with --resume" in err  # never silently thrown away
    code, err = cli(capsys, "batch", str(dataset), "-o", str(out), "--model", "lead", "--chunk-size", "60", "--resume")
    assert code == 1 and "cannot resume r.jsonl: the chunks differ" in err
    code, err = cli(capsys, "batch", str(dataset), "-o", str(out), "--model", "lead", "--chunk-size", "50",
                    "--resume", "--workers", "2", "--progress", "off")
    assert code == 0, err
    assert "600 ok, 1 errors" in err and "150 were done before this run resumed" in err
    assert out.read_bytes() == expected(dataset)
    assert not job.exists()
    code, err = cli(capsys, "batch", str(dataset), "-o", str(out), "--model", "lead", "--resume")
    assert code == 0 and err.startswith("600 ok, 1 errors")  # already complete: nothing to do


def test_full_disk_stops_with_a_clear_error_and_resumes(dataset, tmp_path):
    """A file-size limit stands in for a full disk: writes fail with an OSError (EFBIG, like ENOSPC)."""
    out = tmp_path / "full.jsonl"
    cmd = [sys.executable, "-m", "newsbrief", "batch", str(dataset), "-o", str(out), "--model", "lead",
           "--workers", "2", "--chunk-size", "50", "--progress", "off"]

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("newsbrief: error: cannot write") and "File too large" in proc.stderr
    assert proc.stderr.endswith("records are kept: fix it, then run again with --resume\n")
    assert "Traceback" not in proc.stderr
    assert not out.exists() and (tmp_path / "full.jsonl.job" / "state.json").exists()
    proc = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == expected(dataset)


def test_kill_9_and_resume(tmp_path):
    """kill -9 at three points of a run; the resumed output equals an uninterrupted one, byte for byte."""
    src = shared("cnndm", "validation.jsonl.gz")
    data = tmp_path / "in.jsonl"
    with gzip.open(src, "rb") as f, open(data, "wb") as out:
        out.write(f.read())  # 4,368 records
    out = tmp_path / "k.jsonl"
    cmd = [sys.executable, "-m", "newsbrief", "batch", str(data), "-o", str(out), "--model", "lead",
           "--workers", "2", "--chunk-size", "40", "--progress", "off", "--resume"]
    state = tmp_path / "k.jsonl.job" / "state.json"
    merged = []
    for _ in range(3):
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        before = json.loads(state.read_text())["merged"] if state.exists() else 0
        # Kill once this run has merged a few chunks of its own: mid-run, with workers mid-chunk.
        for _ in range(600):
            try:
                if proc.poll() is None and json.loads(state.read_text())["merged"] >= before + 5:
                    break
            except (OSError, ValueError):
                pass
            subprocess.run(["sleep", "0.02"])
        proc.kill()
        proc.wait()
        merged.append(json.loads(state.read_text())["merged"])
    assert merged == sorted(set(merged)) and merged[-1] < 110  # three kills, each after progress, none at the end
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = out.read_bytes()
    assert got.count(b"\n") == 4368
    ids = [json.loads(l)["id"] for l in got.splitlines()]
    assert len(set(ids)) == 4368 and ids == sorted(ids)
    assert got == expected(data)


def test_progress_lines_when_not_a_terminal(capsys):
    bar = Progress("lines", total=1000, interval=0)
    bar.advance(250, 500)
    bar.close()
    assert capsys.readouterr().err.startswith("newsbrief: 250 articles (50%), ")
    assert Progress("auto", total=10).mode == "lines"  # pytest's stderr is not a terminal


def _square_sum(chunk):
    return sum(x * x for x in chunk)


@pytest.mark.parametrize("workers", [1, 2])
def test_map_ordered_keeps_input_order(workers):
    from newsbrief.batch import map_ordered

    chunks = [list(range(i, i + 5)) for i in range(0, 200, 5)]
    assert list(map_ordered(_square_sum, chunks, workers=workers)) == [_square_sum(c) for c in chunks]


def test_eval_on_the_batch_engines_gives_the_same_report(validation_head, tmp_path, capsys):
    from newsbrief.evaluate import evaluate
    from newsbrief.ingest import read

    docs = [read(r["article"], id=r["id"], source=r["source"], reference=r["highlights"].splitlines())
            for r in validation_head]
    one = evaluate(docs, [LEAD], chunk=6).to_dict()
    assert evaluate(docs, [LEAD], chunk=6, workers=2).to_dict() == one
    data = tmp_path / "v20.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in validation_head))
    assert main(["eval", str(data), "--model", "lead", "--json", "--workers", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == one["documents"] == 20
    assert report["models"] == one["models"]  # the figures themselves are pinned in test_cli
