"""Open slots grounded in what exists (agent/interpret/grounded.py), on text: everyday sentences that hold
a command word give no action, while every command of the spoken set keeps its exact plan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from voxctl.agent.benchmarks.interpret import load_spoken_set
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.utterance import ScreenState

DATA = Path(__file__).parent / "data"
# What the recogniser wrote for non-commands that acted in `voxctl bench recognition` (2026-12-03).
HEARD = ["open the door for the delivery guide.", "click your sheet belt before we leave.",
         "that type of thing happens all the time.", "switch to the other team next season.",
         "click will switch to the number team next season.", "open your looks to page 40.",
         # a blind probe's talk, read aloud by espeak-ng/flite (2026-12-04): a word of time is in no name on a screen
         "click on the weird link yesterday.", "click the build start yet.",
         "click bait headlines are everywhere",
         "let's switch to seats after lunch."]  # blind probe5's talk as en-us+m1 was heard (2026-12-05)  # tests/data/understand_dev.yaml's one overheard sentence that acted
DESKTOP = ScreenState(active_window="notes.txt - gedit",
                      window_titles=("notes.txt - gedit", "Mozilla Firefox", "user@host: ~/src"))


@pytest.fixture(scope="module")
def grammar() -> GrammarInterpreter:
    return GrammarInterpreter(None, load_spoken_set()[0])


def test_non_commands_give_no_action(grammar: GrammarInterpreter) -> None:
    """Every sentence of non_commands.yaml, with and without a screen. Its `open_slots` group was written
    after the rules were fixed and never used to tune them: 14 of its 24 acted before the grounding."""
    data = yaml.safe_load((DATA / "non_commands.yaml").read_text(encoding="utf-8"))
    sentences = [s for group in data.values() for s in group] + HEARD
    assert len(sentences) > 90 and len(data["open_slots"]) >= 24
    acting = {s: [c.tool for c in grammar.parse(s).actions] for s in sentences}
    acting.update({f"{s} (on a desktop)": [c.tool for c in grammar.parse(s, DESKTOP).actions]
                   for s in [*data["open_slots"], *HEARD]})
    assert not {s: a for s, a in acting.items() if a}
    # The spoken set's commands keep their plans: test_grammar_table.py::test_spoken_set_is_understood_from_its_text


def test_open_slots_name_what_exists(grammar: GrammarInterpreter) -> None:
    def tools(text: str, screen: ScreenState | None = None) -> list[tuple[str, dict]]:
        return [(c.tool, c.args.model_dump(exclude_defaults=True)) for c in grammar.parse(text, screen).actions]

    # Apps: the grammar's and the configured ones, or an app the platform lists (a desktop entry); a program
    # only PATH knows is none (tests/safety/test_system_programs.py).
    assert tools("open the text editor") == [("open_app", {"name": "text editor"})]
    assert tools("start xterm and type ls") == [("open_app", {"name": "xterm"}), ("type_text", {"text": "ls"})]
    assert tools("open console") == [("open_app", {"name": "console"})]
    assert tools("launch sh") == []
    reason = grammar.parse("open the door for the delivery guy").reason
    assert "no app called 'door for the delivery guy'" in reason
    # Windows: with the windows listed, an open one (or a near-miss of one) or an app; else a short name.
    assert tools("switch to firefox", DESKTOP) == [("focus_window", {"title": "firefox"})]
    assert tools("focus on notes", DESKTOP) == [("focus_window", {"title": "notes"})]
    assert tools("switch to derminal", DESKTOP) == [("focus_window", {"title": "terminal"})]
    assert tools("focus on the kids", DESKTOP) == []
    assert "no window called 'kids'" in grammar.parse("focus on the kids", DESKTOP).reason
    assert tools("focus on the kids") == [("focus_window", {"title": "kids"})]  # no screen: a short name
    only_active = ScreenState(active_window="notes.txt - gedit")  # the other windows are not known
    assert tools("switch to user at host", only_active) == [("focus_window", {"title": "user at host"})]
    assert tools("maximize notes", DESKTOP) == [("maximize_window", {"title": "notes"})]
    # Click targets: short names with no clause words ("I agree" is a button; "before we leave" a clause).
    assert tools("click I agree") == [("click", {"target": "i agree"})]
    assert tools("click add to shopping cart") == [("click", {"target": "add to shopping cart"})]
    assert tools("click the link I sent you before lunch") == []
    # said to a person (blind probe set 10's talk): an endearment, or "I" and "you" together, names nothing on a screen
    assert tools("click your seatbelt in sweetie") == []
    assert tools("click the link i sent you") == []
    assert tools("click you get me to then bottom of the page.") == []  # m1's "could you get me to the bottom ..."
    assert tools("click sign in") == [("click", {"target": "sign in"})]
    assert tools("click forgot your password") == [("click", {"target": "forgot your password"})]
    # a place off the screen it was said at was heard wrong ("right click at 1200 640", slt, blind probe set 10)
    hd = ScreenState(screen_size=(1920, 1080))
    assert tools("right. click at 1,2640.", hd) == []
    assert "off the screen" in grammar.parse("right. click at 1,2640.", hd).reason
    assert tools("click at 1200 640", hd) == [("click", {"x": 1200, "y": 640})]
    assert tools("drag from 100 100 to 800 600", ScreenState(screen_size=(640, 480))) == []
    # Dictation begins the utterance, after fillers or commands; never after other words.
    assert tools("could you please type hello") == [("type_text", {"text": "hello"})]
    assert tools("now type hello") == [("type_text", {"text": "hello"})]
    assert tools("that type of thing happens all the time") == []


def test_an_app_installed_during_a_session_is_found_at_once(grammar: GrammarInterpreter, tmp_path, monkeypatch):
    """A refusal is not remembered past a change of the folders open_app looks in: installing the app (here a
    program put on PATH and its desktop entry) after "open quuxpad" was refused makes the same words a command."""
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    entries = tmp_path / "share" / "applications"
    entries.mkdir(parents=True)
    refused = grammar.parse("open quuxpad")
    assert not refused.actions and "no app called 'quuxpad'" in refused.reason
    program = tmp_path / "quuxpad"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    # a program on PATH alone is no app to open by voice (tests/safety/test_system_programs.py)
    assert not grammar.parse("open quuxpad").actions
    (entries / "quuxpad.desktop").write_text("[Desktop Entry]\nName=Quuxpad\nExec=quuxpad\n", encoding="utf-8")
    assert [(c.tool, c.args.name) for c in grammar.parse("open quuxpad").actions] == [("open_app", "quuxpad")]


def test_another_reading_may_fix_a_name_but_not_replace_it() -> None:
    from voxctl.agent.interpret.grounded import unheard_name
    from voxctl.tools.registry import call

    assert unheard_name([call("open_app", name="code"), call("wait", seconds=1)], "start the car and wait for me.") == "code"
    assert unheard_name([call("open_app", name="firefox")], "open fire fox.") is None  # the name as it was heard
    assert unheard_name([call("focus_window", title="terminal")], "switch to turn middle.") is None
    assert unheard_name([call("press_keys", keys=["ctrl", "s"])], "same.") is None  # no name in the plan


def test_go_to_names_only_an_app_it_knows(grammar):
    """"go to firefox" focuses it; after "go to" anything else names no window ("go to sleep" is the hands-free
    sleep phrase, "go to the store" talk): the {known_app} slot is an app the grammar or the configuration knows,
    or nothing (grammar.yaml `only_known`)."""
    for said, title in (("go to firefox", "firefox"), ("hop over to slack", "slack"), ("go back to the terminal", "terminal")):
        acts = grammar.parse(said).actions
        assert [(a.tool, a.args.title) for a in acts] == [("focus_window", title)], said
    for said in ("go to sleep", "go to the store", "get over to the car", "go to bed"):
        assert grammar.parse(said).actions == [], said


def test_a_label_number_heard_as_its_homophone(grammar):
    """"double click label four" was heard "double click label for." and clicked the text "label for" (spoken probe
    set 5, en-us+m1 and en-us+f2, 2026-12-05): after a label's noun, "for", "to", "ate" are the numbers (rewrites)."""
    acts = grammar.parse("double click label for.").actions
    assert [(a.tool, a.args.label, a.args.count) for a in acts] == [("click_label", 4, 2)]
    assert [(a.tool, a.args.label) for a in grammar.parse("click number to").actions] == [("click_label", 2)]
    assert grammar.parse("the label for the jar is wrong").actions == []


