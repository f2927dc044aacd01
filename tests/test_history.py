"""`voxctl history`: the audit log as the person reads it, from the real CLI entry point."""

from __future__ import annotations

import json

import yaml

from voxctl.agent.audit import AuditLog
from voxctl.agent.cli import main
from voxctl.agent.config import Config
from voxctl.agent.graph import Agent
from voxctl.agent.utterance import Utterance
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.registry import ActionPlan, call


class Given:
    """Interpreter that returns the next of the plans it was given (test seam at the Interpreter interface)."""

    def __init__(self, *plans: ActionPlan) -> None:
        self.plans = list(plans)

    def interpret(self, utterance: Utterance) -> ActionPlan:
        return self.plans.pop(0)


def setup_history(tmp_path):
    cfg_file = tmp_path / "config.yaml"
    cfg_file.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "h.sqlite")},
                                        "desktop": {"action_pause": 0}}))
    config = Config.model_validate(yaml.safe_load(cfg_file.read_text()))
    plans = Given(
        ActionPlan(transcript="press control s", source="grammar", actions=[call("press_keys", keys=["ctrl", "s"])]),
        ActionPlan(transcript="close the window", source="grammar", actions=[call("close_window")]),
        ActionPlan(transcript="switch to nowhere", source="grammar", actions=[call("focus_window", title="nowhere")]),
    )
    agent = Agent(config, interpreter=plans, desktop=DryRunDesktop())
    agent.start(Utterance(transcript="press control s", audio=None))
    paused = agent.start(Utterance.from_text("close the window"))
    agent.resume(paused, {"approved": False, "via": "voice", "heard": "No."})
    agent.start(Utterance.from_text("switch to nowhere"))
    agent.close()
    return cfg_file


def test_history_json_lists_the_last_n_oldest_first(tmp_path, capsys):
    cfg = setup_history(tmp_path)
    assert main(["--config", str(cfg), "history", "-n", "2", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["transcript"] for r in rows] == ["close the window", "switch to nowhere"]
    closed, nowhere = rows
    assert closed["status"] == "cancelled"
    assert closed["decision"]["verdict"] == "confirm" and closed["decision"]["risk"] == "high"
    assert closed["answer"] == {"approved": False, "via": "voice", "heard": "No."}
    assert closed["actions"] == [] and closed["primitives"] == 0
    assert nowhere["status"] == "failed"
    assert nowhere["plan"]["actions"] == [{"tool": "focus_window", "args": {"title": "nowhere"}}]
    assert nowhere["actions"][0]["state"] == "failed"
    assert "no window whose title contains 'nowhere'" in nowhere["summary"]


def test_history_text_shows_heard_plan_decision_answer_and_outcome(tmp_path, capsys):
    cfg = setup_history(tmp_path)
    assert main(["--config", str(cfg), "history"]) == 0
    out = capsys.readouterr().out
    assert out.index("'press control s'") < out.index("'close the window'") < out.index("'switch to nowhere'")
    assert "1. ok        press ctrl+s: pressed ctrl+s" in out
    assert "1. not run   close the active window" in out
    assert "policy: confirm (action 1 (close_window) is high risk: built-in tier)" in out
    assert "answer: no via voice 'No.'" in out
    assert "done: 1 action ran  (1 primitives)" in out


def test_history_without_a_log_and_bad_n(tmp_path, capsys):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "none.sqlite")}}))
    assert main(["--config", str(cfg), "history"]) == 0
    assert "no history yet" in capsys.readouterr().out
    assert not (tmp_path / "none.sqlite").exists()  # reading never creates the log
    assert main(["--config", str(cfg), "history", "-n", "0"]) == 2
    assert "-n must be at least 1" in capsys.readouterr().err


def test_unfinished_runs_are_listed(tmp_path):
    cfg = setup_history(tmp_path)
    config = Config.model_validate(yaml.safe_load(cfg.read_text()))
    agent = Agent(config, interpreter=Given(ActionPlan(actions=[call("close_window")])), desktop=DryRunDesktop())
    tid = agent.start(Utterance.from_text("close it"))
    log = AuditLog(agent.path)
    assert [e.thread_id for e in log.unfinished()] == [tid]
    assert log.get(tid).status == "awaiting"
