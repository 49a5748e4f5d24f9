"""SaudiNewsNet: one document per article, read from the corpus's daily zip files (pure reading).

The corpus (github.com/parallelfold/SaudiNewsNet, folder ``dataset/``; CC BY-NC-SA 4.0,
non-commercial) is one zip a day, ``YYYY-MM-DD.zip``, holding one JSON file: an array of
articles ``{source, url, date_extracted, title, author, content}``. An article's document text
is its ``content`` with the whitespace at both ends removed (nothing else changes, so offsets
into it are offsets into the published text after that strip); its reference is the zip's
file name and the article's index in the array, and ``sha256`` of the text pins it.

Problems are reported with the file and the article index, never dropped silently:

- ``bad_zip``: a file that is not a zip, holds no ``.json`` member, or whose JSON is not an
  array of objects; the whole file is skipped;
- ``empty_content``: an article whose content is missing or only whitespace; skipped;
- ``missing_title``: an article without a title; kept, with ``title`` "".

Not handled here: fetching and checksums of the zip files (registry.py), import (the commands).

Example::

    >>> read = read_saudinewsnet(sorted(Path("../shared/data/saudinewsnet").glob("*.zip")))
    >>> article = read.articles[0]
    >>> article.ref, article.meta["newspaper"]
    ('2015-07-21.zip#0', 'aawsat')
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from annotation.hashing import sha256_text as text_sha256  # the text identity nisba-gold checks

LICENSE = "CC BY-NC-SA 4.0 (non-commercial)"


@dataclass(frozen=True)
class ArticleProblem:
    """Something wrong in a corpus file, at an article index (-1: the whole file)."""

    kind: str
    message: str
    path: str
    index: int = -1

    def __str__(self) -> str:
        where = self.path if self.index < 0 else f"{self.path}#{self.index}"
        return f"{where}: {self.kind}: {self.message}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "path": self.path, "index": self.index}


@dataclass(frozen=True)
class Article:
    file: str       # the zip's file name, e.g. "2015-07-21.zip"
    index: int      # position in the zip's JSON array
    text: str
    meta: dict

    @property
    def ref(self) -> str:
        return f"{self.file}#{self.index}"

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


@dataclass
class ArticleRead:
    articles: list[Article] = field(default_factory=list)
    problems: list[ArticleProblem] = field(default_factory=list)


def _records(path: Path, problems: list[ArticleProblem]) -> list:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.endswith(".json")]
            if not members:
                problems.append(ArticleProblem("bad_zip", f"no .json member (holds {archive.namelist()[:3]})",
                                               path.name))
                return []
            data = archive.read(members[0])
    except (zipfile.BadZipFile, OSError) as exc:
        problems.append(ArticleProblem("bad_zip", f"not a readable zip ({exc})", path.name))
        return []
    try:
        records = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(ArticleProblem("bad_zip", f"{members[0]} is not UTF-8 JSON ({exc})", path.name))
        return []
    if not isinstance(records, list):
        problems.append(ArticleProblem("bad_zip", f"{members[0]} holds a {type(records).__name__}, "
                                       "expected an array of articles", path.name))
        return []
    return records


def read_file(path: str | Path, problems: list[ArticleProblem] | None = None) -> Iterable[Article]:
    """The articles of one daily zip, in array order (see the module docstring for problems)."""
    path = Path(path)
    problems = [] if problems is None else problems
    for index, record in enumerate(_records(path, problems)):
        if not isinstance(record, dict):
            problems.append(ArticleProblem("bad_article", f"a {type(record).__name__}, expected an object",
                                           path.name, index))
            continue
        content = record.get("content")
        text = content.strip() if isinstance(content, str) else ""
        if not text:
            problems.append(ArticleProblem("empty_content", "no content", path.name, index))
            continue
        title = record.get("title")
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            problems.append(ArticleProblem("missing_title", "no title; kept with an empty title", path.name, index))
        meta = {
            "corpus": "saudinewsnet",
            "ref": f"{path.name}#{index}",
            "newspaper": str(record.get("source") or ""),
            "url": str(record.get("url") or ""),
            "date": str(record.get("date_extracted") or ""),
            "title": title,
            "license": LICENSE,
        }
        yield Article(path.name, index, text, meta)


def read_saudinewsnet(paths: Iterable[str | Path], limit: int | None = None) -> ArticleRead:
    """Articles of every file in order; at most ``limit`` articles."""
    read = ArticleRead()
    for path in paths:
        for article in read_file(path, read.problems):
            if limit is not None and len(read.articles) >= limit:
                return read
            read.articles.append(article)
    return read


def article_at(paths: Iterable[str | Path], file: str, index: int) -> Article | None:
    """The article at ``file#index`` (None when absent or skipped as empty)."""
    for path in paths:
        if Path(path).name == file:
            for article in read_file(path, []):
                if article.index == index:
                    return article
    return None
