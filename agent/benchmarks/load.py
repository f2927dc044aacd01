"""Benchmark conditions: an optional busy load (`voxctl bench --load N`) and what the machine was doing.

A figure without its conditions is not a result: every benchmark run records the number of CPUs, the
load average before and after, and how many busy-loop workers voxctl itself started. `--load N` starts N
processes that spin on one core each (the way a browser or a build keeps a laptop busy) for the whole
run, so idle and busy figures come from the same command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SPIN = "import os\nos.nice(0)\nwhile True:\n    pass\n"


def conditions(workers: int) -> dict[str, Any]:
    """What the machine was doing, as recorded beside every figure."""
    try:
        load1 = round(os.getloadavg()[0], 2)
    except OSError:  # not Unix
        load1 = None
    return {"cpus": os.cpu_count(), "busy_workers": workers, "loadavg_1min": load1}


@contextmanager
def busy(workers: int) -> Iterator[dict[str, Any]]:
    """Run the body with `workers` CPU-bound processes alongside; yields the conditions (updated at exit)."""
    procs = [subprocess.Popen([sys.executable, "-c", _SPIN], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(max(0, workers))]
    info = {"before": conditions(workers)}
    try:
        yield info
    finally:
        info["after"] = conditions(workers)
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


def describe(info: dict[str, Any]) -> str:
    """One line for the console: 'idle' or 'busy: N spinning workers', with the load average."""
    b, a = info.get("before", {}), info.get("after", {})
    n = b.get("busy_workers", 0)
    kind = f"busy: {n} CPU-bound worker{'s' if n != 1 else ''} started by the benchmark" if n else "no load added"
    return f"{kind}; {b.get('cpus')} CPUs; load average {b.get('loadavg_1min')} before, {a.get('loadavg_1min', '?')} after"
