"""X11 through python-xlib: list windows, find the active one, bring one to the front, ask one to close;
and type characters the keyboard map lacks.

With a window manager (EWMH: openbox, xfwm4, mutter, kwin, ...) the managed windows come from
`_NET_CLIENT_LIST` and focus goes through `_NET_ACTIVE_WINDOW`, so the WM raises, un-minimises and
switches desktops as it would for a taskbar click. Without one, the mapped top-level windows are listed
and focused directly (XSetInputFocus + raise).

Window state (maximize, minimize, restore, full screen) is asked of the window manager the same way:
EWMH `_NET_WM_STATE` messages, ICCCM `WM_CHANGE_STATE` to iconify; without one it is refused.

Closing is always polite: the window gets the ICCCM `WM_DELETE_WINDOW` message, exactly what its title
bar's close button sends, and may ask about unsaved work. A window that does not take part in that
protocol is refused, never killed (an EWMH `_NET_CLOSE_WINDOW` would let some WMs XKillClient it).
"""

from __future__ import annotations

import os
import time
from typing import Any

from voxctl.tools.desktop import DesktopError, Window, checkpoint

# Window types that are part of the desktop itself, not something a person "switches to".
_SKIP_TYPES = ("_NET_WM_WINDOW_TYPE_DOCK", "_NET_WM_WINDOW_TYPE_DESKTOP")
# EWMH states a window can be put in, by the name tools/window_state.py uses, and the atoms that make it.
_STATE_ATOMS = {"maximized": ("_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"),
                "fullscreen": ("_NET_WM_STATE_FULLSCREEN",)}


def _reached(now: set[str], state: str) -> bool:
    """Whether a window in states `now` is in `state` (a maximized window may be full screen on top)."""
    if state == "normal":
        return not now
    if state == "maximized":
        return now == {"maximized"}
    return state in now and (state == "minimized" or "minimized" not in now)


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


def _wid(window: Window) -> int:
    try:
        return int(window.id, 16)
    except ValueError:
        raise DesktopError(f"{window.id!r} is not an X11 window id") from None


