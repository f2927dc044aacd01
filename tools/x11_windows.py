"""Acting on X11 windows: bring one to the front, change its state, ask it to close. A part of `X11`
(tools/x11.py): it uses the connection and the window listing there.

Window state (maximize, minimize, restore, full screen) is asked of the window manager the same way as
focus: EWMH `_NET_WM_STATE` messages, ICCCM `WM_CHANGE_STATE` to iconify; without one it is refused.

Closing is always polite: the window gets the ICCCM `WM_DELETE_WINDOW` message, exactly what its title
bar's close button sends, and may ask about unsaved work. A window that does not take part in that
protocol is refused, never killed (an EWMH `_NET_CLOSE_WINDOW` would let some WMs XKillClient it).
"""

from __future__ import annotations

import time
from typing import Any

from voxctl.tools.desktop import DesktopError, Window

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


def _wid(window: Window) -> int:
    try:
        return int(window.id, 16)
    except ValueError:
        raise DesktopError(f"{window.id!r} is not an X11 window id") from None


class X11Windows:
    """`X11.activate`, `window_state`/`set_state` and `close_active` (with `_client_message`)."""

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
            # a window that closed as it was asked for is said to be gone, not refused (its client may exit before the
            # window manager takes it off _NET_CLIENT_LIST: the suite on two workers saw it, 2026-12-07)
            if self._gone(wid):
                raise DesktopError(f"the window {window.title!r} is no longer open")
            if time.monotonic() > deadline:
                raise DesktopError(f"{window.title!r} did not come to the front (the window manager refused?)")
            time.sleep(0.02)

    def _gone(self, wid: int) -> bool:
        """Whether the window `wid` is off the window manager's list, or no longer exists at all."""
        if wid not in self._client_ids():
            return True
        try:
            self.d.create_resource_object("window", wid).get_geometry()
        except (self.error.BadWindow, self.error.BadDrawable):
            return True
        return False

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
