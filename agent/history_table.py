"""A table of one part's own in the history file: the audit log's SQLite database (agent/audit.py).

The typing journal (agent/journal.py) and the macro recording (agent/recording.py) keep their rows there,
beside the runs, on the audit log's one connection (opened by `audit.connect`, WAL) and under its lock, so
a `voxctl do` and a `listen` see the same rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from voxctl.agent.audit import AuditLog


class HistoryTable:
    """Creates its tables (`schema`, CREATE ... IF NOT EXISTS) in the history file, and runs statements there."""

    schema: ClassVar[str]

    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit
        with audit.lock:
            audit.conn.executescript(self.schema)

    def _exec(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.audit.lock:
            return self.audit.conn.execute(sql, params).fetchall()
