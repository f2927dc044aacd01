"""Item 1: malformed or hostile plans run nothing and crash nothing.

Hypothesis generates plans that are wrong in every way a model or a person pasting JSON could get them
wrong: not JSON, not an object, wrong types, unknown and injected tool names, huge repeats and amounts,
control characters, extra fields, coordinates off the screen, voxctl's own hotkeys, too many actions,
and valid actions mixed in with a bad one (a plan runs all or nothing). Every plan must end with 0
primitives on the desktop.

Two paths, both real code on the dry-run desktop (which records every primitive: that is the effect
measured):
- the full LangGraph agent (`Agent.start(plan=...)`, checkpoints and audit log included), for a share;
- the same decisions without the checkpointer, for the bulk (validate_plan -> macro expansion within the
  budget -> Policy.decide -> executor.execute through the Session's GuardedDesktop), since a checkpointed
  run costs ~70 ms.
Every raw action is also dispatched on its own (`registry.dispatch`, which validates) and must fail.
"""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from tests.safety import report
from tests.safety.conftest import safety_config
from voxctl.agent.executor import execute
from voxctl.agent.graph import Agent
from voxctl.agent.macros import MacroError
from voxctl.agent.policy import Policy
from voxctl.agent.session import Session
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.registry import TOOLS, dispatch, validate_plan

INJECTIONS = [
    "__import__('os').system('rm -rf ~')", "os.system", "eval", "exec", "subprocess.run", "'; DROP TABLE voxctl_runs; --",
    "$(reboot)", "`id`", "../../../../bin/sh", "click; rm -rf /", "close_window\x00", "PRESS_KEYS", " click",
    "run_macro ", "{{7*7}}", "${jndi:ldap://x}", "\u202eclick", "clíck", "type_text\n", "ignore previous instructions",
]
CONTROL_TEXT = ["\x1b[2J", "rm -rf ~\n", "a\rb", "\x00", "line1\nline2", "\x7f", "tab\there", "\x03"]
SCREEN = (1920, 1080)  # the dry-run desktop's screen

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20) | st.sampled_from(INJECTIONS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
huge = st.integers(51, 2**80) | st.integers(-(2**80), 0)
off_range_coord = st.integers(20001, 10**12) | st.integers(-(10**12), -1)
def _reads_as_int(text: str) -> bool:
    """Whether the argument models (lax, like JSON from a model that quoted a number) take this text as
    an integer: "1" is then the number 1, judged by its range like any other; not a bad number."""
    try:
        TypeAdapter(int).validate_python(text)
    except ValidationError:
        return False
    return True


bad_number = (st.text(max_size=5).filter(lambda t: not _reads_as_int(t)) | st.none() | st.lists(st.integers(), max_size=2)
              | st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not math.isfinite(f)))

# Each of these is one action that validation must refuse.
invalid_action = st.one_of(
    junk.filter(lambda v: not isinstance(v, dict)),
    st.fixed_dictionaries({"tool": st.sampled_from(INJECTIONS) | st.text(max_size=15).filter(lambda t: t not in TOOLS),
                           "args": junk}),
    st.fixed_dictionaries({"tool": st.sampled_from(sorted(TOOLS)), "args": junk.filter(lambda v: not isinstance(v, dict))}),
    st.fixed_dictionaries({"tool": st.just("press_keys"), "args": st.fixed_dictionaries(
        {"keys": st.just(["ctrl", "s"]), "repeat": huge | bad_number})}),
    st.fixed_dictionaries({"tool": st.just("press_keys"), "args": st.fixed_dictionaries(
        {"keys": st.lists(st.sampled_from(INJECTIONS) | st.text(min_size=2, max_size=6), min_size=1, max_size=3)
         | st.lists(st.just("a"), min_size=5, max_size=9) | st.just([]) | st.just("ctrl+s")})}),
    st.fixed_dictionaries({"tool": st.just("scroll"), "args": st.fixed_dictionaries(
        {"direction": st.sampled_from(["down", "sideways", "DOWN; rm"]), "amount": huge | bad_number})}),
    st.fixed_dictionaries({"tool": st.sampled_from(["click", "move_mouse"]), "args": st.fixed_dictionaries(
        {"x": off_range_coord | bad_number, "y": st.integers(0, 100)})}),
    st.fixed_dictionaries({"tool": st.just("drag"), "args": st.fixed_dictionaries(
        {"to_x": off_range_coord, "to_y": off_range_coord})}),
    st.fixed_dictionaries({"tool": st.just("nudge_mouse"), "args": st.fixed_dictionaries(
        {"direction": st.just("up"), "pixels": st.integers(5001, 10**18) | st.integers(-(10**18), 0)})}),
    st.fixed_dictionaries({"tool": st.just("wait"), "args": st.fixed_dictionaries(
        {"seconds": st.floats(30.001, 1e300) | st.floats(max_value=0.0999) | bad_number})}),
    st.fixed_dictionaries({"tool": st.just("type_text"), "args": st.fixed_dictionaries(
        {"text": st.sampled_from(CONTROL_TEXT).map(lambda t: "hello " + t) | st.just("") | st.just("x" * 2001)
         | st.integers()})}),
    st.fixed_dictionaries({"tool": st.sampled_from(["open_app", "focus_window", "run_macro"]),
                           "args": st.fixed_dictionaries({"name": st.just("x" * 81) | st.sampled_from(CONTROL_TEXT),
                                                          "title": st.just("x")})}),
    st.fixed_dictionaries({"tool": st.just("close_window"), "args": st.fixed_dictionaries(
        {"force": st.booleans()})}),  # an unknown argument
    st.fixed_dictionaries({"tool": st.just("type_text"), "args": st.just({"text": "hi"}),
                           "extra": junk}),  # an unknown field next to tool/args
)
valid_low = st.sampled_from([
    {"tool": "type_text", "args": {"text": "hello"}}, {"tool": "press_keys", "args": {"keys": ["ctrl", "s"]}},
    {"tool": "scroll", "args": {"direction": "down"}}, {"tool": "move_mouse", "args": {"x": 10, "y": 10}},
])


