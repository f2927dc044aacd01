"""The audit log: every utterance, plan, decision, answer and executed action, in SQLite.

It lives in the same file as the LangGraph checkpointer (`history.path`, default
`<user data dir>/voxctl/history.sqlite`), in three tables of its own:

- `voxctl_runs`: one row per utterance (graph thread): transcript, plan, decision, answer, status;
- `voxctl_actions`: per-action progress, written *before* an action starts and again when it ends, so a
  crash leaves at most one action whose fate is unknown (see agent/graph.py, "exactly once");
- `voxctl_primitives`: every desktop primitive that ran (GuardedDesktop's on_primitive), with a timestamp;
- `voxctl_approvals`: where a run's approval holds: the desktop and window it was given for, moved on as
  the run's own actions move the focus (see agent/approval.py);
- `voxctl_leases`: which live voxctl process is running a run now, so no two ever do (agent/lease.py).

The checkpointer holds the full graph state for resuming; these tables are the plain, stable record that
`voxctl history` reads and that survives changes to LangGraph's storage format.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voxctl.agent.config import Config

SCHEMA = """
CREATE TABLE IF NOT EXISTS voxctl_runs (
    thread_id TEXT PRIMARY KEY, started REAL NOT NULL, updated REAL NOT NULL, input TEXT,
    transcript TEXT, audio_seconds REAL, window TEXT, plan TEXT, decision TEXT, answer TEXT,
    status TEXT NOT NULL, summary TEXT, executed REAL);
CREATE INDEX IF NOT EXISTS voxctl_runs_started ON voxctl_runs(started);
CREATE INDEX IF NOT EXISTS voxctl_runs_executed ON voxctl_runs(executed);
CREATE TABLE IF NOT EXISTS voxctl_actions (
    thread_id TEXT NOT NULL, idx INTEGER NOT NULL, tool TEXT NOT NULL, args TEXT, state TEXT NOT NULL,
    message TEXT, started REAL, finished REAL, PRIMARY KEY (thread_id, idx));
