"""nisba-gold: in-domain gold for every layer, kept as standoff over SaudiNewsNet (pure reading).

The folder ``configs/nisba-gold/`` holds no article text, only references and annotations:

- ``articles.jsonl``: one line per article, ``{"id", "corpus", "file", "index", "sha256",
  "newspaper", "date", "kind", "split"}``; ``file#index`` names the article in
  the corpus (``saudinewsnet``), ``sha256`` is that of its text, ``split`` is train, dev or test
  (fixed: work on rules and models looks at train and dev only);
- ``gold.jsonl``: ``{"id", "result"}``, the adjudicated gold as a Label Studio result whose
  regions hold offsets only (no ``text``: the corpus's text is non-commercial and never stored
  here; ``parse_result`` reads each region's text off the article)
  (entities, events with argument relations, claims with relations and per-region choices);
- ``passes.jsonl``: ``{"id", "annotator", "result"}``, the independent annotation passes the
  gold was adjudicated from (two passes for the doubly annotated articles), for agreement.

``read_nisba_gold()`` reads the text of each article from the corpus (fetched and checked
through the registry), checks its sha256 and every region against it, and returns corpus
documents with their regions and relations. A text whose sha256 differs, or a region whose
offsets do not give its text, is an error naming the article: gold never lands on the wrong text.

Not handled here: the annotation itself (docs/guidelines.md), importing (the commands),
agreement figures (annotation.dataset.agreement, through ``pass_records``).

Example::

    >>> read = read_nisba_gold(load_schema(), split="dev")
    >>> doc = read.documents[0]
    >>> all(doc.text[r.start:r.end] == r.text for r in doc.regions)
    True
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from annotation.convert.regions import Region, Relation, parse_result
from annotation.corpora.saudinewsnet import LICENSE, Article, read_file, text_sha256
from annotation.errors import NisbaError
from annotation.paths import REPO_ROOT

GOLD_DIR = REPO_ROOT / "configs" / "nisba-gold"
SPLITS = ("train", "dev", "test")
GOLD_LICENSE = (f"annotations: CC BY-NC-SA 4.0; text: SaudiNewsNet, {LICENSE}, read from the corpus, "
                "never stored here")


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise NisbaError(f"{path}: missing (nisba-gold is incomplete)")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise NisbaError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def load_articles(gold_dir: str | Path = GOLD_DIR) -> list[dict]:
    """The article references, in file order, each checked for its keys and split."""
    path = Path(gold_dir) / "articles.jsonl"
    articles = _jsonl(path)
    for n, a in enumerate(articles, 1):
        missing = [k for k in ("id", "file", "index", "sha256", "split") if k not in a]
        if missing:
            raise NisbaError(f"{path}:{n}: article lacks {', '.join(missing)}")
        if a["split"] not in SPLITS:
            raise NisbaError(f"{path}:{n}: article {a['id']}: split {a['split']!r} is not one of {SPLITS}")
    return articles


def load_results(gold_dir: str | Path = GOLD_DIR, name: str = "gold.jsonl") -> dict[str, list]:
    return {row["id"]: row["result"] for row in _jsonl(Path(gold_dir) / name)}


def load_passes(gold_dir: str | Path = GOLD_DIR) -> dict[str, list[tuple[str, list]]]:
    """{article id: [(annotator, result), ...]} for every stored pass."""
    out: dict[str, list[tuple[str, list]]] = defaultdict(list)
    for row in _jsonl(Path(gold_dir) / "passes.jsonl"):
        out[row["id"]].append((row["annotator"], row["result"]))
    return dict(out)


def corpus_articles(articles: Iterable[dict], corpus_files: Iterable[Path]) -> dict[str, Article]:
    """{article id: the corpus Article (text, title, url)}, each file opened once; sha256 checked."""
    articles = list(articles)
    by_file: dict[str, dict[int, dict]] = defaultdict(dict)
    for a in articles:
        by_file[a["file"]][int(a["index"])] = a
    paths = {Path(p).name: Path(p) for p in corpus_files}
    texts: dict[str, Article] = {}
    for file, wanted in by_file.items():
        if file not in paths:
            raise NisbaError(f"nisba-gold article {next(iter(wanted.values()))['id']}: corpus file {file} "
                             "is not in the saudinewsnet corpus")
        for article in read_file(paths[file], []):
            a = wanted.get(article.index)
            if a is None:
                continue
            actual = text_sha256(article.text)
            if actual != a["sha256"]:
                raise NisbaError(f"nisba-gold article {a['id']} ({file}#{article.index}): the corpus text has "
                                 f"sha256 {actual}, the gold was made on {a['sha256']}; refusing to place "
                                 "its annotations on another text")
            texts[a["id"]] = article
    missing = [a["id"] for a in articles if a["id"] not in texts]
    if missing:
        raise NisbaError(f"nisba-gold articles {missing[:5]} are not in the corpus (empty or absent)")
    return texts


def parse_gold(article_id: str, result: list, text: str, schema) -> tuple[list[Region], list[Relation]]:
    """Regions and relations of one stored result; any problem is an error naming the article."""
    regions, relations, problems = parse_result(result, schema, text=text)
    if problems:
        first = problems[0]
        raise NisbaError(f"nisba-gold article {article_id}: {len(problems)} problem(s) in its result, "
                         f"first: {first.kind} at region {first.region_id}: {first.message}")
    return regions, relations


def document_meta(article: dict, source: Article) -> dict:
    """The gold reference's fields, with the title and url read from the corpus article."""
    return {
        "corpus": "nisba-gold", "article": article["id"], "ref": f"{article['file']}#{article['index']}",
        "sha256": article["sha256"], "newspaper": article.get("newspaper", ""), "url": source.meta["url"],
        "date": article.get("date", ""), "title": source.meta["title"], "kind": article.get("kind", ""),
        "split": article["split"], "license": GOLD_LICENSE,
    }


