"""Comparing two lists of labels: the one comparison behind every "labels that differ" refusal.

A model's label maps against the schema (push, loading a model), a dataset's ClassLabel names
against a model (training, evaluation): each caller words its own error, but what differs is
computed here. Lists may be BIO tags (``["O", "B-PER", "I-PER"]``) or bare label types;
``bio_types`` turns the former into the latter.

Example::

    >>> label_diff(["PER", "ORG", "MISC"], ["ORG", "PER", "NORP"])
    LabelDiff(only_left=['MISC'], only_right=['NORP'], reordered=False)
    >>> label_diff(["PER", "ORG"], ["ORG", "PER"]).reordered
    True
"""

from __future__ import annotations

from typing import NamedTuple


class LabelDiff(NamedTuple):
    only_left: list[str]  # in the order of the left list
    only_right: list[str]  # in the order of the right list
    reordered: bool  # the same labels, in another order (ids would silently swap)

    def __bool__(self) -> bool:
        return bool(self.only_left or self.only_right or self.reordered)


def label_diff(left: list[str], right: list[str]) -> LabelDiff:
    """What differs between two label lists (see the module docstring)."""
    only_left = [x for x in left if x not in right]
    only_right = [x for x in right if x not in left]
    return LabelDiff(only_left, only_right, not only_left and not only_right and list(left) != list(right))


def bio_types(bio_names: list[str]) -> list[str]:
    """The label types of BIO tags, in first-seen order: ``["O", "B-PER", "I-PER"]`` -> ``["PER"]``."""
    return list(dict.fromkeys(n[2:] if n[:2] in ("B-", "I-") else n for n in bio_names if n != "O"))
