"""Choosing and combining backends: `make_interpreter` and the hybrid (grammar first, LLM on failure).

The LLM backend here is `RecordingLLM`, a small stand-in that returns a fixed plan and records what it
was given: these tests are about when the hybrid asks the LLM and what it passes on, not about a model
(tests/test_cascade*.py and tests/test_audio_llm*.py run the real backends on tiny local models).
"""

from __future__ import annotations

import pytest

from voxctl.agent.config import load_config
from voxctl.agent.interpret.factory import InterpreterUnavailable, LazyTranscriber, make_interpreter
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import ActionPlan, call


class RecordingLLM:
    def __init__(self, plan: ActionPlan | None = None, fail: Exception | None = None):
        self.plan = plan or ActionPlan(source="cascade", actions=[call("open_app", name="calculator")])
        self.fail = fail
        self.seen: list[Utterance] = []

    def interpret(self, utterance: Utterance) -> ActionPlan:
        self.seen.append(utterance)
        if self.fail:
            raise self.fail
        return self.plan


@pytest.fixture
def grammar() -> GrammarInterpreter:
    return GrammarInterpreter()


def test_grammar_first_llm_never_asked_when_it_parses(grammar: GrammarInterpreter) -> None:
    llm = RecordingLLM()
    plan = HybridInterpreter(grammar, llm, "cascade").interpret(Utterance.from_text("select all and copy"))
    assert plan.source == "grammar" and len(plan.actions) == 2
    assert llm.seen == []


def test_llm_asked_when_the_grammar_cannot_parse(grammar: GrammarInterpreter) -> None:
    llm = RecordingLLM()
    plan = HybridInterpreter(grammar, llm, "cascade").interpret(Utterance.from_text("what's the weather like"))
    assert plan.source == "cascade" and plan.actions[0].tool == "open_app"
    assert plan.transcript == "what's the weather like"  # filled in when the backend left it empty
    assert [u.text for u in llm.seen] == ["what's the weather like"]


def test_another_backends_plan_is_grounded_as_the_grammars(grammar: GrammarInterpreter) -> None:
    # "open the tab for table five" heard "open the temp 14." was open_app "temp 14" from the model
    llm = RecordingLLM(ActionPlan(source="cascade", actions=[call("open_app", name="temp 14")]))
    plan = HybridInterpreter(grammar, llm, "cascade").interpret(Utterance.from_text("open the temp 14."))
    assert plan.actions == [] and "no app called 'temp 14'" in plan.reason
    llm = RecordingLLM(ActionPlan(source="cascade", actions=[call("click", target="bait headlines are everywhere now")]))
    assert HybridInterpreter(grammar, llm, "cascade").interpret(Utterance.from_text("what's the weather like")).actions == []
    assert RecordingLLM().plan.actions[0].args.name == "calculator"  # a known app: taken (the test above)


def test_destructive_near_miss_is_not_handed_to_the_llm(grammar: GrammarInterpreter) -> None:
    llm = RecordingLLM()
    plan = HybridInterpreter(grammar, llm, "cascade").interpret(Utterance.from_text("close the windows"))
    assert plan.actions == [] and "destructive" in plan.reason
    assert llm.seen == []


def test_nothing_heard_is_not_handed_to_the_llm(grammar: GrammarInterpreter) -> None:
    llm = RecordingLLM()
    plan = HybridInterpreter(grammar, llm).interpret(Utterance(transcript="  "))
    assert plan.actions == [] and plan.reason == "heard nothing" and llm.seen == []


def test_failing_or_empty_llm_keeps_both_reasons(grammar: GrammarInterpreter) -> None:
    broken = HybridInterpreter(grammar, RecordingLLM(fail=RuntimeError("out of memory")), "cascade")
    plan = broken.interpret(Utterance.from_text("sing a song"))
    assert plan.actions == [] and "not a command I know" in plan.reason and "out of memory" in plan.reason
    empty = HybridInterpreter(grammar, RecordingLLM(ActionPlan(source="cascade", reason="no idea")), "cascade")
    plan = empty.interpret(Utterance.from_text("sing a song"))
    assert plan.actions == [] and plan.reason.startswith("grammar: not a command") and "cascade: no idea" in plan.reason


def test_hybrid_without_a_model_is_the_grammar_then_the_shipped_model(tmp_path) -> None:
    # By default (issue #10) the shipped understanding model reads what the grammar cannot, and says so.
    notices: list[str] = []
    interp = make_interpreter(load_config(None), notify=notices.append)
    assert isinstance(interp, HybridInterpreter) and interp.llm_name == "understand"
    assert notices == ["no LLM configured (interpreter.cascade.model); using the grammar and the small understanding "
                       "model. To understand free-form speech too, set interpreter.cascade.model in config.yaml to a "
                       "Hugging Face model id or a local folder (see README, \"Understanding\")"]
    assert interp.interpret(Utterance.from_text("copy")).source == "grammar"
    assert interp.interpret(Utterance.from_text("make the text bigger")).source == "understand"


def test_hybrid_without_any_model_is_the_grammar_alone_and_says_so(tmp_path) -> None:
    notices: list[str] = []
    off = {"interpreter.understand_fallback": False}
    interp = make_interpreter(load_config(None, off), notify=notices.append)
    assert isinstance(interp, HybridInterpreter) and interp.llm is None
    assert notices and notices[0].startswith("no LLM configured (interpreter.cascade.model); using the grammar alone")
    assert interp.interpret(Utterance.from_text("copy")).actions[0].args.keys == ["ctrl", "c"]
    # The notice names the configured fallback backend.
    notices.clear()
    make_interpreter(load_config(None, {**off, "interpreter.llm_backend": "audio_llm"}), notify=notices.append)
    assert "interpreter.audio_llm.model" in notices[0]


def test_grammar_backend_has_no_notice_and_loads_no_whisper() -> None:
    notices: list[str] = []
    interp = make_interpreter(load_config(None, {"interpreter.backend": "grammar"}), notify=notices.append)
    assert isinstance(interp, GrammarInterpreter) and notices == []
    interp.interpret(Utterance.from_text("press enter"))
    assert isinstance(interp.transcriber, LazyTranscriber) and not interp.transcriber.loaded


def test_model_that_cannot_load(tmp_path) -> None:
    missing = str(tmp_path / "no-such-model")
    notices: list[str] = []
    hybrid = make_interpreter(load_config(None, {"interpreter.cascade.model": missing}), notify=notices.append)
    assert isinstance(hybrid, HybridInterpreter) and hybrid.llm is None
    assert "using the grammar alone" in notices[0] and "cascade" in notices[0]
    with pytest.raises(InterpreterUnavailable, match="cascade"):
        make_interpreter(load_config(None, {"interpreter.backend": "cascade", "interpreter.cascade.model": missing}))


def test_macros_file_errors_stop_at_start(tmp_path) -> None:
    from voxctl.agent.macros import MacroError

    bad = tmp_path / "macros.yaml"
    bad.write_text("deploy:\n  - {tool: fly}\n")
    with pytest.raises(MacroError, match="deploy"):
        make_interpreter(load_config(None, {"interpreter.macros_file": str(bad)}), notify=lambda m: None)