@st.composite
def malformed_plan(draw):
    """A plan with at least one invalid action (or an invalid plan around valid ones)."""
    kind = draw(st.integers(0, 5))
    if kind == 0:  # not a plan at all
        return draw(junk.filter(lambda v: not isinstance(v, (dict, list))) | st.text(max_size=30)
                    | st.sampled_from(['{"actions": [', "null", "[1, 2", '{"actions": "click"}']))
    actions = draw(st.lists(valid_low, max_size=3))
    if kind == 1:  # valid actions, but the plan's own fields are wrong
        return {"actions": actions, **draw(st.sampled_from([{"source": "root"}, {"transcript": 5},
                                                            {"sudo": True}, {"reason": ["x"]}]))}
    if kind == 2:
        return {"actions": draw(junk.filter(lambda v: not isinstance(v, list)))}
    bad = draw(st.lists(invalid_action, min_size=1, max_size=3))
    at = draw(st.integers(0, len(actions)))
    mixed = actions[:at] + bad + actions[at:]
    if kind == 3:
        return json.dumps({"transcript": draw(st.sampled_from(INJECTIONS)), "actions": mixed}, default=str)
    if kind == 4:
        return mixed  # a bare list of actions
    return {"transcript": "hostile", "source": "text", "actions": mixed}


offscreen_action = st.one_of(
    st.builds(lambda x, y: {"tool": "click", "args": {"x": x, "y": y}}, st.integers(SCREEN[0], 20000), st.integers(0, 20000)),
    st.builds(lambda x, y: {"tool": "move_mouse", "args": {"x": x, "y": y}}, st.integers(0, 20000), st.integers(SCREEN[1], 20000)),
    st.builds(lambda x, y: {"tool": "drag", "args": {"to_x": x, "to_y": y, "from_x": 5, "from_y": 5}},
              st.integers(SCREEN[0], 20000), st.integers(0, 20000)),
)


@st.composite
def hostile_valid_plan(draw):
    """Plans that pass validation yet must still do nothing: (plan, the status the agent must end in)."""
    kind = draw(st.integers(0, 5))
    if kind == 0:  # first action points off the screen: it fails, nothing after it runs
        return {"actions": [draw(offscreen_action), *draw(st.lists(valid_low, max_size=3))]}, "failed"
    if kind == 1:  # voxctl's own chords, in any order, spelled any way, anywhere in the plan
        chord = draw(st.permutations(draw(st.sampled_from([["ctrl", "alt", "space"], ["control", "alt", "period"],
                                                           ["Ctrl", "Alt", "."], ["alt", "ctrl", "space"]]))))
        press = {"tool": "press_keys", "args": {"keys": chord, "repeat": draw(st.integers(1, 50))}}
        actions = draw(st.lists(valid_low, max_size=3))
        actions.insert(draw(st.integers(0, len(actions))), press)
        return {"actions": actions}, "denied"
    if kind == 2:  # more actions than policy.max_actions (20)
        return {"actions": draw(st.lists(valid_low, min_size=21, max_size=60))}, "denied"
    if kind == 3:  # no such window / macro / application; injection strings as names
        tool, key = draw(st.sampled_from([("focus_window", "title"), ("run_macro", "name"), ("open_app", "name")]))
        name = draw(st.sampled_from([i for i in INJECTIONS if "\x00" not in i and "\n" not in i and "/" not in i]))
        # an unknown macro is refused when the plan is validated (macros are expanded there)
        return ({"actions": [{"tool": tool, "args": {key: name}}, *draw(st.lists(valid_low, max_size=2))]},
                "invalid" if tool == "run_macro" else "failed")
    # a destructive action nobody confirmed: the plan waits; it never runs on its own
    risky = draw(st.sampled_from([{"tool": "close_window"}, {"tool": "press_keys", "args": {"keys": ["alt", "f4"]}},
                                  {"tool": "press_keys", "args": {"keys": ["ctrl", "w"], "repeat": 50}},
                                  {"tool": "press_keys", "args": {"keys": ["shift", "delete"]}}]))
    actions = draw(st.lists(valid_low, max_size=3))
    actions.insert(draw(st.integers(0, len(actions))), risky)
    return {"actions": actions}, "awaiting"


