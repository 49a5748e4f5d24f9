"""Corpus readers and article grouping: one test per behaviour, on tiny files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotation.corpora.documents import (
    CorpusSpec,
    read_corpus,
    corpus_sentences,
    corpus_texts,
    group_sentences,
)
from annotation.corpora.readers import read_aqmar, read_newsfane
from annotation.corpora.registry import default_mirror, load_registry, sha256_file

LRM = "\u200e"


def newsfane_bytes(rows: list[tuple[str, str] | None]) -> bytes:
    """rows of (token, tag); None is the lone-TAB sentence separator. BOM + CRLF + U+200E."""
    lines = ["\t" if r is None else f"{LRM}{r[0]}\t{r[1]}" for r in rows]
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n"


def registry_for(path: Path, reader: str, labels: dict[str, str], drop=(), repairs=None) -> dict[str, CorpusSpec]:
    spec = CorpusSpec(name="tiny", url="", file=path.name, sha256=sha256_file(path), license="test",
                      citation="", reader=reader, labels=labels, drop=frozenset(drop),
                      tag_repairs=repairs or {})
    return {"tiny": spec}


def test_newsfane_bom_crlf_and_marks_stripped_with_exact_offsets(tmp_path):
    path = tmp_path / "n.txt"
    path.write_bytes(newsfane_bytes([("قال", "O"), ("باراك", "B-Politician"), ("اوباما", "I-Politician"),
                                     ("في", "O"), ("واشنطن", "B-Population-Center"), (".", "O"), None,
                                     ("ثم", "O"), ("ذهب", "O")]))
    tokens = read_newsfane(path)
    assert [[t.text for t in s] for s in tokens.sentences] == [["قال", "باراك", "اوباما", "في", "واشنطن", "."],
                                                                ["ثم", "ذهب"]]
    assert tokens.sentences[1][0].line == 8
    assert tokens.problems == []
    read = read_corpus("tiny", path=path, registry=registry_for(
        path, "newsfane", {"Politician": "PER", "Population-Center": "GPE"}))
    doc = read.documents[0]
    assert doc.text == "قال باراك اوباما في واشنطن .\nثم ذهب"
    assert "\ufeff" not in doc.text and "\r" not in doc.text and LRM not in doc.text
    assert [(r.label, r.start, r.end, r.text) for r in doc.regions] == [
        ("PER", 4, 16, "باراك اوباما"), ("GPE", 20, 26, "واشنطن")]
    assert all(doc.text[r.start:r.end] == r.text for r in doc.regions)
    assert doc.meta == {"corpus": "tiny", "first_line": 1, "last_line": 9, "sentences": 2, "license": "test",
                        "layers": ["entities"]}


def test_aqmar_malformed_tag_reported_with_line_number_and_read_as_o(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("محمد B-PER\nفي O\n\nكرة B-ENGLISH\nالقدم OO\n", encoding="utf-8")
    read = read_aqmar(path, types={"PER", "LOC", "ORG"}, tag_repairs={"OO": "O"})
    assert [[(t.text, t.tag, t.line) for t in s] for s in read.sentences] == [
        [("محمد", "B-PER", 1), ("في", "O", 2)], [("كرة", "O", 4), ("القدم", "O", 5)]]
    assert [(p.kind, p.line) for p in read.problems] == [("malformed_tag", 4), ("repaired_tag", 5)]
    assert "B-ENGLISH" in read.problems[0].message and str(read.problems[0]).startswith(f"{path}:4:")


def test_aqmar_repair_of_obvious_typo_keeps_the_span(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("الحكومة B-ORG\nالأمريكية I--ORG\nقالت O\n", encoding="utf-8")
    read = read_corpus("tiny", path=path, registry=registry_for(
        path, "aqmar", {"ORG": "ORG"}, repairs={"I--ORG": "I-ORG"}))
    assert [(r.label, r.text) for r in read.documents[0].regions] == [("ORG", "الحكومة الأمريكية")]
    assert [(p.kind, p.line) for p in read.problems] == [("repaired_tag", 2)]


def test_i_without_b_starts_a_span_and_is_reported(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("قال O\nالأمم I-ORG\nالمتحدة I-ORG\nو O\nزيد B-PER\nعمرو I-LOC\n", encoding="utf-8")
    read = read_corpus("tiny", path=path, registry=registry_for(
        path, "aqmar", {"ORG": "ORG", "PER": "PER", "LOC": "LOC"}))
    assert [(r.label, r.text) for r in read.documents[0].regions] == [
        ("ORG", "الأمم المتحدة"), ("PER", "زيد"), ("LOC", "عمرو")]
    assert [(p.kind, p.line) for p in read.problems] == [("bio_repair", 2), ("bio_repair", 6)]


def test_empty_token_after_mark_removal_is_dropped_and_reported(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("له\u200f O\n\u200f O\nذلك O\n", encoding="utf-8")
    read = read_corpus("tiny", path=path, registry=registry_for(path, "aqmar", {}))
    assert read.documents[0].text == "له ذلك"
    assert [(p.kind, p.line) for p in read.problems] == [("empty_token", 2)]


def test_fine_types_map_to_coarse_and_dropped_types_are_counted(tmp_path):
    path = tmp_path / "n.txt"
    path.write_bytes(newsfane_bytes([("العرب", "B-Group"), ("في", "O"), ("مصر", "B-Nation"), ("يقودون", "O"),
                                     ("رانج", "B-Land"), ("روفر", "I-Land"), ("و", "O"), ("هاون", "B-Projectile"),
                                     ("و", "O"), ("رانج", "B-Land"), ("قرب", "O"), ("مطار", "B-Airport")]))
    registry = load_registry()
    spec = registry["newsfane"]
    registry = {"tiny": CorpusSpec(**{**spec.__dict__, "name": "tiny", "file": path.name,
                                      "sha256": sha256_file(path)})}
    read = read_corpus("tiny", path=path, registry=registry)
    assert [(r.label, r.text) for r in read.documents[0].regions] == [
        ("NORP", "العرب"), ("GPE", "مصر"), ("FAC", "مطار")]
    assert read.stats["dropped"] == {"Land": 2, "Projectile": 1}
    assert read.stats["entities"] == {"FAC": 1, "GPE": 1, "NORP": 1}
    sentences = corpus_sentences("tiny", path=path, registry=registry)
    assert sentences[0]["tags"][:6] == ["B-NORP", "O", "B-GPE", "O", "O", "O"]


def test_registry_maps_all_45_newsfane_types_exactly_once():
    spec = load_registry()["newsfane"]
    assert len(spec.known_types) == 45
    assert set(spec.labels.values()) == {"PER", "NORP", "GPE", "ORG", "LOC", "FAC"}
    assert {"Land", "Air", "Water", "Book", "Projectile"} <= spec.drop


def test_grouping_never_splits_a_sentence_and_stays_near_target():
    lengths = [120, 80, 300, 45, 2000, 60, 90, 400, 10, 250] * 20
    groups = group_sentences(lengths, target_chars=600)
    assert [i for g in groups for i in g] == list(range(len(lengths)))
    sizes = [sum(lengths[i] for i in g) + len(g) - 1 for g in groups]
    for g, size in zip(groups, sizes):
        assert len(g) == 1 or size <= 600 * 1.5
    middle = [s for g, s in zip(groups, sizes) if len(g) > 1]
    assert 400 <= sum(middle) / len(middle) <= 800


def test_documents_are_sentences_joined_by_newline_and_deterministic(tmp_path):
    path = tmp_path / "a.txt"
    rows = "\n\n".join(f"كلمة{i} B-PER\nقال O\nشيئا O" for i in range(50)) + "\n"
    path.write_text(rows, encoding="utf-8")
    registry = registry_for(path, "aqmar", {"PER": "PER"})
    first = read_corpus("tiny", path=path, registry=registry, target_chars=100)
    second = read_corpus("tiny", path=path, registry=registry, target_chars=100)
    assert [d.text for d in first.documents] == [d.text for d in second.documents]
    assert [r.id for d in first.documents for r in d.regions] == [r.id for d in second.documents for r in d.regions]
    assert sum(d.meta["sentences"] for d in first.documents) == 50
    assert all(d.text.count("\n") == d.meta["sentences"] - 1 for d in first.documents)
    assert all(len(d.text) <= 150 for d in first.documents)
    assert list(corpus_texts("tiny", path=path, registry=registry))[:2] == ["كلمة0 قال شيئا", "كلمة1 قال شيئا"]


def test_seed_text_corpus_is_one_document_without_regions(tmp_path, monkeypatch):
    monkeypatch.setenv("NISBA_CORPUS_CACHE", str(tmp_path))
    read = read_corpus("seed")
    assert len(read.documents) == 1 and read.documents[0].regions == []
    fixture = Path(__file__).parent / "fixtures" / "syria-talks-2017.txt"
    assert read.documents[0].text == fixture.read_text(encoding="utf-8")


def test_undecodable_line_is_reported_not_a_crash(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("زيد B-PER\n".encode() + b"\xff\xfe O\n" + "قال O\n".encode())
    read = read_aqmar(path)
    assert [(p.kind, p.line) for p in read.problems] == [("not_utf8", 2)]
    assert [t.text for t in read.sentences[0]] == ["زيد", "قال"]


@pytest.mark.slow
@pytest.mark.skipif(default_mirror() is None, reason="no corpus mirror (../shared/data) on this machine")
def test_every_region_text_matches_offsets_over_the_whole_newsfane():
    read = read_corpus("newsfane")
    assert read.stats["sentences"] == 4760 and read.stats["tokens"] == 168080
    assert read.stats["documents"] > 400
    regions = [(d, r) for d in read.documents for r in d.regions]
    assert len(regions) > 10000
    assert all(d.text[r.start:r.end] == r.text and r.text.strip() == r.text for d, r in regions)
    assert all(len({r.id for r in d.regions}) == len(d.regions) for d in read.documents)
    assert {p.kind for p in read.problems} == {"bio_repair"}
