"""Deterministic train/validation/test assignment from a document's content hash.

A document's split is a function of its content hash and the ratios alone: the hash is
rehashed with a fixed salt into a number in [0, 1) and placed on the cumulative ratios. So a
document never changes split when new documents arrive, the same text always lands in the
same split (no document in two splits), and no state is kept between pulls. Changing the
ratios moves only the documents whose number falls between the old and the new boundaries.

A document that carries a fixed split in its meta (nisba-gold: ``{"corpus": "nisba-gold",
"split": "dev"}``) keeps it (``fixed_split``): gold splits are chosen once, with the gold,
so that work on rules and models never sees the test articles.

Not handled here: near-duplicate texts (two versions of one article hash differently).

Example::

    >>> split_of("3f2a9c0d1e4b5a67", parse_ratios("0.8,0.1,0.1"))
    'train'
"""

from __future__ import annotations

import hashlib

from annotation.errors import NisbaError

SPLIT_NAMES = ("train", "validation", "test")
SALT = "nisba-split-v1"


def parse_ratios(spec: str | list[float] | tuple[float, ...]) -> dict[str, float]:
    """'0.8,0.1,0.1' (train, validation, test; missing ones are 0) -> {split: ratio}, checked."""
    if isinstance(spec, str):
        try:
            values = [float(x) for x in spec.split(",") if x.strip()]
        except ValueError:
            raise NisbaError(f"--ratios {spec!r}: expected numbers such as 0.8,0.1,0.1") from None
    else:
        values = [float(x) for x in spec]
    if not 1 <= len(values) <= len(SPLIT_NAMES):
        raise NisbaError(f"--ratios {spec!r}: give 1 to {len(SPLIT_NAMES)} ratios (train, validation, test)")
    if any(v < 0 for v in values):
        raise NisbaError(f"--ratios {spec!r}: ratios cannot be negative")
    if abs(sum(values) - 1.0) > 1e-6:
        raise NisbaError(f"--ratios {spec!r}: ratios must sum to 1, they sum to {sum(values):g}")
    values += [0.0] * (len(SPLIT_NAMES) - len(values))
    return dict(zip(SPLIT_NAMES, values))


# A document's own split name in its meta -> the dataset split it goes to.
FIXED_SPLITS = {"train": "train", "dev": "validation", "validation": "validation", "test": "test"}


def fixed_split(meta: dict | str | None) -> str | None:
    """The split recorded with a gold document (meta ``split``), or None to use the hash."""
    if isinstance(meta, str):
        import json

        try:
            meta = json.loads(meta) if meta else None
        except json.JSONDecodeError:
            return None
    if not isinstance(meta, dict) or meta.get("corpus") != "nisba-gold":
        return None
    return FIXED_SPLITS.get(str(meta.get("split")))


def unit_interval(content_hash: str) -> float:
    """A number in [0, 1) drawn from the hash, independent of how the hash itself was made."""
    digest = hashlib.sha256(f"{SALT}|{content_hash}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of(content_hash: str, ratios: dict[str, float]) -> str:
    """The split of a document; splits with ratio 0 are never chosen."""
    x = unit_interval(content_hash)
    cumulative = 0.0
    last = None
    for name, ratio in ratios.items():
        if ratio <= 0:
            continue
        cumulative += ratio
        last = name
        if x < cumulative:
            return name
    return last or SPLIT_NAMES[0]  # rounding at the top edge
