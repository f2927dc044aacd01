"""What the Tk test apps share (tests/apps/event_logger.py, tests/apps/pointing_app.py): the log of what the
window received, one JSON object a line, and the window, whose "ready" line says it is up.

The apps run as files (`python tests/apps/event_logger.py LOG`), so they import this one as a sibling
module (`import tklog`): a script's own folder is first on sys.path.
"""

from __future__ import annotations

import json
import time
import tkinter as tk
from collections.abc import Callable

T0 = time.monotonic()


def open_log(path: str) -> Callable[..., None]:
    """log(event, **fields): appends {"event", "t": seconds since start, "mono": time.monotonic(), **fields}
    and flushes it, so a test reads each line as soon as it happened."""
    out = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the window

    def log(event: str, **kw: object) -> None:
        now = time.monotonic()  # "mono": the system-wide monotonic clock, comparable with the test's own
        out.write(json.dumps({"event": event, "t": round(now - T0, 3), "mono": round(now, 4), **kw}) + "\n")
        out.flush()

    return log


def window(title: str, geometry: str) -> tuple[tk.Tk, tk.Frame]:
    """The toplevel and its white client area (what "ready" reports in screen pixels)."""
    root = tk.Tk()
    root.title(title)
    root.geometry(geometry)
    area = tk.Frame(root, bg="white")
    area.pack(fill="both", expand=True)
    return root, area


def run(root: tk.Tk, ready: Callable[[], None], settle_ms: int) -> None:
    """Runs the window until it closes; calls `ready` once, `settle_ms` after it is first mapped."""

    def mapped(_: tk.Event) -> None:
        root.unbind("<Map>")
        root.after(settle_ms, ready)  # let the window manager finish placing and decorating it

    root.bind("<Map>", mapped)
    root.mainloop()
