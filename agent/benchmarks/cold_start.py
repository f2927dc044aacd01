"""Cold start for `voxctl bench e2e`: a fresh `voxctl listen --dry-run` process until it prints Ready."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def cold_start(pulse_env: dict[str, str], tmp: Path) -> dict[str, Any]:
    """A fresh `voxctl listen --dry-run` until it prints Ready: seconds, and its peak RSS by then."""
    env = dict(pulse_env)
    xvfb = None
    if not env.get("DISPLAY"):
        if not shutil.which("Xvfb"):
            return {"skipped": "no DISPLAY and no Xvfb for the hotkey listener"}
        from voxctl.agent.benchmarks.xvfb import start_xvfb

        xvfb, env["DISPLAY"] = start_xvfb()
    cfg = tmp / "cold.yaml"
    cfg.write_text(f"history:\n  path: {tmp / 'cold.sqlite'}\n")
    env["VOXCTL_CONFIG"] = str(cfg)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "voxctl.agent", "listen", "--dry-run"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    out, seconds, rss = [], None, None
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            out.append(line)
            if line.startswith("Ready:"):
                seconds = time.perf_counter() - t0
                rss = _peak_rss_mb(proc.pid)
                break
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    if seconds is None:
        return {"error": "voxctl listen never became ready: " + "".join(out)[-300:]}
    return {"seconds": round(seconds, 2), "peak_rss_mb": rss}


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:  # not Linux
        return None
    return None
