"""Registered corpora as article-sized documents with gold entity regions (the public interface).

``read_corpus(name)`` fetches the corpus (corpus_registry.fetch_corpus), reads its tokens
(corpus_readers), maps the corpus's fine entity types to the schema's coarse labels through
configs/corpora.yaml, and groups sentences, in file order, into documents of about
``target_chars`` characters:

- a sentence's text is its tokens joined by one space; a document's text is its sentences
  joined by "\\n"; a sentence is never split (a sentence longer than the target is a document
  of its own); a sentence joins the current document when that brings the length closer to the
  target than closing the document would;
- each gold span becomes ``Region(region_id("entities", label, start, end), "entities", label,
  start, end, text[start:end])``; spans of dropped types are left out and counted per type;
- ``meta`` = ``{"corpus", "first_line", "last_line", "sentences", "license", "layers"}``, where
  ``"layers": ["entities"]`` says which layers the gold covers (the import keeps it in the task's
  meta, the pull in the row's; the trainer ignores the other layers there). A nisba-gold document's
  meta has no ``"layers"``: its gold covers every layer, as a hand annotation does.

The result is deterministic: the same file and arguments give the same texts, ids and order.
A "text" corpus (the seed article) is one document: the file's text (BOM removed), no regions.

``corpus_sentences(name)`` gives (tokens, coarse BIO tags) per sentence for training;
``corpus_texts(name)`` yields plain sentence texts (tokenizer training, pre-training).

Not handled here: importing into Label Studio (the import command), downloads (corpus_registry).

Example::

    >>> read = read_corpus("newsfane", limit=2)
    >>> doc = read.documents[0]
    >>> all(doc.text[r.start:r.end] == r.text for r in doc.regions)
    True
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from annotation.corpora.readers import (
    READERS,
    LineProblem,
    Token,
    TokenRead,
    read_aqmar,
    read_newsfane,
    sentence_layout,
    tag_spans,
)
from annotation.corpora import nisba_gold, saudinewsnet
from annotation.corpora.registry import (
    CorpusSpec,
    corpus_files,
    corpus_spec,
    fetch_corpus,
    load_registry,
    sha256_file,
)
from annotation.errors import NisbaError
from annotation.convert.regions import Region, Relation, region_id

__all__ = [
    "CorpusDocument", "CorpusRead", "CorpusSpec", "LineProblem", "Token", "TokenRead", "corpus_spec",
    "corpus_sentences", "corpus_texts", "fetch_corpus", "load_registry", "read_aqmar",
    "read_corpus", "read_newsfane", "read_tokens", "sha256_file",
]

def entities_layer(schema=None) -> str:
    """The layer a token corpus's gold spans go to: the schema's entities role (default schema's when none)."""
    from annotation.schema.schema import default_schema

    return (schema or default_schema()).roles.entities


@dataclass
class CorpusDocument:
    text: str
    meta: dict
    regions: list[Region] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


@dataclass
class CorpusRead:
    documents: list[CorpusDocument]
    problems: list[LineProblem]
    stats: dict = field(default_factory=dict)


@dataclass
class _Sentence:
    text: str
    first_line: int
    last_line: int
    spans: list[tuple[str, int, int]]  # (coarse label, start, end) in the sentence text
    tokens: list[str]
    tags: list[str]  # coarse BIO


def _check_labels(spec: CorpusSpec, schema) -> None:
    if schema is None:
        return
    layer = entities_layer(schema)
    allowed = set(schema.layer(layer).labels)
    unknown = sorted(set(spec.labels.values()) - allowed)
    if unknown:
        raise NisbaError(f"configs/corpora.yaml: corpora.{spec.name}.labels names {unknown}, "
                         f"not labels of the schema's {layer} layer {sorted(allowed)}")


def _read_saudinewsnet(spec: CorpusSpec, limit: int | None, registry, **_) -> CorpusRead:
    """SaudiNewsNet: one document per article (annotation.corpora.saudinewsnet), no regions."""
    read = saudinewsnet.read_saudinewsnet(corpus_files(spec.name, registry), limit=limit)
    documents = [CorpusDocument(a.text, {**a.meta, "sha256": a.sha256}) for a in read.articles]
    problems = read.problems  # ArticleProblem: file#index
    return CorpusRead(documents, problems, {
        "corpus": spec.name, "documents": len(documents), "characters": sum(len(d.text) for d in documents),
        "tokens": sum(len(d.text.split()) for d in documents), entities_layer(): {}, "dropped": {},
        "newspapers": dict(sorted(Counter(d.meta["newspaper"] for d in documents).items())),
        "problems": dict(sorted(Counter(p.kind for p in problems).items()))})


def _read_nisba_gold(spec: CorpusSpec, limit: int | None, registry, schema=None, split=None, **_) -> CorpusRead:
    """nisba-gold: its articles' text from SaudiNewsNet (sha256-checked) with the gold of every layer."""
    if schema is None:
        from annotation.schema.schema import load_schema
        schema = load_schema()
    gold_dir = nisba_gold.REPO_ROOT / spec.local if spec.local else nisba_gold.GOLD_DIR
    articles = nisba_gold.load_articles(gold_dir)
    if split is not None:
        wanted = {split} if isinstance(split, str) else set(split)
        unknown = sorted(wanted - set(nisba_gold.SPLITS))
        if unknown:
            raise NisbaError(f"nisba-gold has no split {unknown[0]!r}; splits: {', '.join(nisba_gold.SPLITS)}")
        articles = [a for a in articles if a["split"] in wanted]
    if limit is not None:
        articles = articles[:limit]
    text_corpus = spec.text_corpus or "saudinewsnet"
    texts = nisba_gold.corpus_articles(articles, corpus_files(text_corpus, registry))
    gold = nisba_gold.load_results(gold_dir)
    documents = []
    for a in articles:
        if a["id"] not in gold:
            raise NisbaError(f"nisba-gold article {a['id']} has no gold result in {gold_dir}/gold.jsonl")
        source = texts[a["id"]]
        regions, relations = nisba_gold.parse_gold(a["id"], gold[a["id"]], source.text, schema)
        documents.append(CorpusDocument(source.text, nisba_gold.document_meta(a, source), regions, relations))
    stats = {"corpus": spec.name, **nisba_gold.stats(documents),
             "characters": sum(len(d.text) for d in documents), "problems": {}}
    return CorpusRead(documents, [], stats)


# Corpora whose documents are whole articles rather than token files: reader name -> function.
ARTICLE_READERS = {"saudinewsnet": _read_saudinewsnet, "nisba-gold": _read_nisba_gold}


def read_tokens(name: str, path: str | Path | None = None, registry=None) -> tuple[CorpusSpec, Path, TokenRead]:
    """Fetch (unless `path` is given) and read a corpus's tokens with its registry settings."""
    spec = corpus_spec(name, registry)
    if spec.reader in ARTICLE_READERS:
        raise NisbaError(f"corpus {name!r} is read as articles (read_corpus), not as tokens")
    path = Path(path) if path is not None else fetch_corpus(name, registry=registry)
    reader = READERS.get(spec.reader)
    if reader is None:
        raise NisbaError(f"configs/corpora.yaml: corpora.{name}.reader {spec.reader!r} is not one of {sorted(READERS)}")
    return spec, path, reader(path, types=spec.known_types, tag_repairs=spec.tag_repairs)


def _coarse_sentences(spec: CorpusSpec, read: TokenRead, dropped: Counter) -> list[_Sentence]:
    out = []
    for sentence in read.sentences:
        words = [t.text for t in sentence]
        text, offsets = sentence_layout(words)
        coarse_tags = ["O"] * len(words)
        spans = []
        for fine, a, b in tag_spans([t.tag for t in sentence]):
            label = spec.labels.get(fine)
            if label is None:
                dropped[fine] += 1
                continue
            spans.append((label, offsets[a][0], offsets[b - 1][1]))
            coarse_tags[a] = f"B-{label}"
            for i in range(a + 1, b):
                coarse_tags[i] = f"I-{label}"
        out.append(_Sentence(text, sentence[0].line, sentence[-1].line, spans, words, coarse_tags))
    return out


def group_sentences(lengths: list[int], target_chars: int) -> list[list[int]]:
    """Indices of sentences per document, in order: never split, each document near target_chars."""
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i, n in enumerate(lengths):
        grown = size + 1 + n if current else n
        if current and grown - target_chars > target_chars - size:
            groups.append(current)
            current, size = [], 0
            grown = n
        current.append(i)
        size = grown
    if current:
        groups.append(current)
    return groups


def _document(spec: CorpusSpec, sentences: list[_Sentence]) -> CorpusDocument:
    parts, regions = [], []
    pos = 0
    for s in sentences:
        for label, a, b in s.spans:
            start, end = pos + a, pos + b
            regions.append((label, start, end))
        parts.append(s.text)
        pos += len(s.text) + 1
    text = "\n".join(parts)
    layer = entities_layer()
    meta = {"corpus": spec.name, "first_line": sentences[0].first_line, "last_line": sentences[-1].last_line,
            "sentences": len(sentences), "license": spec.license, "layers": [layer]}
    return CorpusDocument(text, meta, [Region(region_id(layer, label, s, e), layer, label, s, e, text[s:e])
                                       for label, s, e in regions])


def _read_text_document(spec: CorpusSpec, path: Path) -> tuple[CorpusDocument, list[LineProblem]]:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NisbaError(f"{path}:{line}: not UTF-8 ({exc.reason})") from None
    if not text.strip():
        raise NisbaError(f"{path}: empty file")
    lines = [l for l in text.splitlines() if l.strip()]
    meta = {"corpus": spec.name, "first_line": 1, "last_line": text.count("\n") + 1, "sentences": len(lines),
            "license": spec.license}
    return CorpusDocument(text, meta, []), []


def read_corpus(
    name: str,
    target_chars: int = 1750,
    limit: int | None = None,
    path: str | Path | None = None,
    schema=None,
    registry=None,
    split: str | None = None,
) -> CorpusRead:
    """A registered corpus as documents of about target_chars characters with gold entity regions.

    `limit` caps the number of documents; `path` reads that file instead of fetching; `schema`
    (an annotation.schema.Schema) checks the registry's labels belong to its entities layer.
    Article corpora (SaudiNewsNet, nisba-gold) give one document per article; `split` picks
    nisba-gold's fixed split (train, dev, test).
    """
    started = time.perf_counter()
    spec = corpus_spec(name, registry)
    if spec.reader in ARTICLE_READERS:
        read = ARTICLE_READERS[spec.reader](spec, limit=limit, registry=registry, schema=schema, split=split)
        read.stats["read_seconds"] = round(time.perf_counter() - started, 3)
        return read
    if split is not None:
        raise NisbaError(f"corpus {name!r} has no fixed splits (--split is for nisba-gold)")
    spec, path, tokens = read_tokens(name, path, registry)
    _check_labels(spec, schema)
    if spec.reader == "text":
        document, problems = _read_text_document(spec, path)
        return CorpusRead([document], problems, {
            "corpus": name, "path": str(path), "documents": 1, "sentences": document.meta["sentences"],
            "tokens": len(document.text.split()), "characters": len(document.text), entities_layer(schema): {},
            "dropped": {}, "problems": {}, "read_seconds": round(time.perf_counter() - started, 3)})
    dropped: Counter = Counter()
    sentences = _coarse_sentences(spec, tokens, dropped)
    groups = group_sentences([len(s.text) for s in sentences], target_chars)
    if limit is not None:
        groups = groups[:limit]
    documents = [_document(spec, [sentences[i] for i in g]) for g in groups]
    entities = Counter(r.label for d in documents for r in d.regions)
    stats = {
        "corpus": name,
        "path": str(path),
        "documents": len(documents),
        "sentences": sum(d.meta["sentences"] for d in documents),
        "tokens": sum(len(sentences[i].tokens) for g in groups for i in g),
        "characters": sum(len(d.text) for d in documents),
        entities_layer(schema): dict(sorted(entities.items())),
        "dropped": dict(sorted(dropped.items())),
        "problems": dict(sorted(Counter(p.kind for p in tokens.problems).items())),
        "read_seconds": round(time.perf_counter() - started, 3),
    }
    return CorpusRead(documents, tokens.problems, stats)


def corpus_sentences(name: str, path: str | Path | None = None, registry=None) -> list[dict]:
    """Per sentence ``{"tokens": [...], "tags": [...coarse BIO...], "line": first line}``.

    A "text" corpus gives its non-empty lines split on whitespace, all tags O.
    """
    spec, path, tokens = read_tokens(name, path, registry)
    if spec.reader == "text":
        return [{"tokens": line.split(), "tags": ["O"] * len(line.split()), "line": i}
                for i, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1)
                if line.strip()]
    return [{"tokens": s.tokens, "tags": s.tags, "line": s.first_line}
            for s in _coarse_sentences(spec, tokens, Counter())]


def corpus_texts(name: str, path: str | Path | None = None, registry=None) -> Iterator[str]:
    """Plain sentence texts (tokens joined by one space), in file order.

    An article corpus (SaudiNewsNet) gives each article's non-empty lines (its paragraphs).
    """
    spec = corpus_spec(name, registry)
    if spec.reader in ARTICLE_READERS:
        for doc in read_corpus(name, registry=registry).documents:
            yield from (line.strip() for line in doc.text.splitlines() if line.strip())
        return
    for sentence in corpus_sentences(name, path, registry):
        yield " ".join(sentence["tokens"])
