"""A desktop that acts on nothing and records every primitive it was asked for (`--dry-run`, tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voxctl.tools.desktop import Button, DesktopError, Direction, TextMatch, Window
from voxctl.tools.pointing import Drawing, Element, PointingState, Rect, Scope


@dataclass
class DryRunDesktop:
    size: tuple[int, int] = (1920, 1080)
    open_windows: list[Window] = field(default_factory=lambda: [Window("0x1", "Terminal")])
    # Text "visible on screen" for click(target=...): text -> centre point.
    screen_text: dict[str, tuple[int, int]] = field(default_factory=dict)
    log: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _pointer: tuple[int, int] = (960, 540)
    _active: int = 0
    # The mouse grid and numbered labels "shown" (tools/pointing.py); elements are the screen_text boxes.
    pointing: PointingState = field(default_factory=PointingState)

    def _record(self, name: str, **kw: Any) -> None:
        self.log.append((name, kw))

    def screen_size(self) -> tuple[int, int]:
        return self.size

    def pointer(self) -> tuple[int, int]:
        return self._pointer

    def move(self, x: int, y: int) -> None:
        self._record("move", x=x, y=y)
        self._pointer = (x, y)

    def click(self, x: int | None, y: int | None, button: Button, count: int) -> None:
        self._record("click", x=x, y=y, button=button, count=count)
        if x is not None and y is not None:
            self._pointer = (x, y)

    def drag(self, from_x: int, from_y: int, to_x: int, to_y: int) -> None:
        self._record("drag", from_x=from_x, from_y=from_y, to_x=to_x, to_y=to_y)
        self._pointer = (to_x, to_y)

    def scroll(self, direction: Direction, amount: int) -> None:
        self._record("scroll", direction=direction, amount=amount)

    def type_text(self, text: str) -> None:
        self._record("type_text", text=text)

    def press(self, keys: list[str]) -> None:
        self._record("press", keys=list(keys))

    def launch(self, argv: list[str]) -> int:
        self._record("launch", argv=list(argv))
        return 0

    def windows(self) -> list[Window]:
        return list(self.open_windows)

    def active_window(self) -> Window | None:
        return self.open_windows[self._active] if self.open_windows else None

    def activate(self, window: Window) -> None:
        self._record("activate", window=window.title)
        self._active = self.open_windows.index(window)

    def close_active(self) -> Window:
        win = self.active_window()
        if win is None:
            raise DesktopError("there is no active window to close")
        self._record("close", window=win.title)
        return win

    def set_window_state(self, state: str, window: Window | None = None) -> Window:
        win = window or self.active_window()
        if win is None:
            raise DesktopError("there is no active window")
        self._record("set_window_state", state=state, window=win.title)
        return win

    def find_text(self, target: str) -> list[TextMatch]:
        want = target.casefold()
        return [
            TextMatch(text, x - 20, y - 8, 40, 16, 95.0)
            for text, (x, y) in self.screen_text.items()
            if want in text.casefold()
        ]

    def screenshot(self, path: str) -> str:
        self._record("screenshot", path=path)
        return path

    def sleep(self, seconds: float) -> None:
        self._record("sleep", seconds=seconds)

    # -- pointing by voice (tools/grid.py, tools/labels.py): recorded, drawn nowhere ------------------------
    def area(self, scope: Scope) -> Rect:
        if scope == "window" and self.active_window() is None:
            raise DesktopError("there is no active window to point into")
        return Rect(0, 0, *self.size)

    def show_overlay(self, drawing: Drawing) -> None:
        self._record("show_overlay", grid=drawing.grid, labels=len(drawing.labels))

    def hide_overlay(self) -> None:
        self._record("hide_overlay")

    def find_elements(self, where: Rect) -> list[Element]:
        boxes = [Element(Rect(x - 20, y - 8, 40, 16), "text", text) for text, (x, y) in self.screen_text.items()]
        return sorted((e for e in boxes if where.contains(*e.rect.center)), key=lambda e: (e.rect.y, e.rect.x))

    def describe(self) -> list[str]:
        return [f"{name}({', '.join(f'{k}={v!r}' for k, v in kw.items())})" for name, kw in self.log]
