"""Training documents for the CRF: a pulled dataset plus the registered corpora, every layer.

A document is ``(text, {layer: [(start, end, label)]})``.

- NewsFANE's and nisba-gold's documents come from training/train/corpus_documents.py (shared
  with the word clusters, training/train/clusters.py).
- ``dataset_documents(rows, layers)``: rows of a pulled document-view split.
- ``train_crf_on(data, out_dir, cfg)``: what ``nisba train model.name=crf`` runs: the pulled
  train split plus ``crf.corpora`` (newsfane train share for entities; nisba-gold train, counted
  ``crf.gold_weight`` times, for every layer; a copy already in the pulled split counts among them:
  ``weighted_copies``), one CRF per layer of ``model.layers``; and, when the layers include
  events and entities, the event-role classifier (training/predict/event_roles.py) on every
  document of the pulled split and of nisba-gold train that holds a trigger, each once.

Not handled here: features and training (crf.py).
"""

from __future__ import annotations

from pathlib import Path

from training.train.corpus_documents import gold_graphs, newsfane_documents, spans_by_layer

LICENSES = {"newsfane": "CC BY-SA 3.0 (NewsFANE, Alotaibi and Lee 2014)",
            "nisba-gold": "annotations CC BY-NC-SA 4.0; text SaudiNewsNet CC BY-NC-SA 4.0 (non-commercial)"}


def dataset_documents(rows, layers: list[str], names: dict[str, list[str]] | None = None) -> list[tuple[str, dict]]:
    from annotation.text.tokens import layer_spans

    return [(r["text"], {l: layer_spans(r, l, (names or {}).get(l)) for l in layers}) for r in rows]


def weighted_copies(corpus: list[tuple[str, dict]], pulled: set[str], weight: int) -> list[tuple[str, dict]]:
    """The copies of ``corpus`` to add so that each document counts ``weight`` times (at least once),
    a text already in the pulled split (``pulled``; the demo imports nisba-gold train into its
    project) counting as one of them."""
    weight = max(1, weight)
    return [(text, spans) for text, spans in corpus for _ in range(weight - (text in pulled))]


