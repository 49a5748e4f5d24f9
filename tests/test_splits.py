"""Deterministic content-hash splits."""

from __future__ import annotations

from collections import Counter

import pytest

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.dataset.splits import parse_ratios, split_of


def test_split_depends_only_on_the_hash_so_new_documents_do_not_move_old_ones():
    ratios = parse_ratios("0.8,0.1,0.1")
    old = {h: split_of(h, ratios) for h in (content_hash(f"doc {i}") for i in range(500))}
    _ = [split_of(content_hash(f"new {i}"), ratios) for i in range(500)]
    assert {h: split_of(h, ratios) for h in old} == old


def test_ratios_are_followed_approximately():
    ratios = parse_ratios("0.8,0.1,0.1")
    counts = Counter(split_of(content_hash(f"doc {i}"), ratios) for i in range(5000))
    assert 3850 < counts["train"] < 4150 and 400 < counts["validation"] < 600 and 400 < counts["test"] < 600


def test_zero_ratio_split_is_never_chosen():
    ratios = parse_ratios("0.9,0.1")
    assert ratios == {"train": 0.9, "validation": 0.1, "test": 0.0}
    assert "test" not in {split_of(content_hash(str(i)), ratios) for i in range(1000)}


@pytest.mark.parametrize("bad", ["0.5,0.2", "a,b", "0.5,0.5,0.5,-0.5", "1.2,-0.2"])
def test_bad_ratios_are_a_clear_error(bad):
    with pytest.raises(NisbaError, match="--ratios"):
        parse_ratios(bad)


def test_nisba_gold_document_keeps_its_recorded_split_whatever_its_hash():
    from annotation.dataset.splits import fixed_split

    assert fixed_split({"corpus": "nisba-gold", "split": "dev"}) == "validation"
    assert fixed_split('{"corpus": "nisba-gold", "split": "test"}') == "test"
    assert fixed_split({"corpus": "nisba-gold", "split": "train"}) == "train"


def test_other_documents_and_unknown_split_names_fall_back_to_the_hash():
    from annotation.dataset.splits import fixed_split

    assert fixed_split({"corpus": "newsfane", "split": "test"}) is None
    assert fixed_split({"corpus": "nisba-gold", "split": "holdout"}) is None
    assert fixed_split("not json") is None
    assert fixed_split(None) is None
