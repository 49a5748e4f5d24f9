"""Verbal nouns drawn from data, for the rules' noun objects after a subject nobody listed.

"وأكدت مصادر محلية دخول القوات ..."، "وأكد المكرمي استمرار الجولات ...": a cue that takes a noun
object (lexicon ``bare_object_cues``) after a subject that is no known source. The rules cannot
tell where such a subject ends by its words; they can tell where the object begins when its
first word is a verbal noun that opens such objects in annotated news.

``build_masdars()`` reads nisba-gold train (CC BY-NC-SA 4.0, non-commercial; never dev or test):
for every CLAIM whose CUE is a bare-object cue and stands before it with no introducer (أن، إلى)
between, the claim's first word, without its article and a pronoun or feminine ending
(``predictor.masdar_stem``). A stem enters when it opens at least ``MIN_COUNT`` such claims and is
no introducer or demonstrative. A two-fold check on train (a list from half the articles, scored
on the other half) gained pairs on both halves (+4 and +9) before the list was adopted.

The list is written, sorted, to ``configs/masdars.txt`` with a header naming its source, and
configs/lexicon.yaml names it as ``masdars_file``: the rules read the file, never the corpus.
Rebuild after nisba-gold train grows: ``python -m training.predict.rules.masdars`` (``--check``
exits 1 when the file is stale).

Not handled here: where the list is used (predictor.py: ``_masdar_after``).
"""

from __future__ import annotations

import sys
from collections import Counter

from annotation.schema.schema import CONFIGS_DIR, default_roles
from annotation.text.arabic import normalize
from training.predict.rules.word_lists import build_command

MASDARS_FILE = CONFIGS_DIR / "masdars.txt"
MIN_COUNT = 2
MAX_WORDS_BETWEEN = 12  # cue ... claim: the subject and an outlet between
# first words of claims that open no noun object
NOT_MASDARS = {normalize(w) for w in ("هذه", "هذا", "عدم", "ان", "انه", "ما", "من", "في")}
HEADER = ("# Verbal nouns drawn from data (training/predict/rules/masdars.py; do not edit by hand): the\n"
          "# first words (without article or ending) of the claims of nisba-gold train (CC BY-NC-SA 4.0,\n"
          "# non-commercial) that follow a noun-object cue, seen at least {min_count} times.\n")


def object_stems(graphs, bare_object_cues: set[str], introducers: set[str], roles=None) -> Counter:
    """How often each stem opens a claim right after a bare-object cue's subject, over documents
    ``(text, regions, relations)``.

    >>> from annotation.convert.regions import Region, Relation
    >>> text = "وأكدت مصادر محلية دخول القوات المدينة"
    >>> s = text.index("دخول")
    >>> cue, claim = Region("c", "claims", "CUE", 0, 5, "وأكدت"), Region("k", "claims", "CLAIM", s, len(text), text[s:])
    >>> object_stems([(text, [cue, claim], [Relation("c", "k", "cue")])], {"اكدت"}, {"ان"})
    Counter({'دخول': 1})
    """
    from training.predict.rules.predictor import masdar_stem

    roles = roles or default_roles()
    counts: Counter = Counter()
    for text, regions, relations in graphs:
        by_id = {r.id: r for r in regions}
        for rel in relations:
            cue, claim = by_id.get(rel.from_id), by_id.get(rel.to_id)
            if rel.label != roles.cue_claim or cue is None or claim is None or claim.start < cue.end:
                continue
            form = normalize(cue.text)
            form = form[1:] if form[:1] in "وف" and len(form) > 3 else form
            between = normalize(text[cue.end:claim.start]).split()
            first = normalize(claim.text).split()[:1]
            if form in bare_object_cues and first and len(between) <= MAX_WORDS_BETWEEN \
                    and not any(w in introducers for w in between):
                counts[masdar_stem(first[0])] += 1
    return counts


def select_masdars(counts: Counter, min_count: int = MIN_COUNT) -> list[str]:
    """The stems seen at least ``min_count`` times, no introducer or demonstrative among them.

    >>> select_masdars(Counter({"وجود": 3, "هذه": 4, "دفن": 1}))
    ['وجود']
    """
    return sorted(w for w, n in counts.items() if n >= min_count and len(w) >= 3 and w not in NOT_MASDARS)


def build_masdars() -> list[str]:
    from training.predict.rules.predictor import Lexicon
    from training.train.corpus_documents import gold_graphs

    lexicon = Lexicon.load()
    return select_masdars(object_stems(gold_graphs("train"), lexicon.bare_object_cues, lexicon.introducers))


def render(words: list[str], min_count: int = MIN_COUNT) -> str:
    return HEADER.format(min_count=min_count) + "".join(f"{w}\n" for w in words)


def main(argv: list[str] | None = None) -> int:
    return build_command(argv, __doc__.splitlines()[0], MASDARS_FILE, lambda: render(build_masdars()),
                         "training.predict.rules.masdars", "verbal nouns")


if __name__ == "__main__":
    sys.exit(main())
