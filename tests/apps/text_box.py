"""A Tk window with one Text widget, for the typing tests: what it holds is written to a file as it changes.

    python tests/apps/text_box.py OUT [--title TITLE] [--geometry WxH+X+Y]

OUT holds the widget's whole text (UTF-8, no trailing newline added) and is rewritten whenever it changes,
so a test reads exactly what landed, character for character. `start()` runs it from a test.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class TextBox:
    proc: Any
    out: Path
    title: str

    def text(self) -> str | None:
        return self.out.read_text(encoding="utf-8") if self.out.exists() else None


def start(programs: Any, title: str, geometry: str = "420x200+150+150") -> TextBox:
    """Start one for a test (`programs`: tests.apps.harness.Programs, which ends it); returns once it is up."""
    from tests.fixtures.xdisplay import wait_for

    out = programs.tmp / f"text-{len(programs.procs)}.txt"
    box = TextBox(programs.start([sys.executable, __file__, str(out), "--title", title, "--geometry", geometry]),
                  out, title)
    if wait_for(lambda: box.text() is not None, 10) is None:
        raise RuntimeError(f"the Tk text box {title!r} did not come up")
    return box


def main() -> None:
    import tkinter as tk

    import tklog  # the apps' shared command line (tests/apps/tklog.py); main() runs as a script

    a = tklog.arguments("out", "voxctl text box", "420x200+150+150").parse_args()
    root = tk.Tk()
    root.title(a.title)
    root.geometry(a.geometry)
    text = tk.Text(root, undo=False)
    text.pack(fill="both", expand=True)
    text.focus_set()
    last: list[str | None] = [None]

    def dump() -> None:
        now = text.get("1.0", "end-1c")
        if now != last[0]:
            tmp = a.out + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(now)
            os.replace(tmp, a.out)  # a reader never sees half a file
            last[0] = now
        root.after(20, dump)

    def mapped(_: Any) -> None:
        root.unbind("<Map>")
        root.after(150, dump)  # the window is placed and has the focus before the first dump says "up"

    root.bind("<Map>", mapped)
    root.mainloop()


if __name__ == "__main__":
    main()
