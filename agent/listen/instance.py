"""One `voxctl listen` per user session: a lock file per user and display, holding the listener's pid.

Two listeners on one desktop both heard the talk chord and both acted ("type double" typed
`doubledouble`). The lock is an advisory file lock (flock; msvcrt on Windows) in the user's runtime
directory, so the operating system drops it the moment its holder exits, however it exits: there is no
stale lock to clean up. The file also names the holder, for the message a second listener prints.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

EXIT_ALREADY_LISTENING = 4  # as `resume` for a run held by a live voxctl process


class AlreadyListening(Exception):
    """Another live `voxctl listen` holds this user's session; str() is one line naming it."""


def lock_path(display: str | None = None) -> Path:
    """$XDG_RUNTIME_DIR/voxctl/listen-<display>.lock (private to the user), else a per-user temp dir."""
    display = os.environ.get("DISPLAY", "") if display is None else display
    name = re.sub(r"[^A-Za-z0-9.]+", "_", display).strip("_") or "console"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    base = Path(runtime) / "voxctl" if runtime else Path(tempfile.gettempdir()) / f"voxctl-{uid}"
    return base / f"listen-{name}.lock"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held by another process
        return False
    return True


class ListenLock:
    """`acquire()` or AlreadyListening; held until `close()` or the process ends."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or lock_path()
        self._fd: int | None = None

    def acquire(self) -> ListenLock:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            try:
                holder = os.read(fd, 200).decode("utf-8", "replace").split()
            except OSError:  # Windows: the holder's locked byte cannot be read
                holder = []
            os.close(fd)
            pid = holder[0] if holder else "?"
            since = time.strftime("%H:%M:%S", time.localtime(float(holder[1]))) if len(holder) > 1 else "?"
            display = os.environ.get("DISPLAY") or "this session"
            raise AlreadyListening(f"another voxctl listen (pid {pid}, since {since}) is already listening on "
                                   f"{display}; stop it first (lock {self.path})")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()} {time.time():.0f}\n".encode())
        self._fd = fd
        return self

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the lock; the file stays (removing it would race a new listener)
