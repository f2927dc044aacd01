"""The real desktop: pyautogui for the mouse and keyboard, X11 (python-xlib) for windows, Tesseract for text.

pyautogui is imported on first use, never at import time: on Linux it opens $DISPLAY as it loads and
fails without one. Its fail-safe stays on: a pointer pushed into a screen corner (by the user, in a
panic) raises `pyautogui.FailSafeException` at the next primitive, which is turned into `EmergencyStop`.
voxctl itself never parks the pointer on a corner pixel for the same reason (see `_off_corner`).

Text: ASCII is typed by pyautogui (keysyms of a US layout); runs of other characters ("café", "→") are
typed on X11 by lending them spare keycodes for the run (tools.x11.X11.type_unicode; `xdotool type`
dropped characters in 12 of 15 runs), and by pynput on Windows and macOS.

Windows: tools.x11 on X11 (listing, EWMH focus, polite WM_DELETE_WINDOW close); tools.win32 on
Windows, tools.macos on macOS. Every failure is a `DesktopError` whose message is meant for the user.

`RealDesktop` holds the mouse, the programs and the windows here; its parts: the backends, loaded on first
use (tools/realdesktop_backends.py), the keyboard (tools/realdesktop_typing.py), and the screen and
pointing by voice (tools/realdesktop_screen.py).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

from voxctl.tools.atspi import AccessibilityTree
from voxctl.tools.desktop import Button, DesktopError, Direction, Window, checkpoint
from voxctl.tools.overlay import Overlay
from voxctl.tools.pointing import DEFAULT_TIMEOUT, PointingState
from voxctl.tools.realdesktop_backends import DesktopBackends, _uses_x11
from voxctl.tools.realdesktop_screen import RealScreen
from voxctl.tools.realdesktop_typing import RealTyping

DRAG_SECONDS = 0.2  # long enough for apps to see motion between press and release
DRAG_STEPS = 10
CLICK_INTERVAL = 0.03  # between the clicks of a double click (well under any double-click time)


class RealDesktop(DesktopBackends, RealTyping, RealScreen):
    def __init__(self, typing_interval: float = 0.0, ocr_lang: str = "eng",
                 overlay_timeout: float = DEFAULT_TIMEOUT, typing: str = "keys",
                 command_windows: tuple[str, ...] = ()) -> None:
        self.typing_interval = typing_interval
        self.ocr_lang = ocr_lang
        # desktop.typing: "keys" types key by key; "paste" pastes through the clipboard (any layout), with the
        # terminal's paste chord in a window matching `command_windows` (tools/clipboard.py).
        self.typing = typing
        self.command_windows = tuple(command_windows)
        self._gui: Any = None
        self._wins: Any = None
        # The mouse grid and numbered labels shown now (tools/pointing.py), drawn by tools/overlay.py.
        self.pointing = PointingState(timeout=overlay_timeout)
        self.overlay = Overlay()
        self.a11y = AccessibilityTree()  # numbered labels from AT-SPI; connects on first use

    # -- reading --------------------------------------------------------------------------------------------
    def screen_size(self) -> tuple[int, int]:
        w, h = self.gui.size()
        return int(w), int(h)

    def pointer(self) -> tuple[int, int]:
        x, y = self.gui.position()
        return int(x), int(y)

    # -- mouse ----------------------------------------------------------------------------------------------
    def move(self, x: int, y: int) -> None:
        x, y = self._off_corner(x, y)
        with self._acting() as g:
            g.moveTo(x, y)

    def click(self, x: int | None, y: int | None, button: Button, count: int) -> None:
        if x is not None and y is not None:
            x, y = self._off_corner(x, y)
        with self._acting() as g:
            g.click(x=x, y=y, clicks=count, interval=CLICK_INTERVAL, button=button)

    def drag(self, from_x: int, from_y: int, to_x: int, to_y: int) -> None:
        from_x, from_y = self._off_corner(from_x, from_y)
        to_x, to_y = self._off_corner(to_x, to_y)
        with self._acting() as g:
            g.moveTo(from_x, from_y)
            g.mouseDown(button="left")
            try:
                # In small steps, each a chance for the emergency stop (which still releases the button).
                for i in range(1, DRAG_STEPS + 1):
                    checkpoint()
                    g.moveTo(from_x + (to_x - from_x) * i // DRAG_STEPS, from_y + (to_y - from_y) * i // DRAG_STEPS)
                    time.sleep(DRAG_SECONDS / DRAG_STEPS)
            finally:
                # Release even when the fail-safe fired mid-drag: a stuck button is worse than a stop.
                failsafe, g.FAILSAFE = g.FAILSAFE, False
                try:
                    g.mouseUp(button="left")
                finally:
                    g.FAILSAFE = failsafe

    def scroll(self, direction: Direction, amount: int) -> None:
        """Scroll the focused window. X11 sends wheel events to the window under the pointer, so the
        pointer first moves into the focused window when it is elsewhere (and stays there)."""
        # pyautogui passes Windows' wheel delta through raw: one notch is 120 there, 1 elsewhere.
        notch = 120 if sys.platform == "win32" else 1
        sign = 1 if direction in ("up", "right") else -1
        with self._acting() as g:
            if _uses_x11() and (spot := self.wins.point_into_active()) is not None:
                g.moveTo(*self._off_corner(*spot))
            for _ in range(amount):  # notch by notch, each a chance for the emergency stop
                checkpoint()
                if direction in ("up", "down"):
                    g.scroll(sign * notch)
                else:
                    g.hscroll(sign * notch)

    # -- programs and windows -------------------------------------------------------------------------------
    def launch(self, argv: list[str]) -> int:
        if not argv:
            raise DesktopError("nothing to start (empty command)")
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, close_fds=True,
            )
        except FileNotFoundError:
            raise DesktopError(f"cannot start {argv[0]!r}: no such program (is it installed and on PATH?)") from None
        except PermissionError:
            raise DesktopError(f"cannot start {argv[0]!r}: permission denied") from None
        except OSError as e:
            raise DesktopError(f"cannot start {argv[0]!r}: {e.strerror or e}") from None
        # The app lives in its own session (no SIGHUP or Ctrl+C from our terminal) and outlives voxctl;
        # while voxctl runs, a reaper thread collects its exit status the moment it ends, so a closed app
        # never lingers as a zombie (`<defunct>`) under a long `voxctl listen`.
        threading.Thread(target=proc.wait, name=f"reap-{proc.pid}", daemon=True).start()
        return proc.pid

    def windows(self) -> list[Window]:
        return self.wins.windows()

    def active_window(self) -> Window | None:
        return self.wins.active_window()

    def activate(self, window: Window) -> None:
        self.wins.activate(window)

    def close_active(self) -> Window:
        return self.wins.close_active()

    def set_window_state(self, state: str, window: Window | None = None) -> Window:
        if not _uses_x11():  # not built where it could not be tested; said plainly rather than guessed
            where = {"win32": "Windows", "darwin": "macOS"}.get(sys.platform, sys.platform)
            raise DesktopError(f"maximize, minimize, restore and full screen are not supported on {where} yet "
                               "(X11 only)")
        return self.wins.set_state(window, state)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
