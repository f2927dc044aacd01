"""Red team: telling a person how it is done ("you just say scroll down") runs nothing, also after a remark and as the
recogniser writes it. Real parts: the default hybrid with the shipped model and grammar. Found by the spoken blind
bench (scripts/bench_blind.py --sets probe19 --voices slt, 2026-12-06): "susan said you just say scroll down and it
goes down" was heard "season set. you just say scroll down and it goes down." and scrolled; typed as heard, it
scrolled before the fix (understand/no_instruction.py `_TOLD`), through the two-sentence reading (fallback._paused).
A remark said before a command (remarks.py) is no way around it."""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import Utterance


@pytest.mark.parametrize("said", [
    "season set. you just say scroll down and it goes down.",  # scrolled down before the fix
    "season set, you just say scroll down and it goes down",
    "it's easy. you just click save.",
    "don't worry, you press enter and it's done",
])
def test_telling_a_person_how_runs_nothing(typed_hybrid: HybridInterpreter, said: str) -> None:
    plan = typed_hybrid.interpret(Utterance.from_text(said))
    assert plan.actions == [], (said, plan)


def test_a_request_after_a_remark_still_runs(typed_hybrid: HybridInterpreter) -> None:
    plan = typed_hybrid.interpret(Utterance.from_text("it's easy. can you click save."))
    assert [(a.tool, a.args.target) for a in plan.actions] == [("click", "save")], plan
