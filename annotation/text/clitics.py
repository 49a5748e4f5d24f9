"""Re-attach NewsFANE's split clitics, so its text reads like the news users import.

NewsFANE (the ANERcorp texts) is clitic-segmented: "و قال", "ب المانيا", "ان ه", "نمو ها".
Raw news writes "وقال", "بالمانيا", "انه", "نموها". ``reattach_clitics(text, spans)`` takes a
text whose tokens are separated by single spaces (a read_corpus document) and its spans
``(start, end, label)``, removes the space after a proclitic token (و ف ب ل ك, also chained:
"و ب الاتحاد" -> "وبالاتحاد") and before an enclitic pronoun token (ه ها هم هما هن ي كم كما
نا ني), and maps every span onto the new text.

Spans stay exact: a kept span's text in the new text is its old text with the removed spaces
taken out. A space is left in place (and the spans counted as problems) when removing it would
put a span edge where raw text has no word edge the predictors can find: a span ending on a
proclitic ("و" alone as an entity's last token), or starting on an enclitic or ending
right before one ("[حكومت] ه": raw text has no edge there). A span starting
right after a proclitic ("و[بريطانيا]") is kept: it starts inside the joined word, like the
clitic spans of nisba-gold, and the taggers learn such starts.

Not handled here: "ل" + "ال" spelling ("للاتحاد": NewsFANE already writes these as one token),
the ta marbuta that segmentation turned into ت ("اجهزت ها" -> "اجهزتها" is what raw text has).

Example::

    >>> text, spans, problems = reattach_clitics("و قال ب المانيا", [(8, 15, "GPE")])
    >>> text, spans, problems
    ('وقال بالمانيا', [(6, 13, 'GPE')], [])
"""

from __future__ import annotations

PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "ي", "كم", "كما", "نا", "ني"})


def _is_arabic_word(token: str) -> bool:
    return bool(token) and all("\u0621" <= ch <= "\u064a" or "\u0660" > ch >= "\u064b" for ch in token)


def reattach_clitics(text: str, spans: list[tuple[int, int, str]]
                     ) -> tuple[str, list[tuple[int, int, str]], list[dict]]:
    """(new text, spans mapped onto it in the given order, problems: one per space kept for a span)."""
    starts = {s for s, _, _ in spans}
    ends = {e for _, e, _ in spans}
    # tokens with their offsets; lines kept (a newline is never removed)
    tokens: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        off = 0
        for tok in line.split(" "):
            if tok:
                tokens.append((pos + off, pos + off + len(tok)))
            off += len(tok) + 1
        pos += len(line) + 1
    remove: set[int] = set()  # indices of spaces to delete
    problems: list[dict] = []
    for (a0, a1), (b0, b1) in zip(tokens, tokens[1:]):
        if b0 != a1 + 1 or text[a1] != " ":
            continue
        left, right = text[a0:a1], text[b0:b1]
        if not (_is_arabic_word(left) and _is_arabic_word(right)):
            continue
        pro = left in PROCLITICS
        enc = right in ENCLITICS and not pro
        if not (pro or enc):
            continue
        # a span ending on the proclitic, or one starting on the enclitic, would end/start mid-word
        blocked = (pro and a1 in ends) or (enc and (b0 in starts or a1 in ends))
        if blocked:
            for s, e, label in spans:
                if (pro and e == a1) or (enc and (s == b0 or e == a1)):
                    problems.append({"start": s, "end": e, "label": label, "text": text[s:e],
                                     "problem": "kept a space: joining the clitic would put this span's edge inside a word"})
            continue
        remove.add(a1)
    if not remove:
        return text, list(spans), problems
    shift = [0] * (len(text) + 1)  # removed spaces before each offset
    n = 0
    for i in range(len(text) + 1):
        shift[i] = n
        if i in remove:
            n += 1
    new_text = "".join(ch for i, ch in enumerate(text) if i not in remove)
    new_spans = [(s - shift[s], e - shift[e], label) for s, e, label in spans]
    for (s, e, label), (ns, ne, _) in zip(spans, new_spans):
        if new_text[ns:ne] != text[s:e].replace(" ", "") and new_text[ns:ne] != "".join(
                ch for i, ch in enumerate(text[s:e], s) if i not in remove):
            problems.append({"start": s, "end": e, "label": label, "text": text[s:e],
                             "problem": "span text changed in re-attachment"})
    return new_text, new_spans, problems
