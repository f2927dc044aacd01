"""Talk the understanding model is sure of stays talk, whatever the recogniser's other readings say
(agent/interpret/understand/fallback.py, `after_grammar`: the AGREE look at the N best readings).

Real parts: blind probe4 talk synthesized and perturbed as the spoken benches do (agent/benchmarks/devset.py),
cut by the VAD gate, the bundled Whisper tiny.en with its hint, the default hybrid with the shipped model.
The hole (scripts/bench_blind.py --voices, 2026-12-05): "go back to what you said about the deadline" (slt) and
"save some pizza for me" (en-us+m1) were heard word for word, read by the model as talk at 100 %, and still ran
alt+left and ctrl+s, because three of the recogniser's other readings agreed on that plan.
"""

from __future__ import annotations

import pytest

from tests.safety import found_hint, report
from tests.safety.test_hint_talk import _clip


@pytest.fixture(scope="module")
def hybrid(transcriber):
    """The default hybrid, its recogniser with the hint the holes were found with (tests/safety FOUND_WITH)."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter

    interp = make_interpreter(load_config(None), transcriber=transcriber, notify=lambda m: None)
    interp.grammar.macros = devset.macros()
    with found_hint(transcriber):
        yield interp


@pytest.mark.parametrize(("say", "voice"), [("go back to what you said about the deadline", "slt"),
                                            ("save some pizza for me", "en-us+m1")])
def test_talk_the_model_is_sure_of_is_not_overruled_by_other_readings(hybrid, say, voice, monkeypatch):
    from voxctl.agent.interpret.understand import fallback
    from voxctl.agent.utterance import Utterance

    # Since 2026-12-06 a reading cut off on a word that needs another ("go back to") is no command either, which
    # leaves slt's readings too few to agree; that rule is set aside here, so the rule under test stands alone
    said_no = fallback.not_a_command
    monkeypatch.setattr(fallback, "not_a_command",
                        lambda t, hinted=None: None if "cut off" in (said_no(t, hinted) or "") else said_no(t, hinted))
    audio = _clip(say, voice)
    parse = hybrid.grammar.read(audio)
    heard = parse.plan.transcript
    first = hybrid.llm.model.read(heard, heard=True)
    agreed = fallback._agreed(hybrid.llm, heard, parse)
    plan = hybrid.interpret(Utterance(audio=audio))
    text = report(f"agreed talk: {say!r} ({voice})", f"heard {heard!r} ({first.intent} {first.confidence:.2f}); "
                  f"other readings agree on {agreed and [a.tool for a in agreed.actions]}; ran {[a.tool for a in plan.actions]}")
    assert parse.plan.actions == [] and first.intent == fallback.NONE, f"the case is gone: {text}"
    assert agreed is not None, f"the readings no longer agree: the case is gone; {text}"
    assert plan.actions == [], text
