"""Growing configs/sources.yaml: review unknown SOURCE mentions, add canonical sources.

``unknown_mentions(documents, index)`` lists the SOURCE regions annotated ``other`` (or with no
source_id) or whose text links to no known source (training/predict/rules/sources.py);
``cluster_mentions`` groups them by normalized name, merging spelling variants
(``same_name``: سيرجي/سيرغي), with counts, source types and example contexts.

``add_source(path, id, type, name, aliases)`` appends one source to sources.yaml through
ruamel.yaml's round trip, so the file keeps its comments, order and quoting; an id already
there, or an alias that already names another source, is refused.

Not handled here: which mentions deserve a canonical source (the reviewer decides).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from annotation.errors import NisbaError
from annotation.schema.schema import DEFAULT_SOURCES, Roles, default_roles
from annotation.text.arabic import strip_prefixes
from training.predict.rules.sources import SourceIndex, _compact, _words, same_name

CONTEXT_CHARS = 60


@dataclass
class Cluster:
    key: str
    variants: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.variants.values())

    @property
    def name(self) -> str:
        return self.variants.most_common(1)[0][0]


def _key(text: str) -> str:
    words = _words(text)
    if words[:1] in ("و", "ف") and len(words) > 3:
        words = words[1:]
    readings = [rest for n, rest in strip_prefixes(words) if n == 1 and words[0] in "وف"]
    return " ".join(_compact(readings[0] if readings else words))


def unknown_mentions(documents: Iterable[dict], index: SourceIndex | None = None,
                     roles: Roles | None = None) -> list[dict]:
    """[{text, source_type, context, article}] of SOURCE regions with no canonical source (``roles``: the
    schema's names, configs/schema.yaml's by default)."""
    index = index or SourceIndex.load()
    roles = roles or default_roles()
    out = []
    for doc in documents:
        for r in doc["regions"]:
            if not roles.is_(r, "source"):
                continue
            sid = r.choices.get(roles.source_id, "")
            if sid and sid != "other" and sid in index.sources:
                continue
            if sid in ("", "other") or index.link(r.text) is None:
                t = doc["text"]
                ctx = (t[max(0, r.start - CONTEXT_CHARS):r.start] + "[" + r.text + "]" + t[r.end:r.end + CONTEXT_CHARS])
                out.append({"text": r.text, "source_type": r.choices.get(roles.source_type, ""),
                            "context": " ".join(ctx.split()), "article": doc.get("id", "")})
    return out


def cluster_mentions(mentions: list[dict], examples: int = 3) -> list[Cluster]:
    """Mentions grouped by normalized name, spelling variants merged; most frequent first."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    for m in mentions:
        key = _key(m["text"])
        c = by_key.get(key) or next((x for x in clusters if same_name(key, x.key)), None)
        if c is None:
            c = Cluster(key)
            clusters.append(c)
        by_key[key] = c
        c.variants[m["text"]] += 1
        if m["source_type"]:
            c.types[m["source_type"]] += 1
        if len(c.examples) < examples:
            c.examples.append(m["context"])
    return sorted(clusters, key=lambda c: (-c.count, c.key))


def add_source(source_id: str, source_type: str, name: str, aliases: list[str],
               path: str | Path = DEFAULT_SOURCES) -> None:
    """Append a canonical source to sources.yaml, keeping its comments and order (ruamel round trip)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = Path(path)
    index = SourceIndex.load(path)
    if source_id in index.sources:
        raise NisbaError(f"{path}: source {source_id!r} exists already")
    for alias in [name, *aliases]:
        taken = index.alias_to_id.get(_words(alias))
        if taken:
            raise NisbaError(f"{path}: alias {alias!r} already names {taken!r}")
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # the file's own layout: "  - id: ..."
    data = yaml.load(path.read_text(encoding="utf-8"))
    entry = CommentedMap()
    entry["id"] = source_id
    entry["type"] = source_type
    entry["name"] = name
    seq = CommentedSeq(aliases)
    seq.fa.set_flow_style()
    entry["aliases"] = seq
    data["sources"].append(entry)
    with path.open("w", encoding="utf-8") as f:
        yaml.dump(data, f)
