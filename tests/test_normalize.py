"""Model-input normalization: the letter forms it folds, and offsets that map back exactly."""

from annotation.text.normalize import normalize, normalize_with_offsets, to_original_span


def test_alef_hamza_forms_fold_to_bare_alef():
    assert normalize("أحمد إيران آسيا ٱلله") == "احمد ايران اسيا الله"


def test_alef_maqsura_and_ta_marbuta_fold():
    assert normalize("إلى المعارضة") == "الي المعارضه"


def test_tatweel_and_diacritics_are_removed():
    assert normalize("قـــالَ مُحَمَّدٌ") == "قال محمد"


def test_hamza_on_waw_and_ya_is_kept():
    assert normalize("مسؤول رئيس") == "مسؤول رئيس"


def test_newsfane_style_text_is_unchanged():
    text = "قال المسؤول ان الاجتماع عقد في دمشق"
    assert normalize(text) == text


def test_offsets_point_at_the_character_each_output_came_from():
    text = "وقـالَ أحمد"
    norm, offsets = normalize_with_offsets(text)
    assert norm == "وقال احمد"
    assert len(offsets) == len(norm)
    for i, ch in enumerate(norm):
        assert normalize(text[offsets[i]]) == ch


def test_span_maps_back_to_the_original_word_with_its_marks():
    text = "وقال مُحَمَّدٌ إنّ"
    norm, offsets = normalize_with_offsets(text)
    start = norm.index("محمد")
    assert to_original_span((start, start + 4), offsets, text) == (5, 14)
    assert text[5:14] == "مُحَمَّدٌ"


def test_every_normalized_word_maps_back_exactly_on_the_seed_article(seed_text=None):
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "syria-talks-2017.txt").read_text(encoding="utf-8")
    norm, offsets = normalize_with_offsets(text)
    assert norm == normalize(text)
    pos = 0
    for word in norm.split():
        i = norm.index(word, pos)
        s, e = to_original_span((i, i + len(word)), offsets, text)
        assert normalize(text[s:e]) == word
        pos = i + len(word)


def test_invisible_marks_are_removed_without_moving_offsets():
    text = "\u200eدمشق \u200eبيروت"
    norm, offsets = normalize_with_offsets(text)
    assert norm == "دمشق بيروت"
    assert to_original_span((5, 10), offsets, text) == (7, 12)
