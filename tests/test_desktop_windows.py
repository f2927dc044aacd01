"""Windows, apps, the screen and on-screen text on a real X server with a real window manager (openbox)."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import run, wait_gone, window_titled
from tests.fixtures.xdisplay import SCREEN, wait_for
from voxctl.tools.base import ToolError

pytestmark = pytest.mark.display


def test_focus_window_by_case_insensitive_part_of_the_title(ctx, programs):
    programs.logger("Alpha Notes", geometry="300x200+100+100")
    programs.logger("Beta Notes", geometry="300x200+500+100")
    r = run(ctx, "focus_window", title="beta")
    assert r.ok, r
    assert ctx.desktop.active_window().title == "Beta Notes"
    assert run(ctx, "focus_window", title="ALPHA NOTES").ok
    assert ctx.desktop.active_window().title == "Alpha Notes"
    r = run(ctx, "focus_window", title="gamma")
    assert isinstance(r, ToolError) and "'gamma'" in r.message
    assert ctx.desktop.active_window().title == "Alpha Notes"


def test_focused_window_gets_the_keys(ctx, programs):
    a = programs.logger("Keys A", geometry="300x200+100+100")
    b = programs.logger("Keys B", geometry="300x200+500+100")
    assert run(ctx, "focus_window", title="keys a").ok
    assert run(ctx, "press_keys", keys=["x"]).ok
    assert run(ctx, "focus_window", title="keys b").ok
    assert run(ctx, "press_keys", keys=["y"]).ok
    assert [e["keysym"] for e in a.wait("key")] == ["x"]
    assert [e["keysym"] for e in b.wait("key")] == ["y"]


def test_close_window_asks_politely_and_the_window_closes(ctx, programs):
    keep = programs.logger("Keep Me", geometry="300x200+100+100")
    win = programs.logger("Close Me", geometry="300x200+500+100")
    assert run(ctx, "focus_window", title="close me").ok
    r = run(ctx, "close_window")
    assert r.ok and "Close Me" in r.output
    # The app's own WM_DELETE_WINDOW handler ran (a killed process could not have written this) ...
    assert win.wait("delete_window"), "the window was not asked to close"
    assert win.proc.wait(timeout=5) == 0
    assert wait_gone(ctx.desktop, "Close Me")
    # ... and only that window was asked.
    assert keep.proc.poll() is None and keep.events("delete_window") == []


def test_close_window_refuses_a_window_that_cannot_be_asked(ctx):
    """A bare X window without WM_DELETE_WINDOW in WM_PROTOCOLS: voxctl must not kill it."""
    from Xlib import X, display

    d = display.Display()
    try:
        screen = d.screen()
        w = screen.root.create_window(100, 100, 200, 100, 0, screen.root_depth, X.InputOutput,
                                      background_pixel=screen.white_pixel)
        w.set_wm_name("No Protocols")
        w.map()
        d.sync()
        assert window_titled(ctx.desktop, "No Protocols")
        assert run(ctx, "focus_window", title="no protocols").ok
        r = run(ctx, "close_window")
        assert isinstance(r, ToolError) and "will not kill" in r.message
        assert window_titled(ctx.desktop, "No Protocols", timeout=0.5), "the window must still be there"
    finally:
        d.close()


def test_windows_without_a_window_manager(programs, bare_display):
    """A bare X server (a second Xvfb, no openbox): list, focus and close politely all still work."""
    from voxctl.tools.desktop import DesktopError
    from voxctl.tools.x11 import X11

    wins = X11()  # on bare_display, as are the loggers started below
    assert wins.active_window() is None  # nothing has the focus on a fresh server
    with pytest.raises(DesktopError, match="no active window"):
        wins.close_active()
    one = programs.logger("Bare One", geometry="300x200+10+10")
    programs.logger("Bare Two", geometry="300x200+400+10")
    assert wait_for(lambda: {w.title for w in wins.windows()} == {"Bare One", "Bare Two"})
    target = window_titled(wins, "Bare One")
    wins.activate(target)
    assert wins.active_window() == target
    assert wins.close_active() == target
    assert one.wait("delete_window") and one.proc.wait(timeout=5) == 0
    assert wait_for(lambda: [w.title for w in wins.windows()] == ["Bare Two"])


def test_open_app_starts_a_real_program_and_its_window_appears(ctx, programs):
    r = run(ctx, "open_app", name="Terminal")  # alias -> "xterm -T voxctl-terminal"
    assert r.ok, r
    programs.adopt(r.data["pid"])
    assert r.data["argv"] == ["xterm", "-T", "voxctl-terminal"]
    assert window_titled(ctx.desktop, "voxctl-terminal"), "no xterm window appeared"
    assert os.getsid(r.data["pid"]) == r.data["pid"], "the app should run in its own session (detached)"


def test_open_app_finds_programs_on_path_and_reports_missing_ones(ctx, programs):
    r = run(ctx, "open_app", name="xclock-does-not-exist")
    assert isinstance(r, ToolError) and "xclock-does-not-exist" in r.message
    from voxctl.tools.desktop import DesktopError

    with pytest.raises(DesktopError, match="no such program"):
        ctx.desktop.launch(["/nonexistent/voxctl-app"])


def test_screenshot_writes_a_png_of_the_screen(ctx, programs, tmp_path):
    win = programs.logger("Shot", geometry="300x200+100+100")
    r = run(ctx, "screenshot", path=str(tmp_path / "shot"))
    assert r.ok, r
    path = tmp_path / "shot.png"
    assert r.data["path"] == str(path)
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size == SCREEN
        # The logger's white client area is in the picture where X says it is; the root window is black.
        assert im.convert("RGB").getpixel(win.point()) == (255, 255, 255)
        assert im.convert("RGB").getpixel((SCREEN[0] - 5, SCREEN[1] - 5)) == (0, 0, 0)
    r = run(ctx, "screenshot")  # no path: the screenshots folder
    assert r.ok and r.data["path"].startswith(str(ctx.screenshot_dir)) and os.path.getsize(r.data["path"]) > 0


def test_click_on_text_presses_the_real_button_found_by_ocr(ctx, programs):
    win = programs.logger("Editor", button="Save", geometry="420x300+150+150")
    r = run(ctx, "click", target="save")
    assert r.ok, r
    assert win.wait("button") and win.events("button")[0]["label"] == "Save"
    x, y = r.data["x"], r.data["y"]
    # The click landed inside the window, near its centre, where the button is.
    cx, cy = win.point()
    assert abs(x - cx) < 40 and abs(y - cy) < 20


def test_click_on_text_that_is_not_on_screen_names_it(ctx, programs):
    programs.logger("Editor", button="Save", geometry="420x300+150+150")
    r = run(ctx, "click", target="Publish now")
    assert isinstance(r, ToolError) and "'Publish now'" in r.message


def test_activate_a_window_that_went_away_is_a_desktop_error(ctx, programs):
    from voxctl.tools.desktop import DesktopError

    win = programs.logger("Short Lived", geometry="300x200+100+100")
    gone = window_titled(ctx.desktop, "Short Lived")
    win.proc.terminate()
    win.proc.wait(timeout=5)
    assert wait_gone(ctx.desktop, "Short Lived")
    with pytest.raises(DesktopError, match="no longer open"):
        ctx.desktop.activate(gone)


def test_the_tests_window_activation_holds_while_other_windows_come_and_go(ctx, programs):
    """tests/fixtures/xdisplay.activate, which every test that focuses a window by title uses, while windows
    are created and destroyed all the time (as on a busy machine, where an earlier test's windows are still
    being torn down). `xdotool search --sync ... windowactivate --sync` walked the whole window tree and
    exited 1 on a window destroyed under it (X's BadWindow): here ~1 call in 4; test_hotkey.py failed so."""
    import threading

    from Xlib import X, display

    from tests.fixtures.xdisplay import activate

    programs.logger("Steady One", geometry="300x200+100+100")
    programs.logger("Steady Two", geometry="300x200+500+100")
    stop = threading.Event()

    def churn() -> None:
        d = display.Display()
        root = d.screen().root
        while not stop.is_set():
            wins = [root.create_window(0, 0, 10, 10, 0, X.CopyFromParent) for _ in range(20)]
            d.sync()
            for w in wins:
                w.destroy()
            d.sync()
        d.close()

    churner = threading.Thread(target=churn, daemon=True)
    churner.start()
    try:
        for title in ["Steady One", "Steady Two"] * 4:
            activate(title)
            assert ctx.desktop.active_window().title == title
    finally:
        stop.set()
        churner.join(5)
