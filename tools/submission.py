"""What "a line is submitted in a command-executing window" means: the one definition that the policy
(before a plan runs, agent/policy.py) and the guard (as each primitive runs, tools/guard.py) both judge.

A line is submitted by any primitive whose effect can hand the program in the window a line to run:
- a key chord that fires Enter with any modifiers (shift+enter, ctrl+enter and win+enter all reach a shell
  in xterm as Return), or Ctrl held with M (carriage return), J (line feed) or O (bash: run the line and
  fetch the next), whatever other modifiers are held; measured in a real xterm with bash and dash;
- text that holds a line break (\\n, \\r, or any other character `str.splitlines` breaks on);
- a paste (shift+insert, ctrl+shift+v, ctrl+v, or a middle click, which pastes the X selection): what
  the clipboard will hold when the keys land cannot be known before, so every paste counts.

A command-executing window is one whose WM_CLASS (instance or class) or title matches one of
`policy.command_windows` (regular expressions, searched case-insensitively): the real window, never the
title someone said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from voxctl.tools.desktop import Window
from voxctl.tools.keys import fired_chords, fires

# Enter submits with any modifiers held. (alt+enter did not in xterm, which sends meta-return; terminals that
# send ESC then Return do submit to a shell without line editing, so alt counts too.)
_ENTER = frozenset({"enter"})
# Keys that submit while ctrl is held: the terminal turns them into control characters that end the line.
_CTRL_SUBMIT = frozenset({"m", "j", "o"})
PASTE_CHORDS: tuple[tuple[str, ...], ...] = (
    ("shift", "insert"), ("ctrl", "shift", "v"), ("ctrl", "v"), ("ctrl", "shift", "insert"),
)


def chord_submits(keys: Sequence[str]) -> str | None:
    """Why pressing `keys` (in order, as the desktop does) submits a line, or None when it does not."""
    for k, mods in fired_chords(keys):
        if k in _ENTER:
            return f"{'+'.join([*sorted(mods), k])} submits a line"
        if k in _CTRL_SUBMIT and "ctrl" in mods:
            return f"{'+'.join([*sorted(mods), k])} submits a line (it is a control character ending the line)"
    for paste in PASTE_CHORDS:
        if fires(keys, frozenset(paste)):
            return f"{'+'.join(paste)} pastes, and what is pasted may end in a new line"
    return None


def text_submits(text: str) -> str | None:
    if len(f"x{text}x".splitlines()) > 1:  # every line boundary str.splitlines knows, at either end too
        return "the text holds a line break"
    return None


def click_submits(button: str) -> str | None:
    return "a middle click pastes the X selection, which may end in a new line" if button == "middle" else None


def primitive_submits(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> str | None:
    """Why a desktop primitive (as the guard sees it: name, positional and keyword arguments) submits a line."""
    if name == "press":
        keys = args[0] if args else kwargs.get("keys", ())
        return chord_submits(list(keys))
    if name == "type_text":
        text = args[0] if args else kwargs.get("text", "")
        return text_submits(str(text))
    if name == "click":
        button = args[2] if len(args) > 2 else kwargs.get("button", "left")
        return click_submits(str(button))
    return None


def is_command_window(window: Window, patterns: Iterable[str]) -> bool:
    """Whether `window` runs commands: its WM_CLASS or its title matches one of `patterns`."""
    names = [window.title, *window.wm_class]
    return any(re.search(p, n, re.IGNORECASE) for p in patterns for n in names if n)


def describe(window: Window) -> str:
    kind = f" ({window.wm_class[-1]})" if window.wm_class else ""
    return f"{window.title!r}{kind}"
