"""Apps named by their kind ("the browser", "the internet", "my email"): the user's default app of that kind, by
the freedesktop rules (tools/app_kinds.yaml). Linux desktops only: elsewhere no desktop entries are listed, and a
kind names nothing (an alias in desktop.app_aliases still does)."""

from __future__ import annotations

import configparser
import functools
import os
from importlib import resources
from pathlib import Path

import yaml


@functools.cache
def kinds() -> dict[str, dict[str, str]]:
    """spoken name -> {"default": mime type whose handler is the default, "category": menu category}."""
    table = yaml.safe_load(resources.files(__package__).joinpath("app_kinds.yaml").read_text(encoding="utf-8"))
    return {name: {"default": kind["default"], "category": kind["category"]}
            for kind in table.values() for name in kind["names"]}


def mimeapps_files(applications: list[Path]) -> list[Path]:
    """mimeapps.list in the order the XDG MIME Applications spec reads them: the user's config, the system's
    config, then the `applications` folders of the desktop entries (tools/apps.py's, in their order)."""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    config_dirs = os.environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(":")
    return [config_home / "mimeapps.list", *(Path(d) / "mimeapps.list" for d in config_dirs if d),
            *(d / "mimeapps.list" for d in applications)]


def default_entry(mime: str, files: list[Path]) -> str | None:
    """The desktop file id (without .desktop) that the mimeapps.list `files` make the default for `mime`, or None."""
    for f in files:
        cp = configparser.RawConfigParser(strict=False, interpolation=None, delimiters=("=",))
        cp.optionxform = str  # type: ignore[assignment,method-assign]  # mime types keep their case
        try:
            cp.read(f, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if cp.has_option("Default Applications", mime):
            for desktop_id in cp.get("Default Applications", mime).split(";"):
                if desktop_id.strip().endswith(".desktop"):
                    return desktop_id.strip().removesuffix(".desktop").lower()
    return None


def kind_entry(name: str, entries: dict[str, list[str]], categories: dict[str, list[str]],
               files: list[Path]) -> list[str] | None:
    """argv of the app the kind `name` names ("the" or "my" before it or not): the default's entry (`files`:
    mimeapps_files), else the first entry of its category."""
    words = name.split()
    kind = kinds().get(" ".join(words[1:] if words[:1] in (["the"], ["my"], ["a"]) else words))
    if kind is None:
        return None
    default = default_entry(kind["default"], files)
    if default is not None and default in entries:
        return entries[default]
    return categories.get(kind["category"].lower())
