"""Where an approval holds: the desktop (a dry run, or which display) and the window it was given for.

A plan is judged and confirmed for what was on screen ("about to run 1 action in 'victim3'"), so its
approval holds there and nowhere else:
- a dry run's approval never acts on a real desktop, and one display's never on another's;
- the window: the active window (X id *and* title) when the policy judged the plan. When execution
  starts (in this process after the answer, or in another one after `voxctl resume`) that window must
  still be the active one; otherwise nothing runs. As the run's own actions move the focus, the record
  moves with them (after each action), so a run cut off part-way carries on only where it was.
- `voxctl resume ID --window ID|TITLE` focuses the window named and binds the approval to it.

The record lives in the audit log (`voxctl_approvals`); the execute node checks it before the first
action it runs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

from voxctl.agent.audit import AuditLog

DRY_RUN = "dry-run"


@dataclass(frozen=True)
class Place:
    desktop: str  # "dry-run", "x11::0" (the display), or the platform's name
    window_id: str
    window: str  # its title

    def describe(self) -> str:
        return f"window {self.window_id} {self.window!r}" if self.window_id else "no window"


def desktop_name(dry_run: bool) -> str:
    if dry_run:
        return DRY_RUN
    if sys.platform.startswith("linux"):
        return f"x11:{os.environ.get('DISPLAY', '')}"
    return sys.platform


def desktop_words(name: str) -> str:
    if name == DRY_RUN:
        return "a dry run"
    if name.startswith("x11:"):
        return f"display {name[4:] or '(none)'}"
    return name


def here(desktop: Any, dry_run: bool) -> Place:
    """The desktop and its active window now ('' when the desktop cannot say)."""
    try:
        win = desktop.active_window()
    except Exception:  # no display, no window manager
        win = None
    return Place(desktop_name(dry_run), win.id if win else "", win.title if win else "")


def record(audit: AuditLog, thread_id: str, place: Place, via: str) -> None:
    audit.bind(thread_id, place.desktop, place.window_id, place.window, via)


def bound(audit: AuditLog, thread_id: str) -> Place | None:
    row = audit.binding(thread_id)
    return Place(*row[:3]) if row else None


def open_ids(desktop: Any) -> set[str]:
    try:
        return {w.id for w in desktop.windows()}
    except Exception:
        return set()


def mismatch(approved: Place | None, desktop: Any, dry_run: bool) -> str | None:
    """Why the approval does not hold on this desktop now (one clause), or None when it does."""
    now = here(desktop, dry_run)
    if approved is None:
        return "there is no record of the window it was approved for"
    if approved.desktop != now.desktop:
        return f"it was approved for {desktop_words(approved.desktop)}, not for {desktop_words(now.desktop)}"
    if (approved.window_id, approved.window) == (now.window_id, now.window):
        return None
    if not approved.window_id:
        return f"it was approved with no window active, and now {now.describe()} is"
    if approved.window_id not in open_ids(desktop):
        state = "which is gone"
    elif approved.window_id == now.window_id:
        state = f"whose title is now {now.window!r}"
    else:
        state = f"which is not active ({now.describe()} is)"
    return f"it was approved for {approved.describe()}, {state}"


def find_window(desktop: Any, spec: str) -> tuple[Any | None, str]:
    """The window `spec` names: an X id (0x…, or decimal) or a title (as focus_window matches it).
    Returns (window, '') or (None, why not)."""
    from voxctl.tools.windows import title_matches

    try:
        wins = list(desktop.windows())
    except Exception as e:
        return None, f"cannot list the windows: {e}"
    try:
        wid = int(spec, 0)
    except ValueError:
        wid = None
    if wid is not None:
        found = [w for w in wins if _int_id(w.id) == wid]
    else:
        found = [w for w in wins if w.title == spec] or [w for w in wins if title_matches(spec, w.title)]
    if not found:
        return None, f"no window {'with id' if wid is not None else 'whose title contains'} {spec!r}"
    if len(found) > 1:
        names = ", ".join(f"{w.id} {w.title!r}" for w in found[:5])
        return None, f"{len(found)} windows match {spec!r} ({names}); name one by its id"
    return found[0], ""


def _int_id(wid: str) -> int | None:
    try:
        return int(wid, 0)
    except ValueError:
        return None


@dataclass
class Binding:
    """The execute node's view of one run's approval (durable.Where): does it hold here, and moving it on."""

    audit: AuditLog
    thread_id: str
    desktop: Any
    dry_run: bool

    def problem(self) -> str | None:
        return mismatch(bound(self.audit, self.thread_id), self.desktop, self.dry_run)

    def moved(self, index: int) -> None:
        record(self.audit, self.thread_id, here(self.desktop, self.dry_run), f"after action {index + 1}")
