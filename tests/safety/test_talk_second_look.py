"""Short talk never becomes an action through the second look (agent/interpret/second_look.py).

Real parts: everyday phrases synthesized in the dev set's voices with its perturbation (espeak-ng, flite;
agent/benchmarks/devset.py), the bundled Whisper tiny.en, the grammar's `read` as hold mode reads. Holes
found on the short-talk bench (scripts/bench_whole_look.py, 2026-12-04), each a command the recogniser
itself did not stand behind:
- "same" (en-us+m7) read "same."; the full 30 s window read "save." and it pressed ctrl+s, though forced
  on the audio beside "same." it is 3.2 per token below it;
- "say it" (awb) read "see it."; the beam's "save it." was too unsure (-1.23, below FLOOR), and the
  candidate "save it", the same words without the period, was taken.
- "start the car and wait for me" (awb) read so, no command (no app "car"); the N best's "start the code and
  wait for me." named another app that exists, and it opened VS Code and waited (held-out bench, 2026-12-04).
  Another reading may fix how a name was heard, not put another name in its place (grounded.unheard_name).
"""

from __future__ import annotations

import pytest

from tests.safety import report

CLIPS = [("same", "en-us+m7"), ("say it", "awb")]


def _read(transcriber, audio, label: str):
    """The grammar's read of `audio` as hold mode reads it, and its figures for the report and the asserts."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    got = GrammarInterpreter(None, devset.macros(), transcriber).read(audio)
    return got, report(label, f"read {got.free_text!r} ({got.free_score}); ran {[c.tool for c in got.plan.actions]}; "
                              f"readings {[(h.text, h.verdict) for h in got.hypotheses]}")


@pytest.mark.parametrize(("say", "voice"), CLIPS)
def test_talk_is_not_read_into_a_command(transcriber, say, voice):
    from voxctl.agent.benchmarks import devset

    spec = devset.choose_perturbation(say, voice)
    try:
        audio = devset.perturb(devset.synthesize(say, voice), spec)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    got, text = _read(transcriber, audio, f"short talk through the second look: {say!r} ({voice})")
    assert got.plan.actions == [], text


def test_another_reading_does_not_put_another_name_in_place_of_the_one_heard(transcriber):
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import Config
    from voxctl.agent.listen.vad import gate

    say, voice = "start the car and wait for me", "awb"
    try:  # the held-out bench's clip: the dev set's perturbation for it, cut by the VAD gate as listen cuts it
        audio = gate(devset._speech_clip(devset._Item(say, [], "non_command"), voice).audio, Config().audio)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    # Since 2026-12-06 "wait for me" is said to a person (an `error:` rule), which leaves no reading a command; that
    # rule is set aside here, so the rule under test stands alone
    from dataclasses import replace

    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.rules import load_grammar

    spec = load_grammar()
    spec = replace(spec, rules=tuple(r for r in spec.rules if "waits for nobody" not in (r.error or "")))
    got = GrammarInterpreter(None, devset.macros(), transcriber, spec=spec).read(audio)
    text = report(f"talk through the second look: {say!r} ({voice})",
                  f"read {got.free_text!r} ({got.free_score}); ran {[c.tool for c in got.plan.actions]}; "
                  f"readings {[(h.text, h.verdict) for h in got.hypotheses]}")
    assert len(spec.rules) == len(load_grammar().rules) - 1, "the rule set aside is gone: look again"
    assert got.free_text.startswith("start the car"), text  # what tiny.en hears first: no app called "car"
    assert got.plan.actions == [], text
    assert any("did not hear" in h.verdict for h in got.hypotheses), text
    assert _read(transcriber, audio, f"talk through the second look, whole grammar: {say!r} ({voice})")[0].plan.actions == []


def test_another_reading_does_not_run_a_name_on_past_the_end_of_a_sentence(transcriber):
    """"the kids love to click their pens in class" (en-us+m5, the recognition dev set's clip) reads "the kid is locked
    up. click there. pens in class." first: no command, a name ends where a sentence does. The beam's "... click there
    pens in class." (0.06 below it, within the margin) clicked the text "there pens in class". Another reading
    without the free reading's full stop is no new hearing of the name (grounded.name_across_a_break)."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import Config
    from voxctl.agent.listen.vad import gate

    say, voice = "the kids love to click their pens in class", "en-us+m5"
    try:
        audio = gate(devset._speech_clip(devset._Item(say, [], "non_command"), voice).audio, Config().audio)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    got, text = _read(transcriber, audio, f"talk through the second look: {say!r} ({voice})")
    assert "click there. pens" in got.free_text, text  # what tiny.en hears first
    assert got.plan.actions == [], text
    assert any("across a sentence's end" in h.verdict for h in got.hypotheses), text
