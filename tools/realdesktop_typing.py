"""The real desktop's keyboard: text typed key by key (or pasted), non-ASCII runs typed by the platform,
key chords pressed. A part of `RealDesktop` (tools/realdesktop.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from voxctl.tools.desktop import DesktopError, checkpoint
from voxctl.tools.keys import pyautogui_key
from voxctl.tools.realdesktop_backends import _uses_x11


def _ascii_runs(text: str) -> Iterator[tuple[bool, str]]:
    """(is_ascii, run) pieces of `text`, in order."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or text[i].isascii() != text[start].isascii():
            yield text[start].isascii(), text[start:i]
            start = i


class RealTyping:
    """`RealDesktop.type_text` (with `_paste` and `_type_unicode`) and `press`."""

    # -- keyboard -------------------------------------------------------------------------------------------
    def type_text(self, text: str) -> None:
        if self.typing == "paste":
            self._paste(text)
            return
        with self._acting() as g:
            for is_ascii, run in _ascii_runs(text):
                if is_ascii:
                    for ch in run:  # one by one, each a chance for the emergency stop
                        checkpoint()
                        g.write(ch, interval=self.typing_interval)
                else:
                    self._type_unicode(run)

    def _paste(self, text: str) -> None:
        if not _uses_x11():  # keys already type any character on any layout there (pynput)
            raise DesktopError("desktop.typing: paste is for X11; on Windows and macOS use desktop.typing: keys")
        from voxctl.tools.paste import paste, paste_chord

        checkpoint()
        chord, selections = paste_chord(self.wins.active_window(), self.command_windows)
        paste(text, self.press, chord, selections)

    def _type_unicode(self, text: str) -> None:
        if _uses_x11():
            self.wins.type_unicode(text, self.typing_interval)
            return
        try:
            from pynput.keyboard import Controller
        except Exception as e:
            raise DesktopError(f"cannot type the non-ASCII text {text!r}: {e}") from None
        keyboard = Controller()
        for ch in text:  # Windows and macOS type any character natively
            checkpoint()
            keyboard.type(ch)
            if self.typing_interval:
                time.sleep(self.typing_interval)

    def press(self, keys: list[str]) -> None:
        if _uses_x11():
            from voxctl.tools import x11_keys

            if x11_keys.needs_xtest(keys):  # pyautogui maps no keycode to them on X11 and presses nothing
                x11_keys.press(self.wins.d, keys)
                return
        with self._acting() as g:
            g.hotkey(*[pyautogui_key(k) for k in keys], interval=0.0)
