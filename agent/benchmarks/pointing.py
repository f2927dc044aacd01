"""`voxctl bench pointing`: numbered labels and the mouse grid on a private 1280x800 Xvfb with openbox.

A Tk window (24 icon-only buttons and 12 identical "more" links) is the active window. Measured through
the registry on the real desktop, as `voxctl listen` runs a plan:
- labels: "show numbers" from the command to the overlay mapped (window and whole screen), the first run
  (cold: imports, Tesseract, the overlay's process) apart from the warm ones, and how many of the
  window's controls got a label of their own;
- grid: "mouse grid" and each "grid N" from the command to the pointer moved and the grid redrawn, whether
  the pointer landed in the expected cell, and "click" at the pointer;
- accessibility: labels on a GTK window from its AT-SPI tree and from the screen (pointing_a11y.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from voxctl.agent.benchmarks.stats import stats

SCREEN = (1280, 800)
RUNS = 8

_APP = r"""
import json, sys, tkinter as tk
root = tk.Tk(); root.title("voxctl pointing bench"); root.geometry("900x600+150+80")
area = tk.Frame(root, bg="white"); area.pack(fill="both", expand=True)
widgets = []
for i in range(24):
    b = tk.Button(area, bitmap=("info", "warning", "question", "error", "hourglass", "questhead")[i % 6],
                  width=36, height=36)
    b.place(x=20 + i % 8 * 105, y=20 + i // 8 * 70); widgets.append(b)
for i in range(12):
    l = tk.Label(area, text="more", fg="#1a0dab", bg="white", font=("DejaVu Sans", 12, "underline"))
    l.place(x=30 + i % 4 * 210, y=260 + i // 4 * 60); widgets.append(l)
def ready():
    root.update_idletasks()
    print(json.dumps([[w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()] for w in widgets]),
          flush=True)
root.after(700, ready)
root.mainloop()
"""


def _ms(values: list[float]) -> dict[str, Any]:
    return stats([v * 1000 for v in values])


def _measure(desktop: Any, boxes: list[list[int]]) -> dict[str, Any]:
    from voxctl.tools.context import ToolContext
    from voxctl.tools.pointing import Rect
    from voxctl.tools.registry import call, dispatch

    ctx = ToolContext(desktop=desktop)

    def timed(c: Any) -> float:
        start = time.perf_counter()
        out = dispatch(c, ctx)
        if not out.ok:
            raise RuntimeError(out.message)  # type: ignore[union-attr]
        return time.perf_counter() - start

    result: dict[str, Any] = {}
    cold = timed(call("show_labels"))
    labelled = sum(1 for x, y, w, h in boxes
                   if any(Rect(x, y, w, h).contains(*e.rect.center) for e in desktop.pointing.labels.elements))
    result["labels_window_cold_ms"] = round(cold * 1000)
    result["labels_window_ms"] = _ms([timed(call("show_labels")) for _ in range(RUNS)])
    result["labels_screen_ms"] = _ms([timed(call("show_labels", scope="screen")) for _ in range(RUNS)])
    result["controls"] = len(boxes)
    result["controls_labelled"] = labelled
    timed(call("hide_overlay"))

    grid_open, narrow, click, landed = [], [], [], 0
    screen = Rect(0, 0, *SCREEN)
    for run in range(RUNS):
        cells = [1 + run % 9, 1 + (run * 4 + 2) % 9]
        grid_open.append(timed(call("mouse_grid")))
        for i in range(len(cells)):
            narrow.append(timed(call("grid_narrow", cells=[cells[i]])))
        landed += screen.narrow(cells).contains(*desktop.pointer())
        timed(call("hide_overlay"))
        click.append(timed(call("click")))
    result["grid_show_ms"] = _ms(grid_open)
    result["grid_narrow_ms"] = _ms(narrow)
    result["click_at_pointer_ms"] = _ms(click)
    result["grid_landed"] = f"{landed}/{RUNS}"
    return result


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.benchmarks.xvfb import private_display, start_openbox

    if not (shutil.which("Xvfb") and shutil.which("openbox")):
        raise RuntimeError("needs Xvfb and openbox (apt-get install xvfb openbox)")
    procs: list[subprocess.Popen] = []
    with private_display(SCREEN):
        try:
            procs.append(start_openbox())
            with tempfile.TemporaryDirectory() as tmp:
                script = Path(tmp) / "app.py"
                script.write_text(_APP, encoding="utf-8")
                app = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
                procs.append(app)
                assert app.stdout is not None
                boxes = json.loads(app.stdout.readline())
                from voxctl.tools.realdesktop import RealDesktop

                desktop = RealDesktop(overlay_timeout=0)
                try:
                    result = _measure(desktop, boxes)
                    from voxctl.agent.benchmarks.pointing_a11y import measure

                    result.update(measure(desktop))  # labels on a GTK window: from AT-SPI and from the screen
                finally:
                    desktop.overlay.close()
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=5)
    for key, value in result.items():
        print(f"  {key}: {value}")
    return result
