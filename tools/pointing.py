"""What pointing by voice remembers between commands: the mouse grid's rectangle and the numbered labels
the person saw, in one typed object (`PointingState`) that the desktop owns for as long as it lives (a
`voxctl listen` session, or one `voxctl do` plan).

Also the shapes the overlay draws (`Drawing`) and what a desktop must offer to point by voice
(`PointingDesktop`): the grid and label tools (tools/grid.py, tools/labels.py) work on any desktop that has
these, the real one (tools/realdesktop.py, drawn by tools/overlay.py) and the dry run (tools/dryrun.py).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

Scope = Literal["screen", "window"]

DEFAULT_TIMEOUT = 30.0  # seconds labels and grid stay up (desktop.overlay_timeout)


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.w // 2, self.y + self.h // 2

    def cell(self, n: int) -> Rect:
        """Cell `n` of a 3x3 split numbered like a phone keypad: 1 top-left, 5 the middle, 9 bottom-right."""
        if not 1 <= n <= 9:
            raise ValueError(f"grid cells are numbered 1 to 9, not {n}")
        row, col = divmod(n - 1, 3)
        x0, x1 = self.x + self.w * col // 3, self.x + self.w * (col + 1) // 3
        y0, y1 = self.y + self.h * row // 3, self.y + self.h * (row + 1) // 3
        return Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))

    def narrow(self, cells: list[int] | tuple[int, ...]) -> Rect:
        rect = self
        for n in cells:
            rect = rect.cell(n)
        return rect

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass(frozen=True)
class Element:
    """Something that looks clickable, in screen pixels: a UI box (button, icon, field) or a run of text."""

    rect: Rect
    kind: Literal["box", "text", "accessible"] = "box"
    text: str = ""


@dataclass(frozen=True)
class Drawing:
    """What the overlay shows: a grid over `grid`, or numbered labels at their top-left points."""

    grid: Rect | None = None
    labels: tuple[tuple[int, int, int], ...] = ()  # (number, x, y)

    def to_json(self) -> dict[str, object]:
        return {"grid": [self.grid.x, self.grid.y, self.grid.w, self.grid.h] if self.grid else None,
                "labels": [list(t) for t in self.labels]}


@dataclass(frozen=True)
class GridState:
    root: Rect  # the screen or the window the grid was opened over ("drag to grid 7 2" counts from here)
    rect: Rect  # the current (narrowed) rectangle
    scope: Scope
    expires: float


@dataclass(frozen=True)
class LabelSnapshot:
    """The labels as drawn: label n is elements[n - 1]. `id` names this drawing (audit, `snapshot` arguments)."""

    id: str
    elements: tuple[Element, ...]
    where: Rect
    expires: float


_IDS = itertools.count(1)


@dataclass
class PointingState:
    """The grid and the labels now shown, if any. Expired ones read as not shown."""

    timeout: float = DEFAULT_TIMEOUT  # 0: they stay until used or hidden
    grid: GridState | None = None
    labels: LabelSnapshot | None = None
    clock: object = field(default=time.monotonic, repr=False)

    def now(self) -> float:
        return self.clock()  # type: ignore[operator]

    def _deadline(self) -> float:
        return self.now() + self.timeout if self.timeout > 0 else float("inf")

    def shown_grid(self) -> GridState | None:
        if self.grid is not None and self.grid.expires <= self.now():
            self.grid = None
        return self.grid

    def shown_labels(self) -> LabelSnapshot | None:
        if self.labels is not None and self.labels.expires <= self.now():
            self.labels = None
        return self.labels

    def open_grid(self, root: Rect, scope: Scope) -> GridState:
        self.labels = None  # one overlay at a time
        self.grid = GridState(root, root, scope, self._deadline())
        return self.grid

    def narrow_grid(self, cells: list[int]) -> GridState:
        grid = self.shown_grid()
        if grid is None:
            raise LookupError("the mouse grid is not shown; say \"mouse grid\" first")
        self.grid = GridState(grid.root, grid.rect.narrow(cells), grid.scope, self._deadline())
        return self.grid

    def set_labels(self, elements: list[Element], where: Rect) -> LabelSnapshot:
        self.grid = None
        self.labels = LabelSnapshot(f"labels-{next(_IDS)}", tuple(elements), where, self._deadline())
        return self.labels

    def element(self, number: int, snapshot: str | None = None) -> tuple[LabelSnapshot, Element]:
        """The element of label `number` as it was drawn; LookupError (a sentence for the person) if not shown."""
        shown = self.shown_labels()
        if shown is None:
            after = f" and after {self.timeout:g} s" if self.timeout > 0 else ""
            raise LookupError(f"label {number} is not shown: no numbers are shown now (they vanish once one is "
                              f"used, on \"hide numbers\"{after}); say \"show numbers\" first")
        if snapshot is not None and snapshot != shown.id:
            raise LookupError(f"label {number} belongs to numbers no longer shown ({snapshot}; {shown.id} is "
                              "shown now); say the number again as it is shown now")
        if not 1 <= number <= len(shown.elements):
            raise LookupError(f"there is no label {number}: the labels shown go from 1 to {len(shown.elements)}")
        return shown, shown.elements[number - 1]

    def drawing(self) -> Drawing:
        grid, labels = self.shown_grid(), self.shown_labels()
        if grid is not None:
            return Drawing(grid=grid.rect)
        if labels is not None:
            return Drawing(labels=tuple((i, e.rect.x, e.rect.y) for i, e in enumerate(labels.elements, 1)))
        return Drawing()


@runtime_checkable
class PointingDesktop(Protocol):
    """A desktop that can point by voice: it owns a `PointingState`, draws the overlay and finds elements."""

    pointing: PointingState

    def area(self, scope: Scope) -> Rect:
        """The screen, or the active window's client area."""
        ...

    def show_overlay(self, drawing: Drawing) -> None: ...

    def hide_overlay(self) -> None: ...

    def find_elements(self, where: Rect) -> list[Element]:
        """What looks clickable inside `where`, in reading order."""
        ...


@runtime_checkable
class AccessibleDesktop(Protocol):
    """A desktop that reads the platform's accessibility tree (AT-SPI on Linux: tools/atspi.py)."""

    def accessible_elements(self, where: Rect) -> list[Element] | str:
        """The clickable elements of the active window inside `where`, named and boxed by the app itself;
        or why there are none (no accessibility bus, a window that exposes nothing, past the time budget),
        and then the labels come from the screen (`find_elements`)."""
        ...
