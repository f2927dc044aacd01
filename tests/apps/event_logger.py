"""A small Tk window for the desktop tests: it logs what it receives to a file, one JSON object a line.

    python tests/apps/event_logger.py LOG [--title TITLE] [--geometry WxH+X+Y] [--button LABEL]

Logged events, each with "event", "t" (seconds since start) and "mono" (time.monotonic() when logged):
  ready          the window is mapped; its client area in screen pixels (x, y, w, h)
  press/release  a mouse button (1 left, 2 middle, 3 right), with the pointer in screen pixels (x, y)
  scroll         one wheel step (direction up/down/left/right; X11 buttons 4-7)
  double         a double click of button 1
  motion         the pointer moved with button 1 held (a drag in progress)
  key            a key press (keysym, char, state: the modifier bits held)
  button         the Tk button labelled LABEL was pressed (its command ran)
  delete_window  the window was asked to close (WM_DELETE_WINDOW); it logs this and then closes

Closing only through WM_DELETE_WINDOW leaves the "delete_window" line, which is how the tests tell a polite
close from a killed process.
"""

from __future__ import annotations

import tkinter as tk

import tklog  # the apps' shared log and window (tests/apps/tklog.py); this file runs as a script


def main() -> None:
    ap = tklog.arguments("log", "voxctl event logger", "420x300+200+150")
    ap.add_argument("--button", default=None, help="label of a Tk button to show (its press is logged)")
    ap.add_argument("--font-size", type=int, default=0, help="button font size (0: the Tk default)")
    a = ap.parse_args()
    log = tklog.open_log(a.log)
    root, area = tklog.window(a.title, a.geometry)
    if a.button:
        font = ("DejaVu Sans", a.font_size) if a.font_size else None
        tk.Button(area, text=a.button, font=font, command=lambda: log("button", label=a.button)).place(
            relx=0.5, rely=0.5, anchor="center")

    def pointer(e: tk.Event) -> dict[str, int]:
        return {"x": e.x_root, "y": e.y_root}

    def press(e: tk.Event) -> None:
        if e.num in (1, 2, 3):
            log("press", button=e.num, **pointer(e))
        elif e.num in (4, 5, 6, 7):
            # X11 wheel buttons: 4 up, 5 down, 6 left, 7 right. Tk 8.6 reports 6/7 as Shift+4/5.
            horizontal = e.num in (6, 7) or int(e.state) & 1
            log("scroll", direction=("left" if e.num in (4, 6) else "right") if horizontal
                else ("up" if e.num == 4 else "down"))

    def release(e: tk.Event) -> None:
        if e.num in (1, 2, 3):
            log("release", button=e.num, **pointer(e))

    def wheel(e: tk.Event, horizontal: bool) -> None:  # Tk 8.7+, Windows and macOS report MouseWheel
        direction = ("left" if e.delta > 0 else "right") if horizontal else ("up" if e.delta > 0 else "down")
        log("scroll", direction=direction)

    # Bindings on the toplevel see the events of every widget in it (its bind tag is on all of them).
    root.bind("<ButtonPress>", press)
    root.bind("<ButtonRelease>", release)
    root.bind("<Double-Button-1>", lambda e: log("double", **pointer(e)))
    root.bind("<B1-Motion>", lambda e: log("motion", **pointer(e)))
    root.bind("<MouseWheel>", lambda e: wheel(e, False))
    root.bind("<Shift-MouseWheel>", lambda e: wheel(e, True))
    # state: the modifiers held (X11 bits: 1 Shift, 4 Control, 8 Alt/Mod1, 64 Super/Mod4).
    root.bind("<KeyPress>", lambda e: log("key", keysym=e.keysym, char=e.char, state=int(e.state)))

    def on_delete() -> None:
        log("delete_window")
        root.destroy()

    root.protocol("WM_DELETE_WINDOW", on_delete)
    tklog.run(root, area, log, settle_ms=100)


if __name__ == "__main__":
    main()
