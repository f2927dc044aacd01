"""Item 6: every executed primitive has its audit record.

Hypothesis builds valid plans (mouse, keys with repeats, typing, windows, apps, waits, a macro, a
destructive step answered yes, steps that fail part-way) and runs them through the real agent graph on
the dry-run desktop, whose log is the ground truth of what was executed. The audit log
(`voxctl_primitives`) must hold exactly those primitives, in order, each tied to the action it belongs
to, and that action must have its row in `voxctl_actions`. Some runs are cut by the emergency stop
part-way (set from the desktop itself after a random primitive) to check the record up to the stop.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.safety import report
from tests.safety.conftest import safety_config
from voxctl.agent.graph import Agent
from voxctl.tools.dryrun import DryRunDesktop

# GuardedDesktop's primitive names -> the dry-run desktop's log names.
LOG_NAME = {"close_active": "close"}
MACROS = """tidy:
  - {tool: press_keys, args: {keys: [ctrl, a]}}
  - {tool: type_text, args: {text: tidy}}
  - {tool: scroll, args: {direction: up, amount: 2}}
"""

action = st.one_of(
    st.builds(lambda x, y, c: {"tool": "click", "args": {"x": x, "y": y, "count": c}},
              st.integers(0, 1919), st.integers(0, 1079), st.integers(1, 3)),
    st.builds(lambda x, y: {"tool": "move_mouse", "args": {"x": x, "y": y}}, st.integers(0, 1919), st.integers(0, 1079)),
    st.builds(lambda d, p: {"tool": "nudge_mouse", "args": {"direction": d, "pixels": p}},
              st.sampled_from(["up", "down", "left", "right"]), st.integers(1, 5000)),
    st.builds(lambda x, y: {"tool": "drag", "args": {"to_x": x, "to_y": y}}, st.integers(0, 1919), st.integers(0, 1079)),
    st.builds(lambda d, a: {"tool": "scroll", "args": {"direction": d, "amount": a}},
              st.sampled_from(["up", "down"]), st.integers(1, 50)),
    st.builds(lambda t: {"tool": "type_text", "args": {"text": t}},
              st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\x7f"), min_size=1,
                      max_size=30)),
    st.builds(lambda k, r: {"tool": "press_keys", "args": {"keys": k, "repeat": r}},
              st.sampled_from([["ctrl", "s"], ["enter"], ["alt", "tab"], ["down"], ["ctrl", "w"]]), st.integers(1, 4)),
    st.just({"tool": "focus_window", "args": {"title": "term"}}),
    st.just({"tool": "focus_window", "args": {"title": "no such window"}}),  # fails: the plan ends there
    st.just({"tool": "open_app", "args": {"name": "terminal"}}),
    st.just({"tool": "run_macro", "args": {"name": "tidy"}}),
    st.just({"tool": "close_window"}),
    st.just({"tool": "wait", "args": {"seconds": 0.1}}),
)


class StopAfter(DryRunDesktop):
    """The dry-run desktop that presses the emergency stop itself after its n-th primitive."""

    stop_after: int | None = None
    stop_event = None

    def _record(self, name, **kw):
        super()._record(name, **kw)
        if self.stop_after is not None and len(self.log) == self.stop_after:
            self.stop_event.set()


TALLY = {"runs": 0, "primitives": 0, "audited": 0, "stopped": 0, "failed": 0, "confirmed": 0}
STATE: dict = {}
RUNS = 60


@settings(max_examples=RUNS, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(actions=st.lists(action, min_size=1, max_size=8), stop_after=st.none() | st.integers(1, 12))
def test_every_executed_primitive_is_audited(tmp_path_factory, actions, stop_after):
    if "agent" not in STATE:
        base = tmp_path_factory.mktemp("audit")
        (base / "macros.yaml").write_text(MACROS)
        config = safety_config(base, interpreter={"macros_file": str(base / "macros.yaml")},
                               desktop={"terminal": "xterm"})
        STATE["agent"] = Agent(config, desktop=StopAfter())
    agent = STATE["agent"]
    desk: StopAfter = agent.desktop
    desk.log.clear()
    agent.stop.clear()
    desk.stop_after, desk.stop_event = stop_after, agent.stop
    tid = agent.start(plan={"transcript": "audit", "actions": actions})
    if agent.paused_at(tid) == ("confirm",):
        agent.resume(tid, {"approved": True, "via": "keys", "heard": "Enter"})
        TALLY["confirmed"] += 1
    status = agent.values(tid)["status"]
    assert status in ("done", "failed", "stopped"), agent.values(tid)["summary"]
    executed = [(n, kw) for n, kw in desk.log if n != "sleep"]
    audited = agent.audit.primitives(tid)
    TALLY["runs"] += 1
    TALLY["primitives"] += len(executed)
    TALLY["audited"] += len(audited)
    TALLY["stopped"] += status == "stopped"
    TALLY["failed"] += status == "failed"
    assert [LOG_NAME.get(n, n) for _, n, _, _ in audited] == [n for n, _ in executed], (actions, audited, executed)
    rows = agent.audit.actions(tid)
    for (idx, name, args, at), (_, kw) in zip(audited, executed, strict=True):
        assert idx is not None and idx in rows, (idx, name)  # tied to a recorded action
        assert rows[idx].started is not None and rows[idx].started <= at
        if name == "type_text":
            assert args["args"] == [repr(kw["text"])]
        if name == "press":
            assert args["args"] == [repr(kw["keys"])]
    if TALLY["runs"] == RUNS:
        text = report("6 audit trail", f"{TALLY['runs']} plans run ({TALLY['confirmed']} confirmed, "
                      f"{TALLY['stopped']} emergency-stopped, {TALLY['failed']} failed part-way): "
                      f"{TALLY['primitives']} primitives executed, {TALLY['audited']} audited, "
                      f"{TALLY['primitives'] - TALLY['audited']} without a record")
        assert TALLY["audited"] == TALLY["primitives"], text
