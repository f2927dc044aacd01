"""User macros: the YAML file is validated at start, every problem named with file, macro and cause,
and the grammar runs macros by name and by their own phrases."""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.macros import Macro, MacroBook, MacroError, Size, load_macros
from voxctl.tools.registry import call

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


def test_one_normaliser_for_macro_names(tmp_path) -> None:
    """`save_all`, "Save All" and "save-all" are one macro everywhere: at load, in a step, in a plan."""
    from voxctl.tools.macros import find_macro, macro_key

    assert macro_key("Save_All") == macro_key("save-all") == macro_key("  save   all ") == "save all"
    assert find_macro("SAVE ALL", ["save_all"]) == "save_all"
    # A step naming the macro in another spelling passes validation and expands (it used to fail at run time).
    book = MacroBook(load_macros(write(tmp_path, "save_all:\n  - {tool: press_keys, args: {keys: [ctrl, s]}}\n"
                                                 "close all:\n  - {tool: run_macro, args: {name: Save-All}}\n")))
    assert book.find("CLOSE_ALL").name == "close all"
    e = book.expand([call("run_macro", name="close_all")])
    assert [c.tool for c in e.actions] == ["press_keys"] and e.origins == [["close all", "save_all"]]
    with pytest.raises(MacroError, match="the phrase 'save all' already runs macro 'save_all'"):
        load_macros(write(tmp_path, "save_all: [{tool: click}]\nsave all: [{tool: click}]\n"))


@pytest.mark.parametrize(("text", "problem"), [
    ("a:\n  - {tool: run_macro, args: {name: a}}\n", "macro 'a': runs itself (a -> a)"),
    ("a:\n  - {tool: run_macro, args: {name: b}}\nb:\n  - {tool: run_macro, args: {name: A}}\n",
     "macro 'a': runs itself (a -> b -> a)"),
    ("".join(f"m{i}:\n  - {{tool: run_macro, args: {{name: m{i + 1}}}}}\n" for i in range(5)) + "m5: [{tool: click}]\n",
     "macro 'm0': nests macros more than 4 deep (m0 -> m1 -> m2 -> m3 -> m4)"),
])
def test_cycles_and_deep_nesting_are_refused_at_load(tmp_path, text, problem) -> None:
    with pytest.raises(MacroError) as err:
        load_macros(write(tmp_path, text))
    assert problem in str(err.value), str(err.value)


def test_expansion_keeps_where_each_step_came_from(tmp_path) -> None:
    book = MacroBook(load_macros(write(tmp_path, GOOD)))
    plan = [call("scroll", direction="down"), call("run_macro", name="Tidy Up"), call("close_window")]
    e = book.expand(plan)
    assert [c.tool for c in e.actions] == ["scroll", "press_keys", "open_app", "type_text", "press_keys",
                                           "close_window"]
    assert e.origins == [[], ["tidy_up"], ["tidy_up", "standup"], ["tidy_up", "standup"],
                         ["tidy_up", "standup"], []]
    assert book.measure(plan) == Size(6, 6)
    with pytest.raises(MacroError, match=r"no macro called 'deploy' \(known: standup, tidy_up\)"):
        book.measure([call("run_macro", name="deploy")])


def test_measuring_counts_repeats_without_building_the_steps() -> None:
    """A macro's size is computed once, so a wide fan-out is counted in microseconds, not built."""
    press = call("press_keys", keys=["a"], repeat=50)
    macros = {"l3": Macro("l3", [press] * 30)}
    for lvl in (2, 1, 0):
        macros[f"l{lvl}"] = Macro(f"l{lvl}", [call("run_macro", name=f"l{lvl + 1}")] * 30)
    book = MacroBook(macros)
    size = book.measure([call("run_macro", name="l0")])
    assert size == Size(30 ** 4, 30 ** 4 * 50)  # 810,000 steps, 40.5 million presses
    assert book.measure([press, call("wait", seconds=1)]) == Size(2, 51)
    # A book built without the load-time checks still refuses a cycle instead of recursing forever.
    loop = MacroBook({"x": Macro("x", [call("run_macro", name="x")])})
    with pytest.raises(MacroError, match=r"runs itself \(x -> x\)"):
        loop.measure([call("run_macro", name="x")])


def test_a_macros_file_that_is_not_text_or_not_a_file_is_one_line(tmp_path) -> None:
    bad = tmp_path / "macros.yaml"
    bad.write_bytes(b"tidy:\n  - {tool: type_text, args: {text: \xff\xfe}}\n")
    with pytest.raises(MacroError, match="not UTF-8 text"):
        load_macros(bad)
    with pytest.raises(MacroError, match="not a regular file"):
        load_macros(tmp_path)
