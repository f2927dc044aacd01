"""Red team: a sentence of talk that begins with a word that is also a command alone ("Again, the vendor is calling
for the payment, third time today.") runs nothing. Real parts: the default hybrid with the shipped model and grammar,
on the reading the recogniser made. Found by the spoken blind bench (scripts/bench_blind.py --sets probe20 --voices
en-us+m3, 2026-12-06): the grammar read "again" as repeat_last and the rest as a remark after it (chain_joints._aside),
and the last command ran once more. Typed as heard, it ran before the fix (chain_joints.SENTENCE_ADVERBS)."""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import Utterance


@pytest.mark.parametrize("said", [
    "Again, the vendor is calling for the payment, third time today.",  # ran repeat_last before the fix
    "Again, it was the same problem.",
])
def test_a_sentence_that_begins_with_again_runs_nothing(typed_hybrid: HybridInterpreter, said: str) -> None:
    plan = typed_hybrid.interpret(Utterance.from_text(said))
    assert plan.actions == [], (said, plan)


def test_again_said_alone_or_politely_still_repeats(typed_hybrid: HybridInterpreter) -> None:
    for said in ("again", "again, please"):
        plan = typed_hybrid.interpret(Utterance.from_text(said))
        assert [a.tool for a in plan.actions] == ["repeat_last"], (said, plan)


def test_spoken_as_it_was_found_it_runs_nothing(transcriber) -> None:
    """The hole on real parts: the sentence synthesized in en-us+m3 (the voice it was found in), cut by the VAD gate,
    heard by the bundled Whisper and read by the default hybrid, as `voxctl listen` does."""
    from tests.safety import report
    from tests.safety.test_hint_talk import _clip
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter

    hybrid = make_interpreter(load_config(None), transcriber=transcriber, notify=lambda m: None)
    plan = hybrid.interpret(Utterance(audio=_clip("again the vendor is calling for the payment, third time today",
                                                  "en-us+m3")))
    text = report("again, spoken (en-us+m3)", f"heard {plan.transcript!r}: {[c.tool for c in plan.actions]}")
    assert plan.actions == [], text
