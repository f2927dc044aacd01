""""scratch that", "again" and "what can I say" (issue 13.4) through the real graph, the real grammar and a real
Tk text widget on Xvfb with openbox, checked by what the widget holds afterwards."""

from __future__ import annotations

import pytest

from tests.apps import text_box
from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import window_titled
from tests.fixtures.xdisplay import wait_for
from voxctl.agent.config import Config
from voxctl.agent.graph import Agent
from voxctl.agent.utterance import Utterance

pytestmark = pytest.mark.display


def config(tmp_path) -> Config:
    return Config.model_validate({"history": {"path": str(tmp_path / "history.sqlite")},
                                  "interpreter": {"backend": "grammar", "macros_file": None},
                                  "desktop": {"action_pause": 0}})


def say(agent: Agent, text: str) -> dict:
    tid = agent.start(Utterance.from_text(text))
    return {**agent.values(tid), "tid": tid}


def outcome(v: dict) -> str:
    return "; ".join(r["message"] for r in v.get("outcomes") or []) or v.get("summary", "")


def holds(box, text: str) -> bool:
    return bool(wait_for(lambda: box.text() == text, 5))


def test_scratch_that_takes_back_exactly_the_last_typing_and_only_where_it_went(tmp_path, programs, desktop):
    box = text_box.start(programs, "Scratch Box")
    programs.logger("Elsewhere", geometry="300x200+700+100")
    agent = Agent(config(tmp_path), desktop=desktop)
    try:
        assert say(agent, "switch to scratch box")["status"] == "done"
        assert say(agent, "type hello")["status"] == "done"
        assert say(agent, "type café au lait")["status"] == "done"
        assert holds(box, "hellocafé au lait"), box.text()
        v = say(agent, "scratch that")
        assert v["status"] == "done", v
        assert holds(box, "hello"), box.text()  # 13 characters as typed: the é is one
    finally:
        agent.close()

    # Another process (a later `voxctl do`) reads the same journal in the history file.
    later = Agent(config(tmp_path), desktop=desktop)
    try:
        assert say(later, "scratch that")["status"] == "done"
        assert holds(box, ""), box.text()
        assert say(later, "scratch that")["status"] == "failed"  # nothing voxctl typed is left

        # The focus moved: refused, saying why, and the text stays.
        assert say(later, "type abc")["status"] == "done"
        assert say(later, "switch to elsewhere")["status"] == "done"
        v = say(later, "scratch that")
        assert v["status"] == "failed" and "focus" in outcome(v) and "'Scratch Box'" in outcome(v), v
        assert say(later, "switch to scratch box")["status"] == "done"
        assert holds(box, "abc")
        assert say(later, "scratch that")["status"] == "done"  # back in that window: it may
        assert holds(box, ""), box.text()

        # Something else acted after the typing (the caret moved): refused.
        assert say(later, "type xyz")["status"] == "done"
        assert say(later, "press home")["status"] == "done"
        v = say(later, "scratch that")
        assert v["status"] == "failed" and "something else was done" in outcome(v), v
        assert holds(box, "xyz")
        # "undo that" is still the app's own undo (ctrl+z), not a scratch.
        assert say(later, "undo that")["decision"]["actions"][0]["tool"] == "press_keys"
    finally:
        later.close()


def test_again_repeats_the_last_plan_through_the_policy(tmp_path, programs, desktop):
    box = text_box.start(programs, "Again Box")
    closer = programs.logger("Close Again", geometry="300x200+700+100")
    agent = Agent(config(tmp_path), desktop=desktop)
    try:
        v = say(agent, "again")
        assert v["status"] == "invalid" and "nothing has run yet" in v["summary"]
        assert say(agent, "switch to again box")["status"] == "done"
        assert say(agent, "type ab")["status"] == "done"
        v = say(agent, "again")
        assert v["status"] == "done" and [a["tool"] for a in v["plan"]["actions"]] == ["type_text"], v
        assert holds(box, "abab"), box.text()
        assert say(agent, "do that three times")["status"] == "done"  # the last plan was "again": one typing
        assert holds(box, "ab" * 5), box.text()

        # A high-risk plan asks again, every time.
        assert window_titled(desktop, "Close Again")
        assert say(agent, "switch to close again")["status"] == "done"
        tid = say(agent, "close the window")["tid"]
        assert agent.paused_at(tid) == ("confirm",)
        agent.resume(tid, {"approved": True, "via": "test", "heard": "yes"})
        assert closer.wait("delete_window")
        tid = say(agent, "again")["tid"]
        assert agent.paused_at(tid) == ("confirm",), "a repeated high-risk plan must ask again"
        assert "close_window" in " ".join(agent.values(tid)["decision"]["reasons"])
        agent.resume(tid, {"approved": False, "via": "test", "heard": "no"})
        assert agent.values(tid)["status"] == "cancelled"
        assert holds(box, "ab" * 5)  # nothing else ran: the focus went back to the box, no key reached it
    finally:
        agent.close()


