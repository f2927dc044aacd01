"""Mouse grid tools: show a 3x3 grid numbered like a phone keypad, narrow into a cell (the pointer goes to
its centre), drag to a cell, and hide the overlay (grid or labels). "click" at the pointer is the mouse
family's `click`. The grid's rectangle lives in the desktop's `PointingState` (tools/pointing.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail
from voxctl.tools.pointing import PointingDesktop, Rect

Cell = Literal[1, 2, 3, 4, 5, 6, 7, 8, 9]  # keypad order: 1 top-left, 5 the middle, 9 bottom-right


def Cells(min_length: int):  # noqa: N802 - reads as a type in the models below
    return Field(default=[], min_length=min_length, max_length=6) if min_length == 0 else \
        Field(min_length=min_length, max_length=6)


_DIGITS = {w: str(i) for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}


def as_cells(value: Any) -> Any:
    """Cells as said: 53, "5 3", "five three", "5, 3" all read as [5, 3] (one digit a cell); a list as is."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return value
    text = str(value).lower().replace(",", " ").replace("-", " ")
    digits = "".join(_DIGITS.get(w, w) for w in text.split())
    if not digits.isdigit():
        raise ValueError(f"grid cells are digits 1 to 9, not {str(value)[:20]!r}")
    return [int(c) for c in digits]


SaidCells = Annotated[list[Cell], BeforeValidator(as_cells)]


class MouseGrid(Args):
    """Show a 3x3 grid numbered like a keypad (1 top-left, 9 bottom-right) over the screen or active
    window; `cells` narrows at once (as grid_narrow)."""

    scope: Literal["screen", "window"] = "screen"
    cells: SaidCells = Cells(0)


class GridNarrow(Args):
    """Narrow the shown grid into these cells; the pointer goes to the last one's centre."""

    cells: SaidCells = Cells(1)


class GridDrag(Args):
    """Drag from the pointer to `cells` of the whole shown grid."""

    cells: SaidCells = Cells(1)


class HideOverlay(Args):
    """Hide the mouse grid and/or numbered labels."""

    what: Literal["all", "grid", "labels"] = "all"


def pointing(ctx: ToolContext) -> PointingDesktop | None:
    d = ctx.desktop
    return d if isinstance(d, PointingDesktop) else None  # type: ignore[return-value]


NO_OVERLAY = "this desktop cannot draw the mouse grid or numbered labels"


def _place(d: PointingDesktop, rect: Rect, narrowed: bool) -> str:
    d.show_overlay(d.pointing.drawing())
    if not narrowed:
        return f"grid over {rect.w}x{rect.h} at ({rect.x}, {rect.y})"
    x, y = rect.center
    d.move(x, y)  # type: ignore[attr-defined]
    return f"pointer at ({x}, {y}), cell {rect.w}x{rect.h} at ({rect.x}, {rect.y})"


def run_mouse_grid(a: MouseGrid, ctx: ToolContext) -> Outcome:
    if (d := pointing(ctx)) is None:
        return fail("mouse_grid", NO_OVERLAY)
    d.pointing.open_grid(d.area(a.scope), a.scope)
    grid = d.pointing.narrow_grid(list(a.cells)) if a.cells else d.pointing.grid
    assert grid is not None
    said = _place(d, grid.rect, bool(a.cells))
    return ToolResult("mouse_grid", said, {"rect": [grid.rect.x, grid.rect.y, grid.rect.w, grid.rect.h]})


def run_grid_narrow(a: GridNarrow, ctx: ToolContext) -> Outcome:
    if (d := pointing(ctx)) is None:
        return fail("grid_narrow", NO_OVERLAY)
    try:
        grid = d.pointing.narrow_grid(list(a.cells))
    except LookupError as e:
        return fail("grid_narrow", str(e))
    said = _place(d, grid.rect, True)
    return ToolResult("grid_narrow", said, {"rect": [grid.rect.x, grid.rect.y, grid.rect.w, grid.rect.h]})


def run_grid_drag(a: GridDrag, ctx: ToolContext) -> Outcome:
    if (d := pointing(ctx)) is None:
        return fail("grid_drag", NO_OVERLAY)
    grid = d.pointing.shown_grid()
    if grid is None:
        return fail("grid_drag", "the mouse grid is not shown; say \"mouse grid\" first")
    tx, ty = grid.root.narrow(list(a.cells)).center
    fx, fy = d.pointer()  # type: ignore[attr-defined]
    d.pointing.grid = None
    d.hide_overlay()
    d.drag(fx, fy, tx, ty)  # type: ignore[attr-defined]
    return ToolResult("grid_drag", f"dragged ({fx}, {fy}) -> ({tx}, {ty})", {"x": tx, "y": ty})


def run_hide(a: HideOverlay, ctx: ToolContext) -> Outcome:
    if (d := pointing(ctx)) is None:
        return fail("hide_overlay", NO_OVERLAY)
    state = d.pointing
    if a.what in ("all", "grid"):
        state.grid = None
    if a.what in ("all", "labels"):
        state.labels = None
    left = state.drawing()
    if left.grid is None and not left.labels:
        d.hide_overlay()
    return ToolResult("hide_overlay", f"hid the {'grid and labels' if a.what == 'all' else a.what}")


def _cells(cells: list[int]) -> str:
    return " ".join(map(str, cells))


SPECS = (
    ToolSpec("mouse_grid", MouseGrid, Risk.LOW, run_mouse_grid, family="pointing",
             examples=("mouse grid", "window grid", "mouse grid 5 3"),
             describe=lambda a: f"show the mouse grid over the {a.scope}" + (f", cells {_cells(a.cells)}" if a.cells
                                                                          else ""),
             repeatable=True, primitives=frozenset({"show_overlay", "move"})),
    ToolSpec("grid_narrow", GridNarrow, Risk.LOW, run_grid_narrow, family="pointing",
             examples=("grid 5", "grid 5 3", "7"),
             describe=lambda a: f"narrow the mouse grid to cell {_cells(a.cells)}",
             primitives=frozenset({"show_overlay", "move"})),
    ToolSpec("grid_drag", GridDrag, Risk.MEDIUM, run_grid_drag, family="pointing",
             examples=("drag to grid 7 2",), describe=lambda a: f"drag to grid cell {_cells(a.cells)}",
             primitives=frozenset({"drag", "hide_overlay"})),
    ToolSpec("hide_overlay", HideOverlay, Risk.LOW, run_hide, family="pointing",
             examples=("cancel grid", "hide numbers"),
             describe=lambda a: "hide the grid and labels" if a.what == "all" else f"hide the {a.what}",
             repeatable=True, primitives=frozenset({"hide_overlay"})),
)
