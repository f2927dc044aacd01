"""A desktop that acts on nothing and records every primitive it was asked for (`--dry-run`, tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voxctl.tools.desktop import Button, DesktopError, Direction, TextMatch, Window


@dataclass
class DryRunDesktop:
    size: tuple[int, int] = (1920, 1080)
    open_windows: list[Window] = field(default_factory=lambda: [Window("0x1", "Terminal")])
    # Text "visible on screen" for click(target=...): text -> centre point.
    screen_text: dict[str, tuple[int, int]] = field(default_factory=dict)
    log: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _pointer: tuple[int, int] = (960, 540)
    _active: int = 0

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

    def describe(self) -> list[str]:
        return [f"{name}({', '.join(f'{k}={v!r}' for k, v in kw.items())})" for name, kw in self.log]
