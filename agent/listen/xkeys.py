"""Keys as the X key grabber (agent/listen/xgrab.py) sees them: canonical key names and X keysyms, the
lock-modifier combinations a grab must cover, which device is XTEST's, and the `KeyEvent` handed to
`on_key`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

# Canonical key names (tools/keys.py) -> X keysym names: the one table the grabber needs.
KEYSYMS: dict[str, tuple[str, ...]] = {
    "ctrl": ("Control_L", "Control_R"), "alt": ("Alt_L", "Alt_R", "Meta_L", "Meta_R"),
    "shift": ("Shift_L", "Shift_R"), "win": ("Super_L", "Super_R"),
    "enter": ("Return", "KP_Enter"), "tab": ("Tab",), "escape": ("Escape",), "backspace": ("BackSpace",),
    "delete": ("Delete",), "space": ("space",), "up": ("Up",), "down": ("Down",), "left": ("Left",),
    "right": ("Right",), "home": ("Home",), "end": ("End",), "pageup": ("Prior",), "pagedown": ("Next",),
    "insert": ("Insert",), "capslock": ("Caps_Lock",), "printscreen": ("Print",), "menu": ("Menu",),
    "minus": ("minus",), "plus": ("plus",), "equals": ("equal",), "comma": ("comma",), "period": ("period",),
    "slash": ("slash",), "backslash": ("backslash",), "semicolon": ("semicolon",), "quote": ("apostrophe",),
    "backtick": ("grave",), "leftbracket": ("bracketleft",), "rightbracket": ("bracketright",),
    **{f"f{i}": (f"F{i}",) for i in range(1, 13)},
}
MODIFIER_KEYS = ("ctrl", "alt", "shift", "win")
XTEST_MARK = "XTEST"  # the X server names its synthetic devices "Virtual core XTEST keyboard/pointer"


@dataclass(frozen=True)
class KeyEvent:
    key: str | None  # canonical name; None for a key voxctl has no name for
    pressed: bool
    repeat: bool  # X auto-repeat of a held key
    synthetic: bool  # sent through XTEST by some program, not typed on a keyboard
    modifiers: frozenset[str]  # modifier keys down before this event
    at: float  # time.monotonic() when the X server saw the key
    grabbed: bool  # a press that activated one of our passive grabs (on_key's answer matters)


def is_synthetic(device_name: str) -> bool:
    """Whether a slave device is XTEST's (every key xdotool, pyautogui or pynput's controller sends)."""
    return XTEST_MARK in device_name


@functools.cache
def _by_keysym() -> dict[int, str]:
    """X keysym -> canonical key name (KEYSYMS turned round, plus letters and digits)."""
    from Xlib import XK

    table = {XK.string_to_keysym(c): c for c in "abcdefghijklmnopqrstuvwxyz0123456789"}
    table.update({XK.string_to_keysym(sym): key for key, syms in KEYSYMS.items() for sym in syms})
    table.pop(0, None)
    return table


def _key_names(keysym: int) -> str | None:
    return _by_keysym().get(keysym)


def _lock_variants(lock_masks: Iterable[int]) -> list[int]:
    """Every combination of the lock modifiers (CapsLock, NumLock, ScrollLock), so they do not matter."""
    combos = [0]
    for m in lock_masks:
        combos += [c | m for c in combos]
    return combos
