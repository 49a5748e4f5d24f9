"""The rule pre-annotator: lexicon, claims, entities and canonical sources; needs no training data."""
