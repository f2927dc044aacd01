"""Window tools: bring a window to the front by title, close the active window politely."""

from __future__ import annotations

from pydantic import Field

from tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from tools.context import ToolContext, fail


class FocusWindow(Args):
    """Bring to the front the window whose title contains `title` (case does not matter)."""

    title: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$")


class CloseWindow(Args):
    """Close the active window the polite way (as its close button does); unsaved work may prompt."""


def run_focus(a: FocusWindow, ctx: ToolContext) -> Outcome:
    want = a.title.casefold()
    wins = [w for w in ctx.desktop.windows() if want in w.title.casefold()]
    if not wins:
        return fail("focus_window", f"no window whose title contains {a.title!r}")
    # Prefer an exact title, then the shortest title (the most specific match).
    win = min(wins, key=lambda w: (w.title.casefold() != want, len(w.title)))
    ctx.desktop.activate(win)
    return ToolResult("focus_window", f"focused {win.title!r}", {"window": win.id})


def run_close(a: CloseWindow, ctx: ToolContext) -> Outcome:
    win = ctx.desktop.close_active()
    return ToolResult("close_window", f"asked {win.title!r} to close", {"window": win.id})


SPECS = (
    ToolSpec("focus_window", FocusWindow, Risk.LOW, run_focus, family="windows",
             examples=("switch to terminal",)),
    ToolSpec("close_window", CloseWindow, Risk.HIGH, run_close, family="windows",
             examples=("close the window",)),
)
