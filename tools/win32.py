"""Windows on Microsoft Windows, for `RealDesktop` where there is no X11: pygetwindow (Win32).

Focus is `SetForegroundWindow` through pygetwindow; closing posts `WM_CLOSE`, which is what the title
bar's close button sends, so the app may ask about unsaved work. Not exercised by the test suite (it runs
on Linux); failures are a DesktopError, never a crash.
"""

from __future__ import annotations

from typing import Any

from voxctl.tools.desktop import DesktopError, Window


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
