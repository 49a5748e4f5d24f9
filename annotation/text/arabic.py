"""Arabic text normalization and phrase matching FOR LOOKUP (lexicons, gazetteers, aliases).

Matching has to see through the spelling noise of scraped news while every match still lands on
exact code-point offsets of the original text. This module:

- ``normalize_with_index(text)`` folds, one character at a time: alef/hamza forms أ إ آ ٱ -> ا,
  hamza carriers ؤ ئ -> ء (مسئول == مسؤول), ى -> ي, ة -> ه, Latin to lower case, a presentation
  form (U+FB50-FDFF, U+FE70-FEFF: ﺃﺿﺎﻑ) to its letter when that is one character; it deletes
  tatweel, diacritics and invisible marks. ``index[i]`` is the original offset of output char
  ``i``, so a normalized span maps back exactly (``original_span``).
- ``strip_prefixes(word)``: the readings of a word with its clitic prefixes و ف ب ل ك (and
  combinations such as وب, ول, فل) removed, optionally the article ال too.
- ``PhraseMatcher``: finds lexicon phrases in a text at word level (every phrase in one pass
  of an Aho-Corasick automaton, pyahocorasick). A phrase may follow clitic
  prefixes inside the same whitespace word (وذكرت, بالاتحاد), may start after ل where the
  article's alef is elided (للجيش -> the span لجيش...), and may sit in words run together with
  و (روسياوتركيا -> روسيا, تركيا). Optional pronoun suffixes (عملياتها) extend the span to the
  word's end. Matches are returned longest-first without overlap.

The model's input normalization is annotation/text/normalize.py; this one is stronger (hamza on
waw/ya, Latin case) because it only decides whether two spellings name the same thing.

Not handled here: stemming beyond clitics, broken plurals, or morphological analysis.

Example::

    >>> m = PhraseMatcher({"الاتحاد الأوروبي": "ORG"})
    >>> [(x.start, x.end, x.payload) for x in m.find("اجتمع وزراء بالاتحاد الاوروبي")]
    [(13, 29, 'ORG')]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from annotation.text.marks import INVISIBLE
from annotation.text.normalize import map_with_offsets

FOLD = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ -> ا
    "\u0624": "\u0621", "\u0626": "\u0621",  # ؤ ئ -> ء
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
}
TATWEEL = "\u0640"

CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
ARTICLE_PREFIXES = ("ال", "وال", "بال", "فال", "كال", "وبال", "لل", "ولل", "فلل")
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "نا", "كم", "ي")


def _drop(ch: str) -> bool:
    return ch == TATWEEL or ch in INVISIBLE or unicodedata.category(ch) == "Mn"


def normalize_char(ch: str) -> str:
    if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
        base = unicodedata.normalize("NFKC", ch)
        ch = base if len(base) == 1 else ch  # a presentation form (ﺃﺿﺎﻑ) is its letter; a ligature (ﻻ) stays
    return FOLD.get(ch, ch.lower())


def _fold_char(ch: str) -> str | None:
    return None if _drop(ch) else normalize_char(ch)


def normalize_with_index(text: str) -> tuple[str, list[int]]:
    """The folded text and, per output character, its offset in ``text``."""
    return map_with_offsets(text, _fold_char)


def normalize(text: str) -> str:
    return normalize_with_index(text)[0]


def original_span(start: int, end: int, index: list[int]) -> tuple[int, int]:
    """A normalized span [start, end) back to original offsets (end-exclusive)."""
    return index[start], index[end - 1] + 1


def is_letter(ch: str) -> bool:
    return ch.isalpha()


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each letter run; digits, punctuation and spaces separate words.

    Diacritics and tatweel stay inside the word they decorate; a tatweel that opens no word (the
    dash of "وأشار ـ في تصريح ... ـ إلى أنه") is no word.
    """
    spans: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(text):
        inside = (ch.isalpha() and ch != TATWEEL) or (start is not None and (_drop(ch) and ch not in INVISIBLE))
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def strip_prefixes(word: str, article: bool = False) -> list[tuple[int, str]]:
    """Readings of ``word`` as (prefix length, rest), the bare word first.

    >>> strip_prefixes("وقالت")
    [(0, 'وقالت'), (1, 'قالت')]
    """
    norm = normalize(word)
    out = [(0, norm)]
    prefixes = CLITICS + (ARTICLE_PREFIXES if article else ())
    for p in sorted(prefixes, key=len):
        if norm.startswith(p) and len(norm) - len(p) >= 2:
            out.append((len(p), norm[len(p):]))
    return out


