"""Keyboard and mouse on a real X server: what the tools do must reach real programs.

Typing goes into a real xterm whose shell copies it to a file; clicks, scrolls and drags go to the Tk
event logger (tests/apps/event_logger.py), which writes down what X delivered to it.
"""

from __future__ import annotations

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import run, window_titled
from tests.fixtures.xdisplay import SCREEN, wait_for
from voxctl.tools.base import EmergencyStop, ToolError

pytestmark = pytest.mark.display


def test_typed_text_enter_and_ctrl_d_reach_a_real_xterm(ctx, programs, tmp_path):
    out = tmp_path / "typed.txt"
    term = programs.xterm_cat("voxctl-typing", out)
    assert window_titled(ctx.desktop, "voxctl-typing"), "the xterm did not appear"
    assert run(ctx, "focus_window", title="VOXCTL-TYPING").ok
    assert run(ctx, "type_text", text="Hello, World! 42 ~/$HOME").ok
    assert run(ctx, "press_keys", keys=["Return"]).ok  # a synonym, normalised to enter
    assert run(ctx, "type_text", text="café ñ über → done").ok  # not ASCII: typed on borrowed keycodes
    assert run(ctx, "press_keys", keys=["enter"], repeat=3).ok
    # Ctrl+D at the start of a line ends `cat`, and with it the xterm.
    assert run(ctx, "press_keys", keys=["control", "d"]).ok
    assert wait_for(lambda: term.poll() is not None, 5), "ctrl+d did not reach the terminal"
    assert out.read_text(encoding="utf-8") == "Hello, World! 42 ~/$HOME\ncafé ñ über → done\n\n\n"


def test_move_mouse_puts_the_pointer_there(ctx):
    for x, y in [(100, 200), (1, 1), (SCREEN[0] - 2, SCREEN[1] - 2), (640, 400)]:
        r = run(ctx, "move_mouse", x=x, y=y)
        assert r.ok, r
        assert ctx.desktop.pointer() == (x, y)


def test_move_mouse_off_screen_is_refused_and_moves_nothing(ctx):
    run(ctx, "move_mouse", x=300, y=300)
    r = run(ctx, "move_mouse", x=SCREEN[0] + 5, y=100)
    assert isinstance(r, ToolError) and "off the screen" in r.message and "1280x800" in r.message
    assert ctx.desktop.pointer() == (300, 300)
    r = run(ctx, "click", x=50, y=SCREEN[1])
    assert isinstance(r, ToolError) and ctx.desktop.pointer() == (300, 300)


def test_move_to_a_corner_stops_one_pixel_inside_so_the_fail_safe_stays_the_users(ctx):
    assert run(ctx, "move_mouse", x=0, y=0).ok
    assert ctx.desktop.pointer() == (1, 1)
    assert run(ctx, "move_mouse", x=SCREEN[0] - 1, y=SCREEN[1] - 1).ok
    assert ctx.desktop.pointer() == (SCREEN[0] - 2, SCREEN[1] - 2)


def test_pointer_in_a_corner_is_an_emergency_stop(ctx):
    import pyautogui

    pyautogui.moveTo(0, 0)  # what a user does in a panic
    try:
        with pytest.raises(EmergencyStop, match="corner"):
            run(ctx, "click")
    finally:
        pyautogui.FAILSAFE = False
        pyautogui.moveTo(640, 400)
        pyautogui.FAILSAFE = True


def test_nudge_mouse_moves_relative_and_clamps_at_the_edges(ctx):
    run(ctx, "move_mouse", x=500, y=400)
    assert run(ctx, "nudge_mouse", direction="left", pixels=100).ok
    assert ctx.desktop.pointer() == (400, 400)
    assert run(ctx, "nudge_mouse", direction="down").ok  # default 50 px
    assert ctx.desktop.pointer() == (400, 450)
    assert run(ctx, "nudge_mouse", direction="up", pixels=5000).ok
    assert ctx.desktop.pointer() == (400, 1)
    assert run(ctx, "nudge_mouse", direction="right", pixels=5000).ok
    assert ctx.desktop.pointer() == (SCREEN[0] - 2, 1)


