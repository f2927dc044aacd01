"""Talk said to a person by name runs nothing, even where the recogniser's command hint leaves the name out
(agent/interpret/addressed.py; the reading without the hint, unhinted.py, is looked at too).

Real parts: blind probe set 14's talk (a video call, a shared office) synthesized and perturbed as the spoken
benches do (agent/benchmarks/devset.py), cut by the VAD gate, the bundled Whisper tiny.en with the hint `voxctl
listen` gives it, the default hybrid with the shipped model. The hole (scripts/bench_blind.py --voices slt,
2026-12-06): "could you go back to the previous slide please, tom" was heard "could you go back to the previous
slide please. time." with the hint and ran alt+left (the model's go back); without the hint it is "Could you go
back to the previous slide please, Tom?", said to Tom.
"""

from __future__ import annotations

import pytest

from tests.safety import report
from tests.safety.test_hint_talk import _clip


@pytest.fixture(scope="module")
def hybrid(transcriber):
    """The default hybrid with the hint `voxctl listen` gives (the blind sets' user's macros)."""
    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter

    config = load_config(None)
    macros = blind.macros(("probe14",))
    interp = make_interpreter(config, transcriber=transcriber, notify=lambda m: None)
    interp.grammar.macros = macros
    before = transcriber.hint
    devset.hint_as_listen(transcriber, config, macros, ())
    yield interp
    transcriber.hint = before


def test_a_name_the_hint_left_out_is_still_heard(hybrid):
    from voxctl.agent.utterance import Utterance

    say, voice = "could you go back to the previous slide please, tom", "slt"
    audio = _clip(say, voice)
    parse = hybrid.grammar.read(audio)
    plan = hybrid.interpret(Utterance(audio=audio))
    text = report(f"said to a person: {say!r} ({voice})", f"heard {parse.plan.transcript!r}, without the hint "
                  f"{parse.plain_text!r}; ran {[a.tool for a in plan.actions]}: {plan.reason}")
    assert "tom" not in parse.plan.transcript.casefold(), f"the hint no longer leaves the name out: the case is gone; {text}"
    assert plan.actions == [] and "by name" in (plan.reason or ""), text
