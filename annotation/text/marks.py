"""The invisible marks: one set for tokens, normalization, lookup folding and corpus readers.

Characters that take no space and carry no letter: the zero-width space, non-joiner and joiner
(U+200B-D), the byte-order mark / zero-width no-break space (U+FEFF), and every directional
formatting character: LRM/RLM (U+200E/F), the Arabic letter mark (U+061C), the embeddings and
overrides (U+202A-E) and the isolates (U+2066-9).

Where they go: the token view treats them as whitespace (annotation/text/tokens.py), the
model-input normalization and the lookup folding delete them (normalize.py, arabic.py), and the
corpus readers strip them from tokens (annotation/corpora/readers.py). Before this set, each
of those four kept its own, and they disagreed (only the readers knew U+061C and U+202A-E; the
normalization missed the isolates; the readers kept U+200B-D).

Not handled here: ordinary whitespace (``str.isspace``) or other format characters (U+00AD).
"""

from __future__ import annotations

INVISIBLE: frozenset[str] = frozenset(
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\ufeff"  # byte-order mark / zero-width no-break space
    "\u200e\u200f\u061c"  # LRM, RLM, Arabic letter mark
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)

_STRIP = str.maketrans(dict.fromkeys(INVISIBLE))


def strip_invisible(text: str) -> str:
    """``text`` without its invisible marks."""
    return text.translate(_STRIP)