def test_clicks_reach_a_real_window(ctx, programs):
    win = programs.logger("voxctl clicks")
    x, y = win.point(0.25, 0.25)
    assert run(ctx, "click", x=x, y=y).ok
    assert run(ctx, "click", x=x + 10, y=y + 10, button="right").ok
    assert run(ctx, "click", x=x + 20, y=y + 20, button="middle").ok
    assert run(ctx, "click", x=x + 30, y=y + 30, count=2).ok
    # Tk runs the most specific binding: the second press of a double click is logged as "double".
    double = win.wait("double")
    assert [(e["x"], e["y"]) for e in double] == [(x + 30, y + 30)]
    presses = win.events("press")
    assert [(p["button"], p["x"], p["y"]) for p in presses] == [
        (1, x, y), (3, x + 10, y + 10), (2, x + 20, y + 20), (1, x + 30, y + 30)]
    assert len(win.wait("release", 5)) == 5
    # With no point, the click lands where the pointer is.
    run(ctx, "move_mouse", x=x + 40, y=y + 5)
    assert run(ctx, "click").ok
    last = win.wait("press", 5)[-1]
    assert (last["button"], last["x"], last["y"]) == (1, x + 40, y + 5)


def test_scrolls_reach_a_real_window(ctx, programs):
    win = programs.logger("voxctl scrolls")
    run(ctx, "move_mouse", x=win.point()[0], y=win.point()[1])
    assert run(ctx, "scroll", direction="down", amount=3).ok
    assert run(ctx, "scroll", direction="up", amount=2).ok
    assert run(ctx, "scroll", direction="left", amount=1).ok
    assert run(ctx, "scroll", direction="right").ok  # default 3
    got = [e["direction"] for e in win.wait("scroll", 9)]
    assert got == ["down"] * 3 + ["up"] * 2 + ["left"] + ["right"] * 3


def test_drag_presses_moves_and_releases(ctx, programs):
    win = programs.logger("voxctl drags")
    (fx, fy), (tx, ty) = win.point(0.2, 0.2), win.point(0.8, 0.7)
    assert run(ctx, "drag", from_x=fx, from_y=fy, to_x=tx, to_y=ty).ok
    release = win.wait("release")
    assert [(e["button"], e["x"], e["y"]) for e in win.events("press")] == [(1, fx, fy)]
    assert [(e["button"], e["x"], e["y"]) for e in release] == [(1, tx, ty)]
    moves = win.events("motion")
    assert len(moves) >= 3, "the app should see the pointer travel while the button is held"
    assert (moves[-1]["x"], moves[-1]["y"]) == (tx, ty)
    # Without a start point the drag starts where the pointer is.
    run(ctx, "move_mouse", x=fx, y=ty)
    assert run(ctx, "drag", to_x=tx, to_y=fy).ok
    assert [(e["x"], e["y"]) for e in win.wait("press", 2)][-1] == (fx, ty)
    assert [(e["x"], e["y"]) for e in win.wait("release", 2)][-1] == (tx, fy)


def test_media_keys_reach_a_real_window(ctx, programs):
    # pyautogui maps no keycode to "volumeup" on X11 and pressed nothing; they go through XTest by keysym
    # (tools/x11_keys.py), lent a spare keycode where the map lacks them
    win = programs.logger("voxctl media keys")
    assert run(ctx, "focus_window", title="voxctl media keys").ok
    for key in ("volumeup", "volumedown", "volumemute", "playpause", "nexttrack", "prevtrack"):
        assert run(ctx, "press_keys", keys=[key]).ok
    assert run(ctx, "press_keys", keys=["volumeup"], repeat=2).ok
    got = [e["keysym"] for e in win.wait("key", 8)]
    assert got == ["XF86AudioRaiseVolume", "XF86AudioLowerVolume", "XF86AudioMute", "XF86AudioPlay",
                   "XF86AudioNext", "XF86AudioPrev", "XF86AudioRaiseVolume", "XF86AudioRaiseVolume"]
    assert run(ctx, "press_keys", keys=["x"]).ok  # an ordinary key after them still types
    assert win.wait("key", 9)[-1]["keysym"] == "x"
