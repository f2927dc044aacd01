"""A Tk window that text cannot point into: four icon-only buttons, four identical "more" links and a text
field with the keyboard focus. It logs to a file, one JSON object a line (as tests/apps/event_logger.py):

  ready    the window is mapped: its client area (x, y, w, h) and each target's box on screen (targets)
  button   an icon button or a link was activated (label: icon-1..icon-4, link-1..link-4)
  press    a mouse button went down (button, x, y on screen)
  key      a key press reached the window (keysym, char)

    python tests/apps/pointing_app.py LOG [--title TITLE] [--geometry WxH+X+Y]
"""

from __future__ import annotations

import tkinter as tk

import tklog  # the apps' shared log and window (tests/apps/tklog.py); this file runs as a script

ICONS = ("info", "warning", "question", "error")


def main() -> None:
    a = tklog.arguments("log", "voxctl pointing app", "560x380+300+180").parse_args()
    log = tklog.open_log(a.log)
    root, area = tklog.window(a.title, a.geometry)
    targets: dict[str, tk.Widget] = {}
    for i, bitmap in enumerate(ICONS, 1):
        name = f"icon-{i}"
        b = tk.Button(area, bitmap=bitmap, width=44, height=44, command=lambda n=name: log("button", label=n))
        b.place(x=30 + (i - 1) * 90, y=30)
        targets[name] = b
    for i in range(1, 5):
        name = f"link-{i}"
        link = tk.Label(area, text="more", fg="#1a0dab", bg="white", cursor="hand2",
                        font=("DejaVu Sans", 12, "underline"))
        link.place(x=40 + (i - 1) % 2 * 200, y=130 + (i - 1) // 2 * 60)
        link.bind("<ButtonRelease-1>", lambda _e, n=name: log("button", label=n))
        targets[name] = link
    entry = tk.Entry(area, width=30)
    entry.place(x=30, y=290)

    root.bind("<ButtonPress>", lambda e: e.num in (1, 2, 3) and log("press", button=e.num, x=e.x_root, y=e.y_root))
    root.bind("<KeyPress>", lambda e: log("key", keysym=e.keysym, char=e.char))

    def box(w: tk.Widget) -> list[int]:
        return [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]

    def focused_targets() -> dict[str, dict[str, list[int]]]:
        entry.focus_force()
        return {"targets": {n: box(w) for n, w in targets.items()}}

    tklog.run(root, area, log, settle_ms=150, more=focused_targets)


if __name__ == "__main__":
    main()
