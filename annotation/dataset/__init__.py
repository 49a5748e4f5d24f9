"""The pulled dataset: its folder layout, the pull, the Arrow writer, splits, exports, the card and agreement."""
