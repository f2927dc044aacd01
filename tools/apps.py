"""App tools: start an application by the name a person would say."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field

from voxctl.tools.app_kinds import kind_entry, mimeapps_files
from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail


class OpenApp(Args):
    """Start an application by its name as a person says it ("terminal", "firefox", "text editor"), or by its
    kind ("browser", "internet", "email": the user's default app of that kind, tools/app_kinds.yaml)."""

    name: str = Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f]+$")


def _desktop_dirs() -> list[Path]:
    data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
    return [data_home / "applications", *(Path(d) / "applications" for d in data_dirs if d)]


def app_folders() -> list[Path]:
    """Every folder resolve_app looks in: what it finds changes only when one of these does."""
    path = os.environ.get("PATH", os.defpath).split(os.pathsep)
    return [*_desktop_dirs(), *(Path(d) for d in path if d)]


def _desktop_entries() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Map of lowercased Name=, file stem, GenericName= and program -> argv, from the freedesktop .desktop files;
    and of lowercased menu category (Categories=) -> argv of its first entry."""
    found: dict[str, list[str]] = {}
    categories: dict[str, list[str]] = {}
    for d in _desktop_dirs():
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.desktop")):
            cp = configparser.RawConfigParser(strict=False, interpolation=None)
            try:
                cp.read(f, encoding="utf-8")
                entry = cp["Desktop Entry"]
            except (configparser.Error, KeyError, UnicodeDecodeError):
                continue
            if entry.get("NoDisplay", "false").lower() == "true" or "Exec" not in entry:
                continue
            # Field codes (%f, %U, ...) stand for files to open; we open none.
            argv = [a for a in shlex.split(entry["Exec"]) if not (len(a) == 2 and a.startswith("%"))]
            if not argv:
                continue
            # the program too ("gedit" is org.gnome.gedit.desktop, Name "Text Editor")
            for key in (entry.get("Name", ""), f.stem, entry.get("GenericName", ""), os.path.basename(argv[0])):
                if key:
                    found.setdefault(key.lower(), argv)
            for category in entry.get("Categories", "").split(";"):
                if category.strip():
                    categories.setdefault(category.strip().lower(), argv)
    return found, categories


def _system_program(path: str) -> bool:
    """A program in a system administration folder (sbin: shutdown, reboot, mkfs, ...): never an app to open."""
    return any(part == "sbin" for part in Path(os.path.realpath(path)).parts)


def resolve_app(name: str, aliases: Mapping[str, str], listed_only: bool = False) -> list[str] | None:
    """argv to start `name`: a configured alias first, then a desktop entry, then a program on PATH that is not
    a system program (sbin: "start reboot" was /usr/sbin/reboot, run at once). `listed_only`: an alias or a
    desktop entry only, where the platform lists its apps in desktop entries (Linux): what is said aloud."""
    return _resolve(name, aliases, listed_only)[0]


def how_resolved(name: str, aliases: Mapping[str, str]) -> str | None:
    """How `name` resolves: "alias", "entry" (a desktop entry), "path" (a program on PATH alone), or None."""
    return _resolve(name, aliases, False)[1]


# What a name resolves to past the aliases, while the folders looked in stay as they were (each lookup reads every
# .desktop file; the grammar, the policy's risk and the tool each ask): an app installed during a session is
# found at once, not after a restart.
_FOUND: dict[tuple[str, bool], tuple[list[str] | None, str | None]] = {}
_LOOKED_IN: list[tuple[str, int]] = []


def _stamp(folder: Path) -> int:
    """When `folder` last changed (a program or an entry added, removed or renamed); -1: no such folder."""
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1


def _resolve(name: str, aliases: Mapping[str, str], listed_only: bool) -> tuple[list[str] | None, str | None]:
    key = " ".join(name.lower().split())
    lowered = {k.lower(): v for k, v in aliases.items()}
    for cand in (key, key.removesuffix(" app"), key.replace(" ", "-"), key.replace(" ", "")):
        if cand in lowered:
            return shlex.split(lowered[cand]), "alias"
    looked_in = [(str(d), _stamp(d)) for d in [*app_folders(), *mimeapps_files(_desktop_dirs())]]  # kinds' defaults too
    if looked_in != _LOOKED_IN or len(_FOUND) >= 1024:
        _FOUND.clear()
        _LOOKED_IN[:] = looked_in
    if (key, listed_only) not in _FOUND:
        _FOUND[(key, listed_only)] = _installed(key, listed_only)
    argv, how = _FOUND[(key, listed_only)]
    return (list(argv) if argv else None), how


def _installed(key: str, listed_only: bool) -> tuple[list[str] | None, str | None]:
    """A desktop entry for `key`, else a program on PATH that is not a system program (unless `listed_only`
    where the platform lists its apps in desktop entries)."""
    entries, categories = _desktop_entries()
    listed = listed_only and any(d.is_dir() for d in _desktop_dirs())
    for cand in (key, key.replace(" ", "-"), key.replace(" ", "")):
        if cand in entries:
            return entries[cand], "entry"
        if not listed and (found := shutil.which(cand)) and not _system_program(found):
            return [cand], "path"
    if (argv := kind_entry(key, entries, categories, mimeapps_files(_desktop_dirs()))) is not None:  # "the browser"
        return argv, "entry"
    return None, None


def assess_open(a: OpenApp) -> Risk:
    """A program that only PATH knows (no alias, no desktop entry) may be anything a program can be: it asks."""
    return Risk.HIGH if how_resolved(a.name, {}) == "path" else Risk.MEDIUM


def run_open(a: OpenApp, ctx: ToolContext) -> Outcome:
    argv = resolve_app(a.name, ctx.app_aliases)
    if argv is None:
        return fail("open_app", f"no application called {a.name!r} (not an alias, desktop entry or program; "
                                "system programs are not started)")
    pid = ctx.desktop.launch(argv)
    return ToolResult("open_app", f"started {' '.join(argv)} (pid {pid})", {"pid": pid, "argv": argv})


SPECS = (
    ToolSpec("open_app", OpenApp, Risk.MEDIUM, run_open, family="apps", examples=("open firefox",), assess=assess_open,
             describe=lambda a: f"open {a.name!r}", primitives=frozenset({"launch"}),
             open_slots={"name": "app"}),
)
