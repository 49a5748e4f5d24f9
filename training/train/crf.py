"""The feature CRF (``model.name=crf``): one linear-chain CRF per layer, trained in a minute or two.

Input: documents ``(text, {layer: [(start, end, label)]})``. Steps:

1. words: ``annotation.text.tokens.pretokenize`` of the raw text, no gold cuts (what predict
   time sees); each word normalized (annotation/text/normalize.py);
2. tags per layer (``encode_tags``): BIO over whole words; a span that starts one or two
   characters into a word after a proclitic (و ف ب ل ك: "و[قال]", "ب[داعش]") gets ``B1-X`` /
   ``B2-X``, so the start inside the word is learned and predicted exactly; a span whose edge
   falls elsewhere inside a word, or that overlaps another, is left out and reported;
3. features (``doc_features``): the word, its stem (clitics and article off), prefixes and
   suffixes, shape, the words and stems of a ±2 window, bigrams, the gazetteer
   (training/train/gazetteer.py: pycountry, CLDR through babel, configs/sources.yaml and the
   training corpora's entity lists) at ±1, and the rule pre-annotator's tags at ±1 (its
   lexicon of cues and triggers becomes a feature the CRF learns to trust or not), and for the
   layers of ``crf.cluster_layers`` the word clusters of unlabelled SaudiNewsNet + NewsFANE text
   at ±1 (training/train/clusters.py; a word they lack falls back on its stem; nisba-gold dev
   entities 0.665 -> 0.717, NewsFANE dev 0.718 -> 0.730; events and claims lose with them);
4. python-crfsuite (L-BFGS, elastic net ``crf.c1``/``crf.c2``) per layer;
5. event arguments: the role classifier of training/predict/event_roles.py over the
   trigger-entity pairs of the documents given as ``role_docs`` (the pulled split and nisba-gold
   train, with their relations), ``event_roles.json``.

The model directory holds ``<layer>.crfsuite``, ``gazetteer.json``, ``clusters.json`` (when
``crf.clusters`` is not [] and the clusters are cached) and ``nisba.json``
(``kind: crf``, label maps of the schema, model_version, resolved config, training stats) and a
model card. Decoding is constrained Viterbi over the CRF's own weights
(training/predict/decode.py), in training/predict/crf.py.

Not handled here: claim relations (the predictor links claims through the rules' linker).
"""

from __future__ import annotations

import hashlib
import json
import time
from bisect import bisect_right
from pathlib import Path

from annotation.errors import NisbaError
from annotation.text.normalize import normalize
from annotation.text.tokens import pretokenize
from training.predict.event_roles import ROLES_FILE  # absent from a model whose data hold no event argument

CRF_FORMAT_VERSION = 1
KIND = "crf"
CLITIC_LETTERS = set("وفبلك")
GAZETTEER_FILE = "gazetteer.json"
CLUSTERS_FILE = "clusters.json"  # training/train/clusters.py; absent when crf.clusters is []
CLUSTER_FEATURE = "wc"  # cluster features start with it ("wc0.c256=17"); no other feature does


def layer_features(feats: list[list[str]], with_clusters: bool) -> list[list[str]]:
    """A document's features as one layer's CRF sees them: without the word clusters unless the
    layer is in ``crf.cluster_layers`` (nisba-gold dev: entities gain, events and claims lose)."""
    if with_clusters:
        return feats
    return [[x for x in f if not x.startswith(CLUSTER_FEATURE)] for f in feats]


def words_of(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    offsets = pretokenize(text)
    return offsets, [normalize(text[s:e]) or text[s:e] for s, e in offsets]


def encode_tags(text: str, offsets: list[tuple[int, int]], spans) -> tuple[list[str], list[dict]]:
    """Word tags of one layer (clitic starts as ``Bk-X``) and the spans left out, with why."""
    tags = ["O"] * len(offsets)
    starts = [s for s, _ in offsets]
    problems = []
    for start, end, label in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        i = bisect_right(starts, start) - 1
        j = bisect_right(starts, end - 1) - 1
        why = None
        if i < 0 or j < i or offsets[i][1] <= start or offsets[j][1] < end:
            why = "an edge is not inside a word"
        elif offsets[j][1] != end:
            why = "ends inside a word"
        else:
            k = start - offsets[i][0]
            if k and not (k <= 2 and set(text[offsets[i][0]:start]) <= CLITIC_LETTERS):
                why = "starts inside a word, not after a proclitic"
            elif any(t != "O" for t in tags[i:j + 1]):
                why = "overlaps another span of the layer"
        if why:
            problems.append({"start": start, "end": end, "label": label, "text": text[start:end], "problem": why})
            continue
        tags[i] = f"B{k or ''}-{label}"
        for w in range(i + 1, j + 1):
            tags[w] = f"I-{label}"
    return tags, problems


def _stem(w: str) -> str:
    for p in ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل"):
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p):]
    return w


def _shape(w: str) -> str:
    if w.isdigit():
        return "D"
    if all("\u0600" <= c <= "\u06ff" for c in w):
        return "A"
    if w.isascii() and w.isalpha():
        return "L"
    if len(w) == 1 and not w.isalnum():
        return "P" + w
    return "X"


