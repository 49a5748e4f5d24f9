"""configs/schema.yaml: the layers, labels and relations, and the Label Studio labeling config generated from them."""
