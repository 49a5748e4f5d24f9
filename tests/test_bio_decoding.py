"""One BIO decoder (annotation/text/tokens.bio_spans) for the corpus readers and the predictors."""

import random

from annotation.corpora.readers import tag_spans
from annotation.text.tokens import bio_spans, tags_to_spans


def test_stray_inside_tag_starts_a_span():
    assert bio_spans(["O", "I-PER", "I-PER", "I-ORG", "B-ORG", "I-ORG"]) == [(1, 3, "PER"), (3, 4, "ORG"), (4, 6, "ORG")]


def test_corpus_reader_and_token_view_decode_the_same_spans():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-Conflict.Attack", "I-Conflict.Attack"]
    offsets = [(0, 3), (4, 8), (9, 10), (11, 15), (16, 20), (21, 25)]
    assert tag_spans(tags) == [("PER", 0, 2), ("LOC", 3, 4), ("Conflict.Attack", 4, 6)]
    assert tags_to_spans(offsets, tags) == [(0, 8, "PER"), (11, 15, "LOC"), (16, 25, "Conflict.Attack")]


def test_bio_decoding_agrees_with_seqeval_entities():
    from seqeval.metrics.sequence_labeling import get_entities

    rng = random.Random(7)
    alphabet = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-Life.Die", "I-Life.Die"]
    for _ in range(500):
        tags = [rng.choice(alphabet) for _ in range(rng.randint(0, 12))]
        ours = [(label, a, b - 1) for a, b, label in bio_spans(tags)]
        assert ours == get_entities(tags), tags


def test_tags_longer_than_tokens_decode_over_the_tokens_only():
    assert tags_to_spans([(0, 2)], ["B-PER", "I-PER", "B-ORG"]) == [(0, 2, "PER")]