@dataclass(frozen=True)
class Match:
    start: int  # original offsets, end-exclusive
    end: int
    phrase: str  # the lexicon phrase as written
    payload: Any


class PhraseMatcher:
    """Find lexicon phrases at word level in original-offset terms (see the module docstring)."""

    def __init__(self, phrases: dict[str, Any] | Iterable[tuple[str, Any]], suffixes: Iterable[str] = ()):
        items = phrases.items() if isinstance(phrases, dict) else phrases
        self.entries: dict[str, tuple[str, Any]] = {}
        for phrase, payload in items:
            key = normalize(phrase).strip()
            if key and key not in self.entries:
                self.entries[key] = (phrase, payload)
        self.suffixes = tuple(normalize(s) for s in suffixes)
        self._keys = sorted(self.entries, key=len, reverse=True)
        self._automaton = self._build_automaton()

    def _build_automaton(self):
        """An Aho-Corasick automaton (pyahocorasick) of every needle: each key, and for a key with
        the article, the key without its alef (للجيش). Value: [(key rank, key, elided)]."""
        if not self._keys:
            return None
        import ahocorasick

        needles: dict[str, list[tuple[int, str, int]]] = {}
        for rank, key in enumerate(self._keys):
            needles.setdefault(key, []).append((rank, key, 0))
            if key.startswith("ال") and len(key) > 3:
                needles.setdefault(key[1:], []).append((rank, key, 1))
        automaton = ahocorasick.Automaton()
        for needle, entries in needles.items():
            automaton.add_word(needle, (len(needle), entries))
        automaton.make_automaton()
        return automaton

    def _left_ok(self, norm: str, p: int) -> bool:
        ws = p
        while ws > 0 and is_letter(norm[ws - 1]):
            ws -= 1
        prefix = norm[ws:p]
        if prefix == "" or prefix in CLITICS:
            return True
        # words run together with و: روسياوتركيا (the part before و is itself a known phrase)
        if prefix.endswith("و"):
            head = prefix[:-1]
            return any(r in self.entries for _, r in strip_prefixes(head)) if head else True
        return False

    def _right_end(self, norm: str, q: int) -> int | None:
        if q >= len(norm) or not is_letter(norm[q]):
            return q
        we = q
        while we < len(norm) and is_letter(norm[we]):
            we += 1
        if norm[q:we] in self.suffixes:
            return we
        if norm[q] == "و" and any(norm.startswith(k, q + 1) for k in self._keys):
            return q  # run together with a known phrase: روسياوتركيا
        return None

    def find(self, text: str) -> list[Match]:
        if self._automaton is None:
            return []
        norm, index = normalize_with_index(text)
        found: list[tuple[int, int, str, int, int]] = []  # start, end, key, key rank, elided
        for last, (length, entries) in self._automaton.iter(norm):
            p = last + 1 - length
            for rank, key, elided in entries:
                ok = (self._left_ok(norm, p) if not elided  # elided: ل + (ا)لجيش, the article's alef
                      else p > 0 and norm[p - 1] == "ل" and self._left_ok(norm, p - 1))
                end = self._right_end(norm, p + length) if ok else None
                if end is not None:
                    found.append((p, end, key, rank, elided))
        found.sort(key=lambda x: (-(x[1] - x[0]), x[0], x[3], x[4]))
        taken: list[tuple[int, int]] = []
        out: list[Match] = []
        for s, e, key, _, _ in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            start, end = original_span(s, e, index)
            phrase, payload = self.entries[key]
            out.append(Match(start, end, phrase, payload))
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def lookup(self, phrase: str) -> Any | None:
        """The payload of a phrase given on its own (after normalization and prefix stripping)."""
        for _, rest in strip_prefixes(phrase.strip()):
            if rest in self.entries:
                return self.entries[rest][1]
        return None
