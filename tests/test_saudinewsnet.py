"""SaudiNewsNet as a registered corpus: the reader, the multi-file registry entry, the import tasks."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from annotation.corpora.documents import read_corpus
from annotation.corpora.registry import _spec, corpus_files, fetch_corpus, load_registry, sha256_file
from annotation.corpora.saudinewsnet import read_file, read_saudinewsnet, text_sha256
from annotation.errors import NisbaError


def _zip(path: Path, articles, member: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member or path.stem + ".json", json.dumps(articles, ensure_ascii=False))
    return path


def _article(content="قال الوزير إن الاجتماع ناجح.", title="عنوان", source="okaz"):
    return {"source": source, "url": "http://example/1", "date_extracted": "2015-07-21 10:00:00",
            "title": title, "author": "", "content": content}


def test_reader_yields_one_document_per_article_with_meta(tmp_path):
    path = _zip(tmp_path / "2015-07-21.zip", [_article(), _article(content="  نص ثان\n", source="sabq")])
    problems = []
    articles = list(read_file(path, problems))
    assert [a.ref for a in articles] == ["2015-07-21.zip#0", "2015-07-21.zip#1"]
    assert articles[1].text == "نص ثان"
    assert articles[0].meta["newspaper"] == "okaz"
    assert articles[0].meta["title"] == "عنوان"
    assert articles[0].meta["date"] == "2015-07-21 10:00:00"
    assert articles[0].meta["url"] == "http://example/1"
    assert articles[0].sha256 == text_sha256("قال الوزير إن الاجتماع ناجح.")
    assert problems == []


def test_empty_content_is_skipped_and_reported_with_file_and_index(tmp_path):
    path = _zip(tmp_path / "2015-07-22.zip", [_article(), _article(content="  \n "), _article(content=None)])
    read = read_saudinewsnet([path])
    assert len(read.articles) == 1
    assert [(p.kind, p.path, p.index) for p in read.problems] == [
        ("empty_content", "2015-07-22.zip", 1), ("empty_content", "2015-07-22.zip", 2)]
    assert str(read.problems[0]) == "2015-07-22.zip#1: empty_content: no content"


def test_missing_title_is_kept_and_reported_with_file_and_index(tmp_path):
    path = _zip(tmp_path / "2015-07-23.zip", [_article(title=""), _article(title=None)])
    read = read_saudinewsnet([path])
    assert [a.meta["title"] for a in read.articles] == ["", ""]
    assert [(p.kind, p.index) for p in read.problems] == [("missing_title", 0), ("missing_title", 1)]


def test_bad_zip_is_reported_with_the_file_and_the_rest_still_read(tmp_path):
    bad = tmp_path / "2015-07-24.zip"
    bad.write_bytes(b"not a zip at all")
    good = _zip(tmp_path / "2015-07-25.zip", [_article()])
    read = read_saudinewsnet([bad, good])
    assert len(read.articles) == 1
    assert read.problems[0].kind == "bad_zip"
    assert read.problems[0].path == "2015-07-24.zip"
    assert read.problems[0].index == -1


def test_zip_whose_json_is_not_an_array_is_a_bad_zip(tmp_path):
    path = tmp_path / "2015-07-26.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2015-07-26.json", json.dumps({"articles": []}))
    read = read_saudinewsnet([path])
    assert read.articles == []
    assert read.problems[0].kind == "bad_zip"
    assert "expected an array" in read.problems[0].message


def test_limit_caps_the_articles(tmp_path):
    path = _zip(tmp_path / "2015-07-27.zip", [_article() for _ in range(5)])
    assert len(read_saudinewsnet([path], limit=3).articles) == 3


def test_registry_entry_of_several_files_lists_each_with_its_sha256():
    spec = load_registry()["saudinewsnet"]
    assert len(spec.files) == 17
    assert spec.files[0][0] == "2015-07-21.zip"
    assert all(len(digest) == 64 for _, digest in spec.files)
    assert "non-commercial" in spec.license
    assert spec.url.endswith("/dataset/")


def test_registry_entry_with_a_short_sha256_is_refused():
    with pytest.raises(NisbaError, match=r"corpora\.x\.files: \['a.zip'\] lack a 64-hex-digit sha256"):
        _spec("x", {"reader": "saudinewsnet", "files": {"a.zip": "abc"}}, "corpora.yaml")


def test_multi_file_corpus_is_fetched_from_the_mirror_file_by_file(tmp_path):
    (tmp_path / "mirror" / "snn").mkdir(parents=True)
    first = _zip(tmp_path / "mirror" / "snn" / "d1.zip", [_article()])
    second = _zip(tmp_path / "mirror" / "snn" / "d2.zip", [_article(source="was")])
    registry = {"snn": _spec("snn", {"reader": "saudinewsnet", "url": "", "files": {
        "d1.zip": sha256_file(first), "d2.zip": sha256_file(second)}}, "test")}
    folder = fetch_corpus("snn", cache_dir=tmp_path / "cache", mirror=tmp_path / "mirror", registry=registry)
    assert folder == tmp_path / "cache" / "snn"
    files = corpus_files("snn", registry, cache_dir=tmp_path / "cache", mirror=tmp_path / "mirror")
    assert [f.name for f in files] == ["d1.zip", "d2.zip"]
    assert all(f.is_file() for f in files)


def test_multi_file_corpus_with_a_changed_file_is_refused_naming_it(tmp_path):
    (tmp_path / "mirror" / "snn").mkdir(parents=True)
    path = _zip(tmp_path / "mirror" / "snn" / "d1.zip", [_article()])
    registry = {"snn": _spec("snn", {"reader": "saudinewsnet", "files": {"d1.zip": "0" * 64}}, "test")}
    with pytest.raises(NisbaError, match="d1.zip: sha256 mismatch for corpus 'snn'"):
        fetch_corpus("snn", cache_dir=tmp_path / "cache", mirror=tmp_path / "mirror", registry=registry)
    assert path.exists()
    assert not (tmp_path / "cache" / "snn" / "d1.zip").exists()


def test_read_corpus_gives_article_documents_from_the_registered_files(tmp_path, monkeypatch):
    (tmp_path / "mirror" / "snn").mkdir(parents=True)
    path = _zip(tmp_path / "mirror" / "snn" / "d1.zip", [_article(), _article(content="")])
    registry = {"snn": _spec("snn", {"reader": "saudinewsnet", "files": {"d1.zip": sha256_file(path)}}, "test")}
    monkeypatch.setenv("NISBA_CORPUS_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("NISBA_CORPUS_CACHE", str(tmp_path / "cache"))
    read = read_corpus("snn", registry=registry)
    assert [d.text for d in read.documents] == ["قال الوزير إن الاجتماع ناجح."]
    assert read.documents[0].meta["ref"] == "d1.zip#0"
    assert read.stats["problems"] == {"empty_content": 1}
