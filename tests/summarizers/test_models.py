"""The learned models (`rerank`, the default, and `fast`): training on a tiny slice, the shipped files,
and a real cased article."""

import re

import pytest

from newsbrief.document import Document
from newsbrief.evaluate import score_pairs
from newsbrief.ingest import iter_records, record_document
from newsbrief.registry import load_model
from newsbrief.train.compute import Compute

from conftest import shared


def _docs(name: str, limit: int) -> list[Document]:
    out = []
    for record in iter_records(shared("cnndm", name)):
        if len(out) == limit:
            break
        out.append(record_document(record))
    return out


def _rouge(model, docs, count: int | None = 3) -> list[float]:
    preds = [[h.text for h in model.summarize(d, count=count)] for d in docs]
    return [round(float(v), 2) for v in score_pairs(preds, [d.reference for d in docs]).mean(0)]


@pytest.fixture(scope="module")
def validation_200():
    return _docs("validation.jsonl.gz", 200)


def test_tiny_training_run_beats_lead(tmp_path_factory, validation_200):
    from newsbrief.summarizers.fast import Fast
    from newsbrief.train.fast import train

    out = tmp_path_factory.mktemp("fast")
    # A slower rate than the shipped recipe: 400 documents overfit at 0.1.
    train(_docs("train.jsonl.gz", 400), out, rounds=60, compute=Compute(workers=1), params={"learning_rate": 0.05}, log=lambda *_: None)
    model = Fast(out)
    lead = _rouge(load_model("lead"), validation_200)
    tiny = _rouge(model, validation_200)
    assert lead == [29.05, 10.76, 25.91]
    assert tiny == [29.34, 10.13, 25.87]
    assert tiny[0] > lead[0]


def test_tiny_rerank_training_run_beats_lead(tmp_path_factory, validation_200):
    from newsbrief.summarizers.rerank import Rerank
    from newsbrief.train.rerank import train

    out = tmp_path_factory.mktemp("rerank")
    train(_docs("train.jsonl.gz", 400), out, compute=Compute(workers=1), log=lambda *_: None)
    tiny = _rouge(Rerank(out), validation_200, count=None)
    assert tiny == [29.43, 9.90, 25.61]
    assert tiny[0] > 29.05  # Lead-3 on the same 200 records


def test_shipped_models_score(validation_200):
    assert _rouge(load_model("fast"), validation_200) == [30.18, 11.00, 26.61]
    assert _rouge(load_model("rerank"), validation_200, count=None) == [30.55, 11.12, 27.12]


def test_rerank_counts_and_budgets(validation_200):
    model = load_model("rerank")
    doc = validation_200[0]
    chosen = {c: [h.sentence_index for h in model.summarize(doc, count=c)] for c in (None, 1, 2, 3, 4, 5)}
    assert {c: len(v) for c, v in chosen.items()} == {None: 2, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
    assert chosen[None] == [0, 1]  # the model's own choice of how many: two for this story
    for h in model.summarize(doc, max_words=40):
        assert doc.text[h.start : h.end] == h.text
    assert sum(h.text.count(" ") + 1 for h in model.summarize(doc, max_words=40)) <= 40


@pytest.mark.parametrize("name", ["rerank", "fast"])
def test_real_cased_article(derna_text, name):
    from newsbrief.ingest import read

    doc = read(derna_text)
    hs = load_model(name).summarize(doc)
    assert len(hs) == 3
    for h in hs:
        assert doc.text[h.start : h.end] == h.text
        assert h.text not in doc.subheads
        assert doc.dateline is None or doc.dateline not in h.text
    text = " ".join(h.text for h in hs)
    # The story: ISIS (the Islamic State) controls Derna.
    assert re.search(r"(ISIS|Islamic State).*(control|grip)|(control|grip).*(ISIS|Islamic State)", text)
    assert "Derna" in text


@pytest.mark.parametrize("name", ["rerank", "fast"])
def test_no_dangling_openers(validation_200, name):
    from newsbrief.summarizers.select import dangling

    model = load_model(name)
    for doc in validation_200:
        hs = model.summarize(doc)
        shown = {h.sentence_index for h in hs}
        flags = dangling(doc)
        assert not any(flags[h.sentence_index] and h.sentence_index - 1 not in shown for h in hs)


def test_default_model_is_learned():
    from newsbrief.registry import DEFAULT_MODEL

    assert DEFAULT_MODEL == "rerank"


def test_compression_proposes_editors_cuts():
    from newsbrief.summarizers.compress import CUTS, proposals

    def cuts(text):
        return [(CUTS[k], text[a:b]) for k, a, b in proposals(text)]

    assert cuts("The man was arrested on Tuesday, police said.") == [("attribution_end", ", police said")]
    assert cuts("Police said on Tuesday that the man was arrested after a chase.") == [
        ("attribution_start", "Police said on Tuesday that ")]
    assert cuts("John Smith, who is 45, was found dead (police say) in his home.") == [
        ("parenthesis", " (police say)"), ("relative_clause", ", who is 45,")]
    assert cuts("However, the plan was dropped, according to the BBC.") == [
        ("attribution_end", ", according to the BBC"), ("connective", "However, ")]
    # What follows the speaker's verb is news, not attribution: nothing to cut.
    assert cuts("Gabriel was forced off, and Arsene Wenger admitted the defender could be out for three weeks.") == []
    # A cut must leave five words.
    assert cuts("It rained, police said.") == []


def test_training_labels_are_the_same_on_every_engine(validation_200):
    # `newsbrief train --workers N --engine local|dask`: the documents are labelled in chunks on the batch
    # engines, and every engine must give the labels, in order, that one process gives.
    from newsbrief.train.fast import _oracle

    docs = validation_200[:48]
    inline = Compute(workers=1).map(_oracle, docs)
    assert sum(len(picked) for picked in inline) == 107
    assert inline[:3] == [[3], [0, 1], [1, 3]]
    assert Compute(workers=2).map(_oracle, docs, chunk=5) == inline
    assert Compute(workers=2, engine="dask").map(_oracle, docs, chunk=5) == inline


def test_train_command_on_two_workers_gives_the_same_model(tmp_path, capsys):
    from newsbrief.cli import main

    data = str(shared("cnndm", "train.jsonl.gz"))
    for workers in ("1", "2"):
        assert main(["train", data, "--model", "fast", "--limit", "150", "--workers", workers,
                     "--out", str(tmp_path / workers)]) == 0
    for name in ("booster.txt", "idf.json.gz", "meta.json"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name
    capsys.readouterr()
    assert main(["train", data, "--out", str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:1"]) == 1
    assert capsys.readouterr().err == "newsbrief: error: --scheduler needs --engine dask\n"


@pytest.mark.parametrize("name", ["rerank", "fast"])
def test_a_fragment_shown_when_nothing_else_is_left_keeps_its_own_score(name):
    # "Flood barriers held overnight." (4 words) ranks after the others, but when the count needs it, its
    # score is still the model's own, not a penalised -1001.
    from newsbrief.ingest import read

    doc = read("Flood barriers held overnight. About 2,000 homes were evacuated. The council meets Tuesday.")
    chosen = load_model(name).summarize(doc, count=2)
    assert [(h.sentence_index, round(h.score, 2)) for h in chosen] == [(0, -1.26), (1, -1.0)]
    assert [h.sentence_index for h in load_model(name).summarize(doc, count=1)] == [1]
