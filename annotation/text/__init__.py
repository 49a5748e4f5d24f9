"""Text helpers shared by every stage: the token view, model-input normalization and Arabic text helpers."""
