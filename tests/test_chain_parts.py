"""A chain read part by part (agent/interpret/chain_parts.py): each part by the grammar, or else by the shipped
understanding model when it is sure; all or nothing."""

from __future__ import annotations

import pytest

from voxctl.agent.config import Config
from voxctl.agent.interpret.chain_parts import MAX_PARTS, parts
from voxctl.agent.interpret.factory import make_interpreter
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import Utterance

CONNECTIVES = [("and",), ("then",), ("and", "then"), ("after", "that")]


def test_a_sentence_is_cut_at_connectives_and_pauses():
    assert parts("cut that, go to the top and then paste", CONNECTIVES) == ["cut that", "go to the top", "paste"]
    assert parts("Select all. Copy it after that paste.", CONNECTIVES) == ["Select all", "Copy it", "paste"]
    assert parts("undo", CONNECTIVES) == []  # one command is no chain
    assert parts("and copy", CONNECTIVES) == []  # a cut that leaves nothing before it
    assert parts(" and ".join(["copy"] * (MAX_PARTS + 1)), CONNECTIVES) == []
    assert parts("the brandy and the sandwich", CONNECTIVES) == ["the brandy", "the sandwich"]  # whole words only


@pytest.fixture(scope="module")
def hybrid() -> HybridInterpreter:
    config = Config().model_copy(update={"interpreter": Config().interpreter.model_copy(update={"backend": "understand"})})
    return HybridInterpreter(GrammarInterpreter(), make_interpreter(config, notify=lambda m: None), "understand")


def _plan(h: HybridInterpreter, said: str) -> list[tuple[str, object]]:
    return [(a.tool, getattr(a.args, "keys", None) or getattr(a.args, "target", None) or getattr(a.args, "direction", None))
            for a in h.interpret(Utterance.from_text(said)).actions]


def test_a_chain_of_known_and_natural_parts_runs_every_part(hybrid):
    # Read whole, the model took two of the three ("copy it" was lost).
    assert _plan(hybrid, "highlight all the text and copy it and then paste it") == [
        ("press_keys", ["ctrl", "a"]), ("press_keys", ["ctrl", "c"]), ("press_keys", ["ctrl", "v"])]
    # Read whole, the model clicked at the pointer; the grammar knows "click on save".
    assert _plan(hybrid, "scroll down a bit and click on save") == [("scroll", "down"), ("click", "save")]


def test_numbers_alone_are_no_part_the_model_reads(hybrid):
    # "three twenty" is the y of "five forty, three twenty", not the 3 key pressed 20 times
    assert "press_keys" not in [t for t, _ in _plan(hybrid, "click at five hundred forty, three twenty")]


@pytest.mark.parametrize("said", ["I went home and closed the window", "he scrolled down and pasted it",
                                  "why did you scroll down and paste", "don't scroll down and paste",
                                  "close the window when you're done and save", "save it and then we went home"])
def test_talk_with_connectives_stays_talk(hybrid, said):
    assert hybrid.interpret(Utterance.from_text(said)).actions == []


def test_one_names_the_thing_said_before_it():
    """"close this tab and open a new one" (blind probe set 11) was the model's ctrl+w, ctrl+n (a new window)."""
    from voxctl.agent.interpret.anaphora import named_back

    grammar = GrammarInterpreter()
    plan = grammar.analyse("close this tab and open a new one", heard=False).plan
    assert [a.args.keys for a in plan.actions] == [["ctrl", "w"], ["ctrl", "t"]]
    assert plan.transcript == "close this tab and open a new one"  # what was said, not the rewrite
    assert [a.tool for a in grammar.analyse("close the window and open another one", heard=False).plan.actions] == [
        "close_window", "press_keys"]
    assert named_back("close these tabs and open a new one") == "close these tabs and open a new tab"
    assert named_back("close the window and open another one") == "close the window and open a new window"
    # text to type keeps its words; "one" with nothing named before it is left alone
    assert named_back("open a new tab and type i want another one") is None
    assert named_back("open a new one") is None
    assert named_back("pick another one") is None
    said = grammar.analyse("open a new tab and type i want another one", heard=False).plan
    assert said.actions[-1].args.text == "i want another one"


def test_the_end_of_it_names_the_place_said_before_it():
    """"go up one line and jump to the end of it" (blind probe set 15) was the model's up, ctrl+end (the document's)."""
    from voxctl.agent.interpret.anaphora import named_back

    grammar = GrammarInterpreter()
    keys = [a.args.keys for a in grammar.analyse("go up one line and jump to the end of it", heard=False).plan.actions]
    assert keys == [["up"], ["end"]]
    keys = [a.args.keys for a in grammar.analyse("go to the start of the line and select to the end of it",
                                                   heard=False).plan.actions]
    assert keys == [["home"], ["shift", "end"]]
    assert named_back("go to the top of the document and select to the end of it") == (
        "go to the top of the document and select to the end of the document")
    assert named_back("type the line is at the end of it") is None  # text to type keeps its words
    assert named_back("get to the end of it") is None  # no place said before it
    # "the first one": the thing said before, by its place (blind probe set 9)
    keys = [a.args.keys for a in grammar.analyse("close this tab and go to the first one", heard=False).plan.actions]
    assert keys == [["ctrl", "w"], ["ctrl", "1"]]
