"""A dictation trigger heard as its homophone ("right running late today" for "write ...": agent/interpret/sounded.py).

Real parts: the bundled grammar and dictation tables, the shipped understanding model (its veto of talk after
"write"), and for speech the bundled Whisper tiny.en on synthesized speech cut by the VAD gate as `voxctl listen`
cuts it. On the spoken probe commands (2026-12-05) every "write ..." of every dev voice was heard "right ...".
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def grammar():
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    return GrammarInterpreter(None)


def _typed(plan) -> list[str]:
    return [c.args.text for c in plan.actions if c.tool == "type_text"]


def test_as_trigger_writes_the_trigger_only_where_nothing_else_is_meant():
    from voxctl.agent.interpret.rules import load_grammar
    from voxctl.agent.interpret.sounded import as_trigger

    spec = load_grammar()
    assert as_trigger("right running late today.", spec) == "write running late today."
    assert as_trigger("Okay, right hello there", spec) == "Okay, write hello there"  # after a lead word
    assert as_trigger("Right, good idea.", spec) is None  # a pause after it: talk
    assert as_trigger("right now I'm busy", spec) is None  # a word of its own before these
    assert as_trigger("right click the file", spec) is None
    assert as_trigger("right where was I", spec) is None
    assert as_trigger("turn right at the light", spec) is None  # not said first
    assert as_trigger("right", spec) is None  # nothing after it


def test_a_heard_homophone_dictates_and_typed_text_does_not(grammar):
    heard = grammar.analyse("right running late today.")
    assert _typed(heard.plan) == ["running late today"], heard.plan
    assert not grammar.analyse("right running late today", heard=False).plan.actions  # typed: "right" is meant
    assert [c.tool for c in grammar.analyse("right click.").plan.actions] == ["click"]  # the command wins
    assert not grammar.analyse("right now I'm busy.").plan.actions
    assert not grammar.analyse("Right, sounds good.").plan.actions
    assert not grammar.analyse("right down the number before you forget").plan.actions  # "down": its own word


def test_hands_free_listening_never_takes_the_homophone():
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    cfg = load_config(None)
    exact = cfg.model_copy(update={"interpreter": cfg.interpreter.model_copy(update={"fuzzy_threshold": 1.0})})
    assert not GrammarInterpreter(exact).analyse("right running late today.").plan.actions


def test_the_model_still_vetoes_talk_after_the_homophone():
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.utterance import Utterance

    hybrid = make_interpreter(load_config(None), notify=lambda m: None)
    # the grammar dictates it; the model's veto of "write ..." talk reads it with the trigger written in
    assert _typed(hybrid.grammar.analyse("right the kids need picking up at five.").plan)
    vetoed = hybrid.interpret(Utterance(transcript="right the kids need picking up at five."))
    assert vetoed.actions == [] and "not a command" in (vetoed.reason or ""), vetoed
    kept = hybrid.interpret(Utterance(transcript="right meeting moved to thursday."))
    assert _typed(kept) == ["meeting moved to thursday"], kept


@pytest.mark.parametrize("voice", ["rms", "en-us+f2"])
def test_spoken_write_is_typed(bundled_whisper, voice):
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import Config, load_config
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.listen.vad import gate
    from voxctl.agent.utterance import Utterance

    say = "write thanks for the update"
    try:
        audio = gate(devset._speech_clip(devset._Item(say, [], "command"), voice).audio, Config().audio)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    hybrid = make_interpreter(load_config(None), transcriber=bundled_whisper, notify=lambda m: None)
    heard = hybrid.grammar.read(audio).free_text
    assert heard.lower().startswith("right"), heard  # the hole: Whisper writes the homophone
    plan = hybrid.interpret(Utterance(audio=audio))
    assert plan.transcript.lower().startswith("write"), plan.transcript  # what it was taken for
    assert _typed(plan) == ["thanks for the update"], (plan.transcript, plan.reason)


def test_a_pause_after_the_homophone_makes_it_talk(grammar, speech):
    """"Right, good idea." is read "right good idea." (Whisper seldom writes the comma): the VAD finds the pause
    after the first word, and the dictation the homophone made does not run (sounded.paused). Real synthesized
    speech (flite slt) and the real VAD; the reading is the one the grammar makes of that text."""
    import numpy as np

    from voxctl.agent.interpret.grammar_parse import Parse
    from voxctl.agent.interpret.sounded import paused

    def parse_of(text: str) -> Parse:
        got = grammar.analyse(text)
        return Parse(got.plan, chosen_text=text)

    heard = parse_of("right good idea.")
    assert _typed(heard.plan) == ["good idea"]  # the homophone's dictation, before the audio is looked at
    gap = np.zeros(int(0.35 * 16000), dtype=np.float32)
    with_pause = np.concatenate([speech("right"), gap, speech("good idea")])
    stopped = paused(grammar, with_pause, heard)
    assert stopped.plan.actions == [] and stopped.refused and "pause" in stopped.rejected, stopped.rejected
    said = speech("write good idea")  # one breath: the trigger meant
    assert _typed(paused(grammar, said, heard).plan) == ["good idea"]
    lead = parse_of("okay right good idea.")  # a lead word first: a pause after "okay" says nothing of "right"
    assert _typed(paused(grammar, np.concatenate([speech("okay"), gap, speech("write good idea")]), lead).plan)
