"""Where a sentence ends: the one rule for the rules, the attribution linker, the pattern kinds
and the CoNLL export.

A sentence ends at ``.``, ``!``, ``?`` or ``؟`` followed by whitespace or the end of the text,
and at every newline. So "3.5", "U.S." and a "." run into the next word end nothing.

Not handled here: abbreviations followed by a space ("د. محمد" ends a sentence), quotations.

Example::

    >>> sentence_bounds("قال إن 3.5 مليون نزحوا. وأضاف", 8)
    (0, 22)
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)|\n")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the sentence holding offset ``pos``: after the previous end mark, up to the next."""
    start = 0
    for m in SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = SENTENCE_END.search(text, pos)
    return start, (m.start() if m else len(text))


def ends_sentence(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` (a token) is a sentence end mark by the rule above."""
    m = SENTENCE_END.match(text, start)
    return m is not None and m.end() == end
