"""``load_predictor(NAME | MODEL_DIR)``: the named predictors' registry, and model directories.

``PREDICTORS`` maps a name given to ``--model`` to a factory ``(schema) -> Predictor``; any
other value is a nisba model directory, loaded as a ``ModelPredictor`` whose attribution
linker falls back on the rules (injected here, so the tagger and the linker name no predictor).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from annotation.errors import NisbaError
from annotation.schema.schema import Schema
from training.predict.base import Predictor
from training.predict.rules.predictor import RulesPredictor
from training.predict.tagger import ModelPredictor


def rules_predictor(schema: Schema | None = None) -> RulesPredictor:
    return RulesPredictor() if schema is None else RulesPredictor(schema=schema)


PREDICTORS: dict[str, Callable[[Schema | None], Predictor]] = {
    "rules": rules_predictor,
}


def load_predictor(model: str, schema: Schema | None = None) -> Predictor:
    """A name of ``PREDICTORS`` -> that predictor; otherwise a nisba model directory."""
    if model in PREDICTORS:
        return PREDICTORS[model](schema)
    path = Path(model)
    if not path.is_dir():
        raise NisbaError(f"model {model!r}: not a directory (train one with `nisba train --data DIR --out DIR`), "
                         f"and not one of {', '.join(repr(n) for n in PREDICTORS)}")
    return ModelPredictor(path, schema, fallback=lambda: rules_predictor(schema))
