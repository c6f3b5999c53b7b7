"""The one model loader: names, trained directories of every kind, and the checks made on loading."""

import json
import shutil

import pytest

from newsbrief.errors import InputError
from newsbrief.options import BriefOptions
from newsbrief.registry import SHIPPED, available, load_model, register, resolve, trainable_kinds


def test_names_are_the_shipped_directories_and_the_kinds_without_files():
    assert available() == ["fast", "lead", "rerank"]
    assert available("compress") == ["compress"]
    assert trainable_kinds() == ["compress", "context", "fast", "rerank"]
    assert load_model("lead") is load_model("lead")  # loaded once per process
    assert load_model().name == "rerank"
    assert load_model(None, "compress").name == "compress"


def _copy(name, tmp_path, **meta_changes):
    path = tmp_path / name
    shutil.copytree(SHIPPED / name, path)
    meta = json.loads((path / "meta.json").read_text())
    meta.update(meta_changes)
    (path / "meta.json").write_text(json.dumps(meta))
    return path


def test_a_model_directory_loads_by_its_path(tmp_path):
    path = _copy("fast", tmp_path)
    model = load_model(str(path))
    assert model.name == str(path)  # briefs name the directory they came from
    assert type(model) is type(load_model("fast"))


def test_features_other_than_this_version_computes_fail_with_a_clear_message(tmp_path):
    features = json.loads((SHIPPED / "fast" / "meta.json").read_text())["features"]
    swapped = _copy("fast", tmp_path / "a", features=[features[1], features[0], *features[2:]])
    with pytest.raises(InputError, match=r"trained with other features than this version of newsbrief computes "
                                         r"\(the same names in another order\); retrain it with `newsbrief train --model fast`"):
        load_model(str(swapped))
    older = _copy("rerank", tmp_path / "b", set_features=["k", "words", "old_feature"])
    with pytest.raises(InputError, match=r"other set features .*unknown here: old_feature; missing: chars"):
        BriefOptions(model=str(older))
    unlisted = _copy("compress", tmp_path / "c", cuts=None)
    with pytest.raises(InputError, match="its meta.json has no 9 names to compare"):
        BriefOptions(compress=str(unlisted))


def test_models_and_compressors_are_not_confused(tmp_path):
    with pytest.raises(InputError, match="is a compress model; give it as --compressor"):
        BriefOptions(model=str(SHIPPED / "compress"))
    with pytest.raises(InputError, match="is a fast model; give it as --model"):
        BriefOptions(compress="fast")
    with pytest.raises(InputError, match=r"unknown model 'nope'; choose one of: fast, lead, rerank, or a directory"):
        BriefOptions(model="nope")
    strange = _copy("fast", tmp_path, kind="transformer-xl")
    with pytest.raises(InputError, match=r"model kind 'transformer-xl' is not one this version can load \(compress, context, fast, lead, rerank\)"):
        resolve(str(strange))
    (strange / "meta.json").write_text("{")
    with pytest.raises(InputError, match="cannot read the model's meta.json"):
        resolve(str(strange))


def test_a_kind_joins_by_being_defined(tmp_path):
    from newsbrief.registry import _KINDS
    from newsbrief.summarizers.base import Summarizer

    @register("reverse", files=False)
    class Reverse(Summarizer):
        block_trigrams = False

        def __init__(self, path=None):
            pass

        def score(self, doc):
            return [float(i) for i in range(len(doc.sentences))]

    try:
        assert "reverse" in available()
        import newsbrief

        assert [h.text for h in newsbrief.highlights("One is here. Two is here. Three is here.", count=1, model="reverse")] == [
            "Three is here."]
    finally:
        del _KINDS["reverse"]
    assert "reverse" not in available()
