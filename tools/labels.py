"""Numbered label tools: "show numbers" draws a number by each clickable element of the active window (or
the screen); "click 12", "double click 12", "right click 12", "move to 12", "drag 3 to 12" act on the
element as it was when its label was drawn. A label resolves against the snapshot that drew it
(`PointingState.labels`, tools/pointing.py); labels vanish once used, on "hide numbers", or after
`desktop.overlay_timeout` seconds, and a plan naming a label no longer shown fails and says so.

Elements of the active window come from its accessibility tree where the app exposes one (AT-SPI:
tools/atspi.py, names and exact boxes), otherwise, and for the whole screen, from the screen itself
(tools/elements.py: UI boxes and OCR words). The result says which (`source`), and why not the tree.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from voxctl.tools.base import Args, Outcome, Risk, ToolError, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail
from voxctl.tools.grid import NO_OVERLAY, pointing
from voxctl.tools.pointing import AccessibleDesktop, Drawing, Element, LabelSnapshot, PointingDesktop, Rect


def Number(default=...):  # noqa: N802 - reads as a type in the models below
    return Field(default, ge=1, le=999)


class ShowLabels(Args):
    """Number the clickable elements of the active window or the screen."""

    scope: Literal["window", "screen"] = "window"


class ClickLabel(Args):
    """Click the element numbered `label` by show_labels."""

    label: int = Number()
    button: Literal["left", "right", "middle"] = "left"
    count: int = Field(default=1, ge=1, le=3)


class MoveToLabel(Args):
    """Move the pointer to the element numbered `label`."""

    label: int = Number()


class DragLabel(Args):
    """Drag the element numbered `label` to the one numbered `to_label`."""

    label: int = Number()
    to_label: int = Number()


def run_show(a: ShowLabels, ctx: ToolContext) -> Outcome:
    if (d := pointing(ctx)) is None:
        return fail("show_labels", NO_OVERLAY)
    where = d.area(a.scope)
    if d.pointing.drawing() != Drawing():  # replaced anyway: hidden now, not hidden and shown again for the capture
        d.pointing.grid = d.pointing.labels = None
        d.hide_overlay()
    elements, source = _elements(d, where, a.scope)
    if not elements:
        return fail("show_labels", f"nothing that looks clickable was found in the {a.scope}")
    shot = d.pointing.set_labels(elements, where)
    d.show_overlay(d.pointing.drawing())
    return ToolResult("show_labels", f"{len(elements)} labels shown ({shot.id}, from {source})",
                      {"snapshot": shot.id, "count": len(elements),
                       "source": "accessibility" if source == ACCESSIBLE else "screen"})


ACCESSIBLE = "the accessibility tree"


def _elements(d: PointingDesktop, where: Rect, scope: str) -> tuple[list[Element], str]:
    """The elements to number and where they came from: the active window's accessibility tree when it
    answers in time, else the screen (the whole screen always: the tree knows no stacking order)."""
    why = "the screen"
    if scope == "window" and isinstance(d, AccessibleDesktop):
        got = d.accessible_elements(where)
        if not isinstance(got, str) and got:
            return got, ACCESSIBLE
        why = f"the screen: {got or 'nothing clickable in the accessibility tree'}"
    return d.find_elements(where), why


def _take(tool: str, ctx: ToolContext,
          numbers: list[int]) -> tuple[PointingDesktop, LabelSnapshot, list[Element]] | ToolError:
    """The desktop, the snapshot and the elements of these labels, the labels used up (hidden); or why not:
    a desktop that draws no labels, or a label no longer shown."""
    if (d := pointing(ctx)) is None:
        return fail(tool, NO_OVERLAY)
    try:
        found = [d.pointing.element(n) for n in numbers]
    except LookupError as e:
        return fail(tool, str(e))
    d.pointing.labels = None
    d.hide_overlay()
    return d, found[0][0], [e for _, e in found]


def _said(n: int, e: Element) -> str:
    return f"label {n}" + (f" ({e.text!r})" if e.text else "")


def run_click(a: ClickLabel, ctx: ToolContext) -> Outcome:
    if isinstance(got := _take("click_label", ctx, [a.label]), ToolError):
        return got
    d, shot, (e,) = got
    x, y = e.rect.center
    d.click(x, y, a.button, a.count)  # type: ignore[attr-defined]
    return ToolResult("click_label", f"clicked {_said(a.label, e)} at ({x}, {y})",
                      {"x": x, "y": y, "snapshot": shot.id})


def run_move(a: MoveToLabel, ctx: ToolContext) -> Outcome:
    if isinstance(got := _take("move_to_label", ctx, [a.label]), ToolError):
        return got
    d, shot, (e,) = got
    x, y = e.rect.center
    d.move(x, y)  # type: ignore[attr-defined]
    return ToolResult("move_to_label", f"pointer on {_said(a.label, e)} at ({x}, {y})",
                      {"x": x, "y": y, "snapshot": shot.id})


def run_drag(a: DragLabel, ctx: ToolContext) -> Outcome:
    if isinstance(got := _take("drag_label", ctx, [a.label, a.to_label]), ToolError):
        return got
    d, shot, (src, dst) = got
    (fx, fy), (tx, ty) = src.rect.center, dst.rect.center
    d.drag(fx, fy, tx, ty)  # type: ignore[attr-defined]
    return ToolResult("drag_label", f"dragged {_said(a.label, src)} to {_said(a.to_label, dst)}",
                      {"from": [fx, fy], "to": [tx, ty], "snapshot": shot.id})


def say_click(a: ClickLabel) -> str:
    kind = {1: "click", 2: "double-click", 3: "triple-click"}[a.count]
    return f"{kind if a.button == 'left' else a.button + '-' + kind} label {a.label}"


SPECS = (
    ToolSpec("show_labels", ShowLabels, Risk.LOW, run_show, family="pointing",
             examples=("show numbers", "show labels", "show numbers on the screen"),
             describe=lambda a: f"number what is clickable in the {a.scope}",
             repeatable=True, primitives=frozenset({"show_overlay"})),
    ToolSpec("click_label", ClickLabel, Risk.LOW, run_click, family="pointing",
             examples=("click 12", "double click 12", "right click 12"), describe=say_click,
             primitives=frozenset({"click", "hide_overlay"})),
    ToolSpec("move_to_label", MoveToLabel, Risk.LOW, run_move, family="pointing",
             examples=("move to 12",), describe=lambda a: f"move the mouse to label {a.label}",
             primitives=frozenset({"move", "hide_overlay"})),
    ToolSpec("drag_label", DragLabel, Risk.MEDIUM, run_drag, family="pointing",
             examples=("drag 3 to 12",), describe=lambda a: f"drag label {a.label} to label {a.to_label}",
             primitives=frozenset({"drag", "hide_overlay"})),
)
