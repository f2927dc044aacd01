"""The typing journal kept with the history (tools/journal.py says what it is for).

A table of its own, `voxctl_typed`, in the history file (history.path), so "scratch that" finds what an
earlier `voxctl do` typed as well as what this `listen` typed. Rows, newest last: a typing (its text,
the window's id and title, complete or cut short, erased or not), or a mark that something else acted
after it. Only the newest KEEP rows are kept. A dry run reads the journal but never writes it: what it
"typed" is not on any screen.
"""

from __future__ import annotations

import time

from voxctl.agent.audit import AuditLog
from voxctl.agent.history_table import HistoryTable
from voxctl.tools.desktop import Window
from voxctl.tools.journal import Typed

KEEP = 200

SCHEMA = """
CREATE TABLE IF NOT EXISTS voxctl_typed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, text TEXT NOT NULL, window_id TEXT NOT NULL,
    window TEXT NOT NULL, state TEXT NOT NULL, at REAL NOT NULL);
"""


class HistoryJournal(HistoryTable):
    """tools.journal.Journal on the audit log's SQLite file."""

    schema = SCHEMA

    def __init__(self, audit: AuditLog, writable: bool = True) -> None:
        super().__init__(audit)
        self.writable = writable

    def _add(self, kind: str, text: str, window: Window | None, state: str) -> None:
        if not self.writable:
            return
        self._exec("INSERT INTO voxctl_typed (kind, text, window_id, window, state, at) VALUES (?, ?, ?, ?, ?, ?)",
                   (kind, text, window.id if window else "", window.title if window else "", state, time.time()))
        self._exec("DELETE FROM voxctl_typed WHERE seq <= (SELECT max(seq) FROM voxctl_typed) - ?", (KEEP,))

    def typed(self, window: Window | None, text: str, complete: bool) -> None:
        self._add("typed", text, window, "done" if complete else "partial")

    def acted(self, primitive: str) -> None:
        newest = self._exec("SELECT kind FROM voxctl_typed ORDER BY seq DESC LIMIT 1")
        if newest and newest[0][0] == "acted":  # one mark is enough between two typings
            return
        self._add("acted", primitive, None, "done")

    def last(self) -> Typed | str:
        rows = self._exec("SELECT seq, kind, text, window_id, window, state, at FROM voxctl_typed "
                          "WHERE state != 'erased' ORDER BY seq DESC LIMIT 1")
        if not rows:
            return "voxctl has typed nothing that can still be scratched"
        seq, kind, text, wid, title, state, at = rows[0]
        if kind == "acted":
            what = "a key press" if text == "press" else f"a {text}" if text in ("click", "drag", "scroll") else text
            return (f"not erased: something else was done after voxctl last typed ({what}), so the text before "
                    "the cursor may not be that typing any more")
        return Typed(text, wid, title, at, complete=state == "done")

    def erased(self, entry: Typed) -> None:
        if not self.writable:
            return
        self._exec("UPDATE voxctl_typed SET state = 'erased' WHERE seq = (SELECT max(seq) FROM voxctl_typed "
                   "WHERE kind = 'typed' AND state = 'done' AND text = ? AND window_id = ? AND at = ?)",
                   (entry.text, entry.window_id, entry.at))
