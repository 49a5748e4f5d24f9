"""The layout's import rule, read from the code's own import statements (every one, top-level or
inside a function):

- ``training`` may import ``annotation``;
- ``annotation`` imports ``training`` only from ``annotation/commands/``;
- no module imports, directly or through others, a module that imports it back;
- only ``annotation/labelstudio/`` imports ``label_studio_sdk``, and ``httpx`` (save the corpus
  registry's download of corpus files from their public URLs, which talks to no Label Studio).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("annotation", "training")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every module named by an import statement in the file (``from a import b`` gives a.b when a.b is a module)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
    return out


def _internal_edges() -> dict[str, set[str]]:
    edges = {}
    for name, path in MODULES.items():
        targets = set()
        for imported in _imports(path):
            # a module's import also runs its packages' __init__ files, which hold no imports here
            if imported in MODULES and imported != name:
                targets.add(imported)
        edges[name] = targets
    return edges


def test_import_rule_sees_the_packages():
    assert "annotation.commands.predict" in MODULES and "training.predict.tagger" in MODULES
    assert "annotation.convert.regions" in _internal_edges()["training.predict.base"]


def test_annotation_imports_training_only_from_commands():
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items()
                       if name.startswith("annotation") and not name.startswith("annotation.commands")
                       for imported in _imports(path) if imported.split(".")[0] == "training")
    assert offenders == []


def test_only_the_labelstudio_package_imports_the_sdk():
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items()
                       if not name.startswith("annotation.labelstudio")
                       for imported in _imports(path) if imported.split(".")[0] == "label_studio_sdk")
    assert offenders == []


# httpx outside annotation/labelstudio/, each with why: no call to Label Studio
HTTPX_ELSEWHERE = {"annotation.corpora.registry": "downloads corpus files from their public URLs"}


def test_only_the_labelstudio_package_imports_httpx():
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items()
                       if not name.startswith("annotation.labelstudio") and name not in HTTPX_ELSEWHERE
                       for imported in _imports(path) if imported.split(".")[0] == "httpx")
    assert offenders == []
    assert all(any(i.split(".")[0] == "httpx" for i in _imports(MODULES[name])) for name in HTTPX_ELSEWHERE)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles():
    assert _cycles(_internal_edges()) == []


def test_cycle_finder_finds_a_circle_hidden_in_a_function():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", ["annotation.text", "annotation.convert", "annotation.schema"])
def test_shared_stages_import_no_later_stage(package):
    later = ("annotation.dataset", "annotation.loop", "annotation.commands", "annotation.labelstudio", "training")
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items() if name.startswith(package)
                       for imported in _imports(path) if imported.startswith(later))
    assert offenders == []
