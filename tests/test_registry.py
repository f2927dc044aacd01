"""The registry: tools by name, plans in and out, and dispatch that turns every failure into a value.

Runs against the dry-run desktop (a full Desktop that records instead of acting) and, where the failure
is about the real desktop itself (no display, no program), against RealDesktop with no display."""

from __future__ import annotations

import json
import threading

import pytest

from voxctl.tools.base import EmergencyStop, Risk, ToolError, ToolResult
from voxctl.tools.context import ToolContext
from voxctl.tools.desktop import Desktop, DesktopError
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.guard import GuardedDesktop
from voxctl.tools.realdesktop import RealDesktop
from voxctl.tools.registry import TOOLS, ActionPlan, call, dispatch, validate_plan


def ctx_for(desktop=None, **kw) -> ToolContext:
    return ToolContext(desktop=desktop or DryRunDesktop(), **kw)


def test_every_tool_is_described_for_people_and_models():
    for name, spec in TOOLS.items():
        assert spec.name == name and spec.family and spec.examples, name
        assert len(spec.description) > 20, name


def test_both_backends_implement_the_desktop_protocol():
    assert isinstance(DryRunDesktop(), Desktop)
    assert isinstance(RealDesktop(), Desktop)  # constructing it touches no display


def test_a_plan_round_trips_through_json():
    plan = ActionPlan(transcript="save it", source="grammar",
                      actions=[call("press_keys", keys=["control", "s"]), call("close_window")])
    data = plan.to_json()
    assert "reason" not in data
    assert data["actions"][0] == {"tool": "press_keys", "args": {"keys": ["ctrl", "s"], "repeat": 1}}
    again, problems = validate_plan(json.dumps(data))
    assert problems == [] and again == plan


def test_plan_shapes():
    plan, problems = validate_plan([{"tool": "close_window"}])  # a bare list of actions
    assert problems == [] and plan.actions[0].tool == "close_window"
    assert validate_plan("[1, ")[1][0].startswith("not valid JSON")
    assert validate_plan("42")[1] == ["a plan must be a JSON object with 'actions', got int"]
    assert validate_plan({"actions": {"tool": "wait"}})[1] == ["actions: must be a list"]
    assert validate_plan({"actions": [], "reason": "heard nothing"})[0].reason == "heard nothing"


def test_dispatch_runs_tools_on_the_desktop():
    d = DryRunDesktop(screen_text={"Save": (100, 50), "Save As": (300, 50)})
    ctx = ctx_for(d)
    assert dispatch(call("click", target="save"), ctx) == ToolResult("click", "clicked 'save' at (100, 50)",
                                                                      {"x": 100, "y": 50})
    assert dispatch({"tool": "press_keys", "args": {"keys": ["Return"], "repeat": 2}}, ctx).ok  # raw data
    assert d.describe()[-3:] == ["press(keys=['enter'])", "sleep(seconds=0.02)", "press(keys=['enter'])"]


def test_dispatch_returns_failures_as_values():
    ctx = ctx_for()
    bad = dispatch({"tool": "scroll", "args": {"direction": "sideways"}}, ctx)
    assert isinstance(bad, ToolError) and bad.tool == "scroll" and "'sideways' is not allowed" in bad.message
    assert isinstance(dispatch({"tool": "rm_rf"}, ctx), ToolError)
    assert dispatch(call("focus_window", title="firefox"), ctx) == ToolError(
        "focus_window", "no window whose title contains 'firefox'")
    assert dispatch(call("move_mouse", x=5000, y=10), ctx).message == \
        "point (5000, 10) is off the screen (1920x1080)"  # the tool's name is ToolError.tool, said once


def test_desktop_errors_and_surprises_become_tool_errors():
    class Broken(DryRunDesktop):
        def type_text(self, text):
            raise DesktopError("the keyboard is gone")

        def screenshot(self, path):
            raise ZeroDivisionError("surprise")

    ctx = ctx_for(Broken())
    assert dispatch(call("type_text", text="hi"), ctx) == ToolError("type_text", "the keyboard is gone")
    assert dispatch(call("screenshot", path="/tmp/x.png"), ctx) == ToolError("screenshot",
                                                                             "ZeroDivisionError: surprise")


