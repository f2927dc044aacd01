"""Red team on real parts: a thing named first and taken up with "it" (blind probe sets 63 and 66, typed).

"this tab, close it" closed the tab (ctrl+w) and then the window; "this window, maximize it" and "this window, make it
big" closed the window and then maximised or zoomed; "the video, make it stop" on YouTube was ctrl+q (quit). The chain
reader took the named thing for a step of its own, and the understanding model read "this window" as close window. A
topic said first and taken up by a pronoun is said in the command's order ("close this tab") before the grammar and
the model read it (agent/interpret/topic.py): one command on one thing, or none.

Real parts: the default hybrid with the shipped grammar and understanding model, the focused window's title given.
"""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import ScreenState, Utterance

YOUTUBE = "Cats - YouTube - Mozilla Firefox"
MAIL = "Inbox - a@example.org - Mozilla Thunderbird"


def _ran(hybrid: HybridInterpreter, said: str, window: str = "") -> list[tuple[str, object]]:
    plan = hybrid.interpret(Utterance.from_text(said, ScreenState(active_window=window)))
    return [(a.tool, getattr(a.args, "keys", None)) for a in plan.actions]


@pytest.mark.parametrize(("said", "window", "ran"), [
    ("this tab, close it", YOUTUBE, [("press_keys", ["ctrl", "w"])]),  # was ctrl+w, then close_window
    ("this window, maximize it", "", [("maximize_window", None)]),  # was close_window, then maximize_window
    ("this window, make it big", "", [("maximize_window", None)]),  # was close_window, then ctrl+plus
    ("the video, make it stop", YOUTUBE, [("press_keys", ["k"])]),  # was ctrl+q
    ("the video, put it on pause", YOUTUBE, [("press_keys", ["k"])]),
    ("how you say, the email, answer it", MAIL, [("press_keys", ["ctrl", "r"])]),
    ("send it, the mail", MAIL, [("press_keys", ["ctrl", "enter"])]),  # named after (blind probe set 54)
])
def test_a_thing_named_first_is_one_command_on_it(typed_hybrid: HybridInterpreter, said: str, window: str,
                                                   ran: list[tuple[str, object]]) -> None:
    assert _ran(typed_hybrid, said, window) == ran, said


@pytest.mark.parametrize("said", ["the kids, put them to bed", "that report, send it to me by friday",
                                  "the window, it's too small", "this window, close the door"])
def test_talk_said_so_stays_talk(typed_hybrid: HybridInterpreter, said: str) -> None:
    assert _ran(typed_hybrid, said) == [], said


def test_only_a_named_thing_taken_up_once_is_moved() -> None:
    from types import SimpleNamespace

    from voxctl.agent.interpret.topic import fronted

    spec = SimpleNamespace(fillers_start=[("okay",), ("how", "you", "say")],  # a GrammarSpec's two fields it reads
                           topic_things={"window", "email", "kids", "portal"})
    assert fronted("This window, maximize it.", spec) == "maximize this window"
    assert fronted("okay, the email, answer it", spec) == "answer the email"
    assert fronted("okay the email, answer it", spec) == "answer the email"
    assert fronted("the kids, put them to bed", spec) == "put the kids to bed"
    assert fronted("answer it, the email", spec) == "answer the email"
    for said in ("the window, it's too small", "this is fine, save it", "the video, pause", "maximize it",
                 "the tab, close it and open it again", "this big red window here, close it",
                 "the email, answer it, then archive it", "the portal froze again, reload it",
                 "the video, close it"):  # not one of the things
        assert fronted(said, spec) is None, said
