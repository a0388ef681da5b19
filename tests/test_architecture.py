"""The package map holds: stages import only stages below them, no import cycle, small folders.

Stages, lowest first: ``errors`` < ``record`` < ``ledger`` < ``check`` < ``intake`` < ``site`` < ``cli``.
Imports inside ``if TYPE_CHECKING:`` are annotations only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.records import ROOT

PACKAGE = ROOT / "sillok"
STAGES = ["errors", "record", "ledger", "check", "intake", "site", "cli"]
"""Lowest first. ``sillok/__init__`` and ``__main__`` stand outside the order."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every sillok module this file imports, at any depth, except under ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("sillok"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("sillok"))
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_no_import_from_a_higher_stage():
    wrong = []
    for module, imported in _graph().items():
        for other in imported:
            mine, theirs = _stage(module), _stage(other)
            if mine is not None and theirs is not None and theirs > mine:
                wrong.append(f"{module} imports {other}")
    assert not wrong, "a stage imports a stage above it:\n" + "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph = _graph()
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_folder_holds_more_than_15_modules():
    big = {
        folder.relative_to(ROOT).as_posix(): n
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]
        if (n := len(list(folder.glob("*.py")))) > 15
    }
    assert not big, f"folders with more than 15 modules: {big}"


def test_the_architecture_test_sees_a_cycle(tmp_path, monkeypatch):
    """The cycle finder is not vacuous: two modules importing each other are one cycle."""
    for name, other in (("a", "b"), ("b", "a")):
        (tmp_path / "sillok").mkdir(exist_ok=True)
        (tmp_path / "sillok" / f"{name}.py").write_text(f"from sillok import {other}\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "sillok")
    try:
        test_no_import_cycle()
    except AssertionError as exc:
        assert "sillok.a -> sillok.b -> sillok.a" in str(exc)
    else:
        raise AssertionError("a cycle went unseen")


def test_every_refusal_is_a_kind_of_usage_error_or_problems_found():
    """One error model: no exception class in sillok/ outside the SillokError tree (sillok/errors.py)."""
    import importlib
    import inspect

    from sillok.errors import ProblemsFound, UsageError

    stray = []
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        if name.endswith(".plugin") or name == "sillok.__main__":
            continue
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, BaseException) or name == "sillok.errors":
                continue
            if not issubclass(cls, (UsageError, ProblemsFound)):
                stray.append(f"{name}.{cls_name}")
    assert not stray, "exceptions outside the error model (subclass UsageError or ProblemsFound):\n" + "\n".join(stray)


def test_the_architecture_page_maps_every_module():
    """guide/architecture.md's package map names every module (a new module is placed on the map)."""
    page = (ROOT / "guide" / "architecture.md").read_text("utf-8")
    package_map = page[page.index("```") : page.index("```", page.index("```") + 3)]
    unmapped = [
        path.relative_to(ROOT).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in ("__init__.py", "__main__.py") and path.name not in package_map
    ]
    assert not unmapped, f"modules missing from guide/architecture.md's package map: {unmapped}"
