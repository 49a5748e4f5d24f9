"""Link a SOURCE span to its canonical source in configs/sources.yaml.

Aliases and spans are compared after annotation/text/arabic.py's normalization (alef/hamza,
ى/ي, ة/ه, tatweel, diacritics, Latin case) and with the clitic prefixes و ف ب ل ك stripped.
A span links when, in this order:

1. it equals an alias (``وكالة الانباء السورية`` -> SANA);
2. it starts with an alias, whole words, longest alias first
   (``مسئول في جماعة مسلحة تنتمي للجيش الحر`` -> AnonymousOfficial);
3. it contains an alias as whole words, longest alias first
   (``رئيس المكتب السياسي محمد علوش`` -> Alloush), save a one-word alias that is another person's
   family name: a given name (``name_words``) before it, and the source has no longer alias opening
   with the span's first word (``حسن عسيري`` is not أحمد عسيري);
4. it shortens the aliases of exactly one source: it ends one (``محمد سمير`` of ``العميد محمد
   سمير``) or drops its middle name (``عبده الحذيفي`` of ``عبده محمد الحذيفي``); two words or more,
   no article on the first;
5. it is a spelling variant of an alias (``same_name``, rapidfuzz): as many words, every
   differing word of 4+ letters at ``FUZZY_WORD_RATIO`` or more and the whole at
   ``FUZZY_RATIO`` or more (``سيرغي لافروف`` -> Lavrov; ``وزير الخارجية السوري`` is not
   ``وزير الخارجية الروسي``: الروسي/السوري score 67).

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
FUZZY_WORD_RATIO = 80.0  # سيرجي/سيرغي 80, نتنياهو/نتانياهو 93, الروسي/السوري 67
FUZZY_RATIO = 88.0  # the whole name: سيرجي لافروف/سيرغي لافروف 92
NISBA_ENDS = ("ي", "يه", "يين", "يون")  # normalized endings of a nisba adjective (الأردنية -> الاردنيه)


@dataclass(frozen=True)
class Source:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]


def _words(s: str) -> str:
    return " ".join(normalize(s).split())


def _compact(name: str) -> list[str]:
    """Normalized words, with "عبد الرحمن" / "ابو ردينه" written as one word."""
    out: list[str] = []
    for w in _words(name).split():
        if out and out[-1] in ("عبد", "ابو", "بو"):
            out[-1] += w
        else:
            out.append(w)
    return out


def same_name(a: str, b: str) -> bool:
    """Whether two names are spelling variants of each other (see the module docstring, step 5)."""
    from rapidfuzz import fuzz

    aw, bw = _compact(a), _compact(b)
    if not aw or len(aw) != len(bw):
        return False
    for x, y in zip(aw, bw):
        if x != y and (min(len(x), len(y)) < 4 or fuzz.ratio(x, y) < FUZZY_WORD_RATIO
                       or (x.startswith("ال") and y.startswith("ال") and x.endswith(NISBA_ENDS) and y.endswith(NISBA_ENDS))):
            return False  # "الأردنية/الإيرانية": two nisba adjectives name two countries, however alike
    return fuzz.ratio(" ".join(aw), " ".join(bw)) >= FUZZY_RATIO


class SourceIndex:
    def __init__(self, sources: list[Source]):
        self.sources = {s.id: s for s in sources}
        self.name_words: set[str] = set()  # given names (normalized); the rules set them from their lexicon
        self.alias_to_id: dict[str, str] = {}
        for s in sources:
            for alias in (s.id, s.name, *s.aliases):
                self.alias_to_id.setdefault(_words(alias), s.id)
        # aliases of three words or more (step 4), and the first words of each source's longer aliases (step 3)
        self._long_aliases = [(a.split(), sid) for a, sid in self.alias_to_id.items() if len(a.split()) >= 3]
        self._first_words: dict[str, set[str]] = {}
        for a, sid in self.alias_to_id.items():
            if len(a.split()) >= 2:
                self._first_words.setdefault(sid, set()).add(a.split()[0])
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
            if self._other_name(words, span_text[:m.start], m):
                continue
            return self.sources[m.payload]
        return self.shortened(words) or self.fuzzy(span_text)

    def shortened(self, words: str) -> Source | None:
        """The one source with an alias that the span shortens (step 4): a name of two words or more
        that ends an alias ("محمد سمير" of "العميد محمد سمير"), or a first and family name whose
        alias has a middle name ("عبده الحذيفي" of "عبده محمد الحذيفي"); None when no alias or
        aliases of more than one source fit, or the span opens with the article (no name)."""
        w = words.split()
        if len(w) < 2 or w[0].startswith("ال"):
            return None
        ids = {sid for a, sid in self._long_aliases
               if a[-len(w):] == w or (len(w) == 2 and a[0] == w[0] and a[-1] == w[-1])}
        return self.sources[ids.pop()] if len(ids) == 1 else None

    def _other_name(self, words: str, before: str, m) -> bool:
        """Whether a one-word alias found inside a longer span is another person's family name: the
        word before it is a given name or بن (``name_words``: "حسن عسيري" beside أحمد عسيري، "صالح بن
        عبدالله السهلي") and the source has no alias of two words or more opening with the span's
        first word ("أحمد بن عبدالعزيز قطان" is أحمد قطان)."""
        prev = _words(before).split()
        if len(_words(m.phrase).split()) != 1 or not prev or prev[-1] not in self.name_words:
            return False
        return words.split()[0] not in self._first_words.get(m.payload, set())

    def fuzzy(self, span_text: str) -> Source | None:
        """The source one of whose aliases is a spelling variant of the span (step 5), else None."""
        from rapidfuzz import fuzz, process

        words = _words(span_text)
        readings = [words] + [rest for n, rest in strip_prefixes(words) if n]
        if len(_compact(words)) < 2 and len(words) < 7:
            return None  # one short word is too little to tell a variant from another name
        for r in readings:
            for alias, _, _ in process.extract(r, self._by_length, scorer=fuzz.ratio, score_cutoff=FUZZY_RATIO, limit=5):
                if same_name(r, alias):
                    return self.sources[self.alias_to_id[alias]]
        return None
