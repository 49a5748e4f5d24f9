"""Sentences of nisba-gold read from the corpus by standoff reference, for tests.

SaudiNewsNet's text (CC BY-NC-SA 4.0) is never stored in this repository: a test that needs a
real sentence of a nisba-gold article names it by the article's reference (``file#index``, as in
configs/nisba-gold/articles.jsonl) and character offsets, and reads it through the registry.
Without the corpus (no mirror, no cache) the test is skipped, saying why.

Example::

    >>> corpus_text("2015-07-21.zip#2435", 487, 541)[:6]
    'وأفادت'
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from annotation.corpora.registry import default_mirror

NO_CORPUS = "SaudiNewsNet is neither mirrored (../shared/data or NISBA_CORPUS_MIRROR) nor cached here: no nisba-gold text"


def corpus_available() -> bool:
    mirror = default_mirror()
    return mirror is not None and (mirror / "saudinewsnet").is_dir()


# the mark of every test that reads SaudiNewsNet (nisba-gold's text)
needs_corpus = pytest.mark.skipif(not corpus_available(), reason=NO_CORPUS)


@lru_cache(maxsize=1)
def gold_texts() -> dict[str, str]:
    """{"file#index": text} of the nisba-gold articles, read (and sha256-checked) through the registry."""
    from annotation.corpora.documents import read_corpus

    return {d.meta["ref"]: d.text for d in read_corpus("nisba-gold").documents}


def corpus_text(ref: str, start: int, end: int) -> str:
    """The characters start:end of the nisba-gold article ``ref`` ("file#index"); skips without the corpus."""
    if not corpus_available():
        pytest.skip(NO_CORPUS)
    texts = gold_texts()
    if ref not in texts:
        raise KeyError(f"{ref} is not a nisba-gold article")
    return texts[ref][start:end]


def dev_articles() -> int:
    """How many nisba-gold articles the dev split holds (read off articles.jsonl, no text needed)."""
    from annotation.corpora import nisba_gold

    return sum(a["split"] == "dev" for a in nisba_gold.load_articles())
