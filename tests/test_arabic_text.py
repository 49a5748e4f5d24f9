"""Matching normalization, prefixes and phrase matching (annotation/text/arabic.py), source linking."""

from __future__ import annotations

from annotation.text.arabic import (
    PhraseMatcher,
    normalize,
    normalize_with_index,
    original_span,
    strip_prefixes,
    word_spans,
)
from training.predict.rules.sources import SourceIndex


def test_normalize_folds_alef_hamza_ya_ta_marbuta():
    assert normalize("أإآٱ") == "اااا"
    assert normalize("مسؤول") == normalize("مسئول")
    assert normalize("إلى") == normalize("الي") == "الي"
    assert normalize("وكالة") == "وكاله"
    assert normalize("SANA") == "sana"


def test_normalize_folds_presentation_forms_to_their_letters_one_for_one():
    text = "وﺃﺿﺎﻑ ﺳﻮﻟﻔﺎﻧﻎ"  # scraped text in Arabic Presentation Forms-B
    norm, index = normalize_with_index(text)
    assert norm == "واضاف سولفانغ" and len(index) == len(norm)
    assert normalize("ﻻ") == "ﻻ"  # a ligature of two letters stays one character: offsets stay exact


def test_normalize_drops_tatweel_and_diacritics_and_keeps_index():
    text = "قـالَ الوزيرُ"
    norm, index = normalize_with_index(text)
    assert norm == "قال الوزير"
    assert [text[i] for i in index] == list("قال الوزير")
    s = norm.index("الوزير")
    assert original_span(s, s + len("الوزير"), index) == (6, 12)
    assert text[6:12] == "الوزير"


def test_strip_prefixes_gives_clitic_readings():
    assert strip_prefixes("وقالت") == [(0, "وقالت"), (1, "قالت")]
    assert (2, "الاتحاد") in strip_prefixes("وبالاتحاد")
    assert (3, "اتحاد") in strip_prefixes("بالاتحاد", article=True)


def test_word_spans_split_digits_and_punctuation():
    text = "تدمير3 نقاط, سانا"
    assert [text[s:e] for s, e in word_spans(text)] == ["تدمير", "نقاط", "سانا"]


def test_word_spans_skip_a_lone_tatweel_used_as_a_dash_and_keep_one_inside_a_word():
    text = "وأشار ـ في تصريح لـ(اليوم) ـ إلى الـرياض"
    assert [text[s:e] for s, e in word_spans(text)] == ["وأشار", "في", "تصريح", "لـ", "اليوم", "إلى", "الـرياض"]


def test_matcher_finds_phrase_after_clitic_inside_word():
    m = PhraseMatcher({"الاتحاد الأوروبي": "ORG"})
    text = "اجتمع الوزراء بالاتحاد الاوروبي أمس"
    [hit] = m.find(text)
    assert text[hit.start:hit.end] == "الاتحاد الاوروبي" and hit.payload == "ORG"


def test_matcher_keeps_article_lam_when_alef_is_elided():
    m = PhraseMatcher({"الجيش السوري الحر": "ORG", "الروس": "NORP"})
    text = "تنتمي للجيش السوري الحر وهذا اختبار للروس"
    got = [(text[h.start:h.end], h.payload) for h in m.find(text)]
    assert got == [("لجيش السوري الحر", "ORG"), ("لروس", "NORP")]


def test_matcher_splits_words_run_together_with_waw():
    m = PhraseMatcher({"روسيا": "GPE", "تركيا": "GPE"})
    text = "تدعمها روسياوتركيا"
    got = [(h.start, h.end) for h in m.find(text)]
    assert got == [(7, 12), (13, 18)]
    assert [text[s:e] for s, e in got] == ["روسيا", "تركيا"]


def test_matcher_does_not_match_inside_longer_word():
    m = PhraseMatcher({"مصر": "GPE", "قطر": "GPE"})
    text = "مصروفات قطرات ومصر"
    assert [(text[h.start:h.end], h.start) for h in m.find(text)] == [("مصر", 15)]


def test_matcher_offsets_survive_diacritics_in_text():
    m = PhraseMatcher({"علوش": "PER"})
    text = "صَرَّحَ عَلّوش"
    [hit] = m.find(text)
    assert text[hit.start:hit.end] == "عَلّوش"


def test_matcher_suffix_extends_trigger_to_word_end():
    m = PhraseMatcher({"عمليات": "Conflict.Attack"}, suffixes=["ها"])
    text = "خلال عملياتها"
    [hit] = m.find(text)
    assert text[hit.start:hit.end] == "عملياتها"


def test_source_linking_after_normalization_and_prefixes():
    index = SourceIndex.load()
    assert index.link("وعلوش").id == "Alloush"
    assert index.link("وكالة الأنباء السورية").id == "SANA"
    assert index.link("وكاله الانباء السوريه").id == "SANA"
    assert index.link("مسؤول في جماعة مسلحة تنتمي للجيش الحر").id == "AnonymousOfficial"
    assert index.link("رئيس المكتب السياسي محمد علوش").id == "Alloush"
    assert index.link("الوكالة") is None
    assert index.link("بروكسل") is None
