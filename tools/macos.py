"""Windows on macOS, for `RealDesktop`: the list comes from Quartz (installed with pyautogui there).

pygetwindow has no working macOS windows. A window is "App — Title". Focus brings the owning
application to the front (System Events via osascript), not one window of several; closing presses
Command+W, the app's own File ▸ Close. Not exercised by the test suite (it runs on Linux); failures are a
DesktopError, never a crash.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

from voxctl.tools.desktop import DesktopError, Window


class MacWindows:
    def __init__(self, press: Callable[[list[str]], None]) -> None:
        try:
            import Quartz  # noqa: F401 - pyobjc, a dependency of pyautogui on macOS
        except ImportError:
            raise DesktopError("window control needs pyobjc-framework-Quartz (pip install pyobjc-framework-Quartz)"
                               ) from None
        self.press = press

    def _infos(self) -> list[dict[str, Any]]:
        import Quartz

        opts = Quartz.kCGWindowListExcludeDesktopElements | Quartz.kCGWindowListOptionOnScreenOnly
        infos = Quartz.CGWindowListCopyWindowInfo(opts, Quartz.kCGNullWindowID) or []
        return [i for i in infos if i.get("kCGWindowLayer") == 0]  # front to back, normal windows only

    @staticmethod
    def _window(info: dict[str, Any]) -> Window:
        owner, name = info.get("kCGWindowOwnerName", ""), info.get("kCGWindowName", "") or ""
        return Window(f"{info['kCGWindowOwnerPID']}:{info['kCGWindowNumber']}",
                      f"{owner} — {name}" if name else owner)

    def windows(self) -> list[Window]:
        return [self._window(i) for i in self._infos()]

    def active_window(self) -> Window | None:
        infos = self._infos()
        return self._window(infos[0]) if infos else None

    def activate(self, window: Window) -> None:
        pid = window.id.split(":")[0]
        script = f'tell application "System Events" to set frontmost of (first process whose unix id is {pid}) to true'
        r = subprocess.run(["osascript", "-e", script], capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise DesktopError(f"could not bring {window.title!r} to the front: {r.stderr.strip()} "
                               "(allow your terminal to control System Events in Privacy & Security)")

    def close_active(self) -> Window:
        win = self.active_window()
        if win is None:
            raise DesktopError("there is no active window to close")
        self.press(["win", "w"])  # Command+W: the app's File ▸ Close
        return win
