"""Keys pyautogui cannot press on X11: the media keys (volume, mute, play/pause, tracks).

pyautogui's X11 backend knows "volumeup" as a name but maps it to no keycode and silently presses nothing,
so these go through XTest by their XF86 keysyms. A keysym the keyboard map lacks (a bare Xvfb, a minimal
keymap) is lent a spare keycode for the press, as tools/x11.py types characters the map lacks; the map is
restored after a grace period so a client that reads its key events late still finds the key.
"""

from __future__ import annotations

import time
from typing import Any

from voxctl.tools.desktop import DesktopError

# Canonical key names (tools/keys.py) -> X11 keysyms (X11/XF86keysym.h, X11/keysymdef.h).
MEDIA_KEYSYMS: dict[str, int] = {
    "volumeup": 0x1008FF13, "volumedown": 0x1008FF11, "volumemute": 0x1008FF12,
    "playpause": 0x1008FF14, "nexttrack": 0x1008FF17, "prevtrack": 0x1008FF16,
}
_MODIFIER_KEYSYMS = {"ctrl": 0xFFE3, "shift": 0xFFE1, "alt": 0xFFE9, "win": 0xFFEB}


def needs_xtest(keys: list[str]) -> bool:
    """Whether `keys` hold a media key (pressed here rather than by pyautogui)."""
    return any(k in MEDIA_KEYSYMS for k in keys)


def press(display: Any, keys: list[str]) -> None:
    """Press `keys` together (down in order, up in reverse): modifiers and media keys only."""
    from Xlib import X
    from Xlib.ext import xtest

    syms = []
    for k in keys:
        sym = MEDIA_KEYSYMS.get(k) or _MODIFIER_KEYSYMS.get(k)
        if sym is None:
            raise DesktopError(f"cannot press {k!r} together with a media key")
        syms.append(sym)
    lent: list[int] = []
    try:
        codes = [display.keysym_to_keycode(s) or _lend(display, s, lent) for s in syms]
        if lent:
            display.sync()
            time.sleep(0.05)  # clients refresh their keymap on MappingNotify before the key arrives
        for code in codes:
            xtest.fake_input(display, X.KeyPress, code)
        for code in reversed(codes):
            xtest.fake_input(display, X.KeyRelease, code)
        display.sync()
    finally:
        if lent:
            time.sleep(0.1)
            width = len(display.get_keyboard_mapping(lent[0], 1)[0])
            for code in lent:
                display.change_keyboard_mapping(code, [(0,) * width])
            display.sync()


def _lend(display: Any, sym: int, lent: list[int]) -> int:
    first, last = display.display.info.min_keycode, display.display.info.max_keycode
    table = display.get_keyboard_mapping(first, last - first + 1)
    spare = [first + i for i, syms in enumerate(table) if not any(syms) and first + i not in lent]
    if not spare:
        raise DesktopError("cannot press a media key: the keyboard map has no unused keycode to lend")
    code = spare[0]
    display.change_keyboard_mapping(code, [(sym,) * len(table[0])])
    lent.append(code)
    return code
