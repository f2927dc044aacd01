"""Hands-free's second look (`handsfree.second_look`, agent/voice_control.py `second_read`): a short utterance whose
reading is no command is read as hold mode reads it before it is dropped.

Real parts: the bundled Whisper tiny.en, espeak-ng speech with the dev set's perturbation, the open microphone's
judge with the exact grammar as `voxctl listen` wires it in `hotkey.mode: always`.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from voxctl.agent.config import Config


def _clip(say: str, voice: str, variant: int) -> np.ndarray:
    from voxctl.agent.benchmarks import devset

    try:
        speech = devset.synthesize(say, voice)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    return devset.perturb(speech, devset.choose_perturbation(f"{say}#{variant}", voice)).astype(np.float32)


@pytest.fixture(scope="module")
def whisper():
    """With the hint its cases were found with (tests/hinting.py): the shipped one reads "show numbers" right."""
    from tests.hinting import found_hint
    from voxctl.agent.listen.asr import Transcriber

    with found_hint(Transcriber(Config().asr)) as t:
        yield t


def _mic(whisper, second_look: bool):
    from voxctl.agent.handsfree import HandsFree, grammar_doubt
    from voxctl.agent.listen.mic_hooks import Hooks
    from voxctl.agent.listen.open_mic import OpenMic
    from voxctl.agent.session import Session
    from voxctl.agent.voice_control import VoiceControl, exact_grammar

    config = Config.model_validate({"interpreter": {"macros_file": None}, "hotkey": {"mode": "always"},
                                    "handsfree": {"second_look": second_look}})
    session = Session.build(config)
    grammar = exact_grammar(session, whisper)
    commands: list = []
    hooks = Hooks(accept=lambda text: grammar_doubt(grammar, text, apps=session.app_aliases),
                  on_command=commands.append, on_answer=lambda a: None, on_stop=lambda: None,
                  on_drop=lambda *a: None, executing=lambda: False, answering=lambda: False,
                  by_sound=VoiceControl._second_look(config, grammar))
    return OpenMic(whisper, HandsFree(config.handsfree), hooks), commands


def test_a_misread_short_command_is_read_again_as_hold_mode_reads_it(whisper):
    """en-us+m3's "show numbers" (perturbed) is read "hold on, bird.": no command. With the second look the exact
    grammar reads the audio as hold mode does (its N best, the rescoring, the look by sound last) and the command
    is taken, saying which look chose it; without it only the look by sound is asked. Talk stays talk either way."""
    audio = _clip("show numbers", "en-us+m3", 10)
    on, commands = _mic(whisper, True)
    v = on.judge(mic_segment(audio))
    assert v.kind == "command" and v.reason.startswith("second look: ") and "chosen" in v.reason, v
    assert [c.text for c in commands] == [v.text] and "number" in v.text, commands
    off, _ = _mic(whisper, False)
    w = off.judge(mic_segment(audio))
    assert w.kind == "command" and "second look" not in w.reason and "by sound" in w.reason, w
    for say, voice in (("and you", "slt"), ("next time", "slt")):
        t = on.judge(mic_segment(_clip(say, voice, 0)))
        assert t.kind == "drop" and "second look" in t.reason, (say, t)
    assert len(commands) == 1


def test_a_long_utterance_gets_the_look_by_sound_only(whisper):
    from voxctl.agent.session import Session
    from voxctl.agent.voice_control import SECOND_LOOK_MAX_S, exact_grammar, second_read

    grammar = exact_grammar(Session.build(Config()), whisper)
    long = np.zeros(int(16000 * (SECOND_LOOK_MAX_S + 1)), np.float32)
    phrase, why = second_read(grammar, long, "the weather has been lovely this week")
    assert phrase is None and "second look" not in why, why


def mic_segment(audio: np.ndarray):
    from voxctl.agent.listen.always import Segment

    return Segment(audio, speech_ms=len(audio) / 16, ended_at=time.monotonic(), index=1)
