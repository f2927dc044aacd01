"""Spoken forms apart from platform bindings: "copy" is an edit action; the keys it presses depend on the
platform the grammar is built for (tools/bindings.yaml). Key names and their synonyms come from one
table (tools/keys.yaml); yes/no answers are data too (prompts/answers.yaml)."""

from __future__ import annotations

import pytest
import yaml

from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.rules import DEFAULT_PATH, load_grammar
from voxctl.tools.base import Risk
from voxctl.tools.bindings import PLATFORMS, bindings, chord, platform_name
from voxctl.tools.keys import KEY_NAMES, SPOKEN_ONLY, SYNONYMS, normalize_key
from voxctl.tools.registry import risk_of


def _keys(platform: str, text: str) -> list[list[str]]:
    plan = GrammarInterpreter(platform=platform).parse(text)
    assert plan.actions, plan.reason
    return [list(a.args.keys) for a in plan.actions]


@pytest.mark.parametrize(("platform", "copy", "undo"), [
    ("linux", ["ctrl", "c"], ["ctrl", "z"]),
    ("win32", ["ctrl", "c"], ["ctrl", "z"]),
    ("darwin", ["win", "c"], ["win", "z"]),  # "win" is Command on macOS (tools/keys.py pyautogui names)
])
def test_copy_is_bound_per_platform(platform: str, copy: list[str], undo: list[str]) -> None:
    assert _keys(platform, "copy") == [copy]
    assert _keys(platform, "copy that") == [copy]
    assert _keys(platform, "undo that") == [undo]
    assert _keys(platform, "select all and copy")[1] == copy


def test_platform_differences_are_only_in_the_bindings() -> None:
    assert _keys("darwin", "redo") == [["win", "shift", "z"]]
    assert _keys("linux", "redo") == [["ctrl", "y"]]
    # Keys said by name are the same everywhere: only edit actions are bound per platform.
    assert _keys("darwin", "press control c") == _keys("linux", "press control c") == [["ctrl", "c"]]
    # Destructive on every platform: close tab is Command+W on macOS, still judged high.
    for platform in ("linux", "darwin"):
        plan = GrammarInterpreter(platform=platform).parse("close tab")
        assert risk_of(plan.actions[0]) is Risk.HIGH, platform
        assert GrammarInterpreter(platform=platform).parse("close tap").actions == [], platform


def test_a_counted_move_repeats_the_platforms_own_keys() -> None:
    # A rule's "@word_left" is the keys the platform binds: Option+Left on a Mac, Ctrl+Left elsewhere.
    for platform, keys in (("linux", ["ctrl", "left"]), ("darwin", ["alt", "left"])):
        plan = GrammarInterpreter(platform=platform).parse("move left three words")
        assert [(list(a.args.keys), a.args.repeat) for a in plan.actions] == [(keys, 3)], platform
    plan = GrammarInterpreter(platform="linux").parse("delete the previous two words")
    assert [(list(a.args.keys), a.args.repeat) for a in plan.actions] == [(["ctrl", "backspace"], 2)]
    plan = GrammarInterpreter(platform="linux").parse("select the next four characters")
    assert [(list(a.args.keys), a.args.repeat) for a in plan.actions] == [(["shift", "right"], 4)]


def test_a_rule_naming_an_unknown_action_is_refused(tmp_path) -> None:
    from voxctl.agent.interpret.rules import GrammarError

    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["rules"].append({"say": "hop {n} words", "do": {"tool": "press_keys", "args": {"keys": "@hop", "repeat": "$n"}}})
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(GrammarError, match="'@hop' is not an edit action"):
        load_grammar(path)


def test_every_spoken_action_is_bound_on_every_platform() -> None:
    spec = load_grammar()
    table = bindings()
    assert spec.actions and set(spec.actions) <= set(table)
    for action, per in table.items():
        assert set(per) == set(PLATFORMS), action
        for keys in per.values():
            assert all(k in KEY_NAMES for k in keys), (action, keys)
    assert chord("copy", "mac") == ["win", "c"] and chord("copy", "linux") == ["ctrl", "c"]
    assert platform_name("darwin") == "mac" and platform_name("win32") == "windows"
    assert platform_name("freebsd14") == "linux"


def test_grammar_file_holds_no_chords_and_no_key_names() -> None:
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert "keys" not in raw  # key names live in tools/keys.yaml only
    assert raw["slots"]["shortcut"] == "action"
    spellings = {k for k in raw.get("rewrites", {}) if normalize_key(k) is not None}
    assert spellings == set(), f"key spellings belong in tools/keys.yaml: {spellings}"


def test_one_key_table() -> None:
    assert not set(SYNONYMS) & set(SPOKEN_ONLY)
    assert all(v in KEY_NAMES for v in (*SYNONYMS.values(), *SPOKEN_ONLY.values()))
    # Names work everywhere (plans, config chords); letters by sound only in speech.
    assert normalize_key("cntrl") == "ctrl" and normalize_key("command key") == "win"
    assert normalize_key("charlie") is None
    g = GrammarInterpreter()
    assert _keys("linux", "press control charlie") == [["ctrl", "c"]]
    assert g.parse("press ctrl-s").actions[0].args.keys == ["ctrl", "s"]
    assert g.parse("press esc").actions[0].args.keys == ["escape"]
    assert g.parse("press back space").actions[0].args.keys == ["backspace"]


def test_answer_words_are_data() -> None:
    from voxctl.agent import answers

    assert answers.match_answer("yep") is True and answers.match_answer("nope") is False
    assert answers.match_answer("don't do it") is False and answers.match_answer("maybe") is None
    assert "yes" in answers.YES_WORDS and "cancel" in answers.NO_WORDS and answers.ANSWER_HOTWORDS
