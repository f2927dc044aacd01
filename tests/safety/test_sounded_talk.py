"""Red team: a sentence said to people that begins "right" is not dictation, nor is a command after "right," heard as "write". slt's "right, open the syllabus to page
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


# A command after "right," said first, heard as the trigger "write" (spoken blind probe set 25, slt and en-us+m3, under
# the hint with the focused app's actions): the command was typed into the window. A cautious trigger with a pause
# right after it, or before a whole command of the grammar's, dictates nothing (sounded.command_written).
@pytest.mark.parametrize("heard", ["write switch me over to the terminal.", "write and archive that one.",
                                   "write in archive that one.", "write. let me just refresh that.",
                                   "write. let's have a look at the next tab then."])
def test_right_before_a_command_heard_as_write_types_nothing(heard: str) -> None:
    plan = GrammarInterpreter().analyse(heard, None, heard=True).plan
    assert plan.actions == [] and ("say the command again" in plan.reason or "or say yes" in plan.reason), (heard, plan)


def test_the_command_after_write_is_said_back_as_a_guess() -> None:
    """"did you mean: switch me over to the terminal? say it again, or say yes" (interpret/guessed.py): the command is
    the guess a yes runs; nothing runs now."""
    plan = GrammarInterpreter().analyse("write switch me over to the terminal.", None, heard=True).plan
    assert plan.actions == [] and [(c.tool, c.args.title) for c in plan.guess] == [("focus_window", "terminal")], plan
    assert "did you mean: switch me over to the terminal?" in plan.reason


def test_right_before_a_command_spoken_types_nothing(transcriber) -> None:
    """The lines as spoken in the bench's voices, each under the hint the bench gave it (its window's app)."""
    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.session import Session
    from voxctl.agent.utterance import ScreenState

    config = load_config(None)
    vocabulary = Session.build(config, macros=blind.macros(("probe25",))).vocabulary()
    hybrid = make_interpreter(config, transcriber=transcriber, notify=lambda m: None)
    seen, before = [], transcriber.hint
    try:
        for said, window, voice in (("right, switch me over to the terminal", "Node Exporter Full - Grafana — Mozilla Firefox", "slt"),
                                    ("right then, archive that one", "Disk usage alert on db-02 - Mozilla Thunderbird", "en-us+m3"),
                                    ("right, let me just refresh that", "Node Exporter Full - Grafana — Mozilla Firefox", "slt")):
            devset.hint_as_listen(transcriber, config, {}, (), focused=window, vocabulary=vocabulary)
            plan = hybrid.interpret(Utterance(audio=_clip(said, voice), screen=ScreenState(active_window=window)))
            seen.append((said, plan.transcript, [c.tool for c in plan.actions]))
    finally:
        transcriber.hint = before  # the session's transcriber, as the other tests read with it
    text = report("right before a command, spoken", "; ".join(f"{s!r} heard {h!r}: {t}" for s, h, t in seen))
    assert not any("type_text" in t for _, _, t in seen), text
