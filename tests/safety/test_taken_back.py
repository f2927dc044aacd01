"""A command taken back at its end runs nothing (saying_no.TAKEN_BACK, correcting.corrected).

Real parts: the default hybrid (the grammar, then the shipped understanding model) on text, and on speech
synthesized by flite slt and read by the bundled Whisper tiny.en. Found with blind probe set 17 (2026-12-06):
- "close the tab, forget it": the grammar read no command, and the model's chain read part by part pressed ctrl+w,
  then Escape;
- "delete the macro called notes, no, forget it": the correction put "forget it" in place of the macro's name, and
  the grammar deleted a macro called "forget it".
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.safety import report

TAKEN_BACK = ["close the tab, forget it", "delete the macro called notes, no, forget it", "open firefox, never mind",
              "save it, don't bother"]


@pytest.mark.parametrize("said", TAKEN_BACK)
def test_a_typed_command_taken_back_runs_nothing(typed_hybrid, said):
    from voxctl.agent.utterance import Utterance

    plan = typed_hybrid.interpret(Utterance.from_text(said))
    assert plan.actions == [], report(f"taken back, typed: {said!r}", f"ran {[a.tool for a in plan.actions]}; {plan.reason}")


def test_a_spoken_command_taken_back_runs_nothing(transcriber):
    """What slt's "close the tab, forget it" is heard as runs nothing, through the hybrid as hold mode reads it. Heard,
    the pause is a full stop ("close the tab. forget it."), and two sentences were no command before the fix too: this
    guards the heard path; the typed test above is the one that failed before it (2 of its 4 phrasings)."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.utterance import Utterance

    try:
        speech = devset.synthesize("close the tab, forget it", "slt")
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with slt: {e}")
    cfg = load_config(None)
    cfg = cfg.model_copy(update={"interpreter": cfg.interpreter.model_copy(update={"rescore": "off"})})
    hybrid = make_interpreter(cfg, transcriber=transcriber, notify=lambda m: None)
    audio = np.concatenate([np.zeros(3200, np.float32), 0.5 * speech, np.zeros(4800, np.float32)])
    plan = hybrid.interpret(Utterance(audio=audio))
    text = report("taken back, spoken (slt): 'close the tab, forget it'",
                  f"heard {plan.transcript!r}; ran {[a.tool for a in plan.actions]}; {plan.reason}")
    assert "forget" in plan.transcript.lower(), text  # heard whole: what is tested is the take-back, not the hearing
    assert plan.actions == [], text
