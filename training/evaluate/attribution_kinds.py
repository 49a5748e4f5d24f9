"""The patterns a gold attributed pair shows, so recall can be measured per pattern.

``pair_kinds(text, claim, sources, cue, via)`` names the patterns of docs/guidelines.md 4 that
a gold (CLAIM, SOURCE, CUE) triple shows; a pair may show several. Cue kinds come from the
cue word alone (normalized, clitics و/ف stripped):

- ``cue_verb``, ``cue_participle`` (مضيفا، نافيا، مشيرا), ``cue_noun`` (تصريحات، بيان),
  ``cue_prepositional`` (حسب، بحسب، وفقا، نقلا، على لسان), ``cue_passive`` (نقل عن، أفيد);
- ``content_before_cue``: the claim ends before its cue starts;
- ``multi_sentence``: the claim holds a sentence end (. ! ؟ then more text);
- ``quotation``: the claim sits inside « », “ ” or "";
- ``several_sources``: the claim is attributed to more than one SOURCE;
- ``anonymous``: a source has source_type anonymous;
- ``outlet``: a source has a reported_via;
- ``dropped_subject``: no source lies in the cue's sentence (the speaker was named earlier);
- ``ambiguous_cue``: the cue is a word that is not always a cue (ترى، يرى، نقل).

Example::

    >>> cue_kind("مشيراً")
    'cue_participle'

Not handled here: scoring (training/evaluate/attribution_metrics.py).
"""

from __future__ import annotations

import re

from annotation.convert.regions import Region
from annotation.schema.schema import default_roles
from annotation.text.arabic import normalize
from annotation.text.sentences import sentence_bounds

PREPOSITIONAL = {"حسب", "بحسب", "حسبما", "وفق", "وفقا", "طبقا", "نقلا", "لسان", "علي لسان"}
PASSIVE = {"نقل عن", "افيد", "يفاد", "نقل"}
NOUNS = {"تصريح", "تصريحات", "تصريحاته", "تصريحاتها", "بيان", "البيان", "اعلان", "تقرير", "تقارير",
         "قوله", "قولها", "حديث", "كلمه", "دعوات", "دعوه", "اتهامات", "رساله", "مقابله"}
AMBIGUOUS = {"تري", "يري", "نقل", "نقلت", "ينقل", "راي", "رات", "بين", "عبر", "جاء"}
QUOTES = "«»“”\"„"
SENTENCE_INSIDE = re.compile(r"[.!؟?](?=\s+\S)")


def _bare(word: str) -> str:
    w = normalize(word).replace("ً", "").strip()
    for p in ("و", "ف"):
        if len(w) > 3 and w.startswith(p):
            w = w[len(p):]
            break
    return w


def is_participle(w: str) -> bool:
    """Active participles used adverbially: مشيرا، مضيفه، موضحا، قائلا، لافته، نافيا، معتبرا."""
    if len(w) < 4 or not w.endswith(("ا", "ه")):
        return False
    stem = w[:-1]
    return (stem.startswith("م") and len(stem) >= 4) or (len(stem) == 4 and stem[1] == "ا") \
        or stem in {"قائل", "لافت", "نافي"}


def cue_kind(cue_text: str) -> str:
    w = " ".join(_bare(x) for x in cue_text.split())
    if w in PREPOSITIONAL:
        return "cue_prepositional"
    if w in PASSIVE and normalize(cue_text).strip().startswith(("نقل عن", "افيد", "يفاد")):
        return "cue_passive"
    if w in {"افيد", "يفاد"}:
        return "cue_passive"
    if w in NOUNS:
        return "cue_noun"
    if is_participle(w):
        return "cue_participle"
    return "cue_verb"


def pair_kinds(text: str, claim: Region, sources: list[Region], cue: Region | None,
               has_via: bool = False) -> set[str]:
    kinds: set[str] = set()
    if cue is not None:
        kinds.add(cue_kind(cue.text))
        if _bare(cue.text) in AMBIGUOUS:
            kinds.add("ambiguous_cue")
        if claim.end <= cue.start:
            kinds.add("content_before_cue")
        s, e = sentence_bounds(text, cue.start)
        if sources and not any(s <= x.start < e for x in sources):
            kinds.add("dropped_subject")
    if SENTENCE_INSIDE.search(claim.text.strip()):
        kinds.add("multi_sentence")
    before = text[max(0, claim.start - 2):claim.start]
    after = text[claim.end:claim.end + 2]
    if any(q in before for q in QUOTES) and any(q in after for q in QUOTES):
        kinds.add("quotation")
    if len(sources) > 1:
        kinds.add("several_sources")
    source_type = default_roles().source_type
    if any(x.choices.get(source_type) == "anonymous" for x in sources):
        kinds.add("anonymous")
    if has_via:
        kinds.add("outlet")
    return kinds