def doc_features(text: str, offsets, words: list[str], gazetteer, rule_tags: dict[str, list[str]] | None = None,
                 clusters=None) -> list[list[str]]:
    """Per word, its feature strings (see the module docstring)."""
    n = len(words)
    stems = [_stem(w) for w in words]
    if clusters is not None:  # a word the clusters lack falls back on its stem's ("وبالرياض" -> الرياض, رياض)
        cl = [clusters.features(w) or (st != w and (clusters.features("ال" + st) or clusters.features(st))) or []
              for w, st in zip(words, stems)]
    gaz = gazetteer.tag(words) if gazetteer is not None else [[] for _ in words]
    newline_before = [i == 0 or "\n" in text[offsets[i - 1][1]:offsets[i][0]] for i in range(n)]
    feats = []
    for i, w in enumerate(words):
        f = ["b", f"w={w}", f"st={stems[i]}", f"p2={w[:2]}", f"p3={w[:3]}", f"s1={w[-1:]}", f"s2={w[-2:]}",
             f"s3={w[-3:]}", f"sh={_shape(w)}", f"len={min(len(w), 8)}"]
        if w[:1] in CLITIC_LETTERS and len(w) > 3:
            f.append(f"cl={w[0]}")
        if w.startswith("ال") or stems[i] != w:
            f.append("al" if w.startswith("ال") else "pre")
        if newline_before[i]:
            f.append("nl")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}={words[j]}")
                if abs(d) == 1:
                    f.append(f"st{d}={stems[j]}")
                    f.append(f"sh{d}={_shape(words[j])}")
            else:
                f.append(f"w{d}=<{'s' if j < 0 else 'e'}>")
        if i > 0:
            f.append(f"bg-={words[i - 1]}|{w}")
        if i + 1 < n:
            f.append(f"bg+={w}|{words[i + 1]}")
        for d in (-1, 0, 1):
            j = i + d
            if 0 <= j < n:
                f += [f"g{d}={t}" for t in gaz[j]]
                if clusters is not None:
                    f += [f"{CLUSTER_FEATURE}{d}.{c}" for c in cl[j]]
                for layer, tags in (rule_tags or {}).items():
                    if tags[j] != "O":
                        f.append(f"r{d}{layer[:2]}={tags[j]}")
                        f.append(f"r{d}{layer[:2]}={tags[j][0]}")
        feats.append(f)
    return feats


def rule_word_tags(texts: list[str], offsets_list) -> list[dict[str, list[str]]]:
    """Per text, the rule pre-annotator's regions as word tags per layer (B/I; a clitic start is B)."""
    from training.predict.rules.predictor import RulesPredictor

    results = RulesPredictor().predict(texts)
    out = []
    for text, offsets, res in zip(texts, offsets_list, results):
        starts = [s for s, _ in offsets]
        tags: dict[str, list[str]] = {}
        for r in res.regions:
            t = tags.setdefault(r.layer, ["O"] * len(offsets))
            i = bisect_right(starts, r.start) - 1
            j = bisect_right(starts, r.end - 1) - 1
            if i < 0 or j < i:
                continue
            t[i] = f"B-{r.label}"
            for w in range(i + 1, j + 1):
                t[w] = f"I-{r.label}"
        out.append(tags)
    return out


def doc_items(texts: list[str], gazetteer, use_rules: bool, clusters=None):
    """(offsets, words, features) per text."""
    tokenized = [words_of(t) for t in texts]
    rules = rule_word_tags(texts, [o for o, _ in tokenized]) if use_rules else [None] * len(texts)
    return [(o, w, doc_features(t, o, w, gazetteer, r, clusters)) for t, (o, w), r in zip(texts, tokenized, rules)]


def gazetteer_for(cfg, corpus_docs: dict[str, list]):
    from training.train.gazetteer import build_gazetteer

    return build_gazetteer(corpus_docs, min_count=cfg.crf.gazetteer_min_count)


def save_gazetteer(g, path: Path) -> None:
    data = {"format_version": 1, "sources": g.sources,
            "entries": sorted([" ".join(k), sorted(v)] for k, v in g.entries.items())}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_gazetteer(path: Path):
    from training.train.gazetteer import Gazetteer

    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format_version") != 1:
        raise NisbaError(f"{path}: gazetteer format_version {data.get('format_version')!r}; this nisba reads 1")
    g = Gazetteer()
    for key, tags in data["entries"]:
        g.entries[tuple(key.split(" "))] = set(tags)
    g.sources = data["sources"]
    return g


