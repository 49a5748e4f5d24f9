"""The corpus registry (configs/corpora.yaml) and fetching a corpus file into the local cache.

``fetch_corpus(name)`` returns the path of a checked copy of the corpus file, trying in order:

1. the cache, ``.nisba/corpora/NAME/FILE`` (or ``NISBA_CORPUS_CACHE``), when its sha256 matches;
2. a mirror directory (``NISBA_CORPUS_MIRROR``, default ``../shared/data`` beside the
   repository when it exists): ``MIRROR/NAME/FILE`` or ``MIRROR/FILE``; checked, then copied;
3. the repository's own copy (``local:`` in the registry), checked, then copied;
4. an HTTP download of ``url`` (streamed to a temporary file with a progress bar, checked,
   then renamed into place; a zip is opened and ``archive_member`` taken from it).

A checksum mismatch is an error naming the expected and actual digest and where the file came
from; nothing is cached then. Not handled here: reading the file (corpus_readers.py).

Example::

    >>> fetch_corpus("newsfane")
    PosixPath('.../.nisba/corpora/newsfane/NewsFANE_Gold_2014_170K.txt')
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


from annotation.hashing import sha256_file  # noqa: F401  (re-exported: corpora.documents, tests)
from annotation.errors import NisbaError
from annotation.yaml_files import read_yaml

REGISTRY_FORMAT_VERSION = 1
from annotation.paths import REPO_ROOT
DEFAULT_REGISTRY = REPO_ROOT / "configs" / "corpora.yaml"
MIRROR_ENV = "NISBA_CORPUS_MIRROR"
CACHE_ENV = "NISBA_CORPUS_CACHE"


@dataclass(frozen=True)
class CorpusSpec:
    """One registry entry."""

    name: str
    url: str
    file: str
    sha256: str
    license: str
    citation: str
    reader: str
    labels: dict[str, str] = field(default_factory=dict)  # fine type -> schema label
    drop: frozenset[str] = frozenset()
    tag_repairs: dict[str, str] = field(default_factory=dict)
    archive_member: str = ""
    local: str = ""
    homepage: str = ""
    description: str = ""
    # A corpus of several files (SaudiNewsNet: one zip a day): ((file name, sha256), ...), each
    # fetched like a single file, from ``url`` + the file name; ``file`` and ``sha256`` are then "".
    files: tuple[tuple[str, str], ...] = ()
    # A standoff corpus (nisba-gold) reads its text from this corpus.
    text_corpus: str = ""

    @property
    def parts(self) -> tuple[tuple[str, str], ...]:
        """Every (file name, sha256) of the corpus: one for a single-file corpus."""
        return self.files or ((self.file, self.sha256),)

    @property
    def known_types(self) -> frozenset[str]:
        """Every fine type the corpus may use: mapped or dropped."""
        return frozenset(self.labels) | self.drop


def _spec(name: str, raw: dict, where: str) -> CorpusSpec:
    if not isinstance(raw, dict):
        raise NisbaError(f"{where}: corpora.{name} must be a mapping")
    files = raw.get("files")
    if files is not None:
        if not isinstance(files, dict) or not files:
            raise NisbaError(f"{where}: corpora.{name}.files must map each file name to its sha256")
        bad = [f for f, digest in files.items() if not isinstance(digest, str) or len(digest) != 64]
        if bad:
            raise NisbaError(f"{where}: corpora.{name}.files: {bad[:3]} lack a 64-hex-digit sha256")
    standoff = bool(raw.get("text_corpus"))
    required = ("reader",) if files is not None or standoff else ("file", "sha256", "reader")
    missing = [k for k in required if not raw.get(k)]
    if missing:
        raise NisbaError(f"{where}: corpora.{name} lacks {', '.join(missing)}")
    labels: dict[str, str] = {}
    for coarse, fine_types in (raw.get("labels") or {}).items():
        for fine in fine_types or []:
            if str(fine) in labels:
                raise NisbaError(f"{where}: corpora.{name}.labels: type {fine!r} mapped to both "
                                 f"{labels[str(fine)]} and {coarse}")
            labels[str(fine)] = str(coarse)
    drop = frozenset(str(d) for d in raw.get("drop") or [])
    both = sorted(drop & set(labels))
    if both:
        raise NisbaError(f"{where}: corpora.{name}: types both mapped and dropped: {both}")
    return CorpusSpec(
        name=name,
        url=str(raw.get("url") or ""),
        file=str(raw.get("file") or ""),
        sha256=str(raw.get("sha256") or "").lower(),
        license=str(raw.get("license") or ""),
        citation=" ".join(str(raw.get("citation") or "").split()),
        reader=str(raw["reader"]),
        labels=labels,
        drop=drop,
        tag_repairs={str(k): str(v) for k, v in (raw.get("tag_repairs") or {}).items()},
        archive_member=str(raw.get("archive_member") or ""),
        local=str(raw.get("local") or ""),
        homepage=str(raw.get("homepage") or ""),
        description=" ".join(str(raw.get("description") or "").split()),
        files=tuple((str(f), str(d).lower()) for f, d in (files or {}).items()),
        text_corpus=str(raw.get("text_corpus") or ""),
    )


def load_registry(path: str | Path = DEFAULT_REGISTRY) -> dict[str, CorpusSpec]:
    """Read configs/corpora.yaml into {name: CorpusSpec}, in file order."""
    path = Path(path)
    data = read_yaml(path, "corpus registry", REGISTRY_FORMAT_VERSION, REGISTRY_FORMAT_VERSION)
    corpora = data.get("corpora") or {}
    return {str(name): _spec(str(name), raw, str(path)) for name, raw in corpora.items()}


def corpus_spec(name: str, registry: dict[str, CorpusSpec] | None = None) -> CorpusSpec:
    registry = load_registry() if registry is None else registry
    if name not in registry:
        raise NisbaError(f"unknown corpus {name!r}; registered: {', '.join(registry) or 'none'} "
                         f"(configs/corpora.yaml)")
    return registry[name]


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or REPO_ROOT / ".nisba" / "corpora")


def default_mirror() -> Path | None:
    """NISBA_CORPUS_MIRROR when set (empty string = no mirror), else ../shared/data if it exists."""
    env = os.environ.get(MIRROR_ENV)
    if env is not None:
        return Path(env) if env else None
    shared = REPO_ROOT.parent / "shared" / "data"
    return shared if shared.is_dir() else None


def _check(path: Path, spec: CorpusSpec, origin: str, expected: str | None = None) -> None:
    expected = spec.sha256 if expected is None else expected
    actual = sha256_file(path)
    if actual != expected:
        raise NisbaError(f"{origin}: sha256 mismatch for corpus {spec.name!r}: expected {expected}, "
                         f"got {actual}; the file was not cached")


def _copy_into(source: Path, target: Path) -> None:
    """Copy to a temporary file beside the target, then rename: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _download(url: str, dest: Path, progress: bool) -> None:
    """Stream url into dest (a temporary path) with a progress bar; raise NisbaError on HTTP failure."""
    import httpx

    from annotation.progress import progress_bar

    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=httpx.Timeout(30.0)) as response:
            if response.status_code != 200:
                raise NisbaError(f"{url}: HTTP {response.status_code} while downloading; "
                                 f"set {MIRROR_ENV} to a directory holding the file to work offline")
            total = int(response.headers.get("content-length") or 0) or None
            with open(dest, "wb") as fh, progress_bar(progress, unit="bytes") as bar:
                task = bar.add_task(f"download {Path(url).name}", total=total)
                for chunk in response.iter_bytes(1 << 16):
                    fh.write(chunk)
                    bar.update(task, advance=len(chunk))
    except httpx.HTTPError as exc:
        raise NisbaError(f"{url}: download failed ({type(exc).__name__}: {exc}); "
                         f"set {MIRROR_ENV} to a directory holding the file to work offline") from None