def test_tab_heard_tap_and_talk_of_last_month(grammar):
    """Spoken probe sets, 2026-12-05: "tab" heard "tap" after a key verb or a tab word ("press tap.", "next tap.":
    misheard rewrites; "tap enter" keeps "tap" the verb), and "they switched offices last month" heard "switch to
    offices last month." focused a window: a word of time in a name makes it talk (grounded.TIME_WORDS)."""
    assert [a.args.keys for a in grammar.parse("press tap.").actions] == [["tab"]]
    assert [a.args.keys for a in grammar.parse("next tap please").actions] == [["ctrl", "tab"]]
    assert [a.args.keys for a in grammar.parse("tap enter").actions] == [["enter"]]
    assert grammar.parse("close tap").actions == []  # ctrl+w heard only approximately: refused
    assert grammar.parse("switch to offices last month.").actions == []
    assert [a.args.title for a in grammar.parse("switch to the weekly report").actions] == ["weekly report"]


def test_a_window_is_named_not_pointed_at_and_pasting_goes_where_it_is_said(grammar: GrammarInterpreter) -> None:
    def plan(said: str, screen: ScreenState | None = None) -> list[tuple[str, dict]]:
        return [(c.tool, c.args.model_dump(exclude_none=True)) for c in grammar.parse(said, screen).actions]

    # "paste it in slack" pasted into the window that had the focus (the blind probe2 set): a terminal runs it
    assert plan("paste it in slack") == [("focus_window", {"title": "slack"}), ("press_keys", {"keys": ["ctrl", "v"], "repeat": 1})]
    assert plan("copy this and paste it into gedit")[1:] == [("focus_window", {"title": "gedit"}),
                                                              ("press_keys", {"keys": ["ctrl", "v"], "repeat": 1})]
    # a word that points names no window, with or without a screen to check it against
    for said in ("paste it in here", "switch to it", "switch to this one", "focus that window"):
        assert all(t != "focus_window" for t, _ in plan(said)), said
        assert all(t != "focus_window" for t, _ in plan(said, DESKTOP)), said
    # a file's name said with its extension
    assert plan("switch to notes dot txt") == [("focus_window", {"title": "notes.txt"})]
    assert plan("switch to the polka dot dress") == [("focus_window", {"title": "polka dot dress"})]


def test_a_macro_name_said_alone_runs_only_when_heard_as_it_is() -> None:
    """slt's "launch spotify" was heard "launch." and ran the user's macro "lunch" (blind probe set 11): a name said
    alone is no near-miss; with "run" before it, it may be one."""
    from voxctl.agent.benchmarks import blind
    from voxctl.agent.config import load_config

    g = GrammarInterpreter(load_config(None), blind.macros(("probe11",)))
    assert g.parse("launch.").actions == [] and "heard as it is" in g.parse("launch.").reason
    assert [(a.tool, a.args.name) for a in g.parse("lunch").actions] == [("run_macro", "lunch")]
    assert [(a.tool, a.args.name) for a in g.parse("stand up").actions] == [("run_macro", "standup")]
