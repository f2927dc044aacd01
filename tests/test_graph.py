"""The agent graph on the dry-run desktop: where it pauses, what runs after yes/no, what the audit log keeps.

The interpreter here is `Given`, which returns a fixed plan: a test seam at the Interpreter interface
(agent/interpret/base.py), so the graph is tested without speech. The grammar path is tested with the
real grammar in test_e2e_text.py.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from voxctl.agent.config import Config
from voxctl.agent.graph import Agent
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.desktop import Window
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.registry import ActionPlan, call


class Given:
    """Interpreter that returns the plan it was given (and counts its calls)."""

    def __init__(self, *calls, transcript: str = "test", reason: str | None = None) -> None:
        self.plan = ActionPlan(transcript=transcript, source="text", actions=list(calls), reason=reason)
        self.calls = 0

    def interpret(self, utterance: Utterance) -> ActionPlan:
        self.calls += 1
        return self.plan


class Broken:
    def interpret(self, utterance: Utterance) -> ActionPlan:
        raise RuntimeError("model fell over")


def make_config(tmp_path, **sections) -> Config:
    data = {"history": {"path": str(tmp_path / "history.sqlite")}, "desktop": {"action_pause": 0},
            "interpreter": {"macros_file": None}}
    for k, v in sections.items():
        data.setdefault(k, {}).update(v)
    return Config.model_validate(data)


@pytest.fixture
def desktop():
    return DryRunDesktop()


def agent_for(tmp_path, desktop, interpreter=None, **sections) -> Agent:
    return Agent(make_config(tmp_path, **sections), interpreter=interpreter, desktop=desktop)


def test_low_risk_plan_runs_without_pausing(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("press_keys", keys=["ctrl", "s"]), transcript="save"))
    tid = agent.start(Utterance.from_text("save"))
    assert agent.paused_at(tid) == ()
    v = agent.values(tid)
    assert v["status"] == "done" and v["decision"]["verdict"] == "run"
    assert desktop.describe() == ["press(keys=['ctrl', 's'])"]
    entry = agent.audit.get(tid)
    assert entry.status == "done" and entry.transcript == "save" and entry.primitives == 1
    assert [a.state for a in entry.actions] == ["ok"]


def test_high_risk_pauses_at_confirm_and_no_runs_nothing(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("type_text", text="bye"), call("close_window")))
    tid = agent.start(Utterance.from_text("close"))
    assert agent.graph.get_state(agent.cfg(tid)).next == ("confirm",)
    assert desktop.log == []  # nothing ran before the answer, not even the low-risk first action
    assert agent.audit.get(tid).status == "awaiting"
    agent.resume(tid, {"approved": False, "via": "voice", "heard": "No."})
    v = agent.values(tid)
    assert agent.paused_at(tid) == ()
    assert v["status"] == "cancelled" and "answered no (voice)" in v["summary"]
    assert desktop.log == []
    assert agent.audit.get(tid).answer == {"approved": False, "via": "voice", "heard": "No."}


def test_yes_runs_every_action_once_and_a_second_resume_repeats_nothing(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("type_text", text="bye"), call("close_window")))
    tid = agent.start(Utterance.from_text("close"))
    agent.resume(tid, {"approved": True, "via": "keys"})
    assert agent.values(tid)["status"] == "done"
    assert desktop.describe() == ["type_text(text='bye')", "close(window='Terminal')"]
    agent.resume(tid, {"approved": True, "via": "keys"})  # a stray duplicate answer
    agent.carry_on(tid)
    assert len(desktop.log) == 2


def test_anything_but_a_clear_yes_is_a_no(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("close_window")))
    tid = agent.start(Utterance.from_text("close"))
    agent.resume(tid, "yes please")  # not the answer format: refused
    assert agent.values(tid)["status"] == "cancelled"
    assert desktop.log == []


def test_policy_denial_runs_nothing_and_says_why(tmp_path, desktop):
    plan = [call("scroll", direction="down")] * 4
    agent = agent_for(tmp_path, desktop, Given(*plan), policy={"max_actions": 3})
    tid = agent.start(Utterance.from_text("scroll a lot"))
    v = agent.values(tid)
    assert v["status"] == "denied" and "policy.max_actions" in v["summary"]
    assert desktop.log == []


def test_execution_stops_at_the_first_failure_and_reports_what_ran(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("type_text", text="a"), call("focus_window", title="nowhere"),
                                               call("type_text", text="b")))
    tid = agent.start(Utterance.from_text("x"))
    v = agent.values(tid)
    assert [r["state"] for r in v["outcomes"]] == ["ok", "failed", "not_run"]
    assert v["status"] == "failed"
    assert v["summary"].startswith("failed at action 2 (focus_window): no window whose title contains 'nowhere'")
    assert "1 of 3 ran" in v["summary"]
    assert desktop.describe() == ["type_text(text='a')"]
    assert [a.state for a in agent.audit.get(tid).actions] == ["ok", "failed"]


def test_nothing_understood_and_broken_interpreter_end_the_utterance_not_the_agent(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(reason="no command heard"))
    tid = agent.start(Utterance.from_text("hmm"))
    assert agent.values(tid)["status"] == "nothing"
    assert agent.values(tid)["summary"] == "no command heard"
    agent._interpreter = Broken()
    tid = agent.start(Utterance.from_text("crash"))
    v = agent.values(tid)
    assert v["status"] == "error" and "model fell over" in v["summary"]
    agent._interpreter = Given(call("scroll", direction="up"))
    assert agent.values(agent.start(Utterance.from_text("ok")))["status"] == "done"


def test_a_ready_plan_enters_at_validate_and_a_broken_one_runs_nothing(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Broken())  # must never be asked
    tid = agent.start(plan={"actions": [{"tool": "press_keys", "args": {"keys": ["ctrl", "c"]}}]})
    assert agent.values(tid)["status"] == "done"
    tid = agent.start(plan={"actions": [{"tool": "press_keys", "args": {"keys": ["ctrl", "c"]}},
                                        {"tool": "explode", "args": {}}]})
    v = agent.values(tid)
    assert v["status"] == "invalid" and "unknown tool 'explode'" in v["summary"]
    assert desktop.describe() == ["press(keys=['ctrl', 'c'])"]


def test_window_rule_from_the_utterance_context_asks(tmp_path, desktop):
    rule = {"window": "xterm", "tool": "press_keys", "keys": ["enter"], "after": "type_text", "risk": "high"}
    agent = agent_for(tmp_path, desktop, Given(call("type_text", text="make"), call("press_keys", keys=["enter"])),
                      policy={"window_rules": [rule]})
    tid = agent.start(Utterance.from_text("type make and press enter", ScreenState(active_window="bash - xterm")))
    assert agent.paused_at(tid) == ("confirm",)
    # The real window counts too (the dry-run desktop's default is a "Terminal"): elsewhere means both.
    desktop.open_windows = [Window("0x2", "notes.txt - gedit", ("gedit", "Gedit"))]
    tid2 = agent.start(Utterance.from_text("same, elsewhere", ScreenState(active_window="notes.txt - gedit")))
    assert agent.values(tid2)["status"] == "done"


def test_rate_limit_counts_executed_plans(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("scroll", direction="up")), policy={"max_plans_per_minute": 2})
    statuses = [agent.values(agent.start(Utterance.from_text("up")))["status"] for _ in range(3)]
    assert statuses == ["done", "done", "denied"]
    assert len(desktop.log) == 2


def test_audio_stays_out_of_the_checkpoint(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("scroll", direction="up")))
    audio = np.random.default_rng(0).standard_normal(16000 * 4).astype(np.float32)  # 256 kB
    tid = agent.start(Utterance(audio=audio, transcript="scroll up"))
    v = agent.values(tid)
    assert v["audio_seconds"] == 4.0 and v["input"] == "voice"
    assert all(not isinstance(x, np.ndarray) for x in v.values())
    with sqlite3.connect(agent.path) as db:
        stored = sum(db.execute("SELECT coalesce(sum(length(checkpoint)), 0) + "
                                "(SELECT coalesce(sum(length(value)), 0) FROM writes) FROM checkpoints").fetchone())
    assert stored < 50_000, stored


def test_keep_last_prunes_runs_and_their_checkpoints(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop, Given(call("scroll", direction="up")), history={"keep_last": 10},
                      policy={"max_plans_per_minute": 1000})
    tids = [agent.start(Utterance.from_text(f"up {i}")) for i in range(13)]
    kept = [e.thread_id for e in agent.audit.recent(100)]
    assert kept == list(reversed(tids[3:]))
    assert agent.graph.get_state(agent.cfg(tids[0])).values == {}  # checkpoints gone too
    assert agent.values(tids[-1])["status"] == "done"


def test_macros_are_expanded_at_validate_and_judged_as_they_run(tmp_path, desktop):
    """Policy, confirmation, durable progress and execution all see the macro's steps, with provenance."""
    macros = tmp_path / "macros.yaml"
    macros.write_text("tidy:\n  - {tool: type_text, args: {text: x}}\n  - {tool: run_macro, args: {name: bye}}\n"
                      "bye:\n  - {tool: close_window}\n")
    config = make_config(tmp_path, interpreter={"macros_file": str(macros)})
    agent = Agent(config, desktop=desktop)
    tid = agent.start(plan={"actions": [{"tool": "scroll", "args": {"direction": "up"}},
                                        {"tool": "run_macro", "args": {"name": "TIDY"}}]})
    assert agent.paused_at(tid) == ("confirm",)
    v = agent.values(tid)
    assert [a["tool"] for a in v["plan"]["actions"]] == ["scroll", "type_text", "close_window"]
    assert v["origins"] == [[], ["tidy"], ["tidy", "bye"]]
    assert v["decision"]["reasons"] == ["action 3 (close_window, from macro 'tidy' > 'bye') is high risk: built-in tier"]
    payload = agent.graph.get_state(agent.cfg(tid)).interrupts[0].value
    assert payload["origins"] == v["origins"] and payload["plan"] == v["plan"]
    assert agent.audit.get(tid).plan["origins"] == v["origins"]  # the audit log keeps what was judged
    macros.write_text("tidy:\n  - {tool: press_keys, args: {keys: [alt, f4]}}\nbye: [{tool: click}]\n")  # ignored
    agent.resume(tid, {"approved": True, "via": "keys"})
    assert agent.values(tid)["status"] == "done"
    assert desktop.describe() == ["scroll(direction='up', amount=3)", "type_text(text='x')", "close(window='Terminal')"]
    assert [a.tool for a in agent.audit.get(tid).actions] == ["scroll", "type_text", "close_window"]


def test_unknown_macro_is_an_invalid_plan(tmp_path, desktop):
    agent = agent_for(tmp_path, desktop)
    tid = agent.start(plan={"actions": [{"tool": "run_macro", "args": {"name": "deploy"}}]})
    v = agent.values(tid)
    assert v["status"] == "invalid" and v["summary"] == "no macro called 'deploy' (known: none defined)"
    assert desktop.log == []
