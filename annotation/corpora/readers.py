"""Token-level readers for the registered corpora: pure functions from a file to sentences.

Each reader returns ``TokenRead(sentences, problems)``: a sentence is a list of
``Token(text, tag, line)`` (1-based line number in the file), with the tag in the corpus's own
fine-grained BIO scheme after repair. Problems carry the file and line; a reader never raises on
bad content (only on a file it cannot open).

File formats (checked on the files in ../shared/data):

- newsfane: UTF-8 with a BOM, CRLF line ends, ``token TAB tag``; most tokens start with a
  U+200E LEFT-TO-RIGHT MARK, which is stripped. Sentences are separated by a line holding a
  lone TAB (empty token, empty tag): 4,759 such lines, 4,760 sentences, the last one ended by
  the end of the file. A "." token does not end a sentence by itself (212 "." tokens sit inside
  sentences: abbreviations, numbers).
- aqmar: UTF-8, LF, ``token SPACE tag``, a blank line between sentences; a few malformed tags
  (repaired through the registry's ``tag_repairs`` or read as O, each reported), 33 tokens that
  are nothing but a U+200E/U+200F mark (dropped, reported).

Repairs, each reported as a problem with its line:

- a tag in ``tag_repairs`` is replaced by its repair (``repaired_tag``);
- a tag that is not ``O``/``B-T``/``I-T`` with T a known type is read as O (``malformed_tag``);
- an ``I-T`` not preceded by ``B-T``/``I-T`` starts a span, i.e. becomes ``B-T`` (``bio_repair``);
- invisible marks (annotation/text/marks.py: direction marks, U+200B-D, U+FEFF) are removed
  from tokens; a token left empty is dropped (``empty_token``);
- a line that is not UTF-8 or has no tag is reported and skipped / read as O.

``tag_spans`` turns a sentence's BIO tags into token spans; ``sentence_layout`` lays tokens out
with single spaces and gives each token's character offsets, the one place the text of a
sentence is built. Not handled here: the registry, coarse labels, documents (corpora.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from annotation.text.marks import strip_invisible
from annotation.text.tokens import bio_spans

_TAG = re.compile(r"^(?:O|([BI])-([A-Za-z][A-Za-z0-9_.-]*))$")


class Token(NamedTuple):
    text: str
    tag: str
    line: int


@dataclass(frozen=True)
class LineProblem:
    """Something wrong in a corpus file, at a line; counted and reported, never dropped."""

    kind: str
    message: str
    path: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "path": self.path, "line": self.line}


@dataclass
class TokenRead:
    sentences: list[list[Token]] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def strip_marks(token: str) -> str:
    """The token without invisible marks (annotation/text/marks.py): never part of the text."""
    return strip_invisible(token)


def _lines(path: Path, problems: list[LineProblem]) -> Iterable[tuple[int, str]]:
    """(line number, decoded line) without BOM or CR/LF; undecodable lines reported and skipped."""
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    chunks = data.split(b"\n")
    if chunks and chunks[-1] == b"":
        chunks.pop()
    for number, raw in enumerate(chunks, 1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(LineProblem("not_utf8", f"line is not UTF-8 ({exc.reason} at byte {exc.start}); skipped",
                                        str(path), number))


def _check_tag(tag: str, line: int, path: str, types: frozenset[str] | None,
               repairs: dict[str, str], problems: list[LineProblem]) -> str:
    if tag in repairs:
        fixed = repairs[tag]
        problems.append(LineProblem("repaired_tag", f"malformed tag {tag!r} read as {fixed!r}", path, line))
        tag = fixed
    match = _TAG.match(tag)
    if match is None:
        problems.append(LineProblem("malformed_tag", f"tag {tag!r} is not O, B-TYPE or I-TYPE; read as O", path, line))
        return "O"
    if match.group(2) is not None and types is not None and match.group(2) not in types:
        problems.append(LineProblem("malformed_tag", f"unknown entity type {match.group(2)!r} in tag {tag!r}; read as O",
                                    path, line))
        return "O"
    return tag


def repair_bio(sentence: list[Token], path: str, problems: list[LineProblem]) -> list[Token]:
    """An I-T whose previous tag is not B-T/I-T starts a span: it becomes B-T (reported)."""
    out: list[Token] = []
    prev = "O"
    for tok in sentence:
        tag = tok.tag
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            problems.append(LineProblem("bio_repair", f"{tag} after {prev} starts a new span (read as B-{tag[2:]})",
                                        path, tok.line))
            tag = "B-" + tag[2:]
            tok = tok._replace(tag=tag)
        out.append(tok)
        prev = tag
    return out


def read_columns(
    path: str | Path,
    separator: str,
    types: Iterable[str] | None = None,
    tag_repairs: dict[str, str] | None = None,
) -> TokenRead:
    """Read a ``token SEP tag`` file; a line with neither token nor tag ends a sentence."""
    path = Path(path)
    where = str(path)
    known = frozenset(types) if types is not None else None
    repairs = dict(tag_repairs or {})
    result = TokenRead()
    current: list[Token] = []

    def close() -> None:
        nonlocal current
        if current:
            result.sentences.append(repair_bio(current, where, result.problems))
        current = []

    for number, line in _lines(path, result.problems):
        parts = line.split(separator)
        if len(parts) > 2:  # a separator inside the token: the tag is the last column
            parts = [separator.join(parts[:-1]), parts[-1]]
        token = strip_marks(parts[0]).strip()
        tag = parts[1].strip() if len(parts) == 2 else ""
        if not token and not tag:
            close()
            continue
        if not token:
            result.problems.append(LineProblem("empty_token", f"token is empty once marks are removed "
                                               f"(tag {tag!r}); dropped", where, number))
            continue
        if not tag:
            result.problems.append(LineProblem("missing_tag", f"no tag after the token; read as O", where, number))
            tag = "O"
        current.append(Token(token, _check_tag(tag, number, where, known, repairs, result.problems), number))
    close()
    return result


def read_newsfane(path: str | Path, types: Iterable[str] | None = None,
                  tag_repairs: dict[str, str] | None = None) -> TokenRead:
    """NewsFANE Gold: ``token TAB tag``, BOM, CRLF, U+200E marks, a lone-TAB line between sentences."""
    return read_columns(path, "\t", types, tag_repairs)


def read_aqmar(path: str | Path, types: Iterable[str] | None = None,
               tag_repairs: dict[str, str] | None = None) -> TokenRead:
    """AQMAR: ``token SPACE tag``, a blank line between sentences."""
    return read_columns(path, " ", types, tag_repairs)


def read_text(path: str | Path, types: Iterable[str] | None = None,
              tag_repairs: dict[str, str] | None = None) -> TokenRead:
    """A plain article: no tokens (the document is the file's text; see corpora.read_corpus)."""
    return TokenRead()


# reader name in configs/corpora.yaml -> token reader
READERS: dict[str, Callable[..., TokenRead]] = {
    "newsfane": read_newsfane,
    "aqmar": read_aqmar,
    "text": read_text,
}


def sentence_layout(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens joined by one space, and each token's (start, end) in that text."""
    offsets = []
    pos = 0
    for tok in tokens:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return " ".join(tokens), offsets


def tag_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """(type, first token, end token exclusive) for each span of repaired BIO tags."""
    return [(label, a, b) for a, b, label in bio_spans(tags)]
