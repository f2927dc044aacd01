"""A GTK 3 window that exposes its widgets over AT-SPI: two text buttons, two icon-only buttons (named for
assistive technology only), a check box, a toggle button, two identical "more" link buttons and a text
field with the keyboard focus. Runs with the system Python (`/usr/bin/python3`, Debian python3-gi and
gir1.2-gtk-3.0), not the venv. It logs to a file, one JSON object a line (as tests/apps/event_logger.py):

  ready    the window is mapped: its client area (x, y, w, h) and each target's box on screen (targets),
           from GTK's own allocation
  button   a target was activated (label: save, open, icon-1, icon-2, check, toggle, link-1, link-2)
  key      a key press reached the window (keysym, char)

    /usr/bin/python3 tests/apps/gtk_app.py LOG [--title TITLE] [--geometry WxH+X+Y]
"""

from __future__ import annotations

import os
import re

import gi
import tklog  # the apps' shared command line and log (tests/apps/tklog.py); this file runs as a script

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402


def main() -> None:
    a = tklog.arguments("log", "voxctl gtk app", "520x300+320+200").parse_args()
    w, h, x, y = (int(v) for v in re.fullmatch(r"(\d+)x(\d+)\+(\d+)\+(\d+)", a.geometry).groups())
    log = tklog.open_log(a.log)

    win = Gtk.Window(title=a.title)
    win.set_default_size(w, h)
    win.move(x, y)
    win.connect("destroy", Gtk.main_quit)
    fixed = Gtk.Fixed()
    win.add(fixed)
    targets: dict[str, Gtk.Widget] = {}

    def place(name: str, widget: Gtk.Widget, px: int, py: int, signal: str = "clicked") -> None:
        widget.connect(signal, lambda *_: log("button", label=name))
        fixed.put(widget, px, py)
        targets[name] = widget

    place("save", Gtk.Button(label="Save"), 20, 20)
    place("open", Gtk.Button(label="Open"), 120, 20)
    for i, icon in enumerate(("edit-copy", "edit-paste"), 1):
        b = Gtk.Button.new_from_icon_name(icon, Gtk.IconSize.BUTTON)
        b.get_accessible().set_name(f"Icon {i}")  # what a screen reader says; nothing is written on it
        place(f"icon-{i}", b, 220 + (i - 1) * 60, 20)
    place("check", Gtk.CheckButton(label="Remember me"), 20, 90, "toggled")
    place("toggle", Gtk.ToggleButton(label="Bold"), 200, 90, "toggled")
    for i in (1, 2):
        link = Gtk.LinkButton.new_with_label("https://example.invalid/more", "more")
        link.connect("activate-link", lambda *_: True)  # handled: never opens a browser
        place(f"link-{i}", link, 20 + (i - 1) * 160, 150)
    entry = Gtk.Entry()
    fixed.put(entry, 20, 220)

    def key(_w: Gtk.Widget, e: object) -> bool:
        code = Gdk.keyval_to_unicode(e.keyval)
        log("key", keysym=Gdk.keyval_name(e.keyval), char=chr(code) if code else "")
        return False

    win.connect("key-press-event", key)

    def box(widget: Gtk.Widget) -> list[int]:
        gdk_win = widget.get_window()
        alloc = widget.get_allocation()
        _, ox, oy = gdk_win.get_origin()
        return [ox + alloc.x, oy + alloc.y, alloc.width, alloc.height]

    def ready() -> bool:
        entry.grab_focus()
        _, ox, oy = win.get_window().get_origin()
        log("ready", x=ox, y=oy, w=win.get_allocated_width(), h=win.get_allocated_height(), pid=os.getpid(),
            targets={n: box(wd) for n, wd in targets.items()})
        return False

    def mapped(*_: object) -> None:
        GLib.timeout_add(150, ready)  # let the window manager finish placing and decorating it

    win.connect("map-event", mapped)
    win.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
