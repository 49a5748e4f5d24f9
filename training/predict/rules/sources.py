"""Link a SOURCE span to its canonical source in configs/sources.yaml.

Aliases and spans are compared after annotation/text/arabic.py's normalization (alef/hamza,
ى/ي, ة/ه, tatweel, diacritics, Latin case) and with the clitic prefixes و ف ب ل ك stripped.
A span links when, in this order:

1. it equals an alias (``وكالة الانباء السورية`` -> SANA);
2. it starts with an alias, whole words, longest alias first
   (``مسئول في جماعة مسلحة تنتمي للجيش الحر`` -> AnonymousOfficial);
3. it contains an alias as whole words, longest alias first
   (``رئيس المكتب السياسي محمد علوش`` -> Alloush).

Not handled here: choosing which span is the source (rules.py) or coreference across mentions.

Example::

    >>> SourceIndex.load().link("وعلوش").id
    'Alloush'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from annotation.errors import NisbaError
from annotation.schema.schema import DEFAULT_SOURCES
from annotation.text.arabic import PhraseMatcher, normalize, strip_prefixes

SOURCES_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Source:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]


def _words(s: str) -> str:
    return " ".join(normalize(s).split())


class SourceIndex:
    def __init__(self, sources: list[Source]):
        self.sources = {s.id: s for s in sources}
        self.alias_to_id: dict[str, str] = {}
        for s in sources:
            for alias in (s.id, s.name, *s.aliases):
                self.alias_to_id.setdefault(_words(alias), s.id)
        self._by_length = sorted(self.alias_to_id, key=len, reverse=True)
        self.matcher = PhraseMatcher([(a, self.alias_to_id[_words(a)]) for s in sources
                                      for a in s.aliases])

    @classmethod
    def load(cls, path: str | Path = DEFAULT_SOURCES) -> "SourceIndex":
        from annotation.yaml_files import read_yaml

        path = Path(path)
        data = read_yaml(path, "sources file", SOURCES_FORMAT_VERSION, SOURCES_FORMAT_VERSION)
        sources = []
        for i, s in enumerate(data.get("sources") or []):
            if not isinstance(s, dict) or "id" not in s:
                raise NisbaError(f"{path}: sources[{i}] needs an 'id'")
            sources.append(Source(str(s["id"]), str(s.get("type", "")), str(s.get("name", s["id"])),
                                  tuple(str(a) for a in s.get("aliases") or [])))
        return cls(sources)

    def link(self, span_text: str) -> Source | None:
        """The canonical source a span names, or None (see the module docstring for the order)."""
        words = _words(span_text)
        if not words:
            return None
        readings = [words] + [rest for n, rest in strip_prefixes(words) if n]
        for r in readings:
            if r in self.alias_to_id:
                return self.sources[self.alias_to_id[r]]
        for r in readings:
            for alias in self._by_length:
                if r.startswith(alias + " "):
                    return self.sources[self.alias_to_id[alias]]
        for m in sorted(self.matcher.find(span_text), key=lambda m: -(m.end - m.start)):
            return self.sources[m.payload]
        return None
