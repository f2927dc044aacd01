"""Mouse tools: click (at a point or on visible text), move, nudge, drag, scroll."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail
from voxctl.tools.desktop import DesktopError, TextMatch
from voxctl.tools.ocr import phrase


def Coord(default=...):  # noqa: N802 - reads as a type in the models below
    return Field(default, ge=0, le=20000)


def Label(default=...):  # noqa: N802
    # Free text a model may produce: a bounded single line keeps constrained decoding short and the UI sane.
    return Field(default, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$")


class Click(Args):
    """Click the mouse. With `target`, click the centre of that text as it appears on screen (found by OCR).
    With `x` and `y`, click at that screen position. With neither, click where the pointer is.
    `count` 2 is a double click, 3 a triple click."""

    target: str | None = Label(None)
    x: int | None = Coord(None)
    y: int | None = Coord(None)
    button: Literal["left", "right", "middle"] = "left"
    count: int = Field(default=1, ge=1, le=3)

    @model_validator(mode="after")
    def _point_or_target(self) -> Self:
        if (self.x is None) != (self.y is None):
            raise ValueError("give both x and y, or neither")
        if self.target is not None and self.x is not None:
            raise ValueError("give either a target text or x and y, not both")
        return self


class MoveMouse(Args):
    """Move the mouse pointer to screen position (x, y) in pixels from the top-left corner."""

    x: int = Coord()
    y: int = Coord()


class NudgeMouse(Args):
    """Move the mouse pointer a number of pixels in a direction from where it is now."""

    direction: Literal["up", "down", "left", "right"]
    pixels: int = Field(default=50, ge=1, le=5000)


class Drag(Args):
    """Press the left button, move to (to_x, to_y) and release. Starts from (from_x, from_y), or from the
    pointer's current position when they are omitted."""

    to_x: int = Coord()
    to_y: int = Coord()
    from_x: int | None = Coord(None)
    from_y: int | None = Coord(None)

    @model_validator(mode="after")
    def _both_from(self) -> Self:
        if (self.from_x is None) != (self.from_y is None):
            raise ValueError("give both from_x and from_y, or neither")
        return self


class Scroll(Args):
    """Scroll the focused window by `amount` steps in a direction (the pointer moves into it first)."""

    direction: Literal["up", "down", "left", "right"]
    amount: int = Field(default=3, ge=1, le=50)


def _on_screen(ctx: ToolContext, *points: tuple[int | None, int | None]) -> str | None:
    """Why a point cannot be used, or None. The ToolError carries the tool's name; this does not repeat it."""
    w, h = ctx.desktop.screen_size()
    for x, y in points:
        if x is not None and y is not None and not (0 <= x < w and 0 <= y < h):
            return f"point ({x}, {y}) is off the screen ({w}x{h})"
    return None


def pick_match(matches: list[TextMatch], target: str) -> TextMatch:
    """The one to click when the target text is on screen several times:
    1. an exact match (ignoring case and the punctuation around words) over a close one ("Setings");
    2. a label of its own (the match is its whole OCR line, like a button) over words inside longer text;
    3. the higher OCR confidence (whole points);
    4. reading order: the topmost, then the leftmost."""
    want = phrase(target)

    def key(m: TextMatch) -> tuple[bool, bool, int, int, int]:
        text = phrase(m.text)
        standalone = not m.line or phrase(m.line) == text
        return text != want, not standalone, -round(m.confidence), m.top, m.left

    return min(matches, key=key)


