"""Red team: a sentence said to people that begins "right" is not dictation. slt's "right, open the syllabus to page
four everyone" (a teacher to her class, blind probe set 24) was heard "right open the syllabus to page four everyone."
and, "right" read as the trigger "write" it sounds like (agent/interpret/sounded.py), typed "open the syllabus to page
four everyone" into the focused window; under the shipped hint Whisper writes "write open the syllabus to page for
everyone." and the cautious trigger typed it too. Neither a homophone read as the trigger nor "write" dictates a
sentence that begins with a command's verb and ends naming who is spoken to ("everyone", "sweetheart":
sounded.told_to_people, understand/fallback.review); "right running late today" and "write for me good morning
everybody" (a greeting) still type. Real parts: the grammar's
reading of the recogniser's text as heard, and the line spoken in slt through the bundled Whisper and the hybrid."""

from __future__ import annotations

import pytest

from tests.safety import report
from tests.safety.test_hint_talk import _clip
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.utterance import Utterance


@pytest.mark.parametrize("heard", ["right open the syllabus to page four everyone.",  # typed it before the fix
                                   "right click on the file then choose rename okay everyone.",
                                   "right open the door for grandma sweetheart."])
def test_said_to_people_it_types_nothing(heard: str) -> None:
    plan = GrammarInterpreter().analyse(heard, None, heard=True).plan
    assert plan.actions == [], (heard, plan)


def test_dictation_heard_so_still_types() -> None:
    plan = GrammarInterpreter().analyse("right running late today.", None, heard=True).plan
    assert [(a.tool, a.args.text) for a in plan.actions] == [("type_text", "running late today")]


def test_spoken_as_found_it_types_nothing(transcriber) -> None:
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter

    hybrid = make_interpreter(load_config(None), transcriber=transcriber, notify=lambda m: None)
    plan = hybrid.interpret(Utterance(audio=_clip("right, open the syllabus to page four everyone", "slt")))
    text = report("sounded talk, spoken (slt)", f"heard {plan.transcript!r}: {[c.tool for c in plan.actions]}")
    assert plan.actions == [], text
