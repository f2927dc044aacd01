"""User macros: the YAML file is validated at start, every problem named with file, macro and cause,
and the grammar runs macros by name and by their own phrases."""

from __future__ import annotations

import pytest

from agent.interpret.grammar import GrammarInterpreter
from agent.macros import MacroError, load_macros

GOOD = """\
standup:
  say: [start my day, "morning routine"]
  actions:
    - {tool: open_app, args: {name: terminal}}
    - {tool: type_text, args: {text: git pull}}
    - {tool: press_keys, args: {keys: [enter]}}
tidy_up:
  - {tool: press_keys, args: {keys: [control, s]}}
  - {tool: run_macro, args: {name: standup}}
"""


CLEANUP = """\
cleanup:
  say: [clean up my desktop]
  actions:
    - {tool: close_window}
"""


def write(tmp_path, text: str):
    p = tmp_path / "macros.yaml"
    p.write_text(text)
    return p


def test_good_file_loads_with_validated_steps(tmp_path) -> None:
    macros = load_macros(write(tmp_path, GOOD))
    assert list(macros) == ["standup", "tidy_up"]
    assert macros["standup"].phrases == ("start my day", "morning routine")
    assert [c.tool for c in macros["standup"].actions] == ["open_app", "type_text", "press_keys"]
    assert macros["tidy_up"].actions[0].args.keys == ["ctrl", "s"]  # synonyms normalised at load


@pytest.mark.parametrize(("text", "macro", "problem"), [
    ("deploy:\n  - {tool: fly}\n", "deploy", "unknown tool 'fly'"),
    ("deploy:\n  - {tool: scroll, args: {direction: down, amount: 500}}\n", "deploy", "amount"),
    ("deploy:\n  - {tool: press_keys, args: {keys: [ctrl, nope]}}\n", "deploy", "'nope' is not allowed"),
    ("deploy: {say: [go], actions: []}\n", "deploy", "needs a non-empty list of actions"),
    ("deploy: {actions: [{tool: close_window}], when: later}\n", "deploy", "unknown key(s) when"),
    ("deploy: {actions: [{tool: close_window}], say: [1, 2]}\n", "deploy", "say: expected a phrase"),
    ("a: {say: go, actions: [{tool: close_window}]}\nb: {say: go, actions: [{tool: click}]}\n", "b",
     "the phrase 'go' already runs macro 'a'"),
    ("deploy:\n  - {tool: run_macro, args: {name: build}}\n", "deploy", "runs macro 'build', which is not defined"),
])
def test_errors_name_file_macro_and_problem(tmp_path, text: str, macro: str, problem: str) -> None:
    with pytest.raises(MacroError) as err:
        load_macros(write(tmp_path, text))
    msg = str(err.value)
    assert str(tmp_path / "macros.yaml") in msg and f"macro {macro!r}" in msg and problem in msg, msg


def test_every_problem_reported_at_once(tmp_path) -> None:
    with pytest.raises(MacroError) as err:
        load_macros(write(tmp_path, "one:\n  - {tool: fly}\ntwo:\n  - {tool: wait}\n"))
    lines = str(err.value).splitlines()
    assert len(lines) == 2 and "'one'" in lines[0] and "'two'" in lines[1]


def test_file_level_errors(tmp_path) -> None:
    with pytest.raises(MacroError, match=r"macros.yaml: not valid YAML at line 3: expected"):
        load_macros(write(tmp_path, "a:\n  - {tool: click\nb: 1\n"))
    with pytest.raises(MacroError, match="expected a mapping of macro name"):
        load_macros(write(tmp_path, "- just a list\n"))
    with pytest.raises(MacroError, match="macros file not found"):
        load_macros(tmp_path / "nope.yaml")


def test_missing_default_file_means_no_macros(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert load_macros(None) == {}


def test_grammar_runs_macros_by_name_and_phrase(tmp_path) -> None:
    g = GrammarInterpreter(None, load_macros(write(tmp_path, GOOD)))
    for said in ("run standup", "run my standup workflow", "Run stand up.", "start my day", "Morning routine.",
                 "run tidy up", "play the tidy up macro"):
        plan = g.parse(said)
        assert [c.tool for c in plan.actions] == ["run_macro"], (said, plan.reason)
    assert g.parse("run tidy up").actions[0].args.name == "tidy_up"
    # A phrase that contains a near-miss of another, risky, reading is still run when heard exactly.
    risky = GrammarInterpreter(None, load_macros(write(tmp_path, CLEANUP)))
    assert [c.tool for c in risky.parse("clean up my desktop").actions] == ["run_macro"]
    assert risky.analyse("clean up my desk top please").plan.actions[0].args.name == "cleanup"
    assert risky.analyse("clean up my desktops").refused
    assert "known: standup, tidy_up" in g.parse("run deploy").reason
