"""The layout of okrtool/ stays readable: no import cycle, no module past 600 lines, no private
name used across modules, a docstring at the top of every module (issue 16)."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import okrtool

PACKAGE = Path(okrtool.__file__).parent
ROOT = PACKAGE.parent
#: A module longer than this is past one sitting (templates are not modules and are not counted).
MAX_LINES = 600


def module_name(path: Path) -> str:
    """okrtool/io/dataset.py -> okrtool.io.dataset; okrtool/rules/__init__.py -> okrtool.rules."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of okrtool/ by its dotted name (templates hold no Python)."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Import:
    """One okrtool module importing another (or a name from it), at a line of its file."""

    importer: str
    imported: str
    name: str  # the name taken from ``imported`` ("" for ``import okrtool.x``)
    line: int


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every import of an okrtool module in ``path``, at module level or inside a function
    (a function-level import still makes the two modules depend on each other).
    ``from okrtool.x import y`` imports module okrtool.x.y when y is a submodule, else okrtool.x;
    ``y.z``, with y such a module, takes the name z from it as an import would."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    bound: dict[str, str] = {}  # a name of this file bound to an okrtool module (``x`` in x._y)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield Import(name, alias.name, "", node.lineno)
                    if alias.asname:
                        bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base != "okrtool" and not base.startswith("okrtool."):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    yield Import(name, sub, "", node.lineno)
                    bound[alias.asname or alias.name] = sub
                else:
                    yield Import(name, base, alias.name, node.lineno)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
        ):
            yield Import(name, bound[node.value.id], node.attr, node.lineno)


def all_imports() -> list[Import]:
    known = modules()
    return [i for name, path in known.items() for i in imports(name, path, known)]


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``graph``, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def one_cycle(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest cycle through the first module of ``component``, as the modules along it."""
    start = component[0]
    inside = set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & inside):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    following.append(w)
        frontier = following
    return [start]


def cycles(found: list[Import]) -> list[str]:
    """Each import cycle, as 'a (line n) -> b (line m) -> a'."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    lines: dict[tuple[str, str], int] = {}
    for i in found:
        if i.imported != i.importer:
            graph[i.importer].add(i.imported)
            lines.setdefault((i.importer, i.imported), i.line)
    out = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        path = one_cycle(component, graph)
        steps = [f"{a} (line {lines[(a, b)]})" for a, b in itertools.pairwise(path)]
        out.append(" -> ".join([*steps, path[-1]]))
    return out


def test_the_import_graph_has_no_cycle() -> None:
    found = cycles(all_imports())
    assert found == [], "import cycles in okrtool/ (break each):\n" + "\n".join(found)


def test_no_module_is_over_600_lines() -> None:
    long = [
        f"{shown(path)}: {n} lines"
        for path in modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == [], f"modules over {MAX_LINES} lines (split them):\n" + "\n".join(long)


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_name_is_imported_from_another_module() -> None:
    known = modules()
    bad = [
        f"{shown(known[i.importer])}:{i.line}: {i.name} from {i.imported}"
        for i in all_imports()
        if private(i.name) and i.imported != i.importer
    ]
    assert bad == [], (
        "private names imported across modules (make them public, or move them):\n" + "\n".join(bad)
    )


def test_the_private_name_check_sees_function_level_imports(tmp_path: Path) -> None:
    known = {"okrtool.a": tmp_path / "a.py", "okrtool.b": tmp_path / "b.py"}
    known["okrtool.a"].write_text(
        '"""A."""\n\n\ndef f():\n    from okrtool.b import _g, h\n\n    return _g, h\n'
    )
    found = list(imports("okrtool.a", known["okrtool.a"], known))
    assert found == [
        Import("okrtool.a", "okrtool.b", "_g", 5),
        Import("okrtool.a", "okrtool.b", "h", 5),
    ]


def test_the_private_name_check_sees_a_name_taken_from_an_imported_module(
    tmp_path: Path,
) -> None:
    known = {"okrtool.a": tmp_path / "a.py", "okrtool.io.b": tmp_path / "b.py"}
    known["okrtool.a"].write_text('"""A."""\n\nfrom okrtool.io import b\n\nX = b._g\n')
    found = list(imports("okrtool.a", known["okrtool.a"], known))
    assert found == [
        Import("okrtool.a", "okrtool.io.b", "", 3),
        Import("okrtool.a", "okrtool.io.b", "_g", 5),
    ]


def test_a_cycle_is_named_with_its_lines() -> None:
    graph = {"okrtool.a": {"okrtool.b"}, "okrtool.b": {"okrtool.c"}, "okrtool.c": {"okrtool.a"}}
    assert strongly_connected(graph) == [["okrtool.a", "okrtool.b", "okrtool.c"]]
    assert one_cycle(["okrtool.a", "okrtool.b", "okrtool.c"], graph) == [
        "okrtool.a",
        "okrtool.b",
        "okrtool.c",
        "okrtool.a",
    ]


def test_every_module_has_a_docstring() -> None:
    bare = [
        shown(path)
        for path in modules().values()
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert bare == [], "modules without a docstring at the top:\n" + "\n".join(bare)