CREATE TABLE IF NOT EXISTS voxctl_primitives (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, thread_id TEXT NOT NULL, action INTEGER, name TEXT NOT NULL,
    args TEXT, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS voxctl_primitives_thread ON voxctl_primitives(thread_id);
CREATE TABLE IF NOT EXISTS voxctl_approvals (
    thread_id TEXT PRIMARY KEY, desktop TEXT NOT NULL, window_id TEXT NOT NULL, window TEXT NOT NULL,
    via TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS voxctl_leases (
    thread_id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, proc_start TEXT NOT NULL,
    command TEXT NOT NULL, since REAL NOT NULL, heartbeat REAL NOT NULL);
"""

RUN_FIELDS = ("input", "transcript", "audio_seconds", "window", "plan", "decision", "answer", "status",
              "summary", "executed")
JSON_FIELDS = ("plan", "decision", "answer")
# Statuses a run can be left in when its process ended before the report.
UNFINISHED = ("started", "awaiting", "executing")


def history_path(config: Config) -> Path:
    """Where the audit log and checkpoints live: history.path, or the user data directory."""
    if config.history.path:
        path = Path(config.history.path).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("voxctl")) / "history.sqlite"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise HistoryError(f"history.path {path}: cannot create its folder: {e.strerror or e}") from None
    return path


class HistoryError(Exception):
    """The history file (history.path) cannot be used; str() is the one-line message for the user."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection shared across threads; WAL so another voxctl process can read and write meanwhile.
    Raises HistoryError when `path` is not a usable SQLite database (a folder, a FIFO, another file)."""
    if path.is_dir():
        raise HistoryError(f"history.path {path}: is a directory; give a file name (e.g. {path / 'history.sqlite'})")
    if path.exists() and not path.is_file():
        raise HistoryError(f"history.path {path}: is not a regular file")
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as e:
        why = "it is not an SQLite database (another file?)" if "not a database" in str(e) else str(e)
        raise HistoryError(f"history.path {path}: cannot use it as the history database: {why}") from None
    except sqlite3.Error as e:
        raise HistoryError(f"history.path {path}: cannot open the history database: {e}") from None
    return conn


@dataclass(frozen=True)
class ActionRow:
    index: int
    tool: str
    args: dict[str, Any]
    state: str  # started | ok | failed | stopped | uncertain | skipped
    message: str
    started: float | None
    finished: float | None


@dataclass(frozen=True)
class Lease:
    """The process that holds a run: which host, pid and process start (a reused pid is another process)."""

    host: str
    pid: int
    proc_start: str
    command: str
    since: float
    heartbeat: float


LEASE_COLS = "thread_id, host, pid, proc_start, command, since, heartbeat"


@dataclass(frozen=True)
class Entry:
    """One utterance as `voxctl history` shows it."""

    thread_id: str
    started: float
    status: str
    input: str
    transcript: str
    audio_seconds: float | None
    window: str
    plan: dict[str, Any] | None
    decision: dict[str, Any] | None
    answer: dict[str, Any] | None
    summary: str
    actions: tuple[ActionRow, ...] = ()
    primitives: int = 0

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["actions"] = [a.__dict__ for a in self.actions]
        return data


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        self.lock = threading.Lock()
        with self.lock:
            self.conn.executescript(SCHEMA)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def _exec(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    # --- runs -----------------------------------------------------------------------------------------
    def record(self, thread_id: str, **fields: Any) -> None:
        """Create or update the run's row; only the given fields change."""
        unknown = set(fields) - set(RUN_FIELDS)
        if unknown:
            raise ValueError(f"unknown audit fields: {unknown}")
        values = {k: json.dumps(v) if k in JSON_FIELDS and v is not None else v for k, v in fields.items()}
        status = values.pop("status", None)
        now = time.time()
        cols = "".join(f", {k}" for k in values)
        marks = ", ?" * len(values)
        updates = "".join(f", {k} = excluded.{k}" for k in values)
        if status is not None:
            updates += ", status = excluded.status"
        self._exec(
            f"INSERT INTO voxctl_runs (thread_id, started, updated, status{cols}) VALUES (?, ?, ?, ?{marks}) "
            f"ON CONFLICT(thread_id) DO UPDATE SET updated = excluded.updated{updates}",
            (thread_id, now, now, status or "started", *values.values()),
        )

    def executed_since(self, since: float) -> int:
        """How many plans began executing after `since` (the rate limit counts these, across processes)."""
        return self._exec("SELECT count(*) FROM voxctl_runs WHERE executed >= ?", (since,))[0][0]

    # --- actions and primitives ----------------------------------------------------------------------
    def begin_action(self, thread_id: str, index: int, call: dict[str, Any]) -> None:
        self._exec(
            "INSERT OR REPLACE INTO voxctl_actions (thread_id, idx, tool, args, state, started) "
            "VALUES (?, ?, ?, ?, 'started', ?)",
            (thread_id, index, call["tool"], json.dumps(call.get("args", {})), time.time()),
        )

    def end_action(self, thread_id: str, index: int, state: str, message: str = "") -> None:
        self._exec("UPDATE voxctl_actions SET state = ?, message = ?, finished = ? WHERE thread_id = ? AND idx = ?",
                   (state, message, time.time(), thread_id, index))

    def actions(self, thread_id: str) -> dict[int, ActionRow]:
        rows = self._exec("SELECT idx, tool, args, state, message, started, finished FROM voxctl_actions "
                          "WHERE thread_id = ? ORDER BY idx", (thread_id,))
        return {r[0]: ActionRow(r[0], r[1], json.loads(r[2] or "{}"), r[3], r[4] or "", r[5], r[6]) for r in rows}

    def primitive(self, thread_id: str, action: int | None, name: str, args: dict[str, Any]) -> None:
        self._exec("INSERT INTO voxctl_primitives (thread_id, action, name, args, at) VALUES (?, ?, ?, ?, ?)",
                   (thread_id, action, name, json.dumps(args), time.time()))

    def primitives(self, thread_id: str) -> list[tuple[int | None, str, dict[str, Any], float]]:
        rows = self._exec("SELECT action, name, args, at FROM voxctl_primitives WHERE thread_id = ? ORDER BY seq",
                          (thread_id,))
        return [(r[0], r[1], json.loads(r[2] or "{}"), r[3]) for r in rows]

    # --- where an approval holds (agent/approval.py) ----------------------------------------------
    def bind(self, thread_id: str, desktop: str, window_id: str, window: str, via: str) -> None:
        self._exec("INSERT OR REPLACE INTO voxctl_approvals (thread_id, desktop, window_id, window, via, at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (thread_id, desktop, window_id, window, via, time.time()))

    def binding(self, thread_id: str) -> tuple[str, str, str, str] | None:
        """(desktop, window id, window title, via) of the run's approval, or None when none was recorded."""
        rows = self._exec("SELECT desktop, window_id, window, via FROM voxctl_approvals WHERE thread_id = ?",
                          (thread_id,))
        return rows[0] if rows else None

    # --- leases: one live process per run (agent/lease.py) -----------------------------------------
    def claim(self, thread_id: str, me: Lease, taken: Callable[[Lease], bool]) -> Lease | None:
        """Make `me` the run's holder unless `taken(holder)` says its holder still has it; returns that holder.

        One write transaction, so of two processes claiming at once exactly one wins."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                row = self.conn.execute(f"SELECT {LEASE_COLS} FROM voxctl_leases WHERE thread_id = ?",
                                        (thread_id,)).fetchone()
                holder = Lease(*row[1:]) if row else None
                if holder is not None and taken(holder):
                    self.conn.execute("ROLLBACK")
                    return holder
                self.conn.execute(f"INSERT OR REPLACE INTO voxctl_leases ({LEASE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                  (thread_id, *me.__dict__.values()))
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return None

    def lease(self, thread_id: str) -> Lease | None:
        rows = self._exec(f"SELECT {LEASE_COLS} FROM voxctl_leases WHERE thread_id = ?", (thread_id,))
        return Lease(*rows[0][1:]) if rows else None

    def heartbeat(self, thread_ids: list[str], me: Lease) -> None:
        for tid in thread_ids:
            self._exec("UPDATE voxctl_leases SET heartbeat = ? WHERE thread_id = ? AND host = ? AND pid = ? "
                       "AND proc_start = ?", (time.time(), tid, me.host, me.pid, me.proc_start))

    def release(self, thread_id: str, me: Lease) -> None:
        self._exec("DELETE FROM voxctl_leases WHERE thread_id = ? AND host = ? AND pid = ? AND proc_start = ?",
                   (thread_id, me.host, me.pid, me.proc_start))

    # --- reading ---------------------------------------------------------------------------------------
    def _entries(self, where: str, params: tuple[Any, ...], limit: int) -> list[Entry]:
        rows = self._exec(
            "SELECT thread_id, started, status, input, transcript, audio_seconds, window, plan, decision, answer, "
            f"summary FROM voxctl_runs {where} ORDER BY started DESC, rowid DESC LIMIT ?", (*params, limit))
        out = []
        for r in rows:
            n = self._exec("SELECT count(*) FROM voxctl_primitives WHERE thread_id = ?", (r[0],))[0][0]
            out.append(Entry(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5], r[6] or "",
                             *(json.loads(x) if x else None for x in r[7:10]), r[10] or "",
                             tuple(self.actions(r[0]).values()), n))
        return out

    def recent(self, n: int) -> list[Entry]:
        """The last `n` utterances, newest first."""
        return self._entries("", (), n)

    def get(self, thread_id: str) -> Entry | None:
        found = self._entries("WHERE thread_id = ?", (thread_id,), 1)
        return found[0] if found else None

    def unfinished(self) -> list[Entry]:
        """Runs left paused at the confirmation or cut off while executing (newest first)."""
        marks = ", ".join("?" for _ in UNFINISHED)
        return self._entries(f"WHERE status IN ({marks})", UNFINISHED, 100)

    def prune(self, keep_last: int) -> list[str]:
        """Forget all but the newest `keep_last` runs; returns the thread ids removed (their checkpoints go too)."""
        old = [r[0] for r in self._exec(
            "SELECT thread_id FROM voxctl_runs ORDER BY started DESC, rowid DESC LIMIT -1 OFFSET ?", (keep_last,))]
        for tid in old:
            for table in ("voxctl_runs", "voxctl_actions", "voxctl_primitives", "voxctl_approvals",
                          "voxctl_leases"):
                self._exec(f"DELETE FROM {table} WHERE thread_id = ?", (tid,))
        return old