def run_click(a: Click, ctx: ToolContext) -> Outcome:
    if a.target is not None:
        try:
            matches = ctx.desktop.find_text(a.target)
        except DesktopError as e:
            return fail("click", f"could not read the screen to find {a.target!r}: {e}")
        if not matches:
            return fail("click", f"no text {a.target!r} visible on screen")
        m = pick_match(matches, a.target)
        x, y = m.center
        ctx.desktop.click(x, y, a.button, a.count)
        return ToolResult("click", f"clicked {a.target!r} at ({x}, {y})", {"x": x, "y": y})
    if err := _on_screen(ctx, (a.x, a.y)):
        return fail("click", err)
    ctx.desktop.click(a.x, a.y, a.button, a.count)
    where = f"({a.x}, {a.y})" if a.x is not None else "the pointer"
    return ToolResult("click", f"{a.button} click x{a.count} at {where}")


def run_move(a: MoveMouse, ctx: ToolContext) -> Outcome:
    if err := _on_screen(ctx, (a.x, a.y)):
        return fail("move_mouse", err)
    ctx.desktop.move(a.x, a.y)
    return ToolResult("move_mouse", f"pointer at ({a.x}, {a.y})")


def run_nudge(a: NudgeMouse, ctx: ToolContext) -> Outcome:
    x, y = ctx.desktop.pointer()
    w, h = ctx.desktop.screen_size()
    dx, dy = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}[a.direction]
    # Clamp to the screen, one pixel in from the corners so pyautogui's fail-safe is not tripped by us.
    nx = min(max(x + dx * a.pixels, 1), w - 2)
    ny = min(max(y + dy * a.pixels, 1), h - 2)
    ctx.desktop.move(nx, ny)
    return ToolResult("nudge_mouse", f"pointer at ({nx}, {ny})")


def run_drag(a: Drag, ctx: ToolContext) -> Outcome:
    if err := _on_screen(ctx, (a.from_x, a.from_y), (a.to_x, a.to_y)):
        return fail("drag", err)
    fx, fy = (a.from_x, a.from_y) if a.from_x is not None else ctx.desktop.pointer()
    ctx.desktop.drag(fx, fy, a.to_x, a.to_y)
    return ToolResult("drag", f"dragged ({fx}, {fy}) -> ({a.to_x}, {a.to_y})")


def run_scroll(a: Scroll, ctx: ToolContext) -> Outcome:
    ctx.desktop.scroll(a.direction, a.amount)
    return ToolResult("scroll", f"scrolled {a.direction} {a.amount}")


def say_click(a: Click) -> str:
    kind = {1: "click", 2: "double-click", 3: "triple-click"}[a.count]
    if a.button != "left":
        kind = f"{a.button}-{kind}"
    if a.target:
        return f"{kind} on the text {a.target!r}"
    if a.x is not None:
        return f"{kind} at {a.x}, {a.y}"
    return f"{kind} where the pointer is"


def say_drag(a: Drag) -> str:
    start = f"from {a.from_x}, {a.from_y} " if a.from_x is not None else ""
    return f"drag {start}to {a.to_x}, {a.to_y}"


SPECS = (
    ToolSpec("click", Click, Risk.LOW, run_click, family="mouse",
             examples=("click", "double click", "right click", "click save", "click at 300 200"),
             describe=say_click, primitives=frozenset({"click"}), open_slots={"target": "target"}),
    ToolSpec("move_mouse", MoveMouse, Risk.LOW, run_move, family="mouse",
             examples=("move the mouse to 300 200",), describe=lambda a: f"move the mouse to {a.x}, {a.y}",
             repeatable=True, primitives=frozenset({"move"})),
    ToolSpec("nudge_mouse", NudgeMouse, Risk.LOW, run_nudge, family="mouse", examples=("mouse left 100",),
             describe=lambda a: f"move the mouse {a.pixels} px {a.direction}", primitives=frozenset({"move"})),
    ToolSpec("drag", Drag, Risk.MEDIUM, run_drag, family="mouse", examples=("drag to 500 300",),
             describe=say_drag, primitives=frozenset({"drag"})),
    ToolSpec("scroll", Scroll, Risk.LOW, run_scroll, family="mouse", examples=("scroll down five",),
             describe=lambda a: f"scroll {a.direction} {a.amount}", primitives=frozenset({"scroll"})),
)