def fetch_corpus(
    name: str,
    cache_dir: str | Path | None = None,
    mirror: str | Path | None = None,
    registry: dict[str, CorpusSpec] | None = None,
    progress: bool = True,
) -> Path:
    """The path of a checked copy of corpus `name` in the cache (see the module docstring).

    For a corpus of several files (``files:`` in the registry) every file is fetched and checked,
    and the path is the cache folder holding them; ``corpus_files`` lists them.
    """
    spec = corpus_spec(name, registry)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if spec.text_corpus:
        # standoff annotations in the repository; the text comes from another corpus
        fetch_corpus(spec.text_corpus, cache_dir, mirror, registry, progress)
        return REPO_ROOT / spec.local
    if spec.files:
        base = spec.url if not spec.url or spec.url.endswith("/") else spec.url + "/"
        for file, digest in spec.files:
            _fetch_file(spec, file, digest, base + file if base else "", cache, mirror, progress)
        return cache / name
    return _fetch_file(spec, spec.file, spec.sha256, spec.url, cache, mirror, progress)


def corpus_files(name: str, registry: dict[str, CorpusSpec] | None = None, **fetch_args) -> list[Path]:
    """Checked local copies of every file of corpus `name`, in registry order."""
    spec = corpus_spec(name, registry)
    where = fetch_corpus(name, registry=registry, **fetch_args)
    if not spec.files:
        return [where]
    return [where / file for file, _ in spec.files]


def _fetch_file(spec: CorpusSpec, file: str, digest: str, url: str, cache: Path,
                mirror: str | Path | None, progress: bool) -> Path:
    name = spec.name
    target = cache / name / file
    if target.exists() and sha256_file(target) == digest:
        return target

    mirror_dir = Path(mirror) if mirror is not None else default_mirror()
    candidates = []
    if mirror_dir is not None:
        candidates += [mirror_dir / name / file, mirror_dir / file]
    if spec.local and not spec.files:
        candidates.append(REPO_ROOT / spec.local)
    for candidate in candidates:
        if candidate.is_file():
            _check(candidate, spec, str(candidate), digest)
            _copy_into(candidate, target)
            return target

    if not url:
        looked = ", ".join(str(c) for c in candidates) or "no mirror configured"
        raise NisbaError(f"corpus {name!r} has no download URL and no copy was found ({looked}); "
                         f"set {MIRROR_ENV} to a directory holding {file}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{file}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _download(url, tmp, progress)
        if spec.archive_member:
            _extract_member(tmp, spec, url)
        _check(tmp, spec, url, digest)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _extract_member(path: Path, spec: CorpusSpec, url: str) -> None:
    """Replace the downloaded zip at `path` with its member `spec.archive_member`."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            member = next((n for n in names if n == spec.archive_member or n.endswith("/" + spec.archive_member)), None)
            if member is None:
                raise NisbaError(f"{url}: archive has no {spec.archive_member!r} (holds {names[:5]})")
            data = archive.read(member)
    except zipfile.BadZipFile:
        raise NisbaError(f"{url}: expected a zip archive holding {spec.archive_member}") from None
    path.write_bytes(data)