def stats(documents) -> dict:
    """Counts per layer and label, per split and per newspaper."""
    labels: Counter = Counter()
    relations: Counter = Counter()
    splits: Counter = Counter()
    papers: Counter = Counter()
    for doc in documents:
        splits[doc.meta["split"]] += 1
        papers[doc.meta["newspaper"]] += 1
        labels.update(f"{r.layer}:{r.label}" for r in doc.regions)
        relations.update(r.label for r in doc.relations)
    return {"documents": len(documents), "splits": dict(splits), "newspapers": dict(sorted(papers.items())),
            "labels": dict(sorted(labels.items())), "relations": dict(sorted(relations.items()))}


def pass_records(articles: list[dict], texts: dict[str, str], passes: dict, gold: dict, schema,
                 with_gold: bool = False) -> list[dict]:
    """Agreement records (annotation.dataset.agreement) of the doubly annotated articles.

    Each pass is one annotator; ``with_gold`` adds the adjudicated gold as annotator "gold", so
    the agreement of each pass with the gold can be read off.
    """
    layers = list(schema.layer_names)
    records = []
    for a in articles:
        runs = passes.get(a["id"], [])
        if len(runs) < 2:
            continue
        text = texts[a["id"]]
        anns = []
        for n, (annotator, result) in enumerate(runs + ([("gold", gold[a["id"]])] if with_gold else [])):
            regions, _, _ = parse_result(result, schema, text=text)
            anns.append({"id": n, "annotator": annotator, "cancelled": False,
                         "spans": [[r.layer, r.label, r.start, r.end] for r in regions if r.layer in layers]})
        records.append({"task_id": a["id"], "text": text, "annotations": anns})
    return records


def doubly_annotated(corpus_files_: Iterable[Path], gold_dir: str | Path = GOLD_DIR):
    """(articles, texts by id, passes by id, gold by id) of the articles annotated twice."""
    passes = load_passes(gold_dir)
    doubly = [a for a in load_articles(gold_dir) if len(passes.get(a["id"], [])) >= 2]
    texts = {aid: a.text for aid, a in corpus_articles(doubly, corpus_files_).items()}
    return doubly, texts, passes, load_results(gold_dir)


def gold_agreement(schema, corpus_files_: list[Path], gold_dir: str | Path = GOLD_DIR) -> dict:
    """Agreement of the doubly annotated articles: between the passes (before adjudication),
    and of each pass with the adjudicated gold (after), per layer and label."""
    from annotation.dataset.agreement import compute_agreement

    doubly, texts, passes, gold = doubly_annotated(corpus_files_, gold_dir)
    layers = list(schema.layer_names)
    before = compute_agreement(pass_records(doubly, texts, passes, gold, schema), layers)
    after_records = []
    for rec in pass_records(doubly, texts, passes, gold, schema, with_gold=True):
        *runs, adjudicated = rec["annotations"]
        after_records += [{**rec, "annotations": [run, adjudicated]} for run in runs]
    after = compute_agreement(after_records, layers)
    return {"format_version": 1, "articles": [a["id"] for a in doubly],
            "passes": sorted({who for a in doubly for who, _ in passes[a["id"]]}),
            "before_adjudication": before, "after_adjudication": after}


