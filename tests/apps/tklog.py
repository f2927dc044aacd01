"""What the test apps share (tests/apps/event_logger.py, pointing_app.py, text_box.py, gtk_app.py): their
command line, the log of what the window received, one JSON object a line, and for the Tk ones the window,
whose "ready" line says it is up and where its client area is.

The apps run as files (`python tests/apps/event_logger.py LOG`), so they import this one as a sibling
module (`import tklog`): a script's own folder is first on sys.path. tkinter is imported where a Tk window is
made: gtk_app.py runs under the system Python, which may have no tkinter.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import tkinter as tk

T0 = time.monotonic()


def arguments(out: str, title: str, geometry: str) -> argparse.ArgumentParser:
    """The command line every app takes: `OUT [--title TITLE] [--geometry WxH+X+Y]` (`out`: OUT's name)."""
    ap = argparse.ArgumentParser()
    ap.add_argument(out)
    ap.add_argument("--title", default=title)
    ap.add_argument("--geometry", default=geometry)
    return ap


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
    import tkinter as tk

    root = tk.Tk()
    root.title(title)
    root.geometry(geometry)
    area = tk.Frame(root, bg="white")
    area.pack(fill="both", expand=True)
    return root, area


def run(root: tk.Tk, area: tk.Frame, log: Callable[..., None], settle_ms: int,
        more: Callable[[], dict[str, Any]] = dict) -> None:
    """Runs the window until it closes. `settle_ms` after it is first mapped, logs "ready" once: the client
    area in screen pixels (x, y, w, h) and what `more()` returns."""

    def ready() -> None:
        root.update_idletasks()
        log("ready", x=area.winfo_rootx(), y=area.winfo_rooty(), w=area.winfo_width(), h=area.winfo_height(),
            **more())

    def mapped(_: tk.Event) -> None:
        root.unbind("<Map>")
        root.after(settle_ms, ready)  # let the window manager finish placing and decorating it

    root.bind("<Map>", mapped)
    root.mainloop()
