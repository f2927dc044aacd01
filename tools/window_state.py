"""Window state tools: maximize, minimize, restore and full screen, asked of the window manager.

Each takes an optional `title` (the window as `focus_window` finds it; none: the active window) and asks
the window manager politely, as its title-bar buttons do (EWMH `_NET_WM_STATE` and ICCCM
`WM_CHANGE_STATE` on X11: tools/x11.py), then waits until the window's real state says it happened.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail
from voxctl.tools.windows import best_window

State = Literal["maximized", "minimized", "normal", "fullscreen"]

_TITLE = Field(default=None, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$")


class MaximizeWindow(Args):
    """Maximize the active window (or the one whose title contains `title`) to fill the screen, keeping its
    title bar; "restore" undoes it."""

    title: str | None = _TITLE


class MinimizeWindow(Args):
    """Minimize (iconify) the active window (or the one whose title contains `title`); the focus moves on."""

    title: str | None = _TITLE


class RestoreWindow(Args):
    """Bring the active window (or the one whose title contains `title`) back to its normal size: out of
    maximized or full screen, and back on screen when minimized."""

    title: str | None = _TITLE


class FullscreenWindow(Args):
    """Show the active window (or the one whose title contains `title`) full screen, without title bar or
    panels; "restore" undoes it."""

    title: str | None = _TITLE


# tool name -> (the state asked for, what the result says was done)
_TOOLS: dict[str, tuple[State, str]] = {
    "maximize_window": ("maximized", "maximized"),
    "minimize_window": ("minimized", "minimized"),
    "restore_window": ("normal", "restored"),
    "fullscreen_window": ("fullscreen", "made full screen"),
}


def _runner(tool: str):  # noqa: ANN202 - a ToolSpec.run
    state, done = _TOOLS[tool]

    def run(a: MaximizeWindow, ctx: ToolContext) -> Outcome:
        window = None
        if a.title is not None:
            window = best_window(a.title, ctx.desktop.windows())
            if window is None:
                return fail(tool, f"no window whose title contains {a.title!r}")
        win = ctx.desktop.set_window_state(state, window)
        return ToolResult(tool, f"{done} {win.title!r}", {"window": win.id, "state": state})

    return run


def _say(verb: str):  # noqa: ANN202 - a ToolSpec.describe
    return lambda a: f"{verb} the window titled {a.title!r}" if a.title else f"{verb} the active window"


SPECS = tuple(
    ToolSpec(name, args, Risk.LOW, _runner(name), family="windows", examples=examples, describe=_say(verb),
             repeatable=True, primitives=frozenset({"set_window_state"}), open_slots={"title": "window"})
    for name, args, verb, examples in (
        ("maximize_window", MaximizeWindow, "maximize", ("maximize the window",)),
        ("minimize_window", MinimizeWindow, "minimize", ("minimize this",)),
        ("restore_window", RestoreWindow, "restore", ("restore the window",)),
        ("fullscreen_window", FullscreenWindow, "show full screen", ("full screen",)),
    )
)
