"""X11 through python-xlib: the display connection, and the windows as the window manager lists them.

With a window manager (EWMH: openbox, xfwm4, mutter, kwin, ...) the managed windows come from
`_NET_CLIENT_LIST` and focus goes through `_NET_ACTIVE_WINDOW`, so the WM raises, un-minimises and
switches desktops as it would for a taskbar click. Without one, the mapped top-level windows are listed
and focused directly (XSetInputFocus + raise).

`X11` reads here (listing, the active window, where it is); bringing a window to the front, its state
(maximize, minimize, restore, full screen) and closing it are tools/x11_windows.py (`X11Windows`), typing
characters the keyboard map lacks is tools/x11_typing.py (`X11Typing`).
"""

from __future__ import annotations

import os
from typing import Any

from voxctl.tools.desktop import DesktopError, Window
from voxctl.tools.x11_typing import X11Typing
from voxctl.tools.x11_windows import X11Windows

# Window types that are part of the desktop itself, not something a person "switches to".
_SKIP_TYPES = ("_NET_WM_WINDOW_TYPE_DOCK", "_NET_WM_WINDOW_TYPE_DESKTOP")


def no_display_message() -> str:
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return ("no X display: this is a Wayland session without DISPLAY; log in to an X11 (Xorg) session, "
                "or set DISPLAY to an XWayland display (it reaches X11 apps only)")
    return "no X display: set DISPLAY or run under X11"


def open_display() -> Any:
    """A python-xlib connection to $DISPLAY, or DesktopError saying why there is none."""
    name = os.environ.get("DISPLAY")
    if not name:
        raise DesktopError(no_display_message())
    from Xlib import display, error

    try:
        return display.Display(name)
    except (error.DisplayError, error.ConnectionClosedError, OSError) as e:
        raise DesktopError(f"cannot reach the X display {name!r} ({e}); is the X server running?") from None


class X11(X11Windows, X11Typing):
    def __init__(self) -> None:
        from Xlib import X, Xatom, error, protocol

        self.X, self.Xatom, self.error, self.protocol = X, Xatom, error, protocol
        self.d = open_display()
        self.root = self.d.screen().root

    # -- properties ----------------------------------------------------------------------------------
    def _atom(self, name: str) -> int:
        return self.d.intern_atom(name)

    def _ints(self, win: Any, name: str) -> list[int]:
        try:
            prop = win.get_full_property(self._atom(name), self.X.AnyPropertyType)
        except self.error.XError:  # the window went away while we looked
            return []
        return list(prop.value) if prop is not None and prop.format == 32 else []

    def _title(self, win: Any) -> str:
        try:
            prop = win.get_full_property(self._atom("_NET_WM_NAME"), self._atom("UTF8_STRING"))
            if prop is not None and prop.value:
                return bytes(prop.value).decode("utf-8", "replace")
            name = win.get_wm_name()
        except self.error.XError:
            return ""
        if isinstance(name, bytes):  # COMPOUND_TEXT: python-xlib leaves it undecoded
            name = name.decode("latin-1")
        return name or ""

    def _wm_class(self, win: Any) -> tuple[str, ...]:
        try:
            found = win.get_wm_class()
        except self.error.XError:
            return ()
        return tuple(c for c in found or () if c)

    def _window(self, wid: int) -> Window:
        win = self.d.create_resource_object("window", wid)
        return Window(f"0x{wid:08x}", self._title(win), self._wm_class(win))

    def _ewmh(self, feature: str) -> bool:
        """Whether a running EWMH window manager supports `feature`."""
        check = self._ints(self.root, "_NET_SUPPORTING_WM_CHECK")
        return bool(check) and self._atom(feature) in self._ints(self.root, "_NET_SUPPORTED")

    # -- listing ---------------------------------------------------------------------------------------
    def _client_ids(self) -> list[int]:
        if self._ewmh("_NET_CLIENT_LIST"):
            return self._ints(self.root, "_NET_CLIENT_LIST")
        ids = []
        for child in self.root.query_tree().children:
            try:
                attrs = child.get_attributes()
            except self.error.XError:
                continue
            if attrs.map_state == self.X.IsViewable and not attrs.override_redirect:
                ids.append(child.id)
        return ids

    def windows(self) -> list[Window]:
        skip = {self._atom(t) for t in _SKIP_TYPES}
        out = []
        for wid in self._client_ids():
            win = self.d.create_resource_object("window", wid)
            if skip & set(self._ints(win, "_NET_WM_WINDOW_TYPE")):
                continue
            title = self._title(win)
            if title:
                out.append(Window(f"0x{wid:08x}", title, self._wm_class(win)))
        return out

    def _active_id(self) -> int | None:
        if self._ewmh("_NET_ACTIVE_WINDOW"):
            ids = self._ints(self.root, "_NET_ACTIVE_WINDOW")
            # Some WMs (openbox) leave a closed window there until the focus moves on.
            return ids[0] if ids and ids[0] in self._client_ids() else None
        focus = self.d.get_input_focus().focus
        if isinstance(focus, int) or focus.id == self.root.id:  # None / PointerRoot / the root itself
            return None
        win = focus
        try:
            while True:  # up to the top-level window (a child of the root)
                parent = win.query_tree().parent
                if parent.id in (self.root.id, 0):
                    return win.id
                win = parent
        except self.error.XError:  # it closed while we climbed
            return None

    def active_window(self) -> Window | None:
        wid = self._active_id()
        return self._window(wid) if wid else None

    def point_into_active(self) -> tuple[int, int] | None:
        """Where the pointer must go for wheel events to reach the active window (X11 sends them to the
        window under the pointer, not the focused one): the centre of its on-screen part, or None when
        the pointer is already over it or nothing is active."""
        wid = self._active_id()
        if wid is None:
            return None
        win = self.d.create_resource_object("window", wid)
        try:
            top = win  # the child of the root that holds it: the WM's frame, or the window itself
            while (parent := top.query_tree().parent).id not in (self.root.id, 0):
                top = parent
            under = self.root.query_pointer().child
            if not isinstance(under, int) and under.id == top.id:
                return None
            geo = win.get_geometry()
            origin = self.root.translate_coords(win, 0, 0)
        except self.error.XError:  # it closed while we looked
            return None
        screen = self.d.screen()
        left, top_y = max(origin.x, 0), max(origin.y, 0)
        right = min(origin.x + geo.width, screen.width_in_pixels)
        bottom = min(origin.y + geo.height, screen.height_in_pixels)
        if right <= left or bottom <= top_y:  # entirely off the screen
            return None
        return (left + right) // 2, (top_y + bottom) // 2

    def active_rect(self) -> tuple[int, int, int, int] | None:
        """The active window's client area on screen (x, y, width, height), or None (the mouse grid's
        "window grid" and numbered labels, tools/pointing.py)."""
        wid = self._active_id()
        if wid is None:
            return None
        win = self.d.create_resource_object("window", wid)
        try:
            geo = win.get_geometry()
            origin = self.root.translate_coords(win, 0, 0)
        except self.error.XError:  # it closed while we looked
            return None
        return origin.x, origin.y, geo.width, geo.height
