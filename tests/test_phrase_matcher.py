"""The lookup phrase matcher (annotation/text/arabic.PhraseMatcher) on its pyahocorasick automaton."""

from annotation.text.arabic import PhraseMatcher


def spans(matcher, text):
    return [(m.start, m.end, m.payload) for m in matcher.find(text)]


def test_longest_phrase_wins_over_the_phrases_inside_it():
    m = PhraseMatcher({"الأمم": "A", "الأمم المتحدة": "B", "المتحدة": "C"})
    assert spans(m, "قالت الأمم المتحدة") == [(5, 18, "B")]


def test_article_elided_after_lam_is_found():
    m = PhraseMatcher({"الجيش": "ORG"})
    assert spans(m, "قال للجيش") == [(5, 9, "ORG")]


def test_words_run_together_with_waw_are_both_found():
    m = PhraseMatcher({"روسيا": "GPE", "تركيا": "GPE"})
    assert spans(m, "اتفاق روسياوتركيا") == [(6, 11, "GPE"), (12, 17, "GPE")]


def test_repeated_and_overlapping_occurrences_are_all_seen():
    m = PhraseMatcher({"سانا": "S"})
    assert spans(m, "سانا و سانا") == [(0, 4, "S"), (7, 11, "S")]


def test_empty_matcher_finds_nothing():
    assert PhraseMatcher({}).find("نص") == []
