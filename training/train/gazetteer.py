"""Gazetteers drawn from data, never typed by hand: package data, configs, the corpora's gold.

``build_gazetteer(train_docs)`` returns a ``Gazetteer``: normalized word sequences -> the set
of tags they carry, each list named by where it came from (``Gazetteer.sources``):

- ``pycountry``: every ISO 3166-1 country name (name, common and official name) in Arabic
  through pycountry's own iso3166-1 translation catalogue -> GPE;
- ``babel:territories``: CLDR's Arabic territory names; numeric UN M.49 codes (world regions,
  continents) -> LOC, the rest -> GPE;
- ``babel:cities``: CLDR's Arabic exemplar cities of the time zones -> GPE;
- ``babel:languages``: CLDR's Arabic language names, with "ال" -> NORP-like adjective feature
  (tag ``LANG``: a language name is often the people's adjective; a feature, not a label);
- ``sources``: configs/sources.yaml aliases -> ``SRC:<type>`` (who is quoted in the news);
- ``corpus:<name>``: the gold entity texts of the training documents given (NewsFANE train,
  nisba-gold train) -> their label; only names seen at least ``min_count`` times, and only
  where one label holds at least 2/3 of their occurrences.

Matching (``Gazetteer.tag``) is longest-first over normalized words; a first word may carry a
proclitic (و ف ب ل ك) that the entry lacks ("وبريطانيا" matches "بريطانيا"), and the article
"ال" is optional on both sides. Each matched word gets ``B-TAG``/``I-TAG`` features.

Not handled here: feature extraction (training/train/crf.py).
"""

from __future__ import annotations

import gettext
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotation.text.normalize import normalize

PROCLITIC_PREFIXES = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
MAX_WORDS = 6


def _key(name: str) -> tuple[str, ...]:
    from annotation.text.tokens import pretokenize

    norm = normalize(name)
    return tuple(norm[s:e] for s, e in pretokenize(norm))


def _drop_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


@dataclass
class Gazetteer:
    entries: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    sources: dict[str, int] = field(default_factory=dict)  # list name -> entries it added

    def add(self, source: str, names, tag: str) -> None:
        n = 0
        for name in names:
            key = _key(name)
            if not key or len(key) > MAX_WORDS:
                continue
            for k in {key, (_drop_article(key[0]),) + key[1:]}:
                if tag not in self.entries[k]:
                    self.entries[k].add(tag)
                    n += 1
        self.sources[source] = self.sources.get(source, 0) + n

    def tag(self, words: list[str]) -> list[list[str]]:
        """Per normalized word, its gazetteer features (``B-GPE``, ``I-SRC:government``, ...)."""
        out: list[list[str]] = [[] for _ in words]
        i = 0
        while i < len(words):
            hit = 0
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                tags = self._lookup(words[i:i + n])
                if tags:
                    for t in tags:
                        out[i].append(f"B-{t}")
                        for j in range(i + 1, i + n):
                            out[j].append(f"I-{t}")
                    hit = n
                    break
            i += hit or 1
        return out

    def _lookup(self, seq: list[str]) -> set[str]:
        first, rest = seq[0], tuple(seq[1:])
        firsts = [first] + [first[len(p):] for p in PROCLITIC_PREFIXES
                            if first.startswith(p) and len(first) - len(p) >= 2]
        for f in firsts:
            for cand in (f, _drop_article(f)):
                tags = self.entries.get((cand,) + rest)
                if tags:
                    return tags
        return set()


def _pycountry_names() -> list[str]:
    import pycountry

    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                local = tr.gettext(value)
                if local != value:
                    names.add(local)
    return sorted(names)


def _babel_lists() -> dict[str, tuple[list[str], str]]:
    from babel import Locale

    ar = Locale("ar")
    regions = [v for k, v in ar.territories.items() if k.isdigit()]
    countries = [v for k, v in ar.territories.items() if not k.isdigit()]
    cities = sorted({z["city"] for z in ar.time_zones.values() if z.get("city")})
    return {"babel:territories": (countries, "GPE"), "babel:regions": (regions, "LOC"),
            "babel:cities": (cities, "GPE"), "babel:languages": (list(ar.languages.values()), "LANG")}


def _sources_aliases() -> list[tuple[str, str]]:
    from annotation.paths import CONFIGS_DIR
    from annotation.yaml_files import read_yaml

    data = read_yaml(CONFIGS_DIR / "sources.yaml", "sources")
    return [(str(a), str(s.get("type") or "source")) for s in data.get("sources") or [] for a in s.get("aliases") or []]


def corpus_entity_names(docs, min_count: int = 1) -> dict[str, str]:
    """name -> label of the entities in ``docs`` (``(text, [(start, end, label)])``), majority >= 2/3."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for text, spans in docs:
        for s, e, label in spans:
            counts[normalize(text[s:e])][label] += 1
    out = {}
    for name, c in counts.items():
        label, n = c.most_common(1)[0]
        if sum(c.values()) >= min_count and n * 3 >= 2 * sum(c.values()) and len(name) >= 2:
            out[name] = label
    return out


def build_gazetteer(corpus_docs: dict[str, list] | None = None, min_count: int = 1) -> Gazetteer:
    """The gazetteer of the package lists, configs/sources.yaml and ``corpus_docs`` ({name: docs})."""
    g = Gazetteer()
    g.add("pycountry", _pycountry_names(), "GPE")
    for name, (names, tag) in _babel_lists().items():
        g.add(name, names, tag)
    by_type: dict[str, list[str]] = defaultdict(list)
    for alias, kind in _sources_aliases():
        by_type[kind].append(alias)
    for kind, aliases in sorted(by_type.items()):
        g.add("sources", aliases, f"SRC:{kind}")
    for name, docs in sorted((corpus_docs or {}).items()):
        by_label: dict[str, list[str]] = defaultdict(list)
        for ent, label in corpus_entity_names(docs, min_count).items():
            by_label[label].append(ent)
        for label, names in sorted(by_label.items()):
            g.add(f"corpus:{name}", names, label)
    return g
