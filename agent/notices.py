"""Hints worth showing once per setup rather than on every command ("no LLM configured ...").

The command line turns this on (`once_per_setup(True)`); a hint is then shown the first time and a stamp
file in the user state directory, named after the hint's text, keeps it quiet afterwards. A different
setup says something different (another backend, another model) and so is shown again. `voxctl doctor`
always reports the same facts in full. Library callers (tests, embedding) get every hint, every time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_ONCE = {"on": False}


def once_per_setup(on: bool) -> None:
    _ONCE["on"] = on


def stamp_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("voxctl")) / "notices"


def first_time(message: str) -> bool:
    """Whether to show `message` now; when remembering, notes that it was shown."""
    if not _ONCE["on"]:
        return True
    stamp = stamp_dir() / hashlib.sha256(message.encode()).hexdigest()[:16]
    if stamp.exists():
        return False
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(message + "\n", encoding="utf-8")
    except OSError:  # cannot remember it: better shown every time than never
        pass
    return True
