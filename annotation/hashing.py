"""sha256 of a file and of a text: the one place nisba computes either.

A file is read in 1 MiB blocks (corpora and model weights are large); a text is hashed as its
UTF-8 bytes, so the same text always gives the same digest. Both return the full hex digest;
callers that keep a prefix (the content hash of a document) cut it themselves.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOCK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    """Hex sha256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
