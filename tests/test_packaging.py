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
