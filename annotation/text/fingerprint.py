"""One hash of every text-normalization table, so a model_version changes when they change.

Covers the model-input normalization (normalize.py) and the rules' stronger Arabic folding
(arabic.py): a predictor's output depends on both, so each predictor's model_version folds
this hash in (training/predict/rules/predictor.py, training/train/model.py).
"""

from __future__ import annotations

import hashlib
import json

from annotation.text import arabic, normalize


def normalization_fingerprint() -> str:
    tables = {
        "normalize": [normalize.NORMALIZE_VERSION, sorted(normalize.REPLACE.items()), sorted(normalize.DELETE),
                      sorted(normalize.INVISIBLE)],
        "arabic": [sorted(arabic.FOLD.items()), arabic.TATWEEL, sorted(arabic.INVISIBLE), list(arabic.CLITICS),
                   list(arabic.ARTICLE_PREFIXES), list(arabic.PRONOUN_SUFFIXES)],
    }
    return hashlib.sha256(json.dumps(tables, ensure_ascii=False).encode("utf-8")).hexdigest()
