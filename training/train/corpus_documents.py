"""The registered corpora as training documents ``(text, {layer: [(start, end, label)]})``.

- ``newsfane_documents(split)``: read_corpus("newsfane") documents (about 1,750 characters),
  split 0.8/0.1/0.1 by the content hash of their text (the quality bench's split,
  tests/benchmarks/bench_ner_quality.py), then clitics re-attached (annotation/text/clitics.py)
  so the text reads like raw news; ``reattach=False`` keeps NewsFANE's segmented text. Entities only.
- ``gold_documents(split)``: nisba-gold's fixed split (train, dev, test), every layer.
- ``gold_graphs(split)``: the same documents with their regions and relations (event arguments).

Read by the CRF's training data (crf_data.py), the word clusters (clusters.py) and the benchmarks.
Not handled here: reading the corpora (annotation/corpora/).
"""

from __future__ import annotations

NEWSFANE_RATIOS = "0.8,0.1,0.1"


def newsfane_documents(split: str, reattach: bool = True, report: list | None = None) -> list[tuple[str, dict]]:
    """NewsFANE documents of one split ("train", "validation", "test"); problems appended to ``report``."""
    from annotation.convert.document import content_hash
    from annotation.corpora.documents import read_corpus
    from annotation.dataset.splits import parse_ratios, split_of
    from annotation.schema.schema import default_roles
    from annotation.text.clitics import reattach_clitics

    entities = default_roles().entities
    ratios = parse_ratios(NEWSFANE_RATIOS)
    out = []
    for d in read_corpus("newsfane").documents:
        if split_of(content_hash(d.text), ratios) != split:
            continue
        spans = [(r.start, r.end, r.label) for r in d.regions]
        text = d.text
        if reattach:
            text, spans, problems = reattach_clitics(d.text, spans)
            if report is not None:
                report += problems
        out.append((text, {entities: spans}))
    return out


def gold_documents(split: str) -> list[tuple[str, dict]]:
    """nisba-gold documents of one fixed split, every layer."""
    return [(text, spans_by_layer(regions)) for text, regions, _ in gold_graphs(split)]


def spans_by_layer(regions) -> dict[str, list]:
    """{layer: [(start, end, label)]} of regions."""
    layers: dict[str, list] = {}
    for r in regions:
        layers.setdefault(r.layer, []).append((r.start, r.end, r.label))
    return layers

def gold_graphs(split: str) -> list[tuple[str, list, list]]:
    """nisba-gold documents of one fixed split as ``(text, regions, relations)``: what the event-role
    classifier learns from (training/predict/event_roles.py)."""
    from annotation.corpora.documents import read_corpus

    return [(d.text, d.regions, d.relations) for d in read_corpus("nisba-gold", split=split).documents]
