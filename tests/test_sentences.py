"""One sentence-end rule (annotation/text/sentences.py)."""

from annotation.dataset.exports import conll_lines
from annotation.schema.schema import load_schema
from annotation.text.sentences import ends_sentence, sentence_bounds


def test_period_inside_a_number_ends_no_sentence():
    text = "نزح 3.5 مليون. وقال"
    assert sentence_bounds(text, 5) == (0, 13)
    assert not ends_sentence(text, 5, 6) and ends_sentence(text, 13, 14)


def test_newline_and_arabic_question_mark_end_sentences():
    text = "هل حضر؟ نعم\nثم غادر"
    assert sentence_bounds(text, 9) == (7, 11)  # from just after the mark
    assert sentence_bounds(text, 13) == (12, len(text))


def test_conll_export_splits_sentences_by_the_shared_rule():
    # the export used to end a sentence at any "." token, also one inside "3.5"
    row = {"id": "d", "text": "نزح 3.5 مليون. وقال", "entities": [], "events": [], "attribution": []}
    lines = conll_lines(row, load_schema())
    words = [line.split("\t")[0] if line else "" for line in lines[2:]]
    assert words == ["نزح", "3", ".", "5", "مليون", ".", "", "وقال", ""]
