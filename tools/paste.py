"""Typing by pasting (`desktop.typing: paste`): exact on any keyboard layout, since no key is looked up.

`paste()` keeps what the clipboard holds now, puts the text there (tools/clipboard.py), presses the paste
chord the window takes, waits until the window has fetched the text, and gives the clipboard its old
content back. The chord depends on the window: ctrl+v (the platform's `paste` binding) in most, shift+insert
in terminals (`policy.command_windows`: ctrl+v is a control character there) and Emacs (ctrl+v scrolls),
which paste from the PRIMARY selection too, so PRIMARY is set and given back as well for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from voxctl.tools.bindings import chord
from voxctl.tools.clipboard import owner, read, text_content
from voxctl.tools.desktop import DesktopError, Window
from voxctl.tools.submission import is_command_window

FETCH_TIMEOUT = 2.0  # how long the window may take to ask for the pasted text

# Windows that paste with shift+insert from the X selections rather than ctrl+v: Emacs (ctrl+v scrolls there),
# and terminals (ctrl+v is a control character there; xterm pastes PRIMARY, VTE and Konsole either).
SHIFT_INSERT = ("emacs",)


def paste_chord(window: Window | None, command_windows: tuple[str, ...]) -> tuple[list[str], tuple[str, ...]]:
    """The keys that paste in `window` and the selections they paste from."""
    if window is not None and (is_command_window(window, command_windows) or is_command_window(window, SHIFT_INSERT)):
        return ["shift", "insert"], ("CLIPBOARD", "PRIMARY")
    return chord("paste", "linux"), ("CLIPBOARD",)


def paste(text: str, press: Callable[[list[str]], None], keys: list[str], selections: tuple[str, ...]) -> None:
    """Type `text` by pasting it with the chord `keys` (pressed with `press`) from `selections`, then give each
    selection back what it held. Raises DesktopError when the window never asked for the text."""
    before = {sel: read(sel) for sel in selections}
    own = owner()
    try:
        own.fetched.clear()
        for sel in selections:
            own.own(sel, text_content(text))
        press(keys)
        took = own.fetched.wait(FETCH_TIMEOUT)
        if took:
            time.sleep(0.05)  # a second request (another target) may follow the first
    finally:
        for sel in selections:
            own.own(sel, before[sel] or None)
    if not took:
        raise DesktopError(f"the window did not take the pasted text ({'+'.join(keys)} fetched nothing within "
                           f"{FETCH_TIMEOUT:g} s); set desktop.typing: keys for this window")
