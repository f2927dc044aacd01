"""Maximize, minimize, restore and full screen on a real X server with openbox, checked in the window's real
state (_NET_WM_STATE, WM_STATE and its map state, its size), not in what voxctl says it did."""

from __future__ import annotations

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import run, window_titled
from tests.fixtures.xdisplay import SCREEN, wait_for
from voxctl.tools.base import ToolError

pytestmark = pytest.mark.display


class Real:
    """The window's state read straight from the X server, with a connection of the test's own."""

    def __init__(self, wid: str) -> None:
        from Xlib import X, display

        self.X = X
        self.d = display.Display()
        self.win = self.d.create_resource_object("window", int(wid, 16))

    def net_state(self) -> set[str]:
        prop = self.win.get_full_property(self.d.intern_atom("_NET_WM_STATE"), self.X.AnyPropertyType)
        return {self.d.get_atom_name(a).removeprefix("_NET_WM_STATE_") for a in (prop.value if prop else [])}

    def iconic(self) -> bool:
        wm_state = self.win.get_wm_state()
        return wm_state is not None and wm_state.state == 3  # ICCCM IconicState

    def viewable(self) -> bool:
        return self.win.get_attributes().map_state == self.X.IsViewable

    def size(self) -> tuple[int, int]:
        g = self.win.get_geometry()
        return g.width, g.height


def test_maximize_minimize_restore_and_full_screen_change_the_real_window(ctx, programs):
    programs.logger("State Me", geometry="300x200+100+100")
    other = programs.logger("Bystander", geometry="300x200+600+100")
    win = window_titled(ctx.desktop, "State Me")
    assert run(ctx, "focus_window", title="state me").ok
    real = Real(win.id)
    try:
        small = real.size()
        r = run(ctx, "maximize_window")
        assert r.ok, r
        assert {"MAXIMIZED_VERT", "MAXIMIZED_HORZ"} <= real.net_state()
        assert wait_for(lambda: real.size()[0] > SCREEN[0] * 0.9), real.size()

        assert run(ctx, "restore_window").ok
        assert not real.net_state() & {"MAXIMIZED_VERT", "MAXIMIZED_HORZ"}
        assert wait_for(lambda: real.size() == small), real.size()

        assert run(ctx, "fullscreen_window").ok
        assert "FULLSCREEN" in real.net_state()
        assert wait_for(lambda: real.size() == SCREEN), real.size()
        assert run(ctx, "restore_window").ok
        assert "FULLSCREEN" not in real.net_state()

        r = run(ctx, "minimize_window")
        assert r.ok, r
        assert real.iconic() and wait_for(lambda: not real.viewable())
        assert ctx.desktop.active_window() != win  # the focus moved on
        assert other.proc.poll() is None and Real(other_id := window_titled(ctx.desktop, "Bystander").id).viewable()

        # By title: back on screen, focused, normal size.
        assert run(ctx, "restore_window", title="state me").ok
        assert not real.iconic() and wait_for(real.viewable)
        assert ctx.desktop.active_window() == win
        # By title, without taking the focus: the bystander is maximized, "State Me" keeps the keys.
        assert run(ctx, "maximize_window", title="bystander").ok
        assert {"MAXIMIZED_VERT", "MAXIMIZED_HORZ"} <= Real(other_id).net_state()
        assert "MAXIMIZED_VERT" not in real.net_state()
        r = run(ctx, "minimize_window", title="no such window")
        assert isinstance(r, ToolError) and "no such window" in r.message
    finally:
        real.d.close()


def test_window_state_needs_a_window_manager(programs, bare_display):
    """A bare X server: refused with a message, never faked by resizing the window ourselves."""
    from voxctl.tools.desktop import DesktopError
    from voxctl.tools.x11 import X11

    programs.logger("Bare", geometry="300x200+10+10")
    wins = X11()
    target = window_titled(wins, "Bare")
    with pytest.raises(DesktopError, match="needs a window manager"):
        wins.set_state(target, "maximized")
