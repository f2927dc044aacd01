"""A remark said first, then the command after a pause (agent/interpret/remarks.py), typed through the default hybrid
with the shipped model: the command runs; nothing runs when a part before is a command, answers someone, when the
whole says not to, sets a condition, is said to a person, when the last part says what someone does or asks whether,
or when the command types text. Lines of blind probe sets 2, 7, 10, 13, 14 and 19 (written by people who read only
docs/ACTIONS.md); before remarks.py none of the commands below ran."""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.interpret.remarks import pauses
from voxctl.agent.utterance import Utterance


def _acts(hybrid: HybridInterpreter, said: str) -> list[tuple[str, list[str] | None]]:
    plan = hybrid.interpret(Utterance.from_text(said))
    return [(a.tool, getattr(a.args, "keys", None)) for a in plan.actions]


@pytest.mark.parametrize("said, want", [
    ("that writing is ever so small, can you make it bigger so i can read it", [("press_keys", ["ctrl", "plus"])]),
    ("oh look at them all pulling faces, take a snap of the screen", [("screenshot", None)]),
    ("i'd better keep my household sums safe, save them would you", [("press_keys", ["ctrl", "s"])]),
    ("I've put the wrong number in there. rub it out with the delete key.", [("press_keys", ["delete"])]),
])
def test_the_command_after_a_remark_runs(typed_hybrid: HybridInterpreter, said: str, want: list) -> None:
    assert _acts(typed_hybrid, said) == want


@pytest.mark.parametrize("said", [
    "nah it's fine, ship it",  # answers someone
    "yes i can hold, go ahead and type it into your system",
    "could you pass the scissors, i need to cut this ribbon",  # what the speaker needs
    "the mouse on this desk is dying, i need a new one",
    "i'm on the phone, can it wait",  # asks whether
    "whoever is typing, could you mute please",  # said to a person
    "if the page is slow, refresh it",  # a condition
    "no, don't bother, close it",  # says not to
    "hold on a second. type on the phone.",  # text to type after talk
])
def test_talk_with_command_words_after_a_pause_runs_nothing(typed_hybrid: HybridInterpreter, said: str) -> None:
    assert _acts(typed_hybrid, said) == []


def test_pauses_cut_at_punctuation_only() -> None:
    assert pauses("oh look, take a snap of the screen") == ["oh look", "take a snap of the screen"]
    assert pauses("I've put it in there. Rub it out.") == ["I've put it in there", "Rub it out"]
    assert pauses("select all and copy it") == []  # "and" joins commands (chain_parts.py), it is no pause
    assert pauses("a, b, c, d, e") == []  # more than one breath
