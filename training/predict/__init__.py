"""Prediction: the result type and predictor registry, the tagger, the attribution linker and the rules."""
