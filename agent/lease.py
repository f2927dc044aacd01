"""One live process per run: a lease in the audit log's SQLite file (`voxctl_leases`).

Whoever drives a run (a new utterance, `exec`, `resume`) claims it first. A claim wins unless the run's
holder is still alive: on this host that is its pid *and* its process start time (a pid the system handed
to another process does not count; a zombie does not either), so a SIGKILLed voxctl loses its leases
at once and a live one, even a stopped one (Ctrl+Z), keeps them. A holder on another host (a history
file on a network share) is trusted while its heartbeat, written every few seconds, is fresh.

So two `voxctl resume ID --yes` at once: one runs, the other says who holds the run and exits non-zero;
and `voxctl resume` does not offer a run that a live `exec` or `listen` is still running or asking about.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from datetime import datetime

from voxctl.agent.audit import AuditLog, Lease

HEARTBEAT_S = 5.0
STALE_S = 60.0  # a holder on another host whose heartbeat is older than this has gone


class LeaseHeld(Exception):
    """Another live voxctl process is running (or asking about) this run."""

    def __init__(self, thread_id: str, holder: Lease) -> None:
        self.thread_id = thread_id
        self.holder = holder
        super().__init__(f"{thread_id} is being run by {describe(holder)}")


def describe(holder: Lease) -> str:
    since = datetime.fromtimestamp(holder.since).strftime("%H:%M:%S")
    where = "" if holder.host == socket.gethostname() else f" on {holder.host}"
    return f"voxctl process {holder.pid}{where} (`{holder.command}`, since {since})"


def proc_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), '' where the system does not say."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2:].split()  # after "pid (comm) "; comm may hold spaces
    return "" if fields[0] in ("Z", "X") else fields[19]


def pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    return True


def alive(holder: Lease, now: float | None = None) -> bool:
    """Whether the holder still holds: its process is alive (this host), or its heartbeat is fresh (another)."""
    fresh = (now or time.time()) - holder.heartbeat < STALE_S
    if holder.host != socket.gethostname():
        return fresh
    if holder.proc_start:
        return pid_exists(holder.pid) and proc_start(holder.pid) == holder.proc_start
    return pid_exists(holder.pid) and fresh


def me(command: str = "") -> Lease:
    now = time.time()
    cmd = command or " ".join(["voxctl", *sys.argv[1:3]])[:80]
    return Lease(socket.gethostname(), os.getpid(), proc_start(os.getpid()), cmd, now, now)


class Leases:
    """The runs this process holds, kept alive by a heartbeat thread while any are held."""

    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit
        self.me = me()
        self.held: set[str] = set()
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.beat: threading.Thread | None = None

    def holder(self, thread_id: str) -> Lease | None:
        """The live process other than this one that holds the run, if any."""
        lease = self.audit.lease(thread_id)
        if lease is None or self.mine(lease) or not alive(lease):
            return None
        return lease

    def mine(self, lease: Lease) -> bool:
        return (lease.host, lease.pid, lease.proc_start) == (self.me.host, self.me.pid, self.me.proc_start)

    def claim(self, thread_id: str) -> None:
        """Hold the run from now on; LeaseHeld when a live process other than this one holds it."""
        with self.lock:
            if thread_id in self.held:
                return
            now = time.time()
            ours = Lease(self.me.host, self.me.pid, self.me.proc_start, self.me.command, now, now)
            holder = self.audit.claim(thread_id, ours, lambda h: not self.mine(h) and alive(h))
            if holder is not None:
                raise LeaseHeld(thread_id, holder)
            self.held.add(thread_id)
            if self.beat is None:
                self.beat = threading.Thread(target=self._beat, name="voxctl-lease", daemon=True)
                self.beat.start()

    def release(self, thread_id: str) -> None:
        with self.lock:
            if thread_id in self.held:
                self.held.discard(thread_id)
                self.audit.release(thread_id, self.me)

    def close(self) -> None:
        """Give back every run held (the process is ending or done with them)."""
        self.closed.set()
        for tid in list(self.held):
            self.release(tid)

    def _beat(self) -> None:
        while not self.closed.wait(HEARTBEAT_S):
            with self.lock:
                held = list(self.held)
            try:
                self.audit.heartbeat(held, self.me)
            except Exception:  # the log was closed under us, a locked file: the next beat tries again
                continue
