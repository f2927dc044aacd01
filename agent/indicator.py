"""The status indicator (`handsfree.indicator: true`): a small window that says what voxctl is doing.

asleep / listening / hearing / running / off, in words and colour, in a corner of the screen. It is always
on top, never takes the keyboard focus (an override-redirect window: the window manager neither
decorates nor focuses it) and lets clicks through (on X11 its input shape is empty, so the pointer falls
through to the window below). Tk runs on the indicator's own thread; it asks `state()` ten times a second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

STATES: dict[str, tuple[str, str]] = {  # state -> (text, colour)
    "asleep": ("asleep", "#555555"),
    "listening": ("listening", "#1b6e20"),
    "hearing": ("hearing…", "#1565c0"),
    "running": ("running", "#b26a00"),
    "off": ("not listening", "#8e2424"),
}
POLL_MS = 100


def click_through(window_id: int) -> bool:
    """Give the X window an empty input shape, so clicks pass through it; False where that is impossible."""
    try:
        from Xlib import X, display
        from Xlib.ext import shape

        d = display.Display()
        try:
            if not d.has_extension("SHAPE"):
                return False
            win = d.create_resource_object("window", window_id)
            win.shape_rectangles(shape.SO.Set, shape.SK.Input, X.Unsorted, 0, 0, [])
            d.sync()
            return True
        finally:
            d.close()
    except Exception:  # no X11 (Windows, macOS): the window still shows, clicks land on it
        return False


class Indicator:
    """`start()`, then `close()`. `shown` is the state the window shows now."""

    def __init__(self, state: Callable[[], str], corner: tuple[int, int] = (-12, 12)) -> None:
        self.state = state
        self.corner = corner
        self.shown = ""
        self.window_id = 0
        self.passes_clicks = False
        self._closing = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self.error = ""

    def start(self) -> Indicator:
        self._thread = threading.Thread(target=self._run, name="voxctl-indicator", daemon=True)
        self._thread.start()
        self._ready.wait(5)
        return self

    def _run(self) -> None:
        try:
            import tkinter as tk

            root = tk.Tk()
        except Exception as e:  # no Tk, no display: the indicator is optional
            self.error = str(e).splitlines()[0] if str(e) else type(e).__name__
            self._ready.set()
            return
        root.title("voxctl status")
        root.overrideredirect(True)  # no decoration, never focused by the window manager
        root.attributes("-topmost", True)
        label = tk.Label(root, text="", fg="white", bg="#555555", padx=10, pady=4, font=("TkDefaultFont", 11, "bold"))
        label.pack()
        x, y = self.corner
        root.update_idletasks()
        sx = root.winfo_screenwidth() + x - 130 if x < 0 else x
        root.geometry(f"+{sx}+{y}")
        root.update()
        self.window_id = int(root.wm_frame(), 16) or root.winfo_id()
        self.passes_clicks = click_through(self.window_id)

        def poll() -> None:
            if self._closing.is_set():
                root.destroy()
                return
            try:
                state = self.state()
            except Exception:  # the loop is shutting down
                state = "off"
            if state != self.shown:
                text, colour = STATES.get(state, (state, "#555555"))
                label.configure(text=text, bg=colour)
                self.shown = state
            root.after(POLL_MS, poll)

        poll()
        self._ready.set()
        root.mainloop()
        # Tk must be torn down on its own thread: left to the garbage collector elsewhere, Tcl aborts.
        label = root = None  # noqa: F841 (drops the closures' references too)
        import gc

        gc.collect()

    def close(self) -> None:
        self._closing.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None


def loop_state(voice: Any) -> str:
    """The listen loop's state for the indicator (agent/voice_control.py `VoiceControl`)."""
    if voice.handsfree.asleep:
        return "asleep"
    if voice.executing:
        return "running"
    if voice.mic is not None:
        if not voice.mic.listening:
            return "off"
        return "hearing" if voice.mic.hearing else "listening"
    hotkeys = getattr(voice.loop, "hotkeys", None)
    return "hearing" if hotkeys is not None and hotkeys.active else "listening"
