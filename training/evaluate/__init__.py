"""Evaluation: precision/recall/F1, span, seqeval and attribution metrics, and the report."""
