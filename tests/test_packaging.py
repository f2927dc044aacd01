"""What pip installs: everything under the one name `voxctl`, no global `agent`/`tools`/`prompts`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_installed_under_voxctl():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {".".join(("voxctl", *p.parent.relative_to(ROOT).parts))
               for top in ("agent", "tools", "prompts") for p in (ROOT / top).rglob("__init__.py")}
    assert set(cfg["packages"]) == folders  # a new subpackage must be listed, or pip leaves it out
    assert all(name.startswith("voxctl.") for name in cfg["packages"])


def test_the_installed_names_are_voxctl_only(tmp_path):
    """Outside the source folder, `voxctl.agent` imports and the global names are not claimed."""
    code = ("import importlib.util as u, sys; import voxctl.agent.cli, voxctl.tools.registry, voxctl.prompts;"
            "print([n for n in ('agent', 'tools', 'prompts') if u.find_spec(n) is not None])")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
    assert importlib.util.find_spec("voxctl.agent.interpret.grammar") is not None


def test_the_console_script_runs():
    exe = Path(sys.executable).with_name("voxctl")
    r = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "voxctl" in r.stdout


def _declared_closure() -> set[str]:
    """Distributions setup.sh installs: `.[test,serve]` with what they require, and its `--no-deps` packages."""
    import importlib.metadata as md
    import re

    proj = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(proj["dependencies"]) + [r for extra in proj["optional-dependencies"].values() for r in extra]
    # setup.sh installs these `--no-deps`: they count, what they declare does not (it is not installed).
    no_deps = re.findall(r"--no-deps \"?([A-Za-z0-9_.-]+)", (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8"))
    name = re.compile(r"[A-Za-z0-9_.-]+")
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    todo, seen = [name.match(r).group(0) for r in reqs], {norm(n) for n in no_deps}
    while todo:
        dist = norm(todo.pop())
        if dist in seen:
            continue
        seen.add(dist)
        try:
            requires = md.requires(dist) or []
        except md.PackageNotFoundError:
            continue
        todo += [name.match(r).group(0) for r in requires if "extra ==" not in r]
    return seen


def test_every_third_party_import_is_declared():
    """A module imported anywhere in the code or tests comes from a declared distribution (or one it
    requires): an import that works here only because something else put it in this venv fails on CI's
    fresh machine (scipy did, for tools/elements.py)."""
    import ast
    import importlib.metadata as md
    import re

    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    provided = {mod: {norm(d) for d in dists} for mod, dists in md.packages_distributions().items()}
    declared = _declared_closure()
    stdlib = set(sys.stdlib_module_names) | {"voxctl", "tests", "conftest", "__future__"}
    tops = ("agent", "tools", "prompts", "tests", "bench", "scripts")
    files = [p for top in tops for p in (ROOT / top).rglob("*.py")]
    local = {p.stem for p in files} | set(tops)  # sibling modules (tests/apps run as scripts)
    missing = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                head = mod.split(".")[0]
                if head in stdlib or head in local or head not in provided:
                    continue  # platform-only modules (win32, AppKit) are not installed here at all
                if not provided[head] & declared:
                    missing.setdefault(head, path.relative_to(ROOT).as_posix())
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
