"""A private X server for benchmarks and tests: Xvfb on a display number it picks itself (-displayfd),
so that it never collides with a display already in use; and openbox on it, once it is ready."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO


def start_xvfb(screen: tuple[int, int] = (1280, 800)) -> tuple[subprocess.Popen, str]:
    """(the Xvfb process, its DISPLAY string); raises OSError or RuntimeError when it cannot start. -noreset: an
    X server resets when its last client leaves, and a client connecting meanwhile is refused ("Can't open
    display": an xterm started while a poll's xdotool disconnected)."""
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{screen[0]}x{screen[1]}x24", "-nolisten", "tcp", "-ac",
         "-noreset"],
        pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(w)
    with os.fdopen(r) as f:
        num = f.readline().strip()
    if not num:
        proc.kill()
        raise RuntimeError("Xvfb did not report a display number")
    return proc, f":{num}"


@contextmanager
def private_display(screen: tuple[int, int] = (1280, 800)) -> Iterator[str]:
    """An Xvfb of its own for the block, with DISPLAY pointing at it (for this process and the programs it
    starts); yields the DISPLAY string. After the block the server is gone and DISPLAY is what it was."""
    proc, display = start_xvfb(screen)
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old


def start_openbox(args: Sequence[str] = (), log: IO | None = None, timeout: float = 60.0) -> subprocess.Popen:
    """openbox on DISPLAY, returned once it manages the screen (`wmctrl -m` names it): before that, asking it
    to activate a window fails ("claims not to support _NET_ACTIVE_WINDOW"). RuntimeError when it exits or
    is not up within `timeout` seconds (generous: a busy machine starts it slowly, a ready one returns at once).
    `log`: where its output goes (none by default)."""
    out = log if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(["openbox", "--sm-disable", *args], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while subprocess.run(["wmctrl", "-m"], capture_output=True).returncode != 0 or proc.poll() is not None:
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            raise RuntimeError(f"openbox did not come up on {os.environ.get('DISPLAY')} (exit {proc.returncode})")
        time.sleep(0.05)
    return proc
