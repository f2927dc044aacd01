"""The look by sound (agent/interpret/sound_look.py) never takes a destructive command, nor talk Whisper stands
behind, however sure its head is.

Real parts: the shipped sound head, the bundled Whisper tiny.en, speech synthesized in a voice the head never
heard (en-us+m3, devset.VOICES_HELDOUT) with the dev set's perturbation, the grammar's `read` as hold mode
reads. Found on scripts/bench_sounds.py (2026-12-04):
- "quit app" read "width up.": the head names quit app at 1.00 and Whisper puts it 0.45 *above* its own
  reading, so every gate of the look passes; quitting an application is destructive and is taken only from
  a free reading (forced_look.free_only), so nothing may run.
- "next time" (slt): the head says talk, or, where it says "next tab", Whisper puts that 4-5 per token below.
"""

from __future__ import annotations

import pytest

from tests.safety import report

CLIPS = [("quit app", "en-us+m3", 10), ("next time", "slt", 10)]


@pytest.mark.parametrize(("say", "voice", "variant"), CLIPS)
def test_the_look_by_sound_takes_nothing_destructive_nor_talk(transcriber, say, voice, variant):
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    try:
        audio = devset.perturb(devset.synthesize(say, voice), devset.choose_perturbation(f"{say}#{variant}", voice))
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    got = GrammarInterpreter(None, devset.macros(), transcriber).read(audio)
    sound = [h for h in got.hypotheses if "by sound" in h.verdict]
    text = report(f"the look by sound: {say!r} ({voice})",
                  f"read {got.free_text!r}; ran {[c.tool for c in got.plan.actions]}; by sound {sound}")
    assert got.plan.actions == [], text
    if say == "quit app":  # the look did weigh it, and refused it for what it would do
        assert sound and sound[0].verdict.startswith("destructive"), text
