"""Issue 17.1/17.2 in pure code: chords judged by what they fire, and a line submitted in a command window
judged on the real window it lands in (policy), then checked again as it runs (guard).
The red-team versions on a real xterm and Tk window are in tests/safety/."""

from __future__ import annotations

import pytest

from voxctl.agent.config import Config, PolicyConfig
from voxctl.agent.policy import Policy, Screen
from voxctl.tools.desktop import DesktopError, Window
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.guard import GuardedDesktop
from voxctl.tools.keys import fired_chords, is_destructive
from voxctl.tools.registry import ActionPlan, call
from voxctl.tools.submission import chord_submits, is_command_window, text_submits

XTERM = Window("0x1", "user@host: ~/src", ("xterm", "XTerm"))
GEDIT = Window("0x2", "notes.txt - gedit", ("gedit", "Gedit"))
FIREFOX = Window("0x3", "Mozilla Firefox", ("Navigator", "firefox"))
CMD = Config().policy.command_windows


def policy(**cfg) -> Policy:
    return Policy(PolicyConfig.model_validate(cfg), {"talk": "ctrl+alt+space"},
                  apps={"terminal": "xterm", "console": "xterm", "shell": "xterm", "notes": "gedit"})


def decide(*calls, active=GEDIT, windows=(XTERM, GEDIT, FIREFOX), window=""):
    return policy().decide(ActionPlan(actions=list(calls)), window, screen=Screen(active, tuple(windows)))


def test_fired_chords_follow_the_press_order():
    assert fired_chords(["alt", "x", "f4"]) == [("alt", frozenset()), ("x", {"alt"}), ("f4", {"alt"})]
    assert fired_chords(["f4", "alt"]) == [("f4", frozenset()), ("alt", frozenset())]


@pytest.mark.parametrize("keys, high", [
    (["alt", "f4", "x"], True), (["ctrl", "w", "a"], True), (["ctrl", "q", "z"], True), (["alt", "x", "f4"], True),
    (["a", "ctrl", "w"], True), (["alt", "shift", "f4"], True), (["shift", "delete", "a"], True),
    (["f4", "alt"], False), (["w", "ctrl"], False), (["ctrl", "s", "w"], True), (["ctrl", "s"], False),
])
def test_a_chord_is_destructive_by_what_it_fires(keys, high):
    assert is_destructive(keys) is high
    assert (policy().decide(ActionPlan(actions=[call("press_keys", keys=keys)])).verdict == "confirm") is high


@pytest.mark.parametrize("keys", [["enter"], ["ctrl", "m"], ["ctrl", "j"], ["ctrl", "o"], ["shift", "enter"],
                                  ["ctrl", "shift", "m"], ["alt", "enter"], ["shift", "insert"], ["ctrl", "shift", "v"]])
def test_every_submitting_chord_in_a_terminal_asks(keys):
    assert chord_submits(keys)
    d = decide(call("press_keys", keys=keys), active=XTERM)
    assert d.verdict == "confirm" and d.submits and "command window" in d.actions[0].why
    assert decide(call("press_keys", keys=keys), active=GEDIT).verdict == "run"


def test_non_submitting_keys_and_text_do_not_ask():
    for keys in (["m"], ["ctrl", "c"], ["tab"], ["m", "ctrl"]):
        assert chord_submits(keys) is None
        assert decide(call("press_keys", keys=keys), active=XTERM).verdict == "run"
    assert text_submits("ls -l") is None and text_submits("ls\n") and text_submits("a\u2028b")


def test_the_window_is_the_real_one_not_the_words():
    # "user@host" names no command window, but the window focus_window picks for it is an xterm.
    d = decide(call("focus_window", title="user@host"), call("type_text", text="ls"), call("press_keys", keys=["enter"]))
    assert d.verdict == "confirm" and "XTerm" in d.actions[2].why
    # Focus moved away from the terminal: Enter lands in gedit.
    assert decide(call("focus_window", title="gedit"), call("press_keys", keys=["enter"]), active=XTERM).verdict == "run"
    # A spoken title of a terminal while the real active window is gedit still asks (either may be meant).
    assert decide(call("press_keys", keys=["enter"]), window="xterm").verdict == "confirm"


