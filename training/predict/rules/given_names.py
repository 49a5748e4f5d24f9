"""Given names drawn from data, for the rules' source boundaries (a name after a title starts at one).

``build_given_names()`` reads the first word of every PER entity of two words or more in the
training documents: NewsFANE train (CC BY-SA 3.0; its 0.8 share, training/train/corpus_documents.py)
and nisba-gold train (CC BY-NC-SA 4.0; never dev or test). A word enters when it opens at least
``MIN_COUNT`` such names, is two letters or more, does not start with "ال", and is no title or
honorific of configs/lexicon.yaml ("الرئيس محمود عباس" opens with a title, not a name).

The list is written, sorted and normalized, to ``configs/given_names.txt`` (with a header naming
its sources), which configs/lexicon.yaml names as ``given_names_file``: the rules read the file,
never the corpora, so they give the same output wherever they run. Rebuild it after nisba-gold
train grows: ``python -m training.predict.rules.given_names`` (``--check`` exits 1 when the file
is stale).

Not handled here: where the names are used (predictor.py: ``_trim_title``, ``_name_after_title``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from annotation.schema.schema import CONFIGS_DIR
from annotation.text.arabic import normalize
from training.predict.rules.word_lists import build_command, read_word_list

GIVEN_NAMES_FILE = CONFIGS_DIR / "given_names.txt"
MIN_COUNT = 2
# of a word's occurrences in the same texts, at least this share open a PER name: "خلف" (behind),
# "نصر" (victory) or "طالب" (demanded) open names too, but mostly they are other words
MIN_NAME_SHARE = 0.3
HEADER = ("# Given names drawn from data (training/predict/rules/given_names.py; do not edit by hand):\n"
          "# the first word of the two-word-or-longer PER entities of NewsFANE train (CC BY-SA 3.0) and\n"
          "# nisba-gold train (CC BY-NC-SA 4.0, non-commercial), seen at least {min_count} times and opening a name\n"
          "# in at least {share:.0%} of the word's occurrences.\n")


def first_words(documents, person: tuple[str, str] | None = None) -> tuple[Counter, Counter]:
    """How often each normalized word opens a person's name (the schema's ``person`` role) of two
    words or more, and how often it occurs at all in the same texts.

    ``documents`` are ``(text, {layer: [(start, end, label)]})``.

    >>> first_words([("قال محمد علي إن محمد", {"entities": [(4, 12, "PER")]})])[0]
    Counter({'محمد': 1})
    """
    from annotation.schema.schema import default_roles

    layer, label_ = person or default_roles().person
    counts: Counter = Counter()
    seen: Counter = Counter()
    for text, layers in documents:
        seen.update(normalize(text).split())
        for start, end, label in layers.get(layer, ()):
            words = normalize(text[start:end]).split()
            if label == label_ and len(words) >= 2:
                counts[words[0]] += 1
    return counts, seen


def select_names(counts: Counter, seen: Counter, excluded: set[str], min_count: int = MIN_COUNT,
                 min_share: float = MIN_NAME_SHARE) -> list[str]:
    """The words that are given names: frequent enough, mostly names where they occur, no
    article, no title.

    >>> select_names(Counter({"محمد": 5, "خلف": 2, "الرئيس": 9, "د": 3, "فلان": 1}),
    ...              Counter({"محمد": 6, "خلف": 40, "الرئيس": 9, "د": 3, "فلان": 1}), {"وزير"})
    ['محمد']
    """
    return sorted(w for w, n in counts.items()
                  if n >= min_count and n >= min_share * seen.get(w, n) and len(w) >= 2
                  and not w.startswith("ال") and w not in excluded)


def titles_and_honorifics(lexicon: str | Path = CONFIGS_DIR / "lexicon.yaml") -> set[str]:
    """The lexicon's title heads and honorifics, normalized (words that open a name's title)."""
    from annotation.yaml_files import read_yaml

    data = read_yaml(Path(lexicon), "lexicon", 1)
    return {normalize(w) for key in ("title_heads", "honorifics") for w in data.get(key) or []}


def build_given_names(min_count: int = MIN_COUNT) -> list[str]:
    from training.train.corpus_documents import gold_documents, newsfane_documents

    (c1, s1), (c2, s2) = first_words(newsfane_documents("train")), first_words(gold_documents("train"))
    return select_names(c1 + c2, s1 + s2, titles_and_honorifics(), min_count)


def render(names: list[str], min_count: int = MIN_COUNT) -> str:
    return HEADER.format(min_count=min_count, share=MIN_NAME_SHARE) + "".join(f"{n}\n" for n in names)


def read_given_names(path: str | Path = GIVEN_NAMES_FILE) -> set[str]:
    """The names of a given-names file; empty when absent (training/predict/rules/word_lists.py)."""
    return read_word_list(path)


def main(argv: list[str] | None = None) -> int:
    return build_command(argv, __doc__.splitlines()[0], GIVEN_NAMES_FILE, lambda: render(build_given_names()),
                         "training.predict.rules.given_names", "names")


if __name__ == "__main__":
    sys.exit(main())
