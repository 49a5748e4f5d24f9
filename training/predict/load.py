"""``load_predictor(NAME | MODEL_DIR)``: the named predictors' registry, and model directories.

``PREDICTORS`` maps a name given to ``--model`` to a factory ``(schema) -> Predictor``; any
other value is a nisba model directory, loaded by its ``kind`` in nisba.json (``MODEL_KINDS``:
the transformer tagger ``ModelPredictor``, or ``CrfPredictor`` for ``model.name=crf``) with an
attribution linker that falls back on the rules (injected here, so the tagger and the linker
name no predictor). A model directory with a combination.json (``nisba combine``) gives the model
and the rules combined per layer (training/predict/combine.py).
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


def linked_predictor(schema: Schema | None = None, fallback: bool = True) -> Predictor:
    """The rules' spans with claim -> source links from the learned pair linker (training/predict/linker.py)."""
    from training.predict.linker import CombinedPredictor, PairLinker

    return CombinedPredictor(rules_predictor(schema), PairLinker.load(roles=schema.roles if schema else None),
                             fallback=fallback, name="rules+linker" if fallback else "linker")


PREDICTORS: dict[str, Callable[[Schema | None], Predictor]] = {
    "rules": rules_predictor,
    "rules+linker": linked_predictor,
    "linker": lambda schema=None: linked_predictor(schema, fallback=False),
}


def _crf_predictor(path: Path, schema: Schema | None, fallback) -> Predictor:
    from training.predict.crf import CrfPredictor

    return CrfPredictor(path, schema, fallback=fallback)


# nisba.json "kind" -> (model dir, schema, rules fallback) -> Predictor; no kind: the transformer tagger
MODEL_KINDS: dict[str, Callable[..., Predictor]] = {
    "transformer": lambda path, schema, fallback: ModelPredictor(path, schema, fallback=fallback),
    "crf": _crf_predictor,
}


def load_predictor(model: str, schema: Schema | None = None, *, combination: bool = True) -> Predictor:
    """A name of ``PREDICTORS`` -> that predictor; otherwise a nisba model directory: its model,
    combined per layer with the rules when the directory holds a combination.json
    (training/predict/combine.py; ``combination=False``: the model alone)."""
    if model in PREDICTORS:
        return PREDICTORS[model](schema)
    path = Path(model)
    if not path.is_dir():
        raise NisbaError(f"model {model!r}: not a directory (train one with `nisba train --data DIR --out DIR`), "
                         f"and not one of {', '.join(repr(n) for n in PREDICTORS)}")
    from training.train.model import read_meta

    meta = read_meta(path)
    kind = meta.get("kind", "transformer")
    if kind not in MODEL_KINDS:
        raise NisbaError(f"{path}: a model of kind {kind!r}; this nisba loads {', '.join(MODEL_KINDS)}")
    predictor = MODEL_KINDS[kind](path, schema, lambda: rules_predictor(schema))
    if not combination:
        return predictor
    from training.predict.combine import combined_predictor

    return combined_predictor(predictor, path, meta, lambda side: PREDICTORS[side](schema))
