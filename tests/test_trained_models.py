"""A tiny model of every kind `newsbrief train` offers, used through every way in: `highlights`, `batch`
(local and Dask), `eval`, `serve` (real requests to a real server) and the Python API — each gives the
highlights that loading the directory in Python gives."""

import gzip
import importlib.util
import json

import httpx
import pytest

import newsbrief
from newsbrief.cli import main
from newsbrief.evaluate import score_pairs
from newsbrief.ingest import iter_records, record_document
from newsbrief.registry import trainable_kinds

from conftest import shared
from service_support import serve_command

# Records to train on: a compressor trained on fewer makes no cuts at all (it needs ~500 proposed cuts).
TRAIN_RECORDS = {"fast": 200, "rerank": 200, "compress": 600, "context": 200}
USE_RECORDS = 12


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Trained directories by kind, from one `newsbrief train` run per kind (oracle labels shared)."""
    root = tmp_path_factory.mktemp("models")
    data = str(shared("cnndm", "train.jsonl.gz"))
    out = {}
    for kind in trainable_kinds():
        if kind == "context" and importlib.util.find_spec("torch") is None:
            continue  # needs torch, which the shipped models do not (test_context_training_says_what_it_needs)
        out[kind] = root / kind
        code = main(["train", data, "--model", kind, "--limit", str(TRAIN_RECORDS[kind]), "--workers", "2",
                     "--cache", str(root / "cache"), "--out", str(out[kind])])
        assert code == 0, kind
    return out


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """Validation records to use the models on, as a JSONL file and as dicts."""
    path = tmp_path_factory.mktemp("data") / "use.jsonl"
    rows = []
    with gzip.open(shared("cnndm", "validation.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) == USE_RECORDS:
                break
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path, rows


def _configurations(models):
    """(--model, --compressor) pairs covering every trained kind."""
    highlights = [k for k in models if k != "compress"]
    return [(str(models[k]), str(models["compress"]) if k == "rerank" else None) for k in highlights]


def _flags(model, compressor):
    return ["--model", model, *(["--compressor", compressor] if compressor else [])]


def test_every_kind_train_offers_was_trained(models):
    assert set(models) | {"context"} == set(trainable_kinds()) == {"compress", "context", "fast", "rerank"}
    for kind, path in models.items():
        assert json.loads((path / "meta.json").read_text())["kind"] == kind


def test_context_training_says_what_it_needs(tmp_path, capsys):
    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed: the context model trains like the others (test above)")
    assert main(["train", "x.jsonl", "--model", "context", "--out", str(tmp_path)]) == 1
    assert "the context model needs torch" in capsys.readouterr().err


def test_a_trained_directory_works_through_every_command_and_the_api(models, records, tmp_path, capsys):
    path, rows = records
    docs = [record_document(r) for r in iter_records(path)]
    for model, compressor in _configurations(models):
        nb = newsbrief.load(model=model, compress=compressor or False)
        want = [nb(doc).to_dict()["highlights"] for doc in docs]
        assert all(want)
        assert compressor is None or sum(any("spans" in h for h in hs) for hs in want) == 5  # the trained compressor cuts
        assert [[h.to_dict() for h in newsbrief.highlights(doc, model=model, compress=compressor or False)]
                for doc in docs] == want

        # highlights
        article = tmp_path / "article.txt"
        article.write_text(rows[0]["article"])
        assert main(["highlights", str(article), *_flags(model, compressor), "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["highlights"] == want[0]

        # batch, on both engines
        for engine in ("local", "dask"):
            out = tmp_path / f"{engine}.jsonl"
            assert main(["batch", str(path), "-o", str(out), *_flags(model, compressor), "--engine", engine,
                         "--workers", "2", "--chunk-size", "5", "--progress", "off"]) == 0
            briefs = [json.loads(line) for line in out.read_text().splitlines()]
            assert [b["highlights"] for b in briefs] == want, engine
            assert {b["model"] for b in briefs} == {model}
        capsys.readouterr()

        # eval: ROUGE of these same highlights
        assert main(["eval", str(path), *_flags(model, compressor), "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        scores = score_pairs([[h["text"] for h in hs] for hs in want], [d.reference for d in docs]).mean(0)
        assert report["models"][0]["model"] == model
        assert [report["models"][0][k] for k in ("R1", "R2", "RLsum")] == [round(float(s), 2) for s in scores]

        # serve: a real server with the trained model as its default, and requests naming it
        with serve_command(tmp_path / "serve.log", *_flags(model, compressor), "--workers", "1") as url:
            assert httpx.get(f"{url}/v1/models").json()["default"] == model
            for body in ({}, {"model": model}):
                r = httpx.post(f"{url}/v1/brief", json={"text": rows[0]["article"], "compress": bool(compressor), **body},
                               timeout=60)
                assert r.status_code == 200, r.text
                assert r.json()["highlights"] == want[0]
            r = httpx.post(f"{url}/v1/brief/batch", timeout=60, json={
                "articles": [{"id": r["id"], "text": r["article"]} for r in rows], "compress": bool(compressor)})
            assert [b["highlights"] for b in r.json()["results"]] == want
            # Only the server's own model directory: a request cannot name another path on the server.
            other = str(models["compress"] if compressor is None else models["fast"])
            r = httpx.post(f"{url}/v1/brief", json={"text": rows[0]["article"], "model": other}, timeout=60)
            assert r.status_code == 422 and "unknown model" in r.json()["error"]["message"]
