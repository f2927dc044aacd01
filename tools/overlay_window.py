"""The overlay window itself, run as its own process (`python -m voxctl.tools.overlay_window`) by
tools/overlay.py, which writes one JSON command a line on its stdin and reads one acknowledgement a line.

A full-screen Tk toplevel that is override-redirect (the window manager neither decorates nor focuses it),
raised above everything while shown, and cut down with the X Shape extension: its bounding region is only
what it draws (grid lines, number tags), so the windows beneath stay visible without a compositor, and its
input region is empty, so every click and the keyboard focus go to the windows beneath.

Commands: {"op": "show", "grid": [x, y, w, h] | null, "labels": [[n, x, y], ...], "timeout": s}
          {"op": "hide"}.  Each is answered with "ok" once the X server has (un)mapped the window.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

TAG_BG = "#ffd400"  # a yellow nothing else on a test screen uses (tests look for it in captures)
LINE = 3  # grid line thickness
FONT = ("DejaVu Sans", 10, "bold")
GRID_FONT = ("DejaVu Sans", 14, "bold")
RAISE_MS = 500  # re-raise this often while shown: a newly raised app window must not cover the overlay


def _tag(n: int, x: int, y: int, big: bool, size: tuple[int, int]) -> tuple[int, int, int, int]:
    w = (11 if big else 8) * len(str(n)) + (10 if big else 6)
    h = 22 if big else 15
    x = min(max(x, 0), size[0] - w)
    y = min(max(y, 0), size[1] - h)
    return x, y, w, h


def shapes(cmd: dict[str, Any], size: tuple[int, int]) -> tuple[list[tuple[int, int, int, int]],
                                                               list[tuple[int, int, int, int, str, bool]]]:
    """(line rectangles, number tags as x, y, w, h, text, big) for a show command."""
    lines: list[tuple[int, int, int, int]] = []
    tags: list[tuple[int, int, int, int, str, bool]] = []
    if cmd.get("grid"):
        gx, gy, gw, gh = cmd["grid"]
        for k in range(4):
            x = gx + gw * k // 3 - LINE // 2
            y = gy + gh * k // 3 - LINE // 2
            lines.append((x, gy, LINE, gh))
            lines.append((gx, y, gw, LINE))
        if gw >= 90 and gh >= 70:  # numbers only where a cell can hold one
            for n in range(1, 10):
                row, col = divmod(n - 1, 3)
                cx = gx + gw * (2 * col + 1) // 6
                cy = gy + gh * (2 * row + 1) // 6
                x, y, w, h = _tag(n, cx - 11, cy - 11, True, size)
                tags.append((x, y, w, h, str(n), True))
    for n, x, y in cmd.get("labels") or []:
        tags.append((*_tag(n, x - 4, y - 6, False, size), str(n), False))
    return lines, tags


def main() -> None:  # pragma: no cover - runs in its own process (tests drive it through tools/overlay.py)
    import tkinter as tk

    from Xlib import X, display
    from Xlib.ext import shape

    root = tk.Tk()
    root.withdraw()
    win = tk.Toplevel(root)
    win.withdraw()
    win.overrideredirect(True)
    size = (root.winfo_screenwidth(), root.winfo_screenheight())
    canvas = tk.Canvas(win, width=size[0], height=size[1], highlightthickness=0, bd=0, bg="black")
    canvas.pack()
    # Tk creates a toplevel's X window (its "wrapper") at the first map: map it once, off screen, to shape it.
    win.geometry("1x1+-50+-50")
    win.deiconify()
    root.update()
    d = display.Display()
    inner = [d.create_resource_object("window", w) for w in (win.winfo_id(), canvas.winfo_id())]
    frame = inner[0]  # the child of the root above it: Tk's wrapper (wm_frame() names the inner window here)
    while (parent := frame.query_tree().parent).id != d.screen().root.id:
        frame = parent
    for w in (frame, *inner):  # nothing of it ever takes a click: input goes to the windows beneath
        w.shape_rectangles(shape.SO.Set, shape.SK.Input, X.Unsorted, 0, 0, [])
    frame.shape_rectangles(shape.SO.Set, shape.SK.Bounding, X.Unsorted, 0, 0, [])
    d.sync()
    win.withdraw()
    win.geometry(f"{size[0]}x{size[1]}+0+0")
    root.update()
    state = {"shown": False, "token": 0}

    def viewable(want: bool) -> None:
        end = time.monotonic() + 2.0
        while (frame.get_attributes().map_state == X.IsViewable) != want and time.monotonic() < end:
            root.update()
            time.sleep(0.005)

    def hide() -> None:
        win.withdraw()
        root.update()
        state["shown"] = False
        viewable(False)

    def keep_on_top(token: int) -> None:
        if state["shown"] and state["token"] == token:
            win.lift()
            root.after(RAISE_MS, keep_on_top, token)

    def show(cmd: dict[str, Any]) -> None:
        if state["shown"]:  # unmap first: a shape that shrinks leaves its old pixels where nothing repaints
            hide()
        lines, tags = shapes(cmd, size)
        canvas.delete("all")
        for x, y, w, h in lines:
            canvas.create_rectangle(x, y, x + w, y + h, fill=TAG_BG, outline="black", width=1)
        for x, y, w, h, text, big in tags:
            canvas.create_rectangle(x, y, x + w - 1, y + h - 1, fill=TAG_BG, outline="black")
            canvas.create_text(x + w // 2, y + h // 2, text=text, fill="black", font=GRID_FONT if big else FONT)
        rects = [(x, y, w, h) for x, y, w, h in lines] + [(x, y, w, h) for x, y, w, h, _, _ in tags]
        frame.shape_rectangles(shape.SO.Set, shape.SK.Bounding, X.Unsorted, 0, 0, rects)
        d.sync()
        win.deiconify()
        win.lift()
        root.update()
        state["shown"] = True
        state["token"] += 1
        token = state["token"]
        viewable(True)
        root.after(RAISE_MS, keep_on_top, token)
        timeout = float(cmd.get("timeout") or 0)
        if timeout > 0:
            root.after(int(timeout * 1000), lambda: state["token"] == token and hide())

    buf = b""

    def readable(*_: Any) -> None:
        nonlocal buf
        chunk = os.read(0, 65536)
        if not chunk:  # voxctl went away: so does its overlay
            root.destroy()
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            cmd = json.loads(line)
            if cmd.get("op") == "show":
                show(cmd)
            else:
                hide()
            sys.stdout.write("ok\n")
            sys.stdout.flush()

    root.tk.createfilehandler(0, tk.READABLE, readable)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    root.mainloop()


if __name__ == "__main__":
    main()
