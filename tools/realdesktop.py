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
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from voxctl.tools.atspi import AccessibilityTree
from voxctl.tools.base import EmergencyStop
from voxctl.tools.desktop import Button, DesktopError, Direction, TextMatch, Window, checkpoint
from voxctl.tools.keys import pyautogui_key
from voxctl.tools.overlay import Overlay
from voxctl.tools.pointing import DEFAULT_TIMEOUT, Drawing, Element, PointingState, Rect, Scope

DRAG_SECONDS = 0.2  # long enough for apps to see motion between press and release
DRAG_STEPS = 10
CLICK_INTERVAL = 0.03  # between the clicks of a double click (well under any double-click time)


def _uses_x11() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def _ascii_runs(text: str) -> Iterator[tuple[bool, str]]:
    """(is_ascii, run) pieces of `text`, in order."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or text[i].isascii() != text[start].isascii():
            yield text[start].isascii(), text[start:i]
            start = i


class RealDesktop:
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

    # -- screen ---------------------------------------------------------------------------------------------
    def _grab(self) -> Any:
        if _uses_x11() and not os.environ.get("DISPLAY"):
            from voxctl.tools.x11 import no_display_message

            raise DesktopError(no_display_message())
        from PIL import ImageGrab

        try:
            with self.overlay.hidden():  # voxctl never reads or saves its own grid or labels
                return ImageGrab.grab()
        except OSError as e:
            raise DesktopError(f"cannot take a screenshot: {e}") from None

    def find_text(self, target: str) -> list[TextMatch]:
        from voxctl.tools.ocr import find_text

        image = self._grab()
        # On HiDPI screens (macOS Retina) the image has more pixels than the pointer's coordinates.
        w, h = self.screen_size()
        sx, sy = w / image.width, h / image.height
        matches = find_text(image, target, self.ocr_lang)
        if (sx, sy) == (1.0, 1.0):
            return matches
        return [TextMatch(m.text, round(m.left * sx), round(m.top * sy), max(1, round(m.width * sx)),
                          max(1, round(m.height * sy)), m.confidence, m.line) for m in matches]

    def screenshot(self, path: str) -> str:
        image = self._grab()
        try:
            image.save(path, format="PNG")
        except OSError as e:
            raise DesktopError(f"cannot save the screenshot to {path}: {e.strerror or e}") from None
        return path

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    # -- pointing by voice: the mouse grid and numbered labels (tools/pointing.py) ----------------------
    def area(self, scope: Scope) -> Rect:
        if scope == "window":
            rect = self.wins.active_rect() if _uses_x11() else None
            if rect is None:
                raise DesktopError("there is no active window to point into")
            return Rect(*rect)
        return Rect(0, 0, *self.screen_size())

    def show_overlay(self, drawing: Drawing) -> None:
        if not _uses_x11():
            raise DesktopError("the mouse grid and numbered labels are drawn on X11 only for now")
        self.overlay.show(drawing, self.pointing.timeout)

    def hide_overlay(self) -> None:
        self.overlay.hide()

    def accessible_elements(self, where: Rect) -> list[Element] | str:
        if not _uses_x11():
            return "the accessibility tree is read on Linux only (AT-SPI)"
        self.overlay.start()  # the overlay's process loads Tk meanwhile: labels follow sooner
        return self.a11y.elements(where)

    def find_elements(self, where: Rect) -> list[Element]:
        from voxctl.tools.elements import detect

        if _uses_x11():
            self.overlay.start()  # the overlay's process loads Tk meanwhile: labels follow sooner
        return detect(self._grab(), where, self.ocr_lang)
