"""Windows on Windows and macOS, for `RealDesktop` where there is no X11.

Windows: pygetwindow (Win32). Focus is `SetForegroundWindow` through pygetwindow; closing posts
`WM_CLOSE`, which is what the title bar's close button sends, so the app may ask about unsaved work.

macOS: pygetwindow has no working macOS windows, so the list comes from Quartz (installed with pyautogui
there); a window is "App — Title". Focus brings the owning application to the front (System Events via
osascript), not one window of several; closing presses Command+W, the app's own File ▸ Close.
Neither is exercised by the test suite (it runs on Linux); they fail with a DesktopError, never a crash.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

from tools.desktop import DesktopError, Window


class Win32Windows:
    def __init__(self) -> None:
        try:
            import pygetwindow
        except Exception as e:  # NotImplementedError on unsupported systems, ImportError when absent
            raise DesktopError(f"window control is not available here: {e}") from None
        self.gw = pygetwindow

    def _all(self) -> list[Any]:
        return [w for w in self.gw.getAllWindows() if w.title.strip() and w.visible]

    def windows(self) -> list[Window]:
        return [Window(str(w._hWnd), w.title) for w in self._all()]

    def active_window(self) -> Window | None:
        w = self.gw.getActiveWindow()
        return Window(str(w._hWnd), w.title) if w is not None else None

    def _find(self, window: Window) -> Any:
        for w in self._all():
            if str(w._hWnd) == window.id:
                return w
        raise DesktopError(f"the window {window.title!r} no longer exists")

    def activate(self, window: Window) -> None:
        w = self._find(window)
        try:
            if w.isMinimized:
                w.restore()
            w.activate()
        except Exception as e:  # pygetwindow raises PyGetWindowException with the Win32 error
            raise DesktopError(f"could not bring {window.title!r} to the front: {e}") from None

    def close_active(self) -> Window:
        win = self.active_window()
        if win is None:
            raise DesktopError("there is no active window to close")
        self._find(win).close()
        return win


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


def other_windows(press: Callable[[list[str]], None]) -> Win32Windows | MacWindows:
    if sys.platform == "win32":
        return Win32Windows()
    if sys.platform == "darwin":
        return MacWindows(press)
    raise DesktopError(f"window control is not supported on {sys.platform} without X11")
