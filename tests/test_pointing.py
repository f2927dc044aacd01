"""Pointing by voice (issue 12): numbered labels and the mouse grid, from the spoken text to the real
desktop (Xvfb + openbox, the Tk app tests/apps/pointing_app.py with icon-only buttons and identical links),
plus the state rules on the dry-run desktop (a label no longer shown, a grid not shown, the timeout)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.apps.harness import LoggerWindow, window_titled
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.tools.context import ToolContext
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.guard import GuardedDesktop
from voxctl.tools.overlay_window import TAG_BG
from voxctl.tools.pointing import PointingState, Rect
from voxctl.tools.registry import call, dispatch

APP = Path(__file__).parent / "apps" / "pointing_app.py"
YELLOW = tuple(int(TAG_BG[i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def grammar():
    return GrammarInterpreter()


def say(text: str, grammar, ctx: ToolContext) -> list:
    plan = grammar.parse(text)
    assert plan.actions, f"{text!r} was not understood: {plan.reason}"
    return [dispatch(c, ctx) for c in plan.actions]


def ok(outcomes: list) -> list:
    assert all(o.ok for o in outcomes), outcomes
    return outcomes


def yellow_pixels(image) -> int:
    a = np.asarray(image.convert("RGB"))
    return int(((a[..., 0] == YELLOW[0]) & (a[..., 1] == YELLOW[1]) & (a[..., 2] == YELLOW[2])).sum())


# --- the state rules, on the dry-run desktop ---------------------------------------------------------------
def test_labels_and_grid_state_rules_on_the_dry_run(grammar):
    now = [100.0]
    desk = DryRunDesktop(size=(1200, 900), screen_text={"more": (100, 100), "Save": (300, 100)},
                         pointing=PointingState(timeout=30, clock=lambda: now[0]))
    audit: list[str] = []
    ctx = ToolContext(desktop=GuardedDesktop(desk, on_primitive=lambda n, a: audit.append(n)))  # type: ignore[arg-type]

    (miss,) = say("grid 5", grammar, ctx)
    assert not miss.ok and "mouse grid is not shown" in miss.message
    (miss,) = say("click 2", grammar, ctx)
    assert not miss.ok and "label 2 is not shown: no numbers are shown now" in miss.message

    ok(say("show numbers", grammar, ctx))
    shot = desk.pointing.labels.id
    (far,) = say("click 7", grammar, ctx)
    assert not far.ok and "labels shown go from 1 to 2" in far.message
    with pytest.raises(LookupError, match="belongs to numbers no longer shown"):  # a record of an older drawing
        desk.pointing.element(1, "labels-999999")
    (done,) = ok(say("right click 2", grammar, ctx))
    assert done.data == {"x": 300, "y": 100, "snapshot": shot}
    assert ("click", {"x": 300, "y": 100, "button": "right", "count": 1}) in desk.log
    (again,) = say("click 2", grammar, ctx)  # used: gone
    assert not again.ok and "is not shown" in again.message

    ok(say("show numbers", grammar, ctx))
    now[0] += 31  # desktop.overlay_timeout passed
    (late,) = say("move to 1", grammar, ctx)
    assert not late.ok and "after 30 s" in late.message

    ok(say("mouse grid 5 3", grammar, ctx))
    assert desk.pointer() == Rect(0, 0, 1200, 900).cell(5).cell(3).center == (733, 350)
    ok(say("drag to grid 7 2", grammar, ctx))  # counted from the whole screen, from the pointer
    assert desk.log[-1] == ("drag", {"from_x": 733, "from_y": 350, "to_x": 199, "to_y": 650})
    (gone,) = say("grid 1", grammar, ctx)  # the drag hid the grid
    assert not gone.ok and "not shown" in gone.message
    ok(say("window grid", grammar, ctx))
    ok(say("cancel grid", grammar, ctx))
    assert desk.pointing.shown_grid() is None
    # The overlay's own primitives are audited like any other.
    assert {"show_overlay", "hide_overlay", "click", "drag", "move"} <= set(audit)
    # For the policy a label click is a click: a middle click pastes (it may submit a line).
    from voxctl.agent.policy import submits

    assert submits(call("click_label", label=1, button="middle")) and not submits(call("click_label", label=1))


def test_labels_drawn_from_boxes_when_ocr_runs_out_of_time():
    """Labels are due within a second: OCR past its budget is dropped, and the edge boxes still find the
    icon-only button and each of two identical links (a picture drawn here, no display needed)."""
    from PIL import Image, ImageDraw

    from voxctl.tools.elements import detect
    from voxctl.tools.ocr import read_lines

    img = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 60, 60), outline="black", fill="#dddddd")  # a button with an icon, no text
    draw.ellipse((30, 30, 50, 50), fill="blue")
    for x in (100, 250):
        draw.text((x, 120), "more", fill="#1a0dab")
        draw.line((x, 133, x + 24, 133), fill="#1a0dab")
    assert read_lines(img, timeout=0.001) is None
    found = detect(img, Rect(0, 0, 400, 200), ocr_budget=0.001)
    centres = [e.rect.center for e in found]
    assert len(found) == 3 and Rect(20, 20, 41, 41).contains(*centres[0]), found
    assert all(Rect(x - 2, 115, 34, 25).contains(*c) for x, c in zip((100, 250), centres[1:], strict=True)), found


# --- the real desktop ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdesk(xdisplay, window_manager):
    from voxctl.tools.realdesktop import RealDesktop

    d = RealDesktop(overlay_timeout=60)
    yield d
    d.overlay.close()


@pytest.fixture
def app(pdesk, tmp_path):
    log = tmp_path / "pointing.jsonl"
    title = f"pointing-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, str(APP), str(log), "--title", title], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    win = LoggerWindow(proc, log, title)
    try:
        assert win.wait("ready", timeout=10), proc.stderr.read().decode() if proc.poll() is not None else "slow"
        win.ready = win.events("ready")[0]
        pdesk.activate(window_titled(pdesk, title))
        yield win
    finally:
        pdesk.hide_overlay()
        pdesk.pointing.grid = pdesk.pointing.labels = None
        proc.terminate()
        proc.wait(timeout=5)
        proc.stderr.close()


def typed_reaches_app(pdesk, app: LoggerWindow) -> None:
    before = len(app.events("key"))
    pdesk.type_text("ok")
    keys = app.wait("key", before + 2)
    assert [k["char"] for k in keys[before:]] == ["o", "k"]
    assert pdesk.active_window().title == app.title  # the overlay never took the focus


def test_show_numbers_then_click_presses_exactly_that_one(pdesk, app, grammar, tmp_path):
    from PIL import ImageGrab

    ctx = ToolContext(desktop=pdesk, screenshot_dir=tmp_path)
    start = time.monotonic()
    ok(say("show numbers", grammar, ctx))
    drawn = time.monotonic() - start
    shown = pdesk.pointing.labels
    targets = app.ready["targets"]

    def label_of(name: str) -> int | None:
        x, y, w, h = targets[name]
        return next((i for i, e in enumerate(shown.elements, 1) if Rect(x, y, w, h).contains(*e.rect.center)), None)

    numbers = {name: label_of(name) for name in targets}
    print(f"\nlabels from the screen: {len(shown.elements)} drawn in {drawn * 1000:.0f} ms; targets -> {numbers}")
    assert all(numbers.values()), numbers  # every icon and every identical link got its own label
    assert len(set(numbers.values())) == len(numbers)

    # While the labels show: typing reaches the focused field, and voxctl's screenshot leaves them out.
    typed_reaches_app(pdesk, app)
    assert yellow_pixels(ImageGrab.grab()) > 0
    (shot,) = ok(say("take a screenshot", grammar, ctx))
    from PIL import Image

    assert yellow_pixels(Image.open(shot.data["path"])) == 0
    assert pdesk.pointing.labels is shown and pdesk.overlay.shown  # shown again after the capture

    ok(say(f"click {numbers['link-3']}", grammar, ctx))
    assert [e["label"] for e in app.wait("button", 1)] == ["link-3"]
    assert not pdesk.overlay.shown  # used: the labels are gone
    (stale,) = say(f"click {numbers['icon-2']}", grammar, ctx)
    assert not stale.ok and "is not shown" in stale.message

    ok(say("show numbers", grammar, ctx))
    ok(say(f"click {numbers['icon-2']}", grammar, ctx))  # the same layout numbers the same way
    assert [e["label"] for e in app.wait("button", 2)] == ["link-3", "icon-2"]


def test_mouse_grid_narrows_and_clicks_there(pdesk, app, grammar):
    ctx = ToolContext(desktop=pdesk)
    ok(say("mouse grid", grammar, ctx))
    typed_reaches_app(pdesk, app)
    times = []
    for said in ("grid 5", "grid 1"):
        start = time.monotonic()
        ok(say(said, grammar, ctx))
        times.append(time.monotonic() - start)
    x, y = pdesk.pointer()
    # 1280x800: cell 5 is x 426-852, y 266-532; its cell 1 is x 426-567, y 266-354.
    assert 426 <= x < 568 and 266 <= y < 355, (x, y)
    print(f"\ngrid narrowing (incl. redraw): {', '.join(f'{t * 1000:.0f} ms' for t in times)}")
    ok(say("click", grammar, ctx))
    (press,) = app.wait("press", 1)
    assert (press["x"], press["y"]) == (x, y)
    ok(say("hide grid", grammar, ctx))
    assert not pdesk.overlay.shown
    (miss,) = say("7", grammar, ctx)
    assert not miss.ok and "not shown" in miss.message
