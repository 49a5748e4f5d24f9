"""The feature CRF (model.name=crf), its valid-BIO decoder, its gazetteer and NewsFANE's re-attached clitics."""

import numpy as np
import pytest

from annotation.text.clitics import reattach_clitics
from training.predict.decode import bio_mask, marginals, split_tag, tags_to_char_spans, viterbi


# --- clitics ----------------------------------------------------------------------------------

def test_reattached_clitics_keep_every_span_equal_to_its_text():
    text = "و قال رئيس الاتحاد ب المانيا ان ه سيزور ل بنان و ب ريطانيا"
    words = text.split(" ")
    spans, pos = [], 0
    for w in words:
        if w in ("المانيا", "بنان"):
            spans.append((pos, pos + len(w), "GPE"))
        pos += len(w) + 1
    new, new_spans, problems = reattach_clitics(text, spans)
    assert new == "وقال رئيس الاتحاد بالمانيا انه سيزور لبنان وب ريطانيا".replace("وب ريطانيا", "وبريطانيا")
    assert [new[s:e] for s, e, _ in new_spans] == ["المانيا", "بنان"]
    assert problems == []


def test_a_span_ending_on_a_proclitic_keeps_its_space_and_is_reported():
    text = "قال و ب ريطانيا"
    new, spans, problems = reattach_clitics(text, [(4, 5, "ORG")])  # "و" alone is a span
    assert new[spans[0][0]:spans[0][1]] == "و"
    assert new.startswith("قال و ")
    assert len(problems) == 1 and problems[0]["text"] == "و"


def test_span_ending_before_an_enclitic_is_not_joined():
    text = "حكومت ها"
    new, spans, problems = reattach_clitics(text, [(0, 5, "ORG")])
    assert new == text and spans == [(0, 5, "ORG")] and problems


@pytest.mark.slow
def test_newsfane_reattached_keeps_every_span_exact():
    from annotation.corpora.documents import read_corpus

    try:
        docs = read_corpus("newsfane", limit=40).documents
    except Exception as exc:  # no corpus here
        pytest.skip(f"newsfane not available: {exc}")
    joined = 0
    for d in docs:
        spans = [(r.start, r.end, r.label) for r in d.regions]
        new, new_spans, _ = reattach_clitics(d.text, spans)
        joined += len(d.text) - len(new)
        for (s, e, _), (ns, ne, _) in zip(spans, new_spans):
            assert new[ns:ne] == d.text[s:e].replace(" ", "") or " " in new[ns:ne]
    assert joined > 100


# --- decoding ---------------------------------------------------------------------------------

LABELS = ["O", "B-PER", "I-PER", "B1-PER", "B-GPE", "I-GPE"]


def test_decoder_never_emits_i_after_o_or_after_another_type():
    rng = np.random.default_rng(0)
    mask = bio_mask(LABELS)
    for _ in range(200):
        em = rng.normal(size=(12, len(LABELS))) * 3
        em[:, [2, 5]] += 2  # push toward I- tags
        path = [LABELS[i] for i in viterbi(em, rng.normal(size=(len(LABELS),) * 2), mask)]
        prev = "O"
        for tag in path:
            kind, typ, _ = split_tag(tag)
            if kind == "I":
                pk, pt, _ = split_tag(prev)
                assert pk in ("B", "I") and pt == typ, path
            prev = tag


def test_marginals_sum_to_one_and_respect_the_constraint():
    rng = np.random.default_rng(1)
    m = marginals(rng.normal(size=(6, len(LABELS))), np.zeros((len(LABELS),) * 2), bio_mask(LABELS))
    assert np.allclose(m.sum(axis=1), 1.0)
    assert m[0, LABELS.index("I-PER")] < 1e-6  # an I- never opens a sequence


def test_a_clitic_start_puts_the_span_after_the_proclitic():
    text = "وقال ولبنان"
    offsets = [(0, 4), (5, 11)]
    spans = tags_to_char_spans(offsets, ["B1-CUE", "B1-GPE"])
    assert [text[s:e] for s, e, *_ in spans] == ["قال", "لبنان"]


# --- gazetteer --------------------------------------------------------------------------------

def test_gazetteer_lists_come_from_package_data_configs_and_corpora():
    from training.train.gazetteer import build_gazetteer, _key

    g = build_gazetteer({"nisba-gold": [("زار بوتين موسكو وبوتين", [(4, 9, "PER"), (17, 22, "PER")])]}, min_count=2)
    assert set(g.sources) == {"pycountry", "babel:territories", "babel:regions", "babel:cities",
                              "babel:languages", "sources", "corpus:nisba-gold"}
    assert all(n > 0 for n in g.sources.values()), g.sources
    assert "GPE" in g.entries[_key("ألمانيا")]  # pycountry / CLDR country
    assert "GPE" in g.entries[_key("الرياض")]   # CLDR exemplar city
    assert "PER" in g.entries[_key("بوتين")]    # seen twice in the corpus


