"""annotation/text/tokens.py: the numpy pretokenizer against the rules written as a regex, case by case."""

import random
import re

from annotation.text.tokens import _kind, bio_tags, pretokenize

# The rules as the regex the tokenizer used to run over the string of character kinds: a
# punctuation mark, a digit run or a word run; combining marks stay with the token before them.
REFERENCE = re.compile(r"pm*|d[dm]*|[wm]+")


def reference_pretokenize(text, cuts=()):
    kinds = "".join(_kind(ch)[0] for ch in text)
    tokens = [m.span() for m in REFERENCE.finditer(kinds)]
    out = []
    for s, e in tokens:
        inner = sorted(c for c in set(cuts) if s < c < e)
        for c in inner:
            out.append((s, c))
            s = c
        out.append((s, e))
    return out


SAMPLES = "وقال علوش لرويترز ١٢3 «أ» ، ؟ بِسْمِ ٌ a-b 😀 \u200f\u200bx\u0651 .\u064b\u064b 5\u0651x \t\n"


def test_pretokenize_matches_the_rule_regex_on_random_mixed_text():
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(SAMPLES) for _ in range(rng.randint(0, 30)))
        cuts = {rng.randint(-2, len(text) + 2) for _ in range(rng.randint(0, 6))}
        assert pretokenize(text, cuts) == reference_pretokenize(text, cuts), (text, cuts)


def test_leading_combining_mark_starts_a_word():
    assert pretokenize("\u064bب ا") == [(0, 2), (3, 4)]


def test_mark_after_punctuation_stays_with_it_and_digits_split_from_letters():
    assert pretokenize("،\u064bتدمير3") == [(0, 2), (2, 7), (7, 8)]


def test_emoji_outside_the_bmp_is_a_token_of_its_own():
    assert pretokenize("قال😀علوش") == [(0, 3), (3, 4), (4, 8)]


def test_cut_inside_a_word_splits_it_and_cut_on_space_does_nothing():
    assert pretokenize("وقال علوش لرويترز", cuts=[11, 4, 0, 99]) == [(0, 4), (5, 9), (10, 11), (11, 17)]


def test_bio_tags_reports_overlap_and_misalignment():
    tokens = pretokenize("أ ب ج د")
    tags, bad = bio_tags(tokens, [(0, 3, "X"), (2, 5, "Y"), (1, 3, "Z")])
    assert tags == ["B-X", "I-X", "O", "O"]
    assert [b[2] for b in bad] == ["Z", "Y"]
