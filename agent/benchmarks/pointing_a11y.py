"""`voxctl bench pointing`, the accessibility part: "show numbers" on a GTK 3 window (24 icon-only buttons,
12 identical "more" link buttons) read from its AT-SPI tree and, for comparison, from the screen, on the
bench's private Xvfb with a private session bus (agent/benchmarks/a11y_bus.py). Skipped, with the reason,
where GTK or at-spi2-core is not installed."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from voxctl.agent.benchmarks.stats import stats

RUNS = 8

_GTK_APP = r"""
import json, gi
gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk
win = Gtk.Window(title="voxctl pointing bench (GTK)"); win.set_default_size(900, 600); win.move(150, 80)
fixed = Gtk.Fixed(); win.add(fixed); widgets = []
icons = ("edit-copy", "edit-paste", "edit-cut", "document-open", "document-save", "edit-delete")
for i in range(24):
    b = Gtk.Button.new_from_icon_name(icons[i % 6], Gtk.IconSize.BUTTON)
    fixed.put(b, 20 + i % 8 * 105, 20 + i // 8 * 70); widgets.append(b)
for i in range(12):
    link = Gtk.LinkButton.new_with_label("https://example.invalid/", "more")
    link.connect("activate-link", lambda *_: True)
    fixed.put(link, 30 + i % 4 * 210, 260 + i // 4 * 60); widgets.append(link)
def box(w):
    _, ox, oy = w.get_window().get_origin(); a = w.get_allocation()
    return [ox + a.x, oy + a.y, a.width, a.height]
def ready():
    print(json.dumps([box(w) for w in widgets]), flush=True)
    return False
win.connect("map-event", lambda *_: GLib.timeout_add(700, ready))
win.connect("destroy", Gtk.main_quit)
win.show_all(); Gtk.main()
"""


class _Off:
    """An accessibility reader that never answers: the labels come from the screen."""

    def elements(self, where: Any) -> str:
        return "switched off for the comparison"

    def close(self) -> None:
        pass


def measure(desktop: Any) -> dict[str, Any]:
    """Labels on the GTK window, from the tree and from the screen (ms, controls labelled), or why not."""
    from voxctl.agent.benchmarks.a11y_bus import SYSTEM_PYTHON, missing, private_session_bus
    from voxctl.tools.atspi import AccessibilityTree
    from voxctl.tools.context import ToolContext
    from voxctl.tools.pointing import Rect
    from voxctl.tools.registry import call, dispatch

    if why := missing():
        return {"gtk_skipped": why}
    ctx = ToolContext(desktop=desktop)

    def timed() -> tuple[float, str]:
        start = time.perf_counter()
        out = dispatch(call("show_labels"), ctx)
        if not out.ok:
            raise RuntimeError(out.message)  # type: ignore[union-attr]
        return time.perf_counter() - start, out.data["source"]  # type: ignore[union-attr]

    def labelled(boxes: list[list[int]]) -> int:
        return sum(1 for x, y, w, h in boxes
                   if any(Rect(x, y, w, h).contains(*e.rect.center) for e in desktop.pointing.labels.elements))

    result: dict[str, Any] = {}
    saved, tree = desktop.a11y, AccessibilityTree()
    with private_session_bus() as env, tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "gtk_app.py"
        script.write_text(_GTK_APP, encoding="utf-8")
        app = subprocess.Popen([SYSTEM_PYTHON, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=env)
        try:
            assert app.stdout is not None
            boxes = json.loads(app.stdout.readline())
            for name, reader in (("atspi", tree), ("screen", _Off())):
                desktop.a11y = reader
                cold, source = timed()
                result[f"labels_gtk_{name}_labelled"] = f"{labelled(boxes)}/{len(boxes)} (source: {source})"
                runs = [timed() for _ in range(RUNS)]
                result[f"labels_gtk_{name}_first_ms"] = round(cold * 1000)
                result[f"labels_gtk_{name}_ms"] = stats([t * 1000 for t, _ in runs])
                result[f"labels_gtk_{name}_sources"] = {s: sum(1 for _, r in runs if r == s) for s in {s for _, s in runs}}
            where = desktop.area("window")
            reads = []
            for _ in range(RUNS):  # the tree alone, without the overlay
                start = time.perf_counter()
                tree.elements(where)
                reads.append((time.perf_counter() - start) * 1000)
            result["atspi_read_ms"] = stats(reads)
            dispatch(call("hide_overlay"), ctx)
        finally:
            tree.close()
            desktop.a11y = saved
            app.terminate()
            app.wait(timeout=5)
            if app.stdout is not None:
                app.stdout.close()
    return result
