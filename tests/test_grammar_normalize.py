"""Transcript clean-up and spoken numbers: what the grammar reads before it matches anything."""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.normalize import normalize, phrase_table, tokenize
from voxctl.agent.interpret.numbers import parse_numbers
from voxctl.agent.interpret.rules import GrammarError, load_grammar, parse_grammar

NUMBERS = [
    ("five", [5]),
    ("twenty five", [25]),
    ("a hundred", [100]),
    ("a hundred and five", [105]),
    ("three hundred and two", [302]),
    ("three hundred two hundred", [300, 200]),
    ("four hundred and three hundred", [400, 300]),
    ("one hundred fifty three hundred", [150, 300]),
    ("three hundred and two hundred and five", [300, 205]),
    ("one hundred fifty three", [153]),
    ("one thousand two hundred", [1200]),
    ("twenty five hundred", [2500]),
    ("two three", [2, 3]),
    ("twenty twenty", [20, 20]),
    ("nineteen eighty four", [19, 84]),
    ("300 200", [300, 200]),
    ("1,000", [1000]),
    ("1.5", [1.5]),
    ("zero", [0]),
    ("a cat and a dog", []),
]


@pytest.mark.parametrize(("words", "values"), NUMBERS)
def test_spoken_numbers(words: str, values: list) -> None:
    assert [n.value for n in parse_numbers(words.split())] == values


REWRITES = phrase_table({"ctrl": "control", "twice": "2 times", "screen shot": "screenshot"})

NORMALIZED = [
    ("Press Ctrl-S.", "press control s"),
    ("Press Alt+F4", "press alt f4"),
    ("Press F5.", "press f5"),
    ("Scroll up 10 times.", "scroll up 10 times"),
    ("scroll down twenty five", "scroll down 25"),
    ("press tab twice", "press tab 2 times"),
    ("Click at 300-200.", "click at 300 200"),
    ("Click at 3-0-0-200.", "click at 300 200"),
    ("Click at 5-5.", "click at 5 5"),
    ("Move the mouse to 500, 400.", "move the mouse to 500 400"),
    ("Move to 500,400", "move to 500 400"),
    ("Drag to 500300", "drag to 500 300"),
    ("click at 300x200", "click at 300 200"),
    ("click at 300 and 200", "click at 300 200"),
    ("wait one and a half seconds", "wait 1.5 seconds"),
    ("Take a screen shot.", "take a screenshot"),
    ("\"Copy that!\"", "copy that"),
    ("Zoom in... now", "zoom in now"),
]


@pytest.mark.parametrize(("text", "want"), NORMALIZED)
def test_normalize(text: str, want: str) -> None:
    assert normalize(text, REWRITES) == want


def test_tokens_remember_where_they_came_from_and_pauses() -> None:
    text = "Select all, then Type Hello World."
    toks = tokenize(text)
    assert [t.word for t in toks] == ["select", "all", "then", "type", "hello", "world"]
    assert [t.pause for t in toks] == [False, True, False, False, False, True]
    assert text[toks[3].end:] == " Hello World."  # what "type" takes verbatim
    assert tokenize("scroll down twenty five")[2].num == 25
    assert tokenize("scroll down twenty five")[2].start == len("scroll down ")


def test_misheard_rewrites_are_marked_fuzzy() -> None:
    toks = tokenize("brag to 5 5", misheard=phrase_table({"brag": "drag"}))
    assert toks[0].word == "drag" and toks[0].fuzzy and not toks[1].fuzzy


def test_bundled_grammar_loads() -> None:
    spec = load_grammar()
    assert len(spec.rules) > 15 and "shortcut" in spec.slots
    assert spec.keys[("control",)] == "ctrl" and spec.keys[("page", "down")] == "pagedown"


@pytest.mark.parametrize(("data", "problem"), [
    ({"rules": [{"say": "jump {height}", "do": {"tool": "click"}}]}, "undeclared slot(s) height"),
    ({"rules": [{"say": "jump [high", "do": {"tool": "click"}}]}, "missing ']'"),
    ({"rules": [{"say": "jump", "do": {"tool": "fly"}}]}, "unknown tool"),
    ({"rules": [{"say": "jump"}]}, "needs `say:` and one of `do:` or `error:`"),
    ({"slots": {"k": {"copy": ["ctrl", "kk"]}}, "rules": []}, "not a key"),
    ({"slots": {"n": "integer"}, "rules": []}, "unknown slot type 'integer'"),
    # YAML reads an unquoted `on` as true: "click on the link" then clicked the text "on the"
    ({"slots": {"t": {"type": "label", "drop_front": [True, "the"]}}, "rules": []}, "quote on, off, yes, no"),
])
def test_grammar_file_errors_name_the_problem(tmp_path, data: dict, problem: str) -> None:
    with pytest.raises(GrammarError) as err:
        parse_grammar(data, tmp_path / "g.yaml")
    assert problem in str(err.value) and "g.yaml" in str(err.value)
