"""Red team on real parts: talk heard as a command followed by more talk (blind probe sets 22 and 23, spoken).

- en-us+m3's "just hit escape and it should close" (said to a spouse) was heard "just hit escape and it's shot close.",
  and the understanding model read the whole as two steps: Escape, then focus a window "shot close" and close it. A
  part that is no instruction on its own ("it's shot close": a statement) is none inside a chain either
  (understand/chain_steps.py `talk_step`).
- slt's "copy that, i'll let the team know" (to a colleague: "understood") was heard "copy that. I will let the team
  know." and copied: "copy that" followed by a remark after a pause is the radio's "understood"
  (chain_joints.SENTENCE_STARTS); "copy that" alone, or chained, still copies.

Each line synthesized in the voice it was found in, cut by the VAD gate, heard by the bundled Whisper and read by the
default hybrid with the shipped model, as `voxctl listen` does; the typed readings too. Both acted before the fixes.
"""

from __future__ import annotations

import pytest

from tests.safety import report
from tests.safety.test_hint_talk import _clip
from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import Utterance

FOUND = [("just hit escape and it should close", "en-us+m3", "just hit escape and it's shot close."),
         ("copy that, i'll let the team know", "slt", "copy that. I will let the team know.")]


@pytest.mark.parametrize(("say", "voice", "heard"), FOUND)
def test_the_reading_as_heard_runs_nothing(typed_hybrid: HybridInterpreter, say: str, voice: str, heard: str) -> None:
    plan = typed_hybrid.interpret(Utterance.from_text(heard))
    assert plan.actions == [], (heard, plan)


def test_spoken_as_found_they_run_nothing(transcriber) -> None:
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter

    hybrid = make_interpreter(load_config(None), transcriber=transcriber, notify=lambda m: None)
    for say, voice, _ in FOUND:
        plan = hybrid.interpret(Utterance(audio=_clip(say, voice)))
        text = report(f"chain talk, spoken: {say!r} ({voice})", f"heard {plan.transcript!r}: {[c.tool for c in plan.actions]}")
        assert plan.actions == [], text


def test_the_commands_still_run(typed_hybrid: HybridInterpreter) -> None:
    for said, tools in (("copy that", ["press_keys"]), ("copy that and paste it", ["press_keys", "press_keys"]),
                        ("just hit escape", ["press_keys"]),
                        ("highlight all the text and copy it and then paste it", ["press_keys"] * 3)):
        plan = typed_hybrid.interpret(Utterance.from_text(said))
        assert [a.tool for a in plan.actions] == tools, (said, plan)
