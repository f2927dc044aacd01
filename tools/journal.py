"""The typing journal: what voxctl typed, where and when, so that "scratch that" can take exactly that back.

Every `type_text` primitive is written down with the window it went to (`JournaledDesktop` wraps the
desktop a plan runs on), and so is the fact that something else acted after it (a key press, a click:
the caret may have moved, so counting backspaces would delete the wrong text). `erase_typed` then
removes the last typing with one backspace per character typed (Unicode code points, as they were
typed), and only while the very window it was typed into still has the focus; otherwise it says why not.

Where the journal is kept is the agent's business (the history file, agent/journal.py: it works across
`voxctl do` calls and inside `listen`); this module only defines what a journal must do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from voxctl.tools.base import Args, EmergencyStop, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail
from voxctl.tools.desktop import Window

# Primitives after which the last typing is still right before the caret: waiting, moving the pointer,
# focus and window-state changes (the focus is checked when erasing), screenshots.
_NEUTRAL = frozenset({"sleep", "move", "activate", "set_window_state", "screenshot"})


@dataclass(frozen=True)
class Typed:
    """One typing: the text, the window it went to (id and title), and whether it finished."""

    text: str
    window_id: str
    window_title: str
    at: float
    complete: bool = True


class Journal(Protocol):
    def typed(self, window: Window | None, text: str, complete: bool) -> None:
        """`text` was typed into `window` (the active one; None: none was); complete=False: cut short."""
        ...

    def acted(self, primitive: str) -> None:
        """Another primitive acted after the last typing (the caret may have moved)."""
        ...

    def last(self) -> Typed | str:
        """The last typing that may still be scratched, or why there is none."""
        ...

    def erased(self, entry: Typed) -> None:
        """`entry` was taken back: the next "scratch that" looks at the typing before it."""
        ...


class JournaledDesktop:
    """A desktop that writes down every typing and every other act in `journal`; otherwise the same."""

    def __init__(self, inner: Any, journal: Journal) -> None:
        self.inner = inner
        self.journal = journal
        self.quiet = False  # erase_typed's own backspaces are not "something else"

    def type_text(self, text: str) -> None:
        try:
            window = self.inner.active_window()
        except Exception:  # cannot tell where it goes: it can never be scratched (the focus check fails)
            window = None
        try:
            self.inner.type_text(text)
        except EmergencyStop:
            self.journal.typed(window, text, complete=False)
            raise
        self.journal.typed(window, text, complete=True)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name in _NEUTRAL or not callable(attr) or not _acts(self.inner, name):
            return attr

        def acting(*args: Any, **kwargs: Any) -> Any:
            if not self.quiet:
                self.journal.acted(name)
            return attr(*args, **kwargs)

        return acting


def _acts(desktop: Any, name: str) -> bool:
    """Whether `name` is a primitive that acts on the desktop (reads never move a caret)."""
    from voxctl.tools.guard import ACTING  # the one list of acting primitives, built from the tools' specs

    return name in ACTING


@contextlib.contextmanager
def quietly(desktop: Any) -> Iterator[None]:
    if isinstance(desktop, JournaledDesktop):
        desktop.quiet = True
        try:
            yield
        finally:
            desktop.quiet = False
    else:
        yield


class EraseTyped(Args):
    """Take back exactly the text voxctl typed last ("scratch that"), with backspaces, while the window it
    was typed into still has the focus. Said again, it takes back the typing before that."""


def _window_name(title: str, wid: str) -> str:
    return repr(title) if title else f"window {wid}"


def run_erase(a: EraseTyped, ctx: ToolContext) -> Outcome:
    journal: Journal | None = ctx.journal
    if journal is None:
        return fail("erase_typed", "there is no typing journal here, so nothing can be scratched")
    entry = journal.last()
    if isinstance(entry, str):
        return fail("erase_typed", entry)
    if not entry.complete:
        return fail("erase_typed", f"the last typing ({entry.text[:40]!r}) was cut short by the emergency stop; "
                                   "how much of it landed is unknown, so nothing was erased")
    active = ctx.desktop.active_window()
    if active is None or active.id != entry.window_id:
        now = _window_name(active.title, active.id) if active else "no window"
        return fail("erase_typed", f"not erased: {entry.text[:40]!r} was typed into "
                                   f"{_window_name(entry.window_title, entry.window_id)}, but the focus is now on "
                                   f"{now}; switch back to it and say it again")
    with quietly(ctx.desktop):
        try:
            for _ in range(len(entry.text)):
                ctx.desktop.press(["backspace"])
        except BaseException:  # stopped part-way: what is left is unknown, so no later scratch may guess
            journal.acted("erase_typed (cut short)")
            raise
    journal.erased(entry)
    return ToolResult("erase_typed", f"erased {len(entry.text)} characters ({entry.text[:40]!r})",
                      {"window": entry.window_id, "count": len(entry.text)})


SPECS = (
    ToolSpec("erase_typed", EraseTyped, Risk.LOW, run_erase, family="keyboard", examples=("scratch that",),
             describe=lambda a: "erase what voxctl typed last", primitives=frozenset({"press"})),
)
