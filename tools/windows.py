"""Window tools: bring a window to the front by title, close the active window politely."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail
from voxctl.tools.desktop import Window
from voxctl.tools.words import words_in


class FocusWindow(Args):
    """Bring to the front the window whose title contains `title` (case and punctuation do not matter)."""

    title: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$")


class CloseWindow(Args):
    """Close the active window the polite way (as its close button does); unsaved work may prompt."""


def title_matches(want: str, title: str) -> bool:
    """Case-insensitive substring, first as written, then word for word ignoring punctuation: the
    recogniser writes "do close" for a window titled "do-close"."""
    if want.casefold() in title.casefold():
        return True
    spoken = _as_said(want)
    return bool(spoken) and f" {spoken} " in f" {_as_said(title)} "


def _as_said(title: str) -> str:
    """A title as speech gives it: any letter, punctuation gone ("do-close: Tk" -> "do close tk")."""
    return " ".join(words_in(title, apostrophes="split", unicode=True))


def best_window(title: str, windows: Iterable[Window]) -> Window | None:
    """The window `focus_window(title)` brings to the front, or None (the policy predicts with this too)."""
    want = title.casefold()
    wins = [w for w in windows if title_matches(title, w.title)]
    # Prefer an exact title, then the shortest title (the most specific match).
    return min(wins, key=lambda w: (w.title.casefold() != want, len(w.title))) if wins else None


def run_focus(a: FocusWindow, ctx: ToolContext) -> Outcome:
    win = best_window(a.title, ctx.desktop.windows())
    if win is None:
        return fail("focus_window", f"no window whose title contains {a.title!r}")
    ctx.desktop.activate(win)
    return ToolResult("focus_window", f"focused {win.title!r}", {"window": win.id})


def run_close(a: CloseWindow, ctx: ToolContext) -> Outcome:
    win = ctx.desktop.close_active()
    return ToolResult("close_window", f"asked {win.title!r} to close", {"window": win.id})


SPECS = (
    ToolSpec("focus_window", FocusWindow, Risk.LOW, run_focus, family="windows",
             examples=("switch to terminal",), describe=lambda a: f"switch to the window titled {a.title!r}",
             repeatable=True, primitives=frozenset({"activate"}), open_slots={"title": "window"}),
    ToolSpec("close_window", CloseWindow, Risk.HIGH, run_close, family="windows",
             examples=("close the window",), describe=lambda a: "close the active window",
             primitives=frozenset({"close_active"})),
)
