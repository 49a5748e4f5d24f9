"""Model-input normalization of Arabic text, with an exact offset map back to the original.

What it does (one character at a time, so the map is exact):

- alef and hamza-carrier forms أ إ آ ٱ -> ا  (hamza on waw/ya ؤ ئ are kept: they are letters
  of the word, not spelling variants of alef);
- alef maqsura ى -> ي (scraped news writes either one for the same word);
- ta marbuta ة -> ه;
- tatweel ـ is removed;
- diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks) are removed;
- invisible marks (annotation/text/marks.py: zero-width, byte-order and direction marks) are removed.

Every output character comes from exactly one input character (a 1:1 replacement) or an input
character is deleted, never two merged into one, so ``offsets[i]`` (the original index of
output character ``i``) says exactly where each prediction lands in the original text.
Newsfane is already alef-normalized; the seed article is not: both come out the same.

Not handled here: tokenization (annotation/text/tokens.py) or Latin/Arabic punctuation variants
(kept as they are: they carry no letter identity).

Example::

    >>> norm, offsets = normalize_with_offsets("أعلنَ")
    >>> norm, offsets
    ('اعلن', [0, 1, 2, 3])
    >>> to_original_span((0, 4), offsets, "أعلنَ")
    (0, 5)
"""

from __future__ import annotations

from typing import Callable

from annotation.text.marks import INVISIBLE

NORMALIZE_VERSION = 1

# 1:1 replacements
REPLACE = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
}

# deleted characters
DELETE = (
    {"\u0640"}  # tatweel
    | {chr(c) for c in range(0x064B, 0x0660)}  # tanwin, harakat, shadda, sukun, maddah, hamza marks
    | {"\u0670"}  # dagger alef
    | {chr(c) for c in range(0x06D6, 0x06DD)} | {chr(c) for c in range(0x06DF, 0x06E5)}
    | {"\u06E7", "\u06E8"} | {chr(c) for c in range(0x06EA, 0x06EE)}  # Quranic annotation marks
    | INVISIBLE
)

_TABLE = str.maketrans({**REPLACE, **{ch: None for ch in DELETE}})


def normalize(text: str) -> str:
    """The normalized text (no offsets); same result as ``normalize_with_offsets(text)[0]``."""
    return text.translate(_TABLE)


def map_with_offsets(text: str, convert: Callable[[str], str | None]) -> tuple[str, list[int]]:
    """``convert`` applied to each character (None deletes it) and, per output character, the index
    of the input character it came from: the one normalization loop (model input here, lookup
    folding in arabic.py)."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        new = convert(ch)
        if new is None:
            continue
        out.append(new)
        offsets.append(i)
    return "".join(out), offsets


def _model_char(ch: str) -> str | None:
    return None if ch in DELETE else REPLACE.get(ch, ch)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalized text and, per output character, the index of the input character it came from."""
    return map_with_offsets(text, _model_char)


def to_original_span(span: tuple[int, int], offsets: list[int], text: str | None = None) -> tuple[int, int]:
    """Map an end-exclusive span of the normalized text to the original text.

    The span covers the original characters from its first to its last normalized character;
    deleted characters inside it (a shadda, a tatweel) come along. Given the original ``text``,
    diacritics and tatweel right after the last letter come along too (they belong to it).
    """
    start, end = span
    if not 0 <= start < end <= len(offsets):
        raise ValueError(f"span {span} outside the normalized text of length {len(offsets)}")
    o_end = offsets[end - 1] + 1
    if text is not None:
        while o_end < len(text) and text[o_end] in DELETE and text[o_end] not in INVISIBLE:
            o_end += 1
    return offsets[start], o_end
