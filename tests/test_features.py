"""Document rows -> model inputs: words on original offsets, label alignment, windows."""

import json

import pytest

from annotation.errors import NisbaError
from annotation.schema.schema import load_schema
from training.train.features import (
    check_labels,
    dataset_label_names,
    document_words,
    encode_documents,
    window_bounds,
)
from training.train.model import label_maps_for
from training_fixtures import make_dataset, synthetic_rows

LAYERS = ["entities", "events", "claims"]


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def tokenizer():
    from training.train.pretrain import model_words, train_tokenizer

    rows = synthetic_rows(30, seed=3)
    # a small vocabulary so that many words split into several subwords
    return train_tokenizer([model_words(r["text"]) for r in rows], vocab_size=120, min_frequency=1, max_length=64)


def test_gold_edges_cut_words_and_offsets_stay_on_the_original_text():
    row = {"text": "وقال أحمد", "entities": [{"start": 5, "end": 9, "label": "PER"}],
           "attribution": [{"start": 1, "end": 4, "label": "CUE"}], "events": []}
    words = document_words(row, ["entities", "claims"])
    assert words.offsets == [(0, 1), (1, 4), (5, 9)]
    assert words.normalized == ["و", "قال", "احمد"]
    assert words.tags == {"entities": ["O", "O", "B-PER"], "claims": ["O", "B-CUE", "O"]}


def test_without_layers_words_are_the_plain_pretokenization():
    words = document_words({"text": "وقال أحمد"})
    assert words.offsets == [(0, 4), (5, 9)]
    assert words.tags == {}


def test_labels_sit_on_first_subwords_and_minus_100_elsewhere(schema, tokenizer):
    rows = synthetic_rows(4, seed=7)
    maps = label_maps_for(schema, LAYERS)
    docs = [document_words(r, LAYERS) for r in rows]
    windows = encode_documents(docs, tokenizer, max_length=512, stride=8, label_maps=maps)
    assert len(windows) == len(docs)  # short documents: one window each
    for w in windows:
        doc = docs[w.doc]
        assert w.input_ids[0] == tokenizer.cls_token_id and w.input_ids[-1] == tokenizer.sep_token_id
        assert w.word_index[0] == -1 and w.word_index[-1] == -1
        firsts = [x for x in w.word_index if x >= 0]
        assert firsts == list(range(len(doc.offsets)))  # each word once, in order
        assert len(w.input_ids) > len(firsts) + 2  # some words were split into several subwords
        for k, layer in enumerate(LAYERS):
            for pos, word in enumerate(w.word_index):
                if word < 0:
                    assert w.labels[k][pos] == -100
                else:
                    assert maps[layer][w.labels[k][pos]] == doc.tags[layer][word]


def test_windows_start_and_end_on_word_edges_and_overlap():
    word_ids = [0, 0, 1, 2, 2, 2, 3, 4, 5, 5, 6, 7, 8, 8, 9]
    bounds = window_bounds(word_ids, size=6, stride=3)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(word_ids)
    for (a, b), (c, d) in zip(bounds, bounds[1:]):
        assert c < b  # consecutive windows share subwords
        assert c > a  # and move forward
    for a, b in bounds:
        assert b - a <= 6
        assert a == 0 or word_ids[a] != word_ids[a - 1]
        assert b == len(word_ids) or word_ids[b] != word_ids[b - 1]


def test_a_word_longer_than_a_window_is_cut_inside():
    assert window_bounds([0] * 10, size=4, stride=1) == [(0, 4), (4, 8), (8, 10)]


def test_long_document_every_word_is_labelled_in_some_window(schema, tokenizer):
    row = synthetic_rows(1, seed=11, sentences=(12, 12))[0]
    maps = label_maps_for(schema, LAYERS)
    doc = document_words(row, LAYERS)
    windows = encode_documents([doc], tokenizer, max_length=32, stride=8, label_maps=maps)
    assert len(windows) > 3
    assert all(len(w.input_ids) <= 32 for w in windows)
    seen = {x for w in windows for x in w.word_index if x >= 0}
    assert seen == set(range(len(doc.offsets)))


def test_dataset_label_names_come_from_the_class_labels(schema):
    dsd = make_dataset(schema, {"train": synthetic_rows(2)})
    names = dataset_label_names(dsd["train"].features, LAYERS)
    assert names["entities"] == list(schema.layer("entities").labels)
    assert names["claims"] == ["CLAIM", "SOURCE", "CUE"]


def test_labels_mismatch_is_refused_naming_the_labels(schema):
    maps = label_maps_for(schema, ["entities"])
    with pytest.raises(NisbaError, match=r"only in the data: \['MISC'\].*only in the model/schema: \['NORP'\]"):
        check_labels({"entities": ["PER", "ORG", "GPE", "LOC", "FAC", "MISC"]}, maps, "data/x")


def test_a_corpus_with_entity_gold_only_teaches_the_other_heads_nothing(schema, tokenizer):
    """Layer masking: NewsFANE/AQMAR gold covers entities only; meta "layers" says so from the import
    through the pull, and the trainer labels the events and claims words -100 (not "O everywhere")."""
    from annotation.convert.regions import Region, region_id
    from annotation.convert.task_files import corpus_tasks
    from annotation.corpora.documents import CorpusDocument
    from annotation.dataset.pull import convert_task

    text = "قال أحمد إن الجيش هاجم المدينة"
    regions = [Region(region_id("entities", "PER", 4, 8), "entities", "PER", 4, 8, text[4:8])]
    rows = []
    for meta in ({"corpus": "newsfane", "layers": ["entities"]}, {"corpus": "nisba-gold"}):
        task = corpus_tasks([CorpusDocument(text, meta, regions)], schema, with_annotations=True)[0]
        task = {**task, "id": len(rows) + 1,
                "annotations": [{**a, "id": 10 + len(rows), "completed_by": 1} for a in task["annotations"]]}
        row = convert_task(task, schema).row
        assert json.loads(row["meta"]).get("layers") == meta.get("layers")  # kept through the pull
        rows.append(row)
    maps = label_maps_for(schema, LAYERS)
    docs = [document_words(r, LAYERS) for r in rows]
    assert docs[0].covered == {"entities"} and docs[1].covered is None
    masked, full = encode_documents(docs, tokenizer, max_length=512, stride=8, label_maps=maps)
    for k, layer in enumerate(LAYERS):
        firsts = [pos for pos, word in enumerate(full.word_index) if word >= 0]
        assert all(full.labels[k][p] != -100 for p in firsts)  # every layer taught on nisba-gold
        if layer == "entities":
            assert [maps[layer][masked.labels[k][p]] for p in firsts] == ["O", "B-PER", "O", "O", "O", "O"]
        else:
            assert set(masked.labels[k]) == {-100}  # ignored, not "O"
    # a layer the document holds a span in counts as covered, whatever the meta says
    row = {**rows[0], "attribution": [{"start": 0, "end": 3, "label": "CUE"}]}
    assert document_words(row, LAYERS).covered == {"entities", "claims"}
