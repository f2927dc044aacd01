"""Item 5: the talk and stop chords can never be pressed by a plan.

"Pressed" is judged by voxctl's own HotkeyListener state machine (agent/listen/hotkey.py, fed key events
with `handle`, no keyboard needed): it fires on any chord that *contains* the talk or stop chord, so
ctrl+alt+shift+period counts as the stop chord too. Hypothesis builds chords that contain one of them
(any order, synonyms, extra keys, repeats, inside a macro, with configured non-default hotkeys), and
each goes through two layers, both real code on the dry-run desktop:
- the agent graph (policy) must deny the plan;
- with the policy bypassed (dispatch straight to the Session's GuardedDesktop) the press must fail.
Every chord that does reach the desktop is replayed into the listener, which must never fire.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.safety import report
from tests.safety.conftest import safety_config
from voxctl.agent.executor import execute
from voxctl.agent.graph import Agent
from voxctl.agent.listen.hotkey import HotkeyListener
from voxctl.agent.session import Session
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.keys import KEY_NAMES
from voxctl.tools.registry import call

HOTKEYS = [("ctrl+alt+space", "ctrl+alt+period"), ("ctrl+shift+f12", "alt+escape"), ("win+h", "ctrl+alt+s")]
SPELLINGS = {"ctrl": ["ctrl", "control", "Ctrl", "ctl"], "alt": ["alt", "Alt", "option"], "period": ["period", ".", "dot"],
             "space": ["space", "spacebar", "space bar"], "win": ["win", "super", "windows"], "escape": ["escape", "esc"]}
OTHER_KEYS = sorted(KEY_NAMES)

TALLY = {"plans": 0, "denied": 0, "guard_refused": 0, "listener_fired": 0, "pressed_safe": 0}


def fires(listener: HotkeyListener, keys: list[str]) -> bool:
    """Press `keys` together and release them, as the desktop does; True if a hotkey event came out."""
    for k in keys:
        listener.handle(k, True)
    for k in reversed(keys):
        listener.handle(k, False)
    fired = not listener._events.empty()
    while not listener._events.empty():
        listener._events.get()
    return fired


@st.composite
def chord_case(draw):
    talk, stop = draw(st.sampled_from(HOTKEYS))
    own = draw(st.sampled_from([talk, stop])).split("+")
    extra = draw(st.lists(st.sampled_from(OTHER_KEYS), max_size=4 - len(own), unique=True))
    keys = list(dict.fromkeys(own + extra))
    keys = draw(st.permutations(keys))
    spelled = [draw(st.sampled_from(SPELLINGS.get(k, [k]))) for k in keys]
    return talk, stop, spelled, draw(st.integers(1, 50)), draw(st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(case=chord_case())
def test_a_plan_cannot_press_voxctls_own_chords(tmp_path_factory, case):
    talk, stop, keys, repeat, in_macro = case
    base = tmp_path_factory.mktemp("chords")
    macros = base / "macros.yaml"
    macros.write_text(f"sneaky:\n  - {{tool: press_keys, args: {{keys: {keys!r}, repeat: {repeat}}}}}\n")
    config = safety_config(base, hotkey={"talk": talk, "stop": stop},
                           interpreter={"macros_file": str(macros) if in_macro else None})
    press = call("press_keys", keys=keys, repeat=repeat)
    plan = [call("run_macro", name="sneaky")] if in_macro else [call("scroll", direction="down"), press]
    desktop = DryRunDesktop()
    agent = Agent(config, desktop=desktop)
    tid = agent.start(plan={"actions": [c.model_dump(mode="json") for c in plan]})
    TALLY["plans"] += 1
    status = agent.values(tid)["status"]
    TALLY["denied"] += status == "denied"
    assert status == "denied", agent.values(tid)["summary"]
    assert desktop.log == []
    # With the policy bypassed: the guard around the desktop still refuses the chord.
    report_ = execute([press], Session(config).tool_context(desktop))
    TALLY["guard_refused"] += not report_.outcomes[0].ok
    assert not report_.outcomes[0].ok and "own hotkey" in report_.outcomes[0].message
    listener = HotkeyListener(talk, stop_chord=stop)
    for name, kw in desktop.log:
        if name == "press":
            TALLY["listener_fired"] += fires(listener, kw["keys"])
    assert [n for n, _ in desktop.log if n == "press"] == []
    agent.close()


def test_neighbouring_chords_still_work_and_never_fire_the_listener(tmp_path):
    """The check must not be a blanket ban: chords that share keys with the hotkeys run, and the listener
    stays quiet on them (this is what makes the assertion above able to fail)."""
    config = safety_config(tmp_path)
    listener = HotkeyListener(config.hotkey.talk, stop_chord=config.hotkey.stop)
    assert fires(listener, ["ctrl", "alt", "shift", "period"])  # a superset does fire: why supersets are banned
    desktop = DryRunDesktop()
    chords = [["ctrl", "alt", "t"], ["ctrl", "space"], ["alt", "period"], ["ctrl", "period"], ["ctrl", "alt", "left"],
              ["shift", "space"], ["ctrl", "alt", "shift", "t"]]
    rep = execute([call("press_keys", keys=c) for c in chords], Session(config).tool_context(desktop))
    assert rep.ok, rep.lines()
    pressed = [kw["keys"] for n, kw in desktop.log if n == "press"]
    assert pressed == chords
    TALLY["pressed_safe"] = len(pressed)
    assert not any(fires(listener, k) for k in pressed)
    text = report("5 hotkey chords", f"{TALLY['plans']} plans pressing a chord containing talk/stop: "
                  f"{TALLY['denied']} denied by policy, {TALLY['guard_refused']} refused by the guard with the policy "
                  f"bypassed, {TALLY['listener_fired']} hotkey events fired; {len(pressed)} neighbouring chords ran "
                  "and fired 0")
    assert TALLY["listener_fired"] == 0, text