def test_the_emergency_stop_escapes_dispatch():
    stop = threading.Event()
    ctx = ctx_for(GuardedDesktop(DryRunDesktop(), stop))
    assert dispatch(call("click"), ctx).ok
    stop.set()
    with pytest.raises(EmergencyStop):
        dispatch(call("click"), ctx)
    with pytest.raises(EmergencyStop):  # a wait is cut short, not sat out
        dispatch(call("wait", seconds=30), ctx)


def test_a_plan_may_not_press_the_hotkeys():
    ctx = ctx_for(GuardedDesktop(DryRunDesktop(), forbidden_chords=[["ctrl", "alt", "space"]]))
    r = dispatch(call("press_keys", keys=["alt", "ctrl", "space"]), ctx)
    assert isinstance(r, ToolError) and "hotkey" in r.message


def test_risk_of_a_call_is_its_tool_tier_or_higher():
    from voxctl.tools.registry import risk_of

    assert risk_of(call("close_window")) == Risk.HIGH
    assert risk_of(call("type_text", text="x")) == Risk.MEDIUM
    assert risk_of(call("press_keys", keys=["alt", "f4"])) == Risk.HIGH


def test_real_desktop_without_a_display_says_so(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    d = RealDesktop()
    for act in (d.screen_size, d.windows, lambda: d.screenshot("/tmp/never.png"), lambda: d.find_text("x")):
        with pytest.raises(DesktopError, match="no X display: set DISPLAY or run under X11"):
            act()
    r = dispatch(call("move_mouse", x=1, y=1), ctx_for(d))
    assert isinstance(r, ToolError) and "no X display" in r.message
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with pytest.raises(DesktopError, match="Wayland"):
        RealDesktop().pointer()


def test_real_desktop_reports_a_program_that_is_not_there():
    with pytest.raises(DesktopError, match="cannot start 'voxctl-no-such-program': no such program"):
        RealDesktop().launch(["voxctl-no-such-program", "--flag"])
    with pytest.raises(DesktopError, match="empty command"):
        RealDesktop().launch([])


def test_tools_carry_their_own_description_repeatability_and_primitives():
    """feedback, durable and the guard read these from the specs; no tool is left out of any of them."""
    from voxctl.agent.feedback import describe_action
    from voxctl.tools.guard import ACTING

    protocol = {name for name in dir(Desktop) if not name.startswith("_")}
    for name, spec in TOOLS.items():
        assert spec.describe is not None, name
        assert spec.primitives <= protocol, (name, spec.primitives - protocol)
    assert ACTING == {"sleep"}.union(*(s.primitives for s in TOOLS.values()))
    assert {"press", "type_text", "click", "close_active", "launch"} <= ACTING and "windows" not in ACTING
    assert {n for n, s in TOOLS.items() if s.repeatable} == {"wait", "move_mouse", "focus_window", "screenshot",
                                                             "mouse_grid", "show_labels", "hide_overlay",
                                                             "maximize_window", "minimize_window", "restore_window",
                                                             "fullscreen_window"}
    assert describe_action({"tool": "press_keys", "args": {"keys": ["ctrl", "w"], "repeat": 3}}) == "press ctrl+w 3 times"
    assert describe_action({"tool": "click", "args": {"button": "right", "count": 2}}) == (
        "right-double-click where the pointer is")
    assert describe_action(call("drag", to_x=5, to_y=6)) == "drag to 5, 6"
    assert describe_action({"tool": "gone", "args": {"a": 1}}) == "gone(a=1)"  # an old history record
    assert TOOLS["press_keys"].cost_of(call("press_keys", keys=["a"], repeat=7).args) == 7
    assert TOOLS["click"].cost_of(call("click").args) == 1


def test_run_macro_never_runs_unexpanded():
    """Macros are expanded when a plan is validated; a run_macro reaching dispatch runs nothing."""
    desk = DryRunDesktop()
    out = dispatch(call("run_macro", name="tidy"), ctx_for(desk))
    assert not out.ok and "not expanded" in out.message and desk.log == []
