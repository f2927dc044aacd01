"""Numbered labels from the accessibility tree (issue 12, tools/atspi.py): a real GTK 3 window
(tests/apps/gtk_app.py, run by the system Python) on the shared Xvfb with openbox, a private D-Bus session
bus and the real at-spi2-core (bus launcher and registry, started by D-Bus activation). "show numbers"
labels the window's controls with the names and boxes GTK gives them, "click N" presses exactly that one;
a window that exposes nothing (Tk) or no accessibility bus at all falls back to the screen, and says so."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.apps.harness import LoggerWindow, window_titled
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.tools.context import ToolContext
from voxctl.tools.pointing import Rect
from voxctl.tools.registry import dispatch

APPS = Path(__file__).parent / "apps"


@pytest.fixture(scope="module")
def session_bus(xdisplay):
    """A private D-Bus session bus for this module; the accessibility bus is activated on it on demand."""
    from voxctl.agent.benchmarks.a11y_bus import missing, private_session_bus

    if why := missing():
        pytest.skip(why)
    with private_session_bus() as env:
        yield env


@pytest.fixture(scope="module")
def adesk(session_bus, window_manager):
    from voxctl.tools.atspi import AccessibilityTree
    from voxctl.tools.realdesktop import RealDesktop

    d = RealDesktop(overlay_timeout=60)
    # Behaviour, not speed: a busy test machine must not push the tree past its 0.3 s into the fallback.
    d.a11y = AccessibilityTree(budget=5.0)
    yield d
    d.overlay.close()
    d.a11y.close()


def _start(adesk, argv: list[str], log: Path, title: str, env: dict[str, str]) -> LoggerWindow:
    proc = subprocess.Popen(argv + [str(log), "--title", title], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    win = LoggerWindow(proc, log, title)
    assert win.wait("ready", timeout=15), proc.stderr.read().decode() if proc.poll() is not None else "slow"
    win.ready = win.events("ready")[0]
    adesk.activate(window_titled(adesk, title))
    return win


def _end(adesk, win: LoggerWindow) -> None:
    adesk.hide_overlay()
    adesk.pointing.grid = adesk.pointing.labels = None
    win.proc.terminate()
    win.proc.wait(timeout=5)
    win.proc.stderr.close()


@pytest.fixture(scope="module")
def gtk_app(adesk, session_bus, tmp_path_factory):
    from voxctl.agent.benchmarks.a11y_bus import SYSTEM_PYTHON

    title = f"gtk-{time.monotonic_ns()}"
    win = _start(adesk, [SYSTEM_PYTHON, str(APPS / "gtk_app.py")], tmp_path_factory.mktemp("gtk") / "gtk.jsonl",
                 title, session_bus)
    yield win
    _end(adesk, win)


def show_numbers(ctx: ToolContext):
    (plan,) = GrammarInterpreter().parse("show numbers").actions
    start = time.monotonic()
    out = dispatch(plan, ctx)
    assert out.ok, out
    return out, time.monotonic() - start


def click(n: int, ctx: ToolContext) -> None:
    (plan,) = GrammarInterpreter().parse(f"click {n}").actions
    out = dispatch(plan, ctx)
    assert out.ok, out


def test_show_numbers_reads_the_gtk_window_from_the_accessibility_tree(adesk, gtk_app):
    ctx = ToolContext(desktop=adesk)
    out, took = show_numbers(ctx)
    assert out.data["source"] == "accessibility" and "from the accessibility tree" in out.output, out
    shown = adesk.pointing.labels.elements
    targets = {name: Rect(*box) for name, box in gtk_app.ready["targets"].items()}
    # Each control has the label whose box is GTK's own allocation (within a few pixels), named by GTK.
    def near(a: Rect, b: Rect) -> bool:
        return max(abs(a.x - b.x), abs(a.y - b.y), abs(a.w - b.w), abs(a.h - b.h)) <= 3

    numbers = {name: next((i for i, e in enumerate(shown, 1) if near(e.rect, box)), None)
               for name, box in targets.items()}
    print(f"\nlabels from AT-SPI: {len(shown)} in {took * 1000:.0f} ms; {numbers}")
    assert all(numbers.values()) and len(set(numbers.values())) == len(numbers), (numbers, shown)
    names = {name: shown[n - 1].text for name, n in numbers.items()}
    assert names == {"save": "Save", "open": "Open", "icon-1": "Icon 1", "icon-2": "Icon 2",
                     "check": "Remember me", "toggle": "Bold", "link-1": "more", "link-2": "more"}
    assert all(e.kind == "accessible" for e in shown)

    click(numbers["icon-2"], ctx)  # an icon-only button: no text on screen to find
    assert [e["label"] for e in gtk_app.wait("button", 1)] == ["icon-2"]
    show_numbers(ctx)
    click(numbers["link-2"], ctx)  # the second of two identical links
    assert [e["label"] for e in gtk_app.wait("button", 2)] == ["icon-2", "link-2"]

    # Past its time budget the tree is not used (labels are due within a second): it says so instead.
    from voxctl.tools.atspi import AccessibilityTree

    late = AccessibilityTree(budget=0.0)
    assert late.elements(adesk.area("window")) == "the accessibility tree took over 0 ms"
    late.close()


def test_a_window_without_a_tree_and_no_bus_fall_back_to_the_screen(adesk, gtk_app, tmp_path, monkeypatch):
    """A Tk window exposes nothing over AT-SPI (even with the bus up and a GTK window open behind it):
    its labels come from the screen, and the result says why. With no bus at all, the reading says so."""
    from voxctl.tools.atspi import AccessibilityTree

    tk = _start(adesk, [sys.executable, str(APPS / "pointing_app.py")], tmp_path / "tk.jsonl",
                f"tk-{time.monotonic_ns()}", dict(os.environ))
    try:
        out, _ = show_numbers(ToolContext(desktop=adesk))
        assert out.data["source"] == "screen", out
        assert "from the screen: the active window exposes no accessibility tree" in out.output, out
        assert all(e.kind != "accessible" for e in adesk.pointing.labels.elements)
    finally:
        _end(adesk, tk)
    for name in ("DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert AccessibilityTree().elements(Rect(0, 0, 100, 100)) == "no accessibility bus"