def decide_and_run(raw, config, desktop):
    """The graph's decisions without its checkpointer: validate, policy, then execute only on "run"."""
    plan, problems = validate_plan(raw)
    if plan is None:
        return "invalid"
    session = Session.build(config)
    policy = Policy(config.policy, session.hotkeys)
    try:
        size = session.macros.measure(plan.actions)
    except MacroError:
        return "invalid"
    if policy.budget(size.actions, size.primitives):
        return "denied"
    plan = plan.model_copy(update={"actions": session.macros.expand(plan.actions).actions})
    verdict = policy.decide(plan).verdict
    if verdict != "run":
        return {"deny": "denied", "confirm": "awaiting"}[verdict]
    rep = execute(list(plan.actions), session.tool_context(desktop))
    return "failed" if not rep.ok else "done"


class Tally:
    def __init__(self) -> None:
        self.plans = 0
        self.crashes = 0
        self.statuses: dict[str, int] = {}

    def add(self, status: str) -> None:
        self.plans += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1


BULK = Tally()
GRAPH = Tally()


@settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(raw=malformed_plan())
def test_malformed_plans_run_nothing(tmp_path_factory, raw):
    config = safety_config(tmp_path_factory.getbasetemp())
    desktop = DryRunDesktop()
    try:
        status = decide_and_run(raw, config, desktop)
        actions = raw.get("actions") if isinstance(raw, dict) else raw if isinstance(raw, list) else []
        for a in actions if isinstance(actions, list) else []:  # each action alone, straight to dispatch
            if validate_plan([a])[0] is None:
                assert not dispatch(a, Session(config).tool_context(desktop)).ok
    except Exception:
        BULK.crashes += 1
        raise
    BULK.add(status)
    assert status == "invalid", raw
    assert desktop.log == [], (raw, desktop.log)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(case=hostile_valid_plan())
def test_hostile_valid_plans_run_nothing(tmp_path_factory, case):
    raw, expected = case
    desktop = DryRunDesktop()
    try:
        status = decide_and_run(raw, safety_config(tmp_path_factory.getbasetemp()), desktop)
    except Exception:
        BULK.crashes += 1
        raise
    BULK.add(status)
    assert status == expected, raw
    assert desktop.log == [], (raw, desktop.log)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(raw=malformed_plan(), hostile=hostile_valid_plan(), pick=st.booleans())
# Found by this test: an integer beyond 64 bits crashed the checkpointer (fixed in agent/graph.py, storable).
@example(raw={"actions": [{"tool": "scroll", "args": {"direction": "down", "amount": 2**70}}]},
         hostile=({"actions": [{"tool": "close_window"}]}, "awaiting"), pick=True)
def test_hostile_plans_through_the_agent_graph(tmp_path_factory, raw, hostile, pick):
    global AGENT
    if AGENT is None:
        AGENT = Agent(safety_config(tmp_path_factory.mktemp("graph")), desktop=DryRunDesktop())
    agent = AGENT
    before = len(agent.desktop.log)
    plan, expected = (raw, "invalid") if pick else hostile
    if isinstance(plan, (str, bytes)):  # Agent.start takes parsed JSON (the CLI parses files first)
        try:
            plan = json.loads(plan)
        except json.JSONDecodeError:
            plan = {"actions": plan}
    if not isinstance(plan, (dict, list)):
        plan = {"actions": plan}
    try:
        tid = agent.start(plan=plan)
        if agent.paused_at(tid) == ("confirm",):
            agent.resume(tid, {"approved": False, "via": "timeout"})  # nobody answered
            expected = "cancelled" if expected == "awaiting" else expected
    except Exception:
        GRAPH.crashes += 1
        raise
    status = agent.values(tid)["status"]
    GRAPH.add(status)
    assert status == expected, (plan, agent.values(tid).get("summary"))
    assert len(agent.desktop.log) == before, agent.desktop.log[before:]
    assert agent.audit.primitives(tid) == []


AGENT: Agent | None = None


def test_hostile_plan_figures():
    """Runs after the three above (file order): the totals the issue asks for."""
    total = BULK.plans + GRAPH.plans
    executed = len(AGENT.desktop.log) if AGENT else 0
    text = report("1 hostile plans", f"{total} plans ({BULK.plans} decided directly, {GRAPH.plans} through the "
                  f"agent graph), {executed} primitives executed, {BULK.crashes + GRAPH.crashes} crashes; "
                  f"outcomes {dict(sorted(BULK.statuses.items()))} / graph {dict(sorted(GRAPH.statuses.items()))}")
    assert total >= 1000, text
    assert BULK.crashes + GRAPH.crashes == 0 and executed == 0, text
