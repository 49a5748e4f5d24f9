"""nisba-gold: standoff gold over SaudiNewsNet, every span on its text, fixed splits, refusals."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml

from annotation.corpora import nisba_gold
from annotation.corpora.documents import read_corpus
from annotation.corpora.registry import _spec, sha256_file
from annotation.corpora.saudinewsnet import text_sha256
from annotation.errors import NisbaError
from annotation.paths import REPO_ROOT
from annotation.schema.instructions import MARKER, instructions_html
from annotation.schema.schema import load_schema
from tests.corpus_sentences import needs_corpus



@pytest.fixture(scope="module")
def schema():
    return load_schema()


@needs_corpus
def test_every_gold_span_equals_the_text_read_from_the_corpus(schema):
    read = read_corpus("nisba-gold", schema=schema)
    assert len(read.documents) >= 60
    n = 0
    for doc in read.documents:
        for r in doc.regions:
            assert doc.text[r.start:r.end] == r.text, (doc.meta["article"], r.id)
            n += 1
    assert n > 2000


@needs_corpus
def test_gold_covers_every_layer_ten_newspapers_and_fixed_splits(schema):
    read = read_corpus("nisba-gold", schema=schema)
    layers = Counter(r.layer for d in read.documents for r in d.regions)
    assert set(layers) == {"entities", "events", "claims"}
    relations = Counter(r.label for d in read.documents for r in d.relations)
    assert relations["attributed_to"] > 100 and relations["cue"] > 100 and relations["reported_via"] > 10
    assert len({d.meta["newspaper"] for d in read.documents}) >= 10
    splits = Counter(d.meta["split"] for d in read.documents)
    assert splits["train"] >= 40 and splits["dev"] >= 10 and splits["test"] >= 10
    assert sum(d.meta["kind"] == "ordinary" for d in read.documents) >= 10
    assert all("non-commercial" in d.meta["license"] for d in read.documents)


@needs_corpus
def test_split_option_reads_only_that_split(schema):
    read = read_corpus("nisba-gold", schema=schema, split="dev")
    assert {d.meta["split"] for d in read.documents} == {"dev"}
    with pytest.raises(NisbaError, match="nisba-gold has no split 'validation'"):
        read_corpus("nisba-gold", schema=schema, split="validation")


def test_gold_folder_holds_no_article_text():
    """Standoff only: references, hashes and results; the article text is never committed."""
    for name in ("articles.jsonl", "gold.jsonl", "passes.jsonl"):
        rows = [json.loads(line) for line in (nisba_gold.GOLD_DIR / name).read_text().splitlines() if line]
        for row in rows:
            assert not {"text", "content", "title", "url"} & set(row)
            # a region's text is read off the article by its offsets, never stored (non-commercial text)
            assert all("text" not in item.get("value", {}) for item in row.get("result", []))
    articles = nisba_gold.load_articles()
    assert all(len(a["sha256"]) == 64 for a in articles)


SHINGLE = 8  # words: a run this long copied from an article is a quotation, not a name or a cue
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".jsonl", ".txt", ".csv", ".html"}
MAX_BYTES = 4_000_000
_WORD = re.compile(r"\w+")  # whitespace and punctuation (quote marks, commas, periods) do not count


@needs_corpus
def test_no_tracked_file_quotes_nisba_gold_text():
    """SaudiNewsNet is CC BY-NC-SA: no tracked text file holds a run of 8 words of a nisba-gold article
    (tests read such sentences from the corpus by reference: tests/corpus_sentences.py)."""
    shingles: set[tuple[str, ...]] = set()
    for doc in read_corpus("nisba-gold").documents:
        words = _WORD.findall(doc.text)
        shingles.update(tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    assert len(shingles) > 10_000
    # the sources lexicon's aliases are names (a long official title among them), not quotations
    sources = yaml.safe_load((REPO_ROOT / "configs" / "sources.yaml").read_text(encoding="utf-8"))
    for entry in sources["sources"]:
        for alias in entry.get("aliases", []):
            words = _WORD.findall(alias)
            shingles.difference_update(tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    quoted = []
    for name in listed.decode("utf-8").split("\0"):
        path = REPO_ROOT / name
        if Path(name).suffix not in TEXT_SUFFIXES or not path.is_file() or path.stat().st_size > MAX_BYTES:
            continue
        words = _WORD.findall(path.read_text(encoding="utf-8", errors="replace"))
        hits = [" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)
                if tuple(words[i:i + SHINGLE]) in shingles]
        if hits:
            quoted.append(f"{name}: {len(hits)} run(s), first: {hits[0]}")
    assert not quoted, "tracked files quote nisba-gold article text (keep it as standoff):\n" + "\n".join(quoted)


def _tiny_gold(tmp_path: Path, text: str, stored_sha: str, result: list, monkeypatch=None) -> dict:
    """A one-article SaudiNewsNet mirror and a gold folder over it; the registry of both."""
    if monkeypatch is not None:
        monkeypatch.setenv("NISBA_CORPUS_MIRROR", str(tmp_path / "mirror"))
        monkeypatch.setenv("NISBA_CORPUS_CACHE", str(tmp_path / "cache"))
    (tmp_path / "mirror" / "saudinewsnet").mkdir(parents=True)
    zpath = tmp_path / "mirror" / "saudinewsnet" / "d1.zip"
    with zipfile.ZipFile(zpath, "w") as archive:
        archive.writestr("d1.json", json.dumps([{"source": "okaz", "url": "u", "date_extracted": "d",
                                                  "title": "t", "author": "", "content": text}]))
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "articles.jsonl").write_text(json.dumps({
        "id": "snn-x-0000", "corpus": "saudinewsnet", "file": "d1.zip", "index": 0, "sha256": stored_sha,
        "newspaper": "okaz", "split": "test"}) + "\n")
    (gold / "gold.jsonl").write_text(json.dumps({"id": "snn-x-0000", "result": result}) + "\n")
    (gold / "passes.jsonl").write_text("")
    return {
        "saudinewsnet": _spec("saudinewsnet", {"reader": "saudinewsnet", "files": {"d1.zip": sha256_file(zpath)}}, "t"),
        "nisba-gold": _spec("nisba-gold", {"reader": "nisba-gold", "local": str(gold),
                                           "text_corpus": "saudinewsnet"}, "t"),
    }


RESULT = [{"id": "r1", "from_name": "entities", "to_name": "text", "type": "labels",
           "value": {"start": 4, "end": 11, "text": "الرياض", "labels": ["GPE"]}}]


def test_sha256_mismatch_is_refused_naming_the_article(tmp_path, monkeypatch, schema):
    registry = _tiny_gold(tmp_path, "زار الرياض اليوم", "f" * 64, RESULT, monkeypatch)
    with pytest.raises(NisbaError, match=r"nisba-gold article snn-x-0000 \(d1.zip#0\): the corpus text has sha256"):
        read_corpus("nisba-gold", schema=schema, registry=registry)


def test_region_whose_offsets_miss_its_text_is_refused_naming_the_article(tmp_path, monkeypatch, schema):
    text = "زار الرياضَ اليوم"
    bad = [{**RESULT[0], "value": {**RESULT[0]["value"], "start": 3, "end": 10}}]
    registry = _tiny_gold(tmp_path, text, text_sha256(text), bad, monkeypatch)
    with pytest.raises(NisbaError, match="nisba-gold article snn-x-0000: 1 problem.*text_mismatch"):
        read_corpus("nisba-gold", schema=schema, registry=registry)


def test_tiny_gold_reads_its_region_from_the_corpus_text(tmp_path, monkeypatch, schema):
    text = "زار الرياض اليوم"
    result = [{**RESULT[0], "value": {**RESULT[0]["value"], "start": 4, "end": 10}}]
    registry = _tiny_gold(tmp_path, text, text_sha256(text), result, monkeypatch)
    read = read_corpus("nisba-gold", schema=schema, registry=registry)
    (doc,) = read.documents
    assert [(r.label, r.start, r.end, r.text) for r in doc.regions] == [("GPE", 4, 10, "الرياض")]
    assert doc.meta["ref"] == "d1.zip#0" and doc.meta["split"] == "test"


def test_instructions_hold_the_guidelines_and_every_label(schema):
    html = instructions_html(schema)
    assert f"<h2>{MARKER}</h2>" in html
    assert "<h1>nisba annotation guidelines</h1>" in html
    assert "<table>" in html
    for layer in schema.layers:
        for label in layer.labels:
            assert f"<b>{label}</b>" in html


def test_instructions_without_guidelines_are_the_schema_descriptions(schema, tmp_path):
    html = instructions_html(schema, tmp_path / "absent.md")
    assert "<b>PER</b>: Person" in html
    assert "<h1>" not in html


def test_agreement_before_and_after_adjudication_from_two_passes(tmp_path, monkeypatch, schema):
    text = "زار الرياض اليوم وقال الوزير"
    gpe = {"id": "r1", "from_name": "entities", "to_name": "text", "type": "labels",
           "value": {"start": 4, "end": 10, "text": "الرياض", "labels": ["GPE"]}}
    cue = {"id": "r2", "from_name": "claims", "to_name": "text", "type": "labels",
           "value": {"start": 18, "end": 21, "text": "قال", "labels": ["CUE"]}}
    registry = _tiny_gold(tmp_path, text, text_sha256(text), [gpe, cue], monkeypatch)
    gold_dir = Path(registry["nisba-gold"].local)
    (gold_dir / "passes.jsonl").write_text(
        json.dumps({"id": "snn-x-0000", "annotator": "A1", "result": [gpe, cue]}) + "\n"
        + json.dumps({"id": "snn-x-0000", "annotator": "B1", "result": [gpe]}) + "\n")
    files = [tmp_path / "mirror" / "saudinewsnet" / "d1.zip"]
    result = nisba_gold.gold_agreement(schema, files, gold_dir)
    assert result["articles"] == ["snn-x-0000"]
    assert result["passes"] == ["A1", "B1"]
    before = result["before_adjudication"]["layers"]
    after = result["after_adjudication"]["layers"]
    assert before["entities"]["f1_exact"] == 1.0
    assert before["claims"]["f1_exact"] == 0.0          # B1 missed the cue
    assert after["claims"]["f1_exact"] == pytest.approx(2 / 3)  # A1 agrees with gold, B1 does not


def test_gold_card_names_the_license_counts_and_agreement(tmp_path, schema):
    from annotation.corpora.documents import CorpusDocument
    from annotation.convert.regions import Region

    doc = CorpusDocument("زار الرياض", {"split": "dev", "newspaper": "okaz"},
                         [Region("r1", "entities", "GPE", 4, 10, "الرياض")], [])
    layer = {"f1_exact": 0.9, "f1_overlap": 0.95, "kappa": 0.88, "labels": {}}
    agreement = {"articles": ["a"], "before_adjudication": {"layers": {"entities": layer}},
                 "after_adjudication": {"layers": {"entities": {**layer, "f1_exact": 0.97}}}}
    card = nisba_gold.write_card([doc], agreement, tmp_path).read_text()
    assert "non-commercial" in card
    assert "| entities:GPE | 0 | 1 | 0 | 1 |" in card
    assert "| entities | (all) | 0.900 | 0.950 | 0.880 | 0.970 | 0.880 |" in card
    assert "| okaz | 1 |" in card


def test_pulled_card_lists_each_corpus_license_and_flags_non_commercial():
    from datasets import Dataset, DatasetDict

    from annotation.dataset.card import corpus_licenses

    metas = [json.dumps({"corpus": "nisba-gold", "license": nisba_gold.GOLD_LICENSE}),
             json.dumps({"corpus": "newsfane", "license": "CC BY-SA 3.0"}), json.dumps({}), ""]
    ds = DatasetDict({"train": Dataset.from_dict({"meta": metas[:2]}), "test": Dataset.from_dict({"meta": metas[2:]})})
    licenses = corpus_licenses(ds)
    assert licenses == {"newsfane": "CC BY-SA 3.0", "nisba-gold": nisba_gold.GOLD_LICENSE}
    assert "non-commercial" in licenses["nisba-gold"]
