"""No import cycle among the library's modules: a test walks the imports of every module under smartdash/.

Every import statement counts, wherever it stands: at module level, inside a function (a deferred import still
ties the two modules together, it only moves the failure to run time) and under `if TYPE_CHECKING:` (a type named
from above is a layering the type checker sees). An import of a package's name counts as an import of the
package's `__init__`; `from package import submodule` as one of the submodule (as import-linter reads them). The
readers of `smartdash.readers` are found by looking in its folder, not imported by name: that is not an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "smartdash"


def library_modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the library by dotted name: its file and whether it is a package's `__init__`."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


def imported(name: str, modules: dict[str, tuple[Path, bool]]) -> dict[str, int]:
    """The library modules `name` imports, each with the line of its first import."""
    path, is_package = modules[name]
    package = name if is_package else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source for alias in node.names]
        for target in targets:
            if target in modules and target != name:
                found.setdefault(target, node.lineno)
    return found


def import_graph() -> dict[str, dict[str, int]]:
    modules = library_modules()
    return {name: imported(name, modules) for name in sorted(modules)}


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle (a path back to its start) per strongly connected group of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm; the library is far shallower than the recursion limit
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(_path_back(graph, set(group), min(group)))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def _path_back(graph: dict[str, dict[str, int]], group: set[str], start: str) -> list[str]:
    """The shortest path from `start` back to itself inside a group of modules that import each other."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for target in sorted(graph[module]):
            if target == start:
                return [*paths[module], start]
            if target in group and target not in paths:
                paths[target] = [*paths[module], target]
                queue.append(target)
    raise AssertionError(f"{start} is in no cycle")


def described(graph: dict[str, dict[str, int]], cycle: list[str]) -> str:
    return " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)) + f" -> {cycle[-1]}"


def test_no_module_of_the_library_imports_itself_back():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(described(graph, cycle) for cycle in found)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import smartdash.b\n", ["smartdash.b"]),
        ("from smartdash import b\n", ["smartdash.b"]),
        ("from . import b\n", ["smartdash.b"]),
        ("from .b import thing\n", ["smartdash.b"]),
        ("def f():\n    from smartdash.b import thing\n", ["smartdash.b"]),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from smartdash.b import Thing\n", ["smartdash.b"]),
        ("import os\nfrom pathlib import Path\n", []),
    ],
)
def test_the_walk_sees_every_form_of_import(tmp_path, source, expected):
    package = tmp_path / "smartdash"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text(source, encoding="utf-8")
    (package / "b.py").write_text("", encoding="utf-8")
    modules = {
        "smartdash": (package / "__init__.py", True),
        "smartdash.a": (package / "a.py", False),
        "smartdash.b": (package / "b.py", False),
    }
    assert sorted(imported("smartdash.a", modules)) == expected


def test_a_cycle_is_found_and_named():
    graph = {"p.a": {"p.b": 3}, "p.b": {"p.c": 5}, "p.c": {"p.a": 7}, "p.d": {"p.a": 1}}
    [cycle] = cycles(graph)
    assert cycle == ["p.a", "p.b", "p.c", "p.a"]
    assert described(graph, cycle) == "p.a (line 3) -> p.b (line 5) -> p.c (line 7) -> p.a"