def train_crf_on(data, out_dir: str | Path, cfg, *, schema=None, name: str | None = None, say=print,
                 build_clusters: bool = False) -> dict:
    """``nisba train`` with ``model.name=crf``: see the module docstring."""
    from annotation.errors import NisbaError
    from annotation.schema.schema import load_schema
    from training.train.crf import train_crf

    schema = schema or load_schema()
    entities = schema.roles.entities
    layers = list(cfg.model.layers)
    docs: dict[str, list] = {l: [] for l in layers}
    pulled: set[str] = set()  # the texts the pulled train split gives documents
    used: dict[str, str] = {}
    # (text, regions, relations) the event-role classifier learns from: every document of the
    # pulled split and nisba-gold train holding a trigger, once each
    role_docs: dict[str, tuple] = {}
    learn_roles = bool(schema.event_roles) and {schema.roles.events, entities} <= set(layers)
    if data is not None:
        from annotation.dataset.layout import load_pulled
        from training.train.features import dataset_label_names

        dsd = load_pulled(data)
        if cfg.data.train_split in dsd and len(dsd[cfg.data.train_split]):
            rows = dsd[cfg.data.train_split]
            names = dataset_label_names(rows.features, layers)
            for text, spans in dataset_documents(rows, layers, names):
                for l in layers:
                    if spans.get(l):
                        docs[l].append((text, spans[l]))
                        pulled.add(text)
            if learn_roles:
                from training.predict.event_roles import rows_with_triggers

                for text, regions, relations in rows_with_triggers(rows, schema):
                    role_docs.setdefault(text, (text, regions, relations))
            used["pulled data"] = str(data)
    gazetteer_docs: dict[str, list] = {}
    if "newsfane" in cfg.crf.corpora and entities in layers:
        problems: list = []
        nf = newsfane_documents("train", report=problems)
        say(f"crf: newsfane train: {len(nf)} documents, clitics re-attached; {len(problems)} span(s) kept a space")
        docs[entities] += [(t, s[entities]) for t, s in nf]
        gazetteer_docs["newsfane"] = [(t, s[entities]) for t, s in nf]
        used["newsfane"] = LICENSES["newsfane"]
    if "nisba-gold" in cfg.crf.corpora:
        graphs = gold_graphs("train")
        gold = [(text, spans_by_layer(regions)) for text, regions, _ in graphs]
        if learn_roles:
            for text, regions, relations in graphs:
                role_docs.setdefault(text, (text, regions, relations))
        already = sum(text in pulled for text, _ in gold)
        if already:
            say(f"crf: nisba-gold train: {already} article(s) already in the pulled split count as one copy each")
        for text, spans in weighted_copies(gold, pulled, cfg.crf.gold_weight):
            for l in layers:
                docs[l].append((text, spans.get(l, [])))
        if entities in layers:
            gazetteer_docs["nisba-gold"] = [(t, s.get(entities, [])) for t, s in gold]
        used["nisba-gold"] = LICENSES["nisba-gold"]
    unknown = sorted(set(cfg.crf.corpora) - set(LICENSES))
    if unknown:
        raise NisbaError(f"crf.corpora: {unknown} are not corpora the CRF reads ({', '.join(LICENSES)})")
    empty = [l for l in layers if not docs[l]]
    if empty:
        raise NisbaError(f"crf: no training documents for layer(s) {empty}; pull annotations or name crf.corpora")
    # a rerun on the same documents and config keeps the model it made (make demo twice pushes
    # nothing new): the documents, in any order, the config and the rules/normalization inputs
    import hashlib
    import json

    from training.train.model import META_FILE, inputs_fingerprint

    from training.train.clusters import clusters_for

    # word clusters (crf.clusters): from the cache; absent, built only when asked (the quality
    # bench, `python -m training.train.clusters`), else the CRF trains without them and says so
    clusters = clusters_for(cfg, say=say, build=build_clusters)
    if clusters is not None:
        for corpus, lic in clusters.meta.get("corpora", {}).items():
            used.setdefault(f"{corpus} (word clusters, unlabelled)", lic)
    h = hashlib.sha256(json.dumps(cfg.to_dict(), sort_keys=True, default=str).encode())
    h.update(f"clusters:{len(clusters.ids) if clusters else 0}:{(clusters.meta if clusters else {}).get('seconds')}".encode())
    h.update(inputs_fingerprint().encode())
    for layer in sorted(docs):
        for item in sorted(json.dumps([t, sorted(map(list, spans))], ensure_ascii=False) for t, spans in docs[layer]):
            h.update(f"{layer}|{item}".encode())
    for item in sorted(json.dumps([t, _argument_triples(regions, relations)], ensure_ascii=False)
                       for t, regions, relations in role_docs.values()):
        h.update(f"event_roles|{item}".encode())
    train_inputs = h.hexdigest()
    meta_path = Path(out_dir) / META_FILE
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            meta = {}
        if meta.get("train_inputs") == train_inputs and all(
                (Path(out_dir) / f"{l}.crfsuite").is_file() for l in meta.get("layers", [])):
            say(f"crf: {out_dir} already holds {meta['model_version']}, trained on these documents with this "
                "config; kept (delete the folder to retrain)")
            return meta
    return train_crf(docs, out_dir, cfg, schema=schema, name=name or Path(out_dir).resolve().name,
                     gazetteer_docs=gazetteer_docs, say=say, extra={"train_corpora": used, "train_inputs": train_inputs},
                     clusters=clusters, role_docs=list(role_docs.values()) if learn_roles else None)


def _argument_triples(regions, relations) -> list:
    """(trigger span, role, entity span) of a document's relations, sorted: what the role classifier
    learns from it besides the spans."""
    by_id = {r.id: r for r in regions}
    return sorted([by_id[x.from_id].start, by_id[x.from_id].end, x.label, by_id[x.to_id].start, by_id[x.to_id].end]
                  for x in relations if x.from_id in by_id and x.to_id in by_id)
