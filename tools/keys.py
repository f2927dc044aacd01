"""Key names: the canonical pyautogui names of TOOLS.md and the spoken or written synonyms that map onto them."""

from __future__ import annotations

import string
import sys
from typing import Literal, get_args

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
]

KEY_NAMES: frozenset[str] = frozenset(get_args(KeyName))
MODIFIERS: frozenset[str] = frozenset({"ctrl", "alt", "shift", "win"})

# Punctuation keys are named by word in plans (JSON- and speech-friendly); pyautogui wants the character.
PUNCTUATION_CHARS: dict[str, str] = {
    "minus": "-", "plus": "+", "equals": "=", "comma": ",", "period": ".", "slash": "/",
    "backslash": "\\", "semicolon": ";", "quote": "'", "backtick": "`", "leftbracket": "[",
    "rightbracket": "]",
}

SYNONYMS: dict[str, str] = {
    # modifiers
    "control": "ctrl", "ctl": "ctrl", "ctrl": "ctrl", "command": "win", "cmd": "win", "super": "win",
    "windows": "win", "windows key": "win", "meta": "win", "option": "alt", "alternate": "alt",
    "shift key": "shift",
    # whitespace and editing
    "return": "enter", "enter key": "enter", "return key": "enter", "newline": "enter", "new line": "enter",
    "escape key": "escape", "esc": "escape", "back space": "backspace", "backspace key": "backspace",
    "delete key": "delete", "del": "delete", "forward delete": "delete", "space bar": "space",
    "spacebar": "space", "tab key": "tab", "ins": "insert", "caps lock": "capslock",
    "print screen": "printscreen", "prtsc": "printscreen", "context menu": "menu",
    # navigation
    "page up": "pageup", "page down": "pagedown", "pgup": "pageup", "pgdn": "pagedown",
    "up arrow": "up", "down arrow": "down", "left arrow": "left", "right arrow": "right",
    "arrow up": "up", "arrow down": "down", "arrow left": "left", "arrow right": "right",
    "home key": "home", "end key": "end",
    # punctuation by character and by name
    "-": "minus", "dash": "minus", "hyphen": "minus", "+": "plus", "=": "equals", "equal": "equals",
    ",": "comma", ".": "period", "dot": "period", "full stop": "period", "/": "slash",
    "forward slash": "slash", "\\": "backslash", ";": "semicolon", "'": "quote", "apostrophe": "quote",
    "`": "backtick", "grave": "backtick", "[": "leftbracket", "]": "rightbracket",
    "left bracket": "leftbracket", "right bracket": "rightbracket", "open bracket": "leftbracket",
    "close bracket": "rightbracket",
}
# Spoken letters as whisper tends to write them, and digits by word.
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


def is_destructive(keys: list[str] | tuple[str, ...]) -> bool:
    return frozenset(keys) in DESTRUCTIVE_CHORDS