def write_card(documents, agreement: dict | None, gold_dir: str | Path = GOLD_DIR) -> Path:
    """README.md of configs/nisba-gold: what it is, counts per layer, label, split and newspaper,
    agreement before and after adjudication, and the license."""
    s = stats(documents)
    splits = list(SPLITS)
    gold_file = Path(gold_dir) / "gold.jsonl"
    made = {row["id"]: row.get("annotator", "") for row in _jsonl(gold_file)} if gold_file.is_file() else {}
    how: dict[str, Counter] = {sp: Counter() for sp in splits}
    for doc in documents:
        how[doc.meta["split"]][made.get(doc.meta.get("article", ""), "")] += 1
    hows = [h for h in ("adjudicated", "reviewed", "single pass") if any(c[h] for c in how.values())]
    hows += sorted({h for c in how.values() for h in c if h} - set(hows))
    per_split: dict[str, Counter] = {sp: Counter() for sp in splits}
    for doc in documents:
        per_split[doc.meta["split"]].update(f"{r.layer}:{r.label}" for r in doc.regions)
        per_split[doc.meta["split"]].update(f"relation:{r.label}" for r in doc.relations)
    fmt = lambda x: "-" if x is None else f"{x:.3f}"
    lines = [
        "# nisba-gold", "",
        f"In-domain gold for every layer of the nisba schema: {s['documents']} articles of SaudiNewsNet "
        f"(2015 Saudi newspapers, {len(s['newspapers'])} newspapers) annotated with entities, event triggers "
        "with their arguments, and claims with their sources, cues, relations (attributed_to, cue, "
        "reported_via) and per-region choices (stance, source_type, source_id). The annotation rules are "
        "docs/guidelines.md.", "",
        "**Standoff.** No article text is stored here: `articles.jsonl` names each article by its corpus "
        "file, its index and the sha256 of its text; `gold.jsonl` holds the adjudicated Label Studio "
        "result; `passes.jsonl` the independent passes. `nisba import --corpus nisba-gold "
        "--with-annotations [--split train,dev]` reads the text from SaudiNewsNet and refuses an article "
        "whose text hash differs.", "",
        "**License.** Text: SaudiNewsNet, CC BY-NC-SA 4.0 (**non-commercial**), read from the corpus. "
        "Annotations: CC BY-NC-SA 4.0. Models trained on it carry the same non-commercial terms.", "",
        "**Splits** are fixed (recorded in articles.jsonl): work on rules and models looks at train and "
        "dev only; test is for final figures.", "",
        "How each article's gold was made: *adjudicated* (two independent passes, then an "
        "adjudicator), *reviewed* (one pass, then reviewed), *single pass* (one "
        "annotator, checked by the kit's validator only; added to train and dev to grow them).", "",
        "| split | articles | " + " | ".join(hows) + " |", "|---|---|" + "---|" * len(hows),
        *[f"| {sp} | {s['splits'].get(sp, 0)} | " + " | ".join(str(how[sp].get(h, 0)) for h in hows) + " |"
          for sp in splits], "",
        "## Newspapers", "", "| newspaper | articles |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in s["newspapers"].items()], "",
        "## Regions and relations per label and split", "",
        "| layer:label | " + " | ".join(splits) + " | total |", "|---|" + "---|" * (len(splits) + 1),
    ]
    keys = sorted({k for c in per_split.values() for k in c})
    for k in keys:
        row = [per_split[sp].get(k, 0) for sp in splits]
        lines.append(f"| {k} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    if agreement:
        lines += ["", f"## Agreement ({len(agreement['articles'])} articles annotated twice, independently)", "",
                  "Span F1 (exact / overlap, pooled over pairs) and token-level Cohen's kappa, per layer and "
                  "label. *Before*: the two passes against each other. *After*: each pass against the "
                  "adjudicated gold. Details in agreement.json (`nisba agreement --corpus nisba-gold`).", "",
                  "| layer | label | before F1 exact | before F1 overlap | before kappa | after F1 exact | after kappa |",
                  "|---|---|---|---|---|---|---|"]
        before, after = agreement["before_adjudication"]["layers"], agreement["after_adjudication"]["layers"]
        for layer, d in before.items():
            a = after.get(layer, {})
            lines.append(f"| {layer} | (all) | {fmt(d['f1_exact'])} | {fmt(d['f1_overlap'])} | {fmt(d['kappa'])} "
                         f"| {fmt(a.get('f1_exact'))} | {fmt(a.get('kappa'))} |")
            for label, x in d["labels"].items():
                y = a.get("labels", {}).get(label, {})
                lines.append(f"| {layer} | {label} | {fmt(x['f1_exact'])} | {fmt(x['f1_overlap'])} | "
                             f"{fmt(x['kappa'])} | {fmt(y.get('f1_exact'))} | {fmt(y.get('kappa'))} |")
    path = Path(gold_dir) / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
