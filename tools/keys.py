"""Key names: the canonical names of docs/ACTIONS.md, and the spoken or written synonyms (keys.yaml) that map
onto them."""

from __future__ import annotations

import string
import sys
from importlib import resources
from typing import Literal, get_args

import yaml

KeyName = Literal[
    "ctrl", "alt", "shift", "win", "enter", "tab", "escape", "backspace", "delete", "space",
    "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "capslock",
    "printscreen", "menu",
    "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    "minus", "plus", "equals", "comma", "period", "slash", "backslash", "semicolon", "quote",
    "backtick", "leftbracket", "rightbracket",
    "volumeup", "volumedown", "volumemute", "playpause", "nexttrack", "prevtrack",
]

KEY_NAMES: frozenset[str] = frozenset(get_args(KeyName))
MODIFIERS: frozenset[str] = frozenset({"ctrl", "alt", "shift", "win"})

# Punctuation keys are named by word in plans (JSON- and speech-friendly); pyautogui wants the character.
PUNCTUATION_CHARS: dict[str, str] = {
    "minus": "-", "plus": "+", "equals": "=", "comma": ",", "period": ".", "slash": "/",
    "backslash": "\\", "semicolon": ";", "quote": "'", "backtick": "`", "leftbracket": "[",
    "rightbracket": "]",
}

def _load_names() -> tuple[dict[str, str], dict[str, str]]:
    """keys.yaml's `names` and `spoken` tables; every value checked against KEY_NAMES at import."""
    data = yaml.safe_load(resources.files(__package__).joinpath("keys.yaml").read_text(encoding="utf-8"))
    tables = []
    for section in ("names", "spoken"):
        table = {str(k): str(v) for k, v in (data.get(section) or {}).items()}
        bad = {k: v for k, v in table.items() if v not in KEY_NAMES}
        if bad:
            raise ValueError(f"tools/keys.yaml: {section}: not key names: {bad}")
        tables.append(table)
    return tables[0], tables[1]


# Every written or spoken name of a key, from keys.yaml `names`, plus the forms made by rule: letters as
# Whisper writes a spoken letter ("A"), digits by word, function keys written "F5" or "f 5".
SYNONYMS, SPOKEN_ONLY = _load_names()
SYNONYMS.update({c.upper(): c for c in string.ascii_lowercase})
SYNONYMS.update({
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9",
})
SYNONYMS.update({f"f {i}": f"f{i}" for i in range(1, 13)})
SYNONYMS.update({f"F{i}": f"f{i}" for i in range(1, 13)})


def normalize_key(name: str) -> str | None:
    """The canonical name for `name`, or None when it names no key."""
    raw = name.strip()
    if raw in SYNONYMS:
        return SYNONYMS[raw]
    low = " ".join(raw.lower().split())
    if low in KEY_NAMES:
        return low
    return SYNONYMS.get(low)


# Canonical names pyautogui spells differently ("win" is the Command key on macOS).
_PYAUTOGUI_NAMES: dict[str, str] = {"menu": "apps", **({"win": "command"} if sys.platform == "darwin" else {})}


def pyautogui_key(name: str) -> str:
    """The name pyautogui (and so the real desktop) uses for a canonical key."""
    return PUNCTUATION_CHARS.get(name) or _PYAUTOGUI_NAMES.get(name, name)


# Chords that throw work away or end a program: always high risk, whatever the configuration says.
DESTRUCTIVE_CHORDS: frozenset[frozenset[str]] = frozenset(
    frozenset(c)
    for c in (
        ("alt", "f4"), ("ctrl", "w"), ("ctrl", "q"), ("shift", "delete"), ("ctrl", "shift", "w"),
        ("ctrl", "shift", "q"), ("ctrl", "alt", "delete"), ("ctrl", "alt", "backspace"), ("win", "q"),
        ("win", "w"), ("ctrl", "shift", "delete"), ("ctrl", "f4"), ("win", "l"),
    )
)


def fired_chords(keys: list[str] | tuple[str, ...]) -> list[tuple[str, frozenset[str]]]:
    """What pressing `keys` does, as the desktop presses them: each key goes down in order and stays down
    until all are down (released in reverse). So every key fires once, with the modifiers already held:
    [alt, x, f4] fires (x, {alt}), then (f4, {alt}) -- x does not release alt; [f4, alt] fires (f4, {})
    then (alt, {}), never alt+f4."""
    held: list[str] = []
    out = []
    for k in keys:
        out.append((k, frozenset(held)))
        if k in MODIFIERS:
            held.append(k)
    return out


def fires(keys: list[str] | tuple[str, ...], chord: frozenset[str]) -> bool:
    """Whether pressing `keys` fires `chord`: one of its keys pressed while all the others are held as
    modifiers, possibly with more modifiers held (Tk bindings, GTK accelerators and window managers often
    ignore extra modifiers, so alt+shift+f4 still closes)."""
    return any(k in chord and chord - {k} <= mods for k, mods in fired_chords(keys))


def is_destructive(keys: list[str] | tuple[str, ...]) -> bool:
    """Judged by effect, not by the set of keys: [alt, f4, x] closes the window at alt+f4, before x."""
    return any(fires(keys, d) for d in DESTRUCTIVE_CHORDS)