def test_what_can_i_say_lists_commands_that_fit_the_window_and_the_grammar_understands_them(tmp_path, desktop):
    from voxctl.agent.help import groups
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.macros import Macro
    from voxctl.agent.session import Session
    from voxctl.tools.desktop import Window
    from voxctl.tools.registry import call

    fill = {"<words>": "hello", "<keys>": "control s", "<window>": "firefox", "<text on screen>": "save",
            "<name>": "standup"}
    grammar = GrammarInterpreter(macros={"standup": Macro("standup", [call("press_keys", keys=["f5"])])})
    for g in groups():
        for phrase in g["say"]:
            said = phrase.split(" (")[0]
            for k, v in fill.items():
                said = said.replace(k, v)
            assert grammar.parse(said).actions, f"help.yaml lists {phrase!r}, which the grammar does not understand"

    from voxctl.agent.help import commands_for

    session = Session.build(config(tmp_path))
    term = commands_for(session, Window("0x1", "bash", ("xterm", "XTerm")))
    editor = commands_for(session, Window("0x2", "notes.txt - gedit", ("gedit", "Gedit")))
    assert "terminal:" in term and "editing:" not in term and "scratch that" in term
    assert "editing:" in editor and "terminal:" not in editor and "maximize the window" in editor
    assert len(editor.splitlines()) <= 9  # short and grouped

    agent = Agent(config(tmp_path), desktop=desktop)
    try:
        v = say(agent, "what can I say")
        assert v["status"] == "answered" and "windows:" in v["summary"], v
    finally:
        agent.close()


def test_a_macro_recorded_by_voice_replays_the_same_primitives(tmp_path, programs, desktop):
    box = text_box.start(programs, "Record Box")
    macros = tmp_path / "macros.yaml"
    macros.write_text("old: [{tool: press_keys, args: {keys: [f5]}}]\n", encoding="utf-8")
    cfg = config(tmp_path).model_copy(update={"interpreter": config(tmp_path).interpreter.model_copy(
        update={"macros_file": str(macros)})})
    agent = Agent(cfg, desktop=desktop)
    try:
        assert say(agent, "switch to record box")["status"] == "done"
        v = say(agent, "start recording greet")
        assert v["status"] == "answered" and "recording macro 'greet'" in v["summary"], v
        recorded = [say(agent, "type hi"), say(agent, "press tab"), say(agent, "what can I say")]
        assert [r["status"] for r in recorded] == ["done", "done", "answered"]
        v = say(agent, "stop recording")
        assert v["status"] == "answered" and "saved macro 'greet' (2 steps)" in v["summary"], v
        assert holds(box, "hi\t")
    finally:
        agent.close()
    import yaml

    assert yaml.safe_load(macros.read_text())["greet"]["actions"] == [
        {"tool": "type_text", "args": {"text": "hi"}}, {"tool": "press_keys", "args": {"keys": ["tab"], "repeat": 1}}]
    assert "greet" not in yaml.safe_load((tmp_path / "macros.yaml.bak").read_text())  # the file before

    later = Agent(cfg, desktop=desktop)  # the next `voxctl do` reads the new file
    try:
        v = say(later, "run greet")
        assert v["status"] == "done", v
        assert holds(box, "hi\thi\t"), box.text()
        prims = [(name, args) for run in recorded[:2] for _, name, args, _ in later.audit.primitives(run["tid"])]
        assert [(n, a) for _, n, a, _ in later.audit.primitives(v["tid"])] == prims  # the very same primitives
        tid = say(later, "delete macro greet")["tid"]
        assert later.paused_at(tid) == ("confirm",)  # deleting asks first
        later.resume(tid, {"approved": True, "via": "test", "heard": "yes"})
        assert later.values(tid)["status"] == "done"
        assert "greet" not in yaml.safe_load(macros.read_text()) and "old" in yaml.safe_load(macros.read_text())
    finally:
        later.close()