def test_gazetteer_matches_after_a_proclitic():
    from annotation.text.normalize import normalize
    from training.train.gazetteer import build_gazetteer

    words = [normalize(w) for w in "زار وفد وفرنسا".split()]
    assert build_gazetteer().tag(words)[2] == ["B-GPE"]


# --- training and predicting ------------------------------------------------------------------

def _tiny_dataset(tmp_path, n_train: int, n_validation: int, arguments: bool = False):
    """A synthetic pulled dataset in tmp_path/data (``arguments``: with event arguments); returns
    the schema it is made for."""
    from annotation.schema.schema import load_schema
    from training_fixtures import make_dataset, synthetic_rows

    schema = load_schema()
    ds = make_dataset(schema, {"train": synthetic_rows(n_train, seed=1, arguments=arguments),
                               "validation": synthetic_rows(n_validation, seed=2, first_id=100, arguments=arguments)})
    ds.save_to_disk(str(tmp_path / "data"))
    return schema


def _crf_config(max_iterations: int):
    """A CRF's training config with no extra corpora."""
    from training.train.config import load_config

    return load_config(None, ["model.name=crf", "crf.corpora=[]", f"crf.max_iterations={max_iterations}"])


@pytest.mark.slow
def test_tiny_crf_trains_predicts_and_is_loaded_as_a_model_directory(tmp_path):
    from training.predict.crf import CrfPredictor
    from training.predict.load import load_predictor
    from training.train.crf_data import train_crf_on
    from training_fixtures import synthetic_rows

    schema = _tiny_dataset(tmp_path, 40, 4, arguments=True)
    cfg = _crf_config(50)
    meta = train_crf_on(tmp_path / "data", tmp_path / "model", cfg, schema=schema, say=lambda m: None)
    assert meta["kind"] == "crf" and set(meta["layers"]) == {"entities", "events", "claims"}
    assert (tmp_path / "model" / "event_roles.json").is_file()
    assert meta["train_stats"]["event_roles"]["gold_arguments"] > 0
    predictor = load_predictor(str(tmp_path / "model"))
    assert isinstance(predictor, CrfPredictor)
    rows = synthetic_rows(5, seed=3, first_id=200)
    results = predictor.predict([r["text"] for r in rows])
    found = {(r.layer, r.text) for res in results for r in res.regions}
    gold = {(l, row["text"][x["start"]:x["end"]]) for row in rows
            for l, col in (("entities", "entities"), ("claims", "attribution")) for x in row[col]}
    assert len(found & gold) >= 0.6 * len(gold)
    for text, res in zip([r["text"] for r in rows], results):
        assert all(text[r.start:r.end] == r.text and 0 < r.score <= 1 for r in res.regions)
        assert any(rel.label == "attributed_to" for rel in res.relations)
    # event arguments: the role classifier trained beside the CRF finds the templates' roles
    from annotation.convert.document import document_to_regions
    from training.evaluate.attribution_metrics import event_argument_scores

    gold = [document_to_regions(dict(r)) for r in synthetic_rows(5, seed=3, first_id=200, arguments=True)]
    scores = event_argument_scores((g, gr, p.regions, p.relations) for (g, gr), p in zip(gold, results))
    assert scores["n_gold"] > 0 and scores["f1"] >= 0.6
    # the push's schema check reads the predictor's fingerprint: a CRF of this schema passes it
    from annotation.loop.push import check_model_schema

    assert predictor.schema_fingerprint == schema.fingerprint()
    check_model_schema(predictor, schema, str(tmp_path / "model"))


@pytest.mark.slow
def test_crf_rerun_on_the_same_documents_and_config_keeps_the_model(tmp_path):
    from training.train.crf_data import train_crf_on

    schema = _tiny_dataset(tmp_path, 12, 2)
    cfg = _crf_config(10)
    said = []
    first = train_crf_on(tmp_path / "data", tmp_path / "model", cfg, schema=schema, say=said.append)
    again = train_crf_on(tmp_path / "data", tmp_path / "model", cfg, schema=schema, say=said.append)
    assert again["model_version"] == first["model_version"]
    assert "kept" in said[-1]
    other = _crf_config(11)
    third = train_crf_on(tmp_path / "data", tmp_path / "model", other, schema=schema, say=said.append)
    assert third["train_inputs"] != first["train_inputs"]


def test_a_corpus_document_already_pulled_counts_once_toward_its_weight():
    from training.train.crf_data import weighted_copies

    corpus = [("نص أول", {"entities": [(0, 2, "PER")]}), ("نص ثان", {})]
    assert weighted_copies(corpus, {"نص أول"}, 1) == [("نص ثان", {})]
    assert [t for t, _ in weighted_copies(corpus, {"نص أول"}, 2)] == ["نص أول", "نص ثان", "نص ثان"]
    assert [t for t, _ in weighted_copies(corpus, set(), 0)] == ["نص أول", "نص ثان"]
