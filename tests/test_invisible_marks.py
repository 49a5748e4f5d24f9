"""One set of invisible marks (annotation/text/marks.py) for tokens, normalization, lookup and corpus readers.

The four copies used to disagree; the merged set is their union. Each test pins a mark that one
of the old copies missed.
"""

from annotation.corpora.readers import read_columns, strip_marks
from annotation.text import arabic, normalize, tokens
from annotation.text.marks import INVISIBLE, strip_invisible


def test_invisible_marks_are_one_set_everywhere():
    assert tokens.INVISIBLE is INVISIBLE
    assert normalize.INVISIBLE is INVISIBLE
    assert arabic.INVISIBLE is INVISIBLE
    assert INVISIBLE <= normalize.DELETE
    for mark in INVISIBLE:
        assert strip_marks(f"a{mark}b") == "ab"
        assert normalize.normalize(f"a{mark}b") == "ab"
        assert arabic.normalize(f"a{mark}b") == "ab"
        assert tokens.pretokenize(f"ab{mark}cd") == [(0, 2), (3, 5)]


def test_arabic_letter_mark_separates_tokens():
    # U+061C was a word character for the token view (only the corpus readers knew it)
    assert tokens.pretokenize("قال\u061cالوزير") == [(0, 3), (4, 10)]


def test_isolates_are_removed_by_model_normalization():
    # U+2066-9 were kept by the model-input normalization (the token view and lookup dropped them)
    norm, offsets = normalize.normalize_with_offsets("\u2067قال\u2069")
    assert norm == "قال"
    assert offsets == [1, 2, 3]


def test_embeddings_are_dropped_by_lookup_folding():
    # U+202A-E were kept by the lookup folding, so a phrase inside an embedding was not found
    m = arabic.PhraseMatcher({"الأمم المتحدة": "ORG"})
    text = "قالت \u202bالأمم المتحدة\u202c"
    assert [(x.start, x.end, x.payload) for x in m.find(text)] == [(6, 19, "ORG")]


def test_zero_width_space_is_stripped_from_corpus_tokens(tmp_path):
    # U+200B-D were kept inside corpus tokens (the other three copies dropped them)
    path = tmp_path / "c.txt"
    path.write_text("\u200bعلوش\tB-PER\nقال\u200c\tO\n", encoding="utf-8")
    read = read_columns(path, "\t")
    assert [t.text for t in read.sentences[0]] == ["علوش", "قال"]
    assert strip_invisible("\ufeffنص\u200d") == "نص"


def test_model_normalization_and_lookup_folding_share_one_loop():
    # one loop (normalize.map_with_offsets), two tables: the lookup also folds hamza carriers and case
    text = "\u200fمسئولٌ A"
    assert normalize.normalize_with_offsets(text) == ("مسئول A", [1, 2, 3, 4, 5, 7, 8])
    assert arabic.normalize_with_index(text) == ("مسءول a", [1, 2, 3, 4, 5, 7, 8])
    assert normalize.map_with_offsets("abc", lambda ch: None if ch == "b" else ch.upper()) == ("AC", [0, 2])
