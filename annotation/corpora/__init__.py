"""The corpus registry (configs/corpora.yaml), the corpus file readers and the documents read from them."""
