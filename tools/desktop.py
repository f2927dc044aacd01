"""The `Desktop` protocol: the primitives every tool is built from, and nothing else.

Two backends implement it: `tools.realdesktop.RealDesktop` (pyautogui, X11 helpers, OCR) and
`tools.dryrun.DryRunDesktop` (records what would have run). Every primitive is one observable act,
so an emergency stop can fall between any two of them. A long primitive (typing 2,000 characters,
scrolling 50 notches, a drag) also calls `checkpoint()` between its small steps, so the stop lands
inside it too: the guard that runs a primitive installs its stop check with `interruptible()`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

Button = Literal["left", "right", "middle"]
Direction = Literal["up", "down", "left", "right"]


@dataclass(frozen=True)
class TextMatch:
    """A piece of on-screen text found by OCR, with its bounding box in screen pixels."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    # The whole OCR line the text was found in ("" when unknown): a match that is its whole line is a
    # label or a button of its own, not a word inside a sentence.
    line: str = ""

    @property
    def center(self) -> tuple[int, int]:
        return self.left + self.width // 2, self.top + self.height // 2


@dataclass(frozen=True)
class Window:
    id: str
    title: str
    # What program it is, where the platform says (X11 WM_CLASS: instance and class, e.g. ("xterm", "XTerm")):
    # a shell sets an xterm's title to "user@host: ~", but its class stays XTerm.
    wm_class: tuple[str, ...] = ()


@runtime_checkable
class Desktop(Protocol):
    """Primitive desktop operations. Methods raise `DesktopError` on failure; tools turn it into values."""

    def screen_size(self) -> tuple[int, int]: ...

    def pointer(self) -> tuple[int, int]: ...

    def move(self, x: int, y: int) -> None: ...

    def click(self, x: int | None, y: int | None, button: Button, count: int) -> None: ...

    def drag(self, from_x: int, from_y: int, to_x: int, to_y: int) -> None: ...

    def scroll(self, direction: Direction, amount: int) -> None:
        """Scroll the focused window (not merely the one under the pointer) by `amount` notches."""
        ...

    def type_text(self, text: str) -> None: ...

    def press(self, keys: list[str]) -> None:
        """Press the keys together (a chord) once, releasing in reverse order."""
        ...

    def launch(self, argv: list[str]) -> int:
        """Start a program detached from voxctl; returns its pid."""
        ...

    def windows(self) -> list[Window]: ...

    def active_window(self) -> Window | None: ...

    def activate(self, window: Window) -> None: ...

    def close_active(self) -> Window:
        """Ask the active window to close (WM_DELETE_WINDOW); returns the window asked."""
        ...

    def set_window_state(self, state: str, window: Window | None = None) -> Window:
        """Ask the window manager to make `window` (None: the active one) "maximized", "minimized", "normal"
        or "fullscreen"; returns the window once its state says so."""
        ...

    def find_text(self, target: str) -> list[TextMatch]: ...

    def screenshot(self, path: str) -> str: ...

    def show_overlay(self, drawing: Any) -> None:
        """Draw the mouse grid or numbered labels (a tools.pointing.Drawing) over the screen, replacing what
        was drawn; it takes no focus and no clicks, and no screenshot or OCR of voxctl's sees it."""
        ...

    def hide_overlay(self) -> None: ...

    def sleep(self, seconds: float) -> None: ...


class DesktopError(Exception):
    """A primitive could not be carried out; the message is meant for the user."""


# The stop check of the primitive running in this thread (set by tools.guard.GuardedDesktop).
_CHECK: ContextVar[Callable[[], None] | None] = ContextVar("voxctl_desktop_check", default=None)


@contextlib.contextmanager
def interruptible(check: Callable[[], None]) -> Iterator[None]:
    """Run a primitive with `check` (raises to stop it) called at each of its `checkpoint()`s."""
    token = _CHECK.set(check)
    try:
        yield
    finally:
        _CHECK.reset(token)


def checkpoint() -> None:
    """Between two steps of a long primitive: raises (EmergencyStop) when the stop was pressed."""
    check = _CHECK.get()
    if check is not None:
        check()
