"""The real desktop's backends, loaded on first use: pyautogui for the mouse and keyboard (its fail-safe
turned into `EmergencyStop`), and the window system (tools.x11, tools.win32, tools.macos). A part of
`RealDesktop` (tools/realdesktop.py).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from voxctl.tools.base import EmergencyStop
from voxctl.tools.desktop import DesktopError


def _uses_x11() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


class DesktopBackends:
    """`RealDesktop.gui` and `wins`, the fail-safe around acting (`_acting`) and `_off_corner`."""

    # -- backends, loaded on first use --------------------------------------------------------------------
    @property
    def gui(self) -> Any:
        if self._gui is None:
            if _uses_x11():
                from voxctl.tools.x11 import open_display

                open_display().close()  # a clear DesktopError instead of pyautogui's KeyError/traceback
            try:
                import pyautogui
            except Exception as e:
                raise DesktopError(f"cannot control the mouse and keyboard: {type(e).__name__}: {e}") from None
            pyautogui.FAILSAFE = True
            pyautogui.PAUSE = 0  # pacing between primitives is the executor's job (desktop.action_pause)
            self._gui = pyautogui
        return self._gui

    @property
    def wins(self) -> Any:
        if self._wins is None:
            if _uses_x11():
                from voxctl.tools.x11 import X11

                self._wins = X11()
            elif sys.platform == "win32":
                from voxctl.tools.win32 import Win32Windows

                self._wins = Win32Windows()
            elif sys.platform == "darwin":
                from voxctl.tools.macos import MacWindows

                self._wins = MacWindows(self.press)
            else:
                raise DesktopError(f"window control is not supported on {sys.platform} without X11")
        return self._wins

    @contextlib.contextmanager
    def _acting(self) -> Iterator[Any]:
        gui = self.gui
        try:
            yield gui
        except gui.FailSafeException:
            raise EmergencyStop("stopped: the pointer is in a screen corner (pyautogui's fail-safe)") from None

    def _off_corner(self, x: int, y: int) -> tuple[int, int]:
        """The point itself, or the pixel diagonally inside when it is a corner (pyautogui's fail-safe)."""
        w, h = self.screen_size()
        if x in (0, w - 1) and y in (0, h - 1):
            return (1 if x == 0 else w - 2), (1 if y == 0 else h - 2)
        return x, y
