"""Key chords and key names for the talk chord (agent/listen/hotkey.py): a chord parsed from the config,
the canonical name (tools/keys.py) of a pynput key, and whether a chord is mouse buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# pynput's Key names -> the key names of docs/ACTIONS.md / tools.keys.
_PYNPUT_NAMES = {"cmd": "win", "esc": "escape", "page_down": "pagedown", "page_up": "pageup",
                 "caps_lock": "capslock", "print_screen": "printscreen", "alt_gr": "alt"}


def parse_chord(chord: str | Sequence[str]) -> frozenset[str]:
    from voxctl.agent.config import MOUSE_BUTTON
    from voxctl.tools.keys import normalize_key

    if isinstance(chord, str) and MOUSE_BUTTON.fullmatch(chord.strip().lower()):
        return frozenset({chord.strip().lower()})  # a mouse button (a foot pedal may be one too)
    parts = chord.split("+") if isinstance(chord, str) else list(chord)
    names = [normalize_key(p) for p in parts if str(p).strip()]
    if not names or None in names:
        raise ValueError(f"{chord!r} is not a key chord like 'ctrl+alt+space'")
    return frozenset(n for n in names if n)


def key_name(key: Any) -> str | None:
    """The canonical name (tools.keys) of a pynput key object, or None for keys voxctl has no name for."""
    from voxctl.tools.keys import normalize_key

    name = getattr(key, "name", None)  # pynput.keyboard.Key members
    if name:
        base = name.removesuffix("_l").removesuffix("_r")
        base = _PYNPUT_NAMES.get(name, _PYNPUT_NAMES.get(base, base))
        return normalize_key(base)
    char = getattr(key, "char", None)
    if char:
        if len(char) == 1 and ord(char) < 32:  # ctrl+letter arrives as a control character on some systems
            char = chr(ord(char) + 96)
        return normalize_key(char.lower())
    vk = getattr(key, "vk", None)
    if isinstance(vk, int) and 32 < vk < 127:  # X keysyms of ASCII keys are their code points
        return normalize_key(chr(vk).lower())
    return None


def _is_button(chord: frozenset[str]) -> bool:
    from voxctl.agent.config import MOUSE_BUTTON

    return all(MOUSE_BUTTON.fullmatch(k) for k in chord)