@pytest.mark.parametrize("name", ["console", "shell", "terminal", "xterm"])
def test_open_app_is_judged_by_the_program_it_starts(name):
    d = decide(call("open_app", name=name), call("type_text", text="ls"), call("press_keys", keys=["enter"]),
               windows=(GEDIT,))
    assert d.verdict == "confirm"
    assert decide(call("open_app", name="notes"), call("press_keys", keys=["enter"]), windows=(GEDIT,)).verdict == "run"


def test_a_click_or_a_window_manager_chord_may_land_anywhere_on_screen():
    for move in (call("click", x=10, y=10), call("press_keys", keys=["alt", "tab"]), call("close_window")):
        assert decide(move, call("press_keys", keys=["enter"])).actions[1].submits
        assert not decide(move, call("press_keys", keys=["enter"]), windows=(GEDIT, FIREFOX)).actions[1].submits
    assert decide(call("click", x=10, y=10, button="middle")).verdict == "confirm"  # a middle click pastes
    assert decide(call("press_keys", keys=["ctrl", "alt", "t"]), call("press_keys", keys=["enter"]),
                  windows=(GEDIT,)).verdict == "confirm"  # a desktop shortcut may open a terminal


def test_nothing_lowers_a_submission_and_the_rule_can_be_turned_off():
    lowered = Policy(PolicyConfig.model_validate({"tool_risk": {"press_keys": "low"},
                                                  "window_rules": [{"window": ".*", "risk": "low"}]}))
    d = lowered.decide(ActionPlan(actions=[call("press_keys", keys=["enter"])]), screen=Screen(XTERM, (XTERM,)))
    assert d.verdict == "confirm"
    off = Policy(PolicyConfig.model_validate({"command_windows": []}))
    assert off.decide(ActionPlan(actions=[call("press_keys", keys=["enter"])]),
                      screen=Screen(XTERM, (XTERM,))).verdict == "run"


def test_window_rules_match_wm_class_and_submits():
    rule = {"window": "^gedit$", "submits": True, "risk": "high"}
    p = Policy(PolicyConfig.model_validate({"window_rules": [rule]}))
    on_gedit = Screen(GEDIT, (GEDIT,))
    assert p.decide(ActionPlan(actions=[call("press_keys", keys=["ctrl", "j"])]), screen=on_gedit).verdict == "confirm"
    assert p.decide(ActionPlan(actions=[call("press_keys", keys=["ctrl", "s"])]), screen=on_gedit).verdict == "run"


def test_default_command_windows_by_class_and_title():
    assert is_command_window(XTERM, CMD) and is_command_window(Window("1", "Terminal"), CMD)
    assert is_command_window(Window("1", "~", ("gnome-terminal-server", "Gnome-terminal")), CMD)
    assert not is_command_window(GEDIT, CMD) and not is_command_window(FIREFOX, CMD)


def test_the_guard_refuses_an_unconfirmed_submission_into_the_real_active_window():
    desk = DryRunDesktop(open_windows=[GEDIT, XTERM])
    guard = GuardedDesktop(desk, command_windows=CMD)
    guard.press(["enter"])  # gedit is active: fine
    guard.type_text("ls")
    desk._active = 1  # the focus moved to the xterm (a window the policy did not foresee)
    guard.type_text("rm -rf build")  # typing is not submitting
    for keys in (["enter"], ["ctrl", "m"], ["shift", "insert"]):
        with pytest.raises(DesktopError, match="command window"):
            guard.press(keys)
    with pytest.raises(DesktopError, match="middle click"):
        guard.click(5, 5, "middle", 1)
    assert [n for n, _ in desk.log] == ["press", "type_text", "type_text"]
    confirmed = GuardedDesktop(desk, command_windows=CMD, submit_confirmed=True)
    confirmed.press(["enter"])
    assert desk.log[-1] == ("press", {"keys": ["enter"]})
