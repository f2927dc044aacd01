"""The emergency stop: once it is set, no primitive begins, a long wait ends at once, and the plan is
reported stopped with what ran and what did not.

The desktop is wrapped in `Timed`, an observer that notes when each primitive *begins* (GuardedDesktop's
on_primitive fires after it ends); it acts through the real (or dry-run) desktop underneath.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.fixtures.xdisplay import wait_for
from voxctl.agent.config import Config
from voxctl.agent.graph import Agent
from voxctl.tools.base import EmergencyStop
from voxctl.tools.dryrun import DryRunDesktop


class Timed:
    """Passes every call through to `inner`, noting (name, start time) of each acting primitive."""

    ACTING = {"move", "click", "drag", "scroll", "type_text", "press", "launch", "activate", "close_active"}

    def __init__(self, inner) -> None:
        self.inner = inner
        self.began: list[tuple[str, float]] = []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name not in self.ACTING:
            return attr

        def timed(*a, **kw):
            self.began.append((name, time.time()))
            return attr(*a, **kw)

        return timed


def make_config(tmp_path, pause: float) -> Config:
    return Config.model_validate({"history": {"path": str(tmp_path / "h.sqlite")},
                                  "desktop": {"action_pause": pause},
                                  "policy": {"max_actions": 200}, "interpreter": {"macros_file": None}})


def long_plan(n: int, text: str = "x", wait: float = 0.1, first=()):
    actions = list(first)
    for _ in range(n):
        actions += [{"tool": "type_text", "args": {"text": text}}, {"tool": "wait", "args": {"seconds": wait}}]
    return {"transcript": "long plan", "actions": actions}


def test_abort_is_not_an_exception():
    assert not issubclass(EmergencyStop, Exception)


def test_stop_from_another_thread_ends_the_plan_between_primitives(tmp_path):
    desk = Timed(DryRunDesktop())
    agent = Agent(make_config(tmp_path, 0.0), desktop=desk)
    stopped_at: list[float] = []

    def press_stop():
        wait_for(lambda: len(desk.began) >= 5, 10)
        time.sleep(0.05)  # inside the wait after the fifth "x"
        stopped_at.append(time.time())
        agent.stop.set()

    threading.Thread(target=press_stop).start()
    tid = agent.start(plan=long_plan(30))  # 30 x (type, wait 0.1 s): about 3 s if not stopped
    assert time.time() - stopped_at[0] < 0.5  # the wait in flight ended at once
    v = agent.values(tid)
    assert v["status"] == "stopped", v["summary"]
    ran = sum(r["state"] == "ok" for r in v["outcomes"])
    assert ran == 9  # five "x", four waits; the fifth wait was cut short
    assert v["outcomes"][ran]["state"] == "stopped"  # the wait in flight
    assert all(r["state"] == "not_run" for r in v["outcomes"][ran + 1:])
    t_stop = stopped_at[0]
    assert desk.began and all(t <= t_stop + 0.002 for _, t in desk.began), [t - t_stop for _, t in desk.began[-3:]]
    typed_before = len(desk.began)
    time.sleep(0.3)
    assert len(desk.began) == typed_before  # nothing keeps running in the background
    # The audit log agrees: every primitive it recorded began before the stop.
    prims = agent.audit.primitives(tid)
    assert len(prims) == typed_before
    assert [a.state for a in agent.audit.get(tid).actions][-1] == "stopped"


def test_stop_wakes_a_long_wait_at_once(tmp_path):
    agent = Agent(make_config(tmp_path, 0.0), desktop=DryRunDesktop())
    threading.Timer(0.3, agent.stop.set).start()
    t0 = time.monotonic()
    tid = agent.start(plan={"actions": [{"tool": "wait", "args": {"seconds": 30}},
                                        {"tool": "scroll", "args": {"direction": "down"}}]})
    assert time.monotonic() - t0 < 1.0
    assert agent.values(tid)["status"] == "stopped"
    assert agent._desktop.log == []


def test_stop_inside_a_macro_stops_the_macro(tmp_path):
    macros = tmp_path / "macros.yaml"
    macros.write_text("slow:\n" + "".join("  - {tool: type_text, args: {text: m}}\n"
                                          "  - {tool: wait, args: {seconds: 0.1}}\n" for _ in range(40)))
    cfg = Config.model_validate({"history": {"path": str(tmp_path / "h.sqlite")}, "desktop": {"action_pause": 0},
                                 "interpreter": {"macros_file": str(macros)}, "policy": {"max_actions": 100}})
    desk = DryRunDesktop()
    agent = Agent(cfg, desktop=desk)
    at_stop = []

    def stop_after_three():
        wait_for(lambda: len(desk.log) >= 3, 10)
        agent.stop.set()
        at_stop.append(len(desk.log))  # what began before the stop, or the one primitive under way at it

    threading.Thread(target=stop_after_three).start()
    tid = agent.start(plan={"actions": [{"tool": "run_macro", "args": {"name": "slow"}},
                                        {"tool": "type_text", "args": {"text": "after"}}]})
    v = agent.values(tid)
    assert v["status"] == "stopped"
    # The macro was expanded into its 80 steps (+ "after"): the stop lands inside one of them (mostly a wait),
    # or, when the stopping thread came late on a busy box, between two: the next never starts.
    states = [r["state"] for r in v["outcomes"]]
    ran = states.count("ok")
    assert len(states) == 81 and 2 <= ran < 80 and states[:ran] == ["ok"] * ran, states
    assert states[ran:] in (["stopped"] + ["not_run"] * (80 - ran), ["not_run"] * (81 - ran)), states
    assert v["origins"][:80] == [["slow"]] * 80 and v["origins"][80] == []
    # no primitive began after the stop but one under way (counted here or not yet when the stop was set)
    assert at_stop and 3 <= len(desk.log) <= at_stop[0] + 1 and ("type_text", {"text": "after"}) not in desk.log


@pytest.mark.display
def test_stop_hotkey_on_a_real_display_stops_typing(tmp_path, programs, desktop):
    """xdotool presses the real stop chord while a plan types into a real window."""
    win = programs.logger("estop-target")
    desk = Timed(desktop)
    agent = Agent(make_config(tmp_path, 0.05), desktop=desk)
    set_at: list[float] = []

    def on_stop_chord():  # what the listen loop wires to the stop chord, plus a timestamp
        set_at.append(time.time())
        agent.stop.set()

    from voxctl.agent.listen.hotkey import HotkeyListener

    hotkey = HotkeyListener(agent.config.hotkey.talk, stop_chord=agent.config.hotkey.stop,
                            on_stop_chord=on_stop_chord).start()
    try:
        plan = long_plan(40, first=[{"tool": "focus_window", "args": {"title": "estop-target"}}])
        result: dict[str, str] = {}
        runner = threading.Thread(target=lambda: result.update(tid=agent.start(plan=plan)))
        runner.start()
        assert wait_for(lambda: len(win.events("key")) >= 5, 15), "typing never reached the window"
        subprocess.run(["xdotool", "key", "ctrl+alt+period"], check=True)
        runner.join(10)
        assert not runner.is_alive()
    finally:
        hotkey.close()
    assert set_at, "the stop chord was not heard"
    v = agent.values(result["tid"])
    assert v["status"] == "stopped", v["summary"]
    typed_ok = sum(r["state"] == "ok" and r["tool"] == "type_text" for r in v["outcomes"])
    assert 5 <= typed_ok < 40
    # No primitive began after voxctl heard the stop...
    assert all(t <= set_at[0] + 0.002 for _, t in desk.began)
    # ...and the window agrees: no "x" arrived after the chord's modifiers, and every typed "x" is accounted
    # for. The chord's last key is voxctl's (grabbed on X11): the window never sees the period.
    time.sleep(0.3)
    keys = [e["keysym"] for e in win.events("key")]
    assert "period" not in keys and "Alt_L" in keys
    assert "x" not in keys[keys.index("Alt_L"):]
    assert keys.count("x") == typed_ok


@pytest.mark.display
def test_stop_chord_ends_a_voxctl_exec_plan(tmp_path, programs, desktop):
    """The one-shot commands listen for the stop chord too: `voxctl exec` of a long plan, stopped."""
    import json
    import os
    import sys

    import yaml

    win = programs.logger("estop-exec")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "h.sqlite")}, "policy": {"max_actions": 100}}))
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(long_plan(30, first=[{"tool": "focus_window", "args": {"title": "estop-exec"}}])))
    proc = subprocess.Popen([sys.executable, "-m", "voxctl.agent", "exec", str(plan)], env={**os.environ, "VOXCTL_CONFIG": str(cfg)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    assert wait_for(lambda: len(win.events("key")) >= 3, 30), proc.communicate(timeout=30)[0]
    subprocess.run(["xdotool", "key", "ctrl+alt+period"], check=True)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 1, out
    assert "emergency stop" in out
    keys = [e["keysym"] for e in win.events("key")]
    assert 3 <= keys.count("x") < 30
    assert "period" not in keys  # the stop chord is owned (grabbed), not typed into the window
    assert "x" not in keys[keys.index("Alt_L"):]