def train_crf(docs_by_layer: dict[str, list], out_dir: str | Path, cfg, *, schema, name: str,
              gazetteer_docs: dict[str, list] | None = None, say=print, extra: dict | None = None,
              clusters=None, role_docs: list | None = None) -> dict:
    """Train one CRF per layer on ``docs_by_layer[layer]`` = [(text, [(start, end, label)])], and the
    event-role classifier on ``role_docs`` = [(text, regions, relations)] when given; save; meta."""
    import pycrfsuite

    from training.train.model import META_FILE, MODEL_FORMAT_VERSION, inputs_fingerprint

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    g = gazetteer_for(cfg, gazetteer_docs or {})
    say(f"crf: gazetteer of {len(g.entries)} entries from {g.sources}")
    cache: dict[str, tuple] = {}  # text -> (offsets, words, feats); layers share documents
    stats: dict = {"layers": {}, "gazetteer": g.sources}
    if clusters is not None:
        stats["clusters"] = {"ks": clusters.ks, "words": len(clusters.ids), **clusters.meta}
    for layer, docs in docs_by_layer.items():
        todo = list(dict.fromkeys(t for t, _ in docs if t not in cache))
        for t, item in zip(todo, doc_items(todo, g, cfg.crf.rules_features, clusters)):
            cache[t] = item
        trainer = pycrfsuite.Trainer(verbose=False)
        problems, n_tokens, t0 = [], 0, time.perf_counter()
        with_clusters = clusters is not None and layer in cfg.crf.cluster_layers
        for text, spans in docs:
            offsets, _, feats = cache[text]
            tags, probs = encode_tags(text, offsets, spans)
            problems += probs
            n_tokens += len(tags)
            trainer.append(pycrfsuite.ItemSequence(layer_features(feats, with_clusters)), tags)
        trainer.set_params({"c1": cfg.crf.c1, "c2": cfg.crf.c2, "max_iterations": cfg.crf.max_iterations,
                            "feature.possible_transitions": True})
        trainer.train(str(out / f"{layer}.crfsuite"))
        seconds = round(time.perf_counter() - t0, 1)
        stats["layers"][layer] = {"documents": len(docs), "tokens": n_tokens, "spans_left_out": len(problems),
                                  "word_clusters": with_clusters,
                                  "left_out_examples": problems[:5], "train_seconds": seconds}
        say(f"crf: {layer}: {len(docs)} documents, {n_tokens} words, {len(problems)} span(s) left out, {seconds} s")
    from training.predict.event_roles import train_into

    roles = train_into(out, role_docs, schema.roles, say=lambda m: say(f"crf: {m}"))
    if roles:
        stats["event_roles"] = roles
    save_gazetteer(g, out / GAZETTEER_FILE)
    (out / CLUSTERS_FILE).unlink(missing_ok=True)
    if clusters is not None:
        clusters.save(out / CLUSTERS_FILE)
    stats["train_runtime_s"] = round(time.perf_counter() - started, 1)
    n_words = sum(s["tokens"] for s in stats["layers"].values())
    stats["train_tokens_per_s"] = round(n_words / stats["train_runtime_s"], 1) if stats["train_runtime_s"] else None
    stats["best_metric"] = None  # no validation-driven early stopping: L-BFGS runs crf.max_iterations
    h = hashlib.sha256()
    for p in (sorted(out.glob("*.crfsuite")) + [out / GAZETTEER_FILE] + sorted(out.glob(CLUSTERS_FILE))
              + sorted(out.glob(ROLES_FILE))):
        h.update(p.read_bytes())
    inputs = inputs_fingerprint()
    h.update(inputs.encode())
    layers = list(docs_by_layer)
    meta = {
        "format_version": MODEL_FORMAT_VERSION, "kind": KIND, "crf_format_version": CRF_FORMAT_VERSION,
        "schema_fingerprint": schema.fingerprint(), "layers": layers,
        "label_maps": {l: m for l, m in schema.label_maps().items() if l in layers},
        "model_version": f"{name}-{h.hexdigest()[:8]}", "inputs_fingerprint": inputs,
        "train_config": cfg.to_dict(), "train_stats": stats, **(extra or {}),
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    _write_card(out, meta)
    return meta


def _write_card(out: Path, meta: dict) -> None:
    stats = meta["train_stats"]
    lines = [f"# {meta['model_version']}", "",
             "A feature CRF per layer (python-crfsuite), nisba `model.name=crf`. Load it with "
             "`training.predict.load.load_predictor(DIR)`; it predicts character-offset regions.", "",
             "## Training data", ""]
    for layer, s in stats["layers"].items():
        lines.append(f"- {layer}: {s['documents']} documents, {s['tokens']} words, {s['spans_left_out']} spans left out")
    corpora = meta.get("train_corpora") or {}
    if corpora:
        lines += ["", "## Corpora and licenses", ""]
        lines += [f"- {name}: {lic}" for name, lic in corpora.items()]
        if any("NC" in str(v) for v in corpora.values()):
            lines += ["", "Trained on non-commercial data (CC BY-NC-SA 4.0, SaudiNewsNet / nisba-gold): "
                          "the model is for non-commercial use."]
    roles = stats.get("event_roles")
    if roles:
        lines += ["", "## Event arguments", "",
                  f"A role classifier over trigger-entity pairs (training/predict/event_roles.py), `{ROLES_FILE}`: "
                  f"{roles['gold_arguments']} gold arguments in {roles['documents']} documents, "
                  f"{roles['features']} features."]
    lines += ["", "## Gazetteer sources", ""] + [f"- {k}: {v} entries" for k, v in stats["gazetteer"].items()]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
