"""Fetching corpora: a real HTTP server on 127.0.0.1 serving a temporary directory, a tiny registry."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile
from functools import partial

import pytest
from typer.testing import CliRunner

from annotation.corpora.registry import CorpusSpec, fetch_corpus, load_registry
from annotation.errors import NisbaError

CONTENT = "محمد B-PER\nفي O\nالقاهرة B-LOC\n".encode("utf-8")
SHA = hashlib.sha256(CONTENT).hexdigest()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def http_dir(tmp_path):
    """(served directory, base URL, list of requested paths) for a server on a free local port."""
    served = tmp_path / "www"
    served.mkdir()
    requests: list[str] = []

    class Handler(_Handler):
        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def tiny_registry(url: str, sha: str = SHA, member: str = "") -> dict[str, CorpusSpec]:
    return {"tiny": CorpusSpec(name="tiny", url=url, file="tiny.txt", sha256=sha, license="CC0",
                               citation="nobody", reader="aqmar", labels={"PER": "PER"},
                               archive_member=member)}


def test_download_over_http_is_checked_and_cached(http_dir, tmp_path):
    served, base, requests = http_dir
    (served / "tiny.txt").write_bytes(CONTENT)
    path = fetch_corpus("tiny", cache_dir=tmp_path / "cache", mirror=tmp_path / "no-mirror",
                        registry=tiny_registry(f"{base}/tiny.txt"), progress=False)
    assert path == tmp_path / "cache" / "tiny" / "tiny.txt"
    assert path.read_bytes() == CONTENT
    assert requests == ["/tiny.txt"]
    assert [p.name for p in path.parent.iterdir()] == ["tiny.txt"]  # no temporary file left


def test_checksum_mismatch_is_refused_and_nothing_cached(http_dir, tmp_path):
    served, base, _ = http_dir
    (served / "tiny.txt").write_bytes(CONTENT + b"tampered O\n")
    url = f"{base}/tiny.txt"
    with pytest.raises(NisbaError) as err:
        fetch_corpus("tiny", cache_dir=tmp_path / "cache", mirror=tmp_path / "no-mirror",
                     registry=tiny_registry(url), progress=False)
    message = str(err.value)
    assert url in message and SHA in message
    assert hashlib.sha256(CONTENT + b"tampered O\n").hexdigest() in message
    assert not any((tmp_path / "cache" / "tiny").iterdir())


def test_cache_hit_makes_no_request(http_dir, tmp_path):
    served, base, requests = http_dir
    (served / "tiny.txt").write_bytes(CONTENT)
    registry = tiny_registry(f"{base}/tiny.txt")
    kwargs = dict(cache_dir=tmp_path / "cache", mirror=tmp_path / "no-mirror", registry=registry, progress=False)
    first = fetch_corpus("tiny", **kwargs)
    second = fetch_corpus("tiny", **kwargs)
    assert first == second and requests == ["/tiny.txt"]


def test_corrupt_cache_is_fetched_again(http_dir, tmp_path):
    served, base, requests = http_dir
    (served / "tiny.txt").write_bytes(CONTENT)
    (tmp_path / "cache" / "tiny").mkdir(parents=True)
    (tmp_path / "cache" / "tiny" / "tiny.txt").write_bytes(b"half a fi")
    path = fetch_corpus("tiny", cache_dir=tmp_path / "cache", mirror=tmp_path / "no-mirror",
                        registry=tiny_registry(f"{base}/tiny.txt"), progress=False)
    assert path.read_bytes() == CONTENT and requests == ["/tiny.txt"]


@pytest.mark.parametrize("layout", ["mirror/tiny/tiny.txt", "mirror/tiny.txt"])
def test_mirror_stands_in_offline(tmp_path, layout):
    mirrored = tmp_path / layout
    mirrored.parent.mkdir(parents=True)
    mirrored.write_bytes(CONTENT)
    # port 9 on 127.0.0.1: nothing listens, so any attempt to download would fail
    path = fetch_corpus("tiny", cache_dir=tmp_path / "cache", mirror=tmp_path / "mirror",
                        registry=tiny_registry("http://127.0.0.1:9/tiny.txt"), progress=False)
    assert path.read_bytes() == CONTENT and path.parent == tmp_path / "cache" / "tiny"


def test_mirror_from_environment_variable(tmp_path, monkeypatch):
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / "tiny.txt").write_bytes(CONTENT)
    monkeypatch.setenv("NISBA_CORPUS_MIRROR", str(tmp_path / "mirror"))
    path = fetch_corpus("tiny", cache_dir=tmp_path / "cache",
                        registry=tiny_registry("http://127.0.0.1:9/tiny.txt"), progress=False)
    assert path.read_bytes() == CONTENT


def test_unreachable_url_without_mirror_names_url_and_mirror_variable(tmp_path):
    url = "http://127.0.0.1:9/tiny.txt"
    with pytest.raises(NisbaError, match="NISBA_CORPUS_MIRROR") as err:
        fetch_corpus("tiny", cache_dir=tmp_path / "cache", mirror=tmp_path / "no-mirror",
                     registry=tiny_registry(url), progress=False)
    assert url in str(err.value)


def test_zip_download_takes_the_named_member(http_dir, tmp_path):
    served, base, _ = http_dir
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("corpus-1.0/tiny.txt", CONTENT)
        archive.writestr("corpus-1.0/README", "read me")
    (served / "corpus.zip").write_bytes(buf.getvalue())
    path = fetch_corpus("tiny", cache_dir=tmp_path / "cache", mirror=tmp_path / "no-mirror",
                        registry=tiny_registry(f"{base}/corpus.zip", member="tiny.txt"), progress=False)
    assert path.read_bytes() == CONTENT


def test_registry_checksums_match_the_shared_files():
    from annotation.corpora.registry import default_mirror, sha256_file

    mirror = default_mirror()
    if mirror is None:
        pytest.skip("no corpus mirror on this machine")
    checked = 0
    for spec in load_registry().values():
        for file, digest in spec.parts if not spec.text_corpus else ():
            path = mirror / spec.name / file
            if path.is_file():
                assert sha256_file(path) == digest, f"{spec.name}/{file}"
                checked += 1
    assert checked >= 17 + 2  # SaudiNewsNet's 17 daily zips, NewsFANE and AQMAR


def test_data_get_prints_path_license_and_citation(tmp_path, monkeypatch):
    from annotation.cli import app

    monkeypatch.setenv("NISBA_CORPUS_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, ["data", "get", "seed"])
    assert result.exit_code == 0, result.output
    assert f"path: {tmp_path / 'cache' / 'seed' / 'syria-talks-2017.txt'}" in result.output
    assert "license:" in result.output and "citation:" in result.output


def test_data_get_unknown_corpus_exits_1_naming_the_registered_ones():
    from annotation.cli import app

    result = CliRunner().invoke(app, ["data", "get", "nope"])
    assert result.exit_code == 1
    assert "unknown corpus 'nope'" in result.output and "newsfane" in result.output


def test_data_list_shows_every_registered_corpus():
    from annotation.cli import app

    result = CliRunner().invoke(app, ["data", "list"])
    assert result.exit_code == 0, result.output
    for name in ("newsfane", "aqmar", "seed"):
        assert name in result.output


def test_data_list_with_a_missing_registry_file_is_an_error_naming_it(tmp_path):
    from typer.testing import CliRunner

    from annotation.cli import app

    missing = tmp_path / "no-such-corpora.yaml"
    result = CliRunner().invoke(app, ["data", "list", "--registry", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}: corpus registry not found" in result.output
