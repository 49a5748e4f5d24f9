"""Training: the config, features, the multi-layer tagger, pre-training, fine-tuning and the attribution head's training."""
