"""The module graph: no import circles. Module-level imports anywhere in ``src/tacitus``, and, in the
layers on top (``tacitus.api``, ``tacitus.cli``), function-level imports too: the local and Ray engines
share their run loop (``api/runloop.py``) instead of importing each other, and the CLI's command modules
share ``cli/app.py`` instead of importing each other. A package's own ``__init__`` re-exporting its
modules, and a module reading ``tacitus.__version__``, are not circles."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "tacitus").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _graph(lazy_in: tuple[str, ...]) -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = list(ast.walk(tree)) if name.startswith(lazy_in) else list(tree.body)
        deps: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tacitus"):
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in mods]
                deps.update(subs or [node.module])
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("tacitus"))
        # an ancestor package's __init__ (re-exports, tacitus.__version__) is not a circle
        graph[name] = {d for d in deps if d in mods and d != name and not name.startswith(d + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, path + [nxt])
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [node])
    return found


def test_no_import_circles():
    assert _cycles(_graph(lazy_in=())) == []
    api_cli = _graph(lazy_in=("tacitus.api", "tacitus.cli"))
    circles = [c for c in _cycles(api_cli) if any(m.startswith(("tacitus.api", "tacitus.cli")) for m in c)]
    assert circles == [], circles


def test_the_detector_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
