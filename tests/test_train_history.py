"""`voxctl train --from-history`: a command that failed (not understood, answered no, undone) and was then
said another way becomes an example (the failed words -> the plan that worked), learned by the
understanding model. The history is real: runs of the project's agent graph (grammar interpreter, dry-run
desktop) written to the history file by its own audit log."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from voxctl.agent.audit import AuditLog
from voxctl.agent.cli import main
from voxctl.agent.config import Config
from voxctl.agent.graph import Agent
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.understand.history_examples import rephrasings
from voxctl.agent.utterance import Utterance
from voxctl.tools.dryrun import DryRunDesktop


def _said(agent: Agent, text: str, answer: bool | None = None) -> None:
    tid = agent.start(Utterance.from_text(text))
    if agent.paused_at(tid):
        agent.resume(tid, {"approved": bool(answer), "via": "voice", "heard": "yes" if answer else "no"})


def write_history(tmp_path: Path) -> Path:
    cfg_file = tmp_path / "config.yaml"
    cfg_file.write_text(yaml.safe_dump({
        "history": {"path": str(tmp_path / "h.sqlite")}, "desktop": {"action_pause": 0},
        "interpreter": {"understand_model": str(tmp_path / "model")}}))
    agent = Agent(Config.model_validate(yaml.safe_load(cfg_file.read_text())), interpreter=GrammarInterpreter(),
                  desktop=DryRunDesktop())
    for text, answer in [
        ("engage warp drive", None), ("press control shift k", None),  # not understood, then said another way
        ("shut this thing", None), ("close the window", True),  # the same, but a high-risk plan
        ("close the window", False), ("hide this window", None),  # answered no, then said another way
        ("page down", None), ("undo", None), ("press control end", None),  # undone, then said another way
        ("launch the rocket", None), ("switch to nowhere", None),  # the rephrasing failed too
    ]:
        _said(agent, text, answer)
    agent.close()
    return cfg_file


def test_failed_then_rephrased_commands_are_learned_from_history(tmp_path: Path, capsys) -> None:
    cfg = write_history(tmp_path)
    log = AuditLog(tmp_path / "h.sqlite")
    entries = log.recent(100)
    log.close()
    assert [e.status for e in reversed(entries)][:6] == ["nothing", "done", "nothing", "done", "cancelled", "done"]
    pairs = {p.said: p for p in rephrasings(entries)}
    assert set(pairs) == {"engage warp drive", "shut this thing", "close the window", "page down"}
    assert pairs["engage warp drive"].actions == [{"tool": "press_keys", "args": {"keys": ["ctrl", "shift", "k"],
                                                                                  "repeat": 1}}]
    assert (pairs["engage warp drive"].why, pairs["close the window"].why, pairs["page down"].why) == (
        "not understood", "answered no", "undone")
    assert pairs["page down"].actions[0]["args"]["keys"] == ["ctrl", "end"]  # not the undo itself
    assert "high-risk" in pairs["shut this thing"].skipped  # close_window: never learned from history
    assert not rephrasings(entries, window_s=0.0)  # a rephrasing comes soon after, or it is none

    # The review: a YAML list of examples, the high-risk one commented out with the reason; nothing trained.
    assert main(["--config", str(cfg), "train", "--from-history", "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert "4 rephrasing(s) found in the history, 3 learned" in listed
    assert "# - say: shut this thing" in listed and "- say: engage warp drive" in listed
    assert [i["say"] for i in yaml.safe_load(listed)] == ["engage warp drive", "close the window", "page down"]
    assert not (tmp_path / "model").exists()

    assert main(["--config", str(cfg), "train", "--tiny", "--from-history", "--epochs", "30", "--lora", "off"]) == 0
    assert "from history: 3 rephrasing(s) learned, 1 not" in capsys.readouterr().out
    from voxctl.agent.interpret.factory import make_interpreter

    config = Config().model_copy(update={"interpreter": Config().interpreter.model_copy(
        update={"backend": "understand", "understand_model": str(tmp_path / "model")})})
    model = make_interpreter(config, notify=lambda m: None)
    plan = model.interpret(Utterance.from_text("engage warp drive"))
    assert [a.args.keys for a in plan.actions] == [["ctrl", "shift", "k"]], plan.reason
    taught = json.loads((tmp_path / "model" / "meta.json").read_text())["user_intents"]
    assert not any(step["tool"] == "close_window" for do in taught.values() for step in do)
