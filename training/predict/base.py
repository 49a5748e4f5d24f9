"""What every predictor gives and promises: ``PredictionResult`` and the ``Predictor`` protocol.

A predictor turns texts into regions (character offsets into each text, end-exclusive) with
scores, relations between them, and a task score (lower = less confident). It carries a
``model_version`` that names it and changes whenever its output could change, so a push can
skip tasks that already hold that version.

Not handled here: choosing a predictor by name (training/predict/load.py) or any model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from annotation.convert.regions import Region, Relation


@dataclass
class PredictionResult:
    regions: list[Region]
    relations: list[Relation] = field(default_factory=list)
    score: float = 1.0


@runtime_checkable
class Predictor(Protocol):
    model_version: str

    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        """One PredictionResult per text, in order."""
        ...
