"""The layers, checked on the source: every module of agent/, tools/ and prompts/ imports cleanly, tools/
never imports agent/ (not even lazily inside a function), and module-level imports form no cycle.

The graph is read with `ast`, not by importing: an edge is an `import` statement at module level (also
inside a top-level `try`/`if`, but not under `if TYPE_CHECKING:`, which never runs), pointing at the
project module it names (`from voxctl.agent.interpret import grammar` points at the submodule).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agent", "tools", "prompts")  # the folders; installed as voxctl.<folder>


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[f"voxctl.{name}"] = path  # installed under one name: voxctl.agent, voxctl.tools, voxctl.prompts
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    """The project modules one import statement loads."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative: resolve against this module's package
            pkg = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
            pkg = pkg[: len(pkg) - (node.level - 1)]
            base = ".".join([*pkg, base] if base else pkg)
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    out = []
    for name in names:
        while name and name not in MODULES:  # `import agent.interpret.grammar as g`, or an attribute
            name = name.rpartition(".")[0]
        if name:
            out.append(name)
    return out


def _imports(module: str, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update(_targets(node, module))
            elif isinstance(node, ast.If):
                if not _is_type_checking(node):
                    walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                walk(node.body)
                for h in node.handlers:
                    walk(h.body)
                walk(node.orelse)
                walk(node.finalbody)
            elif isinstance(node, (ast.With,)):
                walk(node.body)

    if top_level_only:
        walk(tree.body)
    else:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update(_targets(node, module))
    found.discard(module)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
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
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_walk_finds_the_packages_and_their_edges() -> None:
    assert {"voxctl.agent", "voxctl.tools", "voxctl.prompts", "voxctl.agent.interpret.grammar", "voxctl.tools.registry"} <= set(MODULES)
    assert "voxctl.agent.interpret.chain" in _imports("voxctl.agent.interpret.grammar", top_level_only=True)
    assert "voxctl.tools.registry" in _imports("voxctl.agent.interpret.grammar", top_level_only=True)
    # The cycle finder finds a cycle.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.endswith("__main__")))  # that one runs
def test_module_imports(module: str) -> None:
    importlib.import_module(module)


def test_tools_never_import_agent() -> None:
    bad = {m: sorted(t for t in _imports(m, top_level_only=False) if t.split(".")[1] == "agent")
           for m in MODULES if m.split(".")[1] == "tools"}
    assert {m: t for m, t in bad.items() if t} == {}


def test_no_calls_up_the_layers() -> None:
    """Lazy imports included: the chain parser never sees the interpreter, model loading never imports the
    audio-model table (that one builds on it), the recogniser's vocabulary never imports the wiring."""
    def all_imports(m: str) -> set[str]:
        return _imports(m, top_level_only=False)

    assert "voxctl.agent.interpret.grammar" not in all_imports("voxctl.agent.interpret.chain")
    assert "voxctl.agent.interpret.audio_models" not in all_imports("voxctl.agent.interpret.llm_loading")
    assert not {m for m in all_imports("voxctl.agent.listen.vocabulary") if m.startswith("voxctl.agent.")}


def test_no_import_cycles() -> None:
    graph = {m: _imports(m, top_level_only=True) for m in MODULES}
    assert _cycles(graph) == []
