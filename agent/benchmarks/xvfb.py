"""A private X server for benchmarks and tests: Xvfb on a display number it picks itself (-displayfd),
so that it never collides with a display already in use."""

from __future__ import annotations

import os
import subprocess


def start_xvfb(screen: tuple[int, int] = (1280, 800)) -> tuple[subprocess.Popen, str]:
    """(the Xvfb process, its DISPLAY string); raises OSError or RuntimeError when it cannot start."""
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{screen[0]}x{screen[1]}x24", "-nolisten", "tcp", "-ac"],
        pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(w)
    with os.fdopen(r) as f:
        num = f.readline().strip()
    if not num:
        proc.kill()
        raise RuntimeError("Xvfb did not report a display number")
    return proc, f":{num}"