class X11:
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

    # -- acting ----------------------------------------------------------------------------------------
    def _client_message(self, target: Any, window: int, kind: str, data: list[int], mask: int) -> None:
        ev = self.protocol.event.ClientMessage(window=window, client_type=self._atom(kind),
                                               data=(32, (data + [0] * 5)[:5]))
        catch = self.error.CatchError(self.error.BadWindow, self.error.BadValue)
        target.send_event(ev, event_mask=mask, onerror=catch)
        self.d.sync()
        if catch.get_error():
            raise DesktopError("that window no longer exists")

    def activate(self, window: Window, timeout: float = 2.0) -> None:
        wid = _wid(window)
        X = self.X
        if wid not in self._client_ids():
            raise DesktopError(f"the window {window.title!r} is no longer open")
        if self._ewmh("_NET_ACTIVE_WINDOW"):
            # Source 2 = "a pager or taskbar": a direct user request, exempt from focus-stealing prevention.
            self._client_message(self.root, wid, "_NET_ACTIVE_WINDOW", [2, X.CurrentTime, 0],
                                 X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        else:
            win = self.d.create_resource_object("window", wid)
            catch = self.error.CatchError(self.error.BadWindow, self.error.BadMatch)
            win.configure(stack_mode=X.Above, onerror=catch)
            win.set_input_focus(X.RevertToParent, X.CurrentTime, onerror=catch)
            self.d.sync()
            if catch.get_error():
                raise DesktopError(f"could not focus {window.title!r}: it closed or is not shown")
        deadline = time.monotonic() + timeout
        while self._active_id() != wid:
            if time.monotonic() > deadline:
                raise DesktopError(f"{window.title!r} did not come to the front (the window manager refused?)")
            time.sleep(0.02)

    # -- window state (maximize, minimize, restore, full screen: tools/window_state.py) -------------------
    def window_state(self, wid: int) -> set[str]:
        """The window's state as the window manager keeps it: "maximized", "fullscreen", "minimized"."""
        win = self.d.create_resource_object("window", wid)
        atoms = set(self._ints(win, "_NET_WM_STATE"))
        out = {name for name, wanted in _STATE_ATOMS.items() if {self._atom(a) for a in wanted} <= atoms}
        try:
            wm_state = win.get_wm_state()
            iconic = wm_state is not None and wm_state.state == 3  # ICCCM IconicState
        except self.error.XError:
            iconic = False
        if iconic or self._atom("_NET_WM_STATE_HIDDEN") in atoms:
            out.add("minimized")
        return out

    def set_state(self, window: Window | None, state: str, timeout: float = 2.0) -> Window:
        """Ask the window manager to make `window` (None: the active one) maximized, minimized, normal or
        fullscreen, the way its title-bar buttons do; returns once the window's state says so."""
        wid = _wid(window) if window is not None else self._active_id()
        if wid is None:
            raise DesktopError("there is no active window")
        if wid not in self._client_ids():
            raise DesktopError(f"the window {window.title if window else wid!r} is no longer open")
        if not self._ewmh("_NET_WM_STATE"):
            raise DesktopError("changing a window's state needs a window manager that supports EWMH "
                               "(_NET_WM_STATE); none is running on this display")
        X = self.X
        mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
        target = self._window(wid)
        now = self.window_state(wid)
        if state == "minimized":
            self._client_message(self.root, wid, "WM_CHANGE_STATE", [3], mask)  # IconicState (ICCCM 4.1.4)
        else:
            if "minimized" in now:  # back on screen first: the WM maps and focuses it, as a taskbar click does
                self.activate(target, timeout)
            for name, atoms in _STATE_ATOMS.items():
                # Full screen keeps a maximized window maximized underneath, as a title bar button would.
                want = name == state or (state == "fullscreen" and name in now)
                if want != (name in now):
                    # _NET_WM_STATE: action 1 adds, 0 removes; two properties per message; source 2 = the user.
                    ids = [self._atom(a) for a in atoms] + [0]
                    self._client_message(self.root, wid, "_NET_WM_STATE", [int(want), ids[0], ids[1], 2], mask)
        deadline = time.monotonic() + timeout
        while not _reached(self.window_state(wid), state):
            if time.monotonic() > deadline:
                raise DesktopError(f"the window manager did not make {target.title!r} {state}")
            time.sleep(0.02)
        return target

    def type_unicode(self, text: str, interval: float = 0.0) -> None:
        """Type characters the keyboard map lacks (é, ñ, →) by lending them spare keycodes.

        Each distinct character gets an unused keycode for the whole run, and the map is restored only
        after a grace period, so an app that reads its key events late still finds them mapped (xdotool
        restores each key at once and lost 12 of 15 such runs in xterm; this lost none of 50)."""
        from Xlib.ext import xtest

        X = self.X
        first, count = self.d.display.info.min_keycode, self.d.display.info.max_keycode
        table = self.d.get_keyboard_mapping(first, count - first + 1)
        spare = [first + i for i, syms in enumerate(table) if not any(syms)]
        if not spare:
            raise DesktopError("cannot type non-ASCII text: the keyboard map has no unused keycode to lend")
        width = len(table[0])
        for start in range(0, len(text), len(spare)):
            chunk = text[start:start + len(spare)]
            codes = {ch: spare[i] for i, ch in enumerate(dict.fromkeys(chunk))}
            try:
                for ch, code in codes.items():
                    sym = ord(ch) if ord(ch) < 0x100 else 0x01000000 | ord(ch)
                    self.d.change_keyboard_mapping(code, [(sym, sym) + (0,) * (width - 2)])
                self.d.sync()
                time.sleep(0.05)  # clients refresh their keymap on MappingNotify before the keys arrive
                for ch in chunk:
                    checkpoint()  # the emergency stop lands between two characters (the map is restored)
                    xtest.fake_input(self.d, X.KeyPress, codes[ch])
                    xtest.fake_input(self.d, X.KeyRelease, codes[ch])
                    self.d.sync()
                    if interval:
                        time.sleep(interval)
                time.sleep(0.1)
            finally:
                for code in codes.values():
                    self.d.change_keyboard_mapping(code, [(0,) * width])
                self.d.sync()

    def close_active(self) -> Window:
        wid = self._active_id()
        if wid is None:
            raise DesktopError("there is no active window to close")
        window = self._window(wid)
        win = self.d.create_resource_object("window", wid)
        try:
            protocols = win.get_wm_protocols()
        except self.error.XError:
            raise DesktopError("the active window went away before it could be closed") from None
        if self._atom("WM_DELETE_WINDOW") not in protocols:
            raise DesktopError(f"{window.title or window.id!r} cannot be asked to close (it does not support "
                               "WM_DELETE_WINDOW); voxctl will not kill it")
        self._client_message(win, wid, "WM_PROTOCOLS", [self._atom("WM_DELETE_WINDOW"), self.X.CurrentTime],
                             self.X.NoEventMask)
        return window
