""""what can I say": a short, grouped list of the commands that fit the active window.

The groups are data (agent/interpret/help.yaml); a group may be shown only in a command window (a
terminal, by `policy.command_windows`) or only elsewhere. The user's macros come last, by name.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from voxctl.tools.desktop import Window
from voxctl.tools.submission import is_command_window

HELP_PATH = Path(__file__).with_name("interpret") / "help.yaml"
MAX_MACROS = 8


@functools.cache
def groups() -> list[dict[str, Any]]:
    return list(yaml.safe_load(HELP_PATH.read_text(encoding="utf-8"))["groups"])


def commands_for(session: Any, window: Window | None) -> str:
    """The answer, one line per group: "windows: maximize the window, minimize this, ..."."""
    terminal = window is not None and is_command_window(window, session.config.policy.command_windows)
    where = "terminal" if terminal else "other"
    lines = [f"{g['name']}: {', '.join(g['say'])}" for g in groups() if g.get("in", where) == where]
    names = session.macros.phrases()[:MAX_MACROS]
    if names:
        lines.append("your macros: " + ", ".join(names))
    head = f"In {window.title!r} you can say:" if window is not None and window.title else "You can say:"
    return "\n".join([head, *(f"  {line}" for line in lines)])
