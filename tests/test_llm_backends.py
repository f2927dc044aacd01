"""Each LLM architecture, for real: a tiny random-weight checkpoint (tests/fixtures/tiny_models.py) loaded
through the project's loader, >= 50 sampled answers (temperature 1) -> every one a valid plan.

Random weights are the hard case for constrained decoding: nothing but the grammar keeps the output in
shape. Samples are drawn in one batched generate call per model to stay fast on 2 cores.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from voxctl.agent.config import LlmConfig
from voxctl.agent.interpret.decoding import is_valid
from voxctl.agent.utterance import ScreenState, Utterance

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/fixtures/tiny_models.py: why
SAMPLES = 50
AUDIO_ARCHS = ["qwen2_audio", "gemma4", "qwen2_5_omni_thinker", "phi4_multimodal"]
CONTEXT = ScreenState(active_window="notes.txt - gedit", screen_size=(1280, 800), window_titles=("Terminal",))


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """1.2 s of a voiced, speech-like signal (the random models cannot tell it from real speech)."""
    t = np.arange(int(1.2 * 16000)) / 16000
    return (0.2 * np.sin(2 * np.pi * 140 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def check_answers(answers: list, expect_transcript: bool) -> Counter:
    assert len(answers) == SAMPLES
    invalid = [a.text for a in answers if not is_valid(a)]
    assert not invalid, f"{len(invalid)}/{SAMPLES} invalid, e.g. {invalid[0]!r}"
    data = [json.loads(a.text) for a in answers]
    assert all(("transcript" in d) == expect_transcript for d in data)
    return Counter(call["tool"] for d in data for call in d["actions"])


@pytest.mark.parametrize("arch", AUDIO_ARCHS)
def test_audio_llm_random_model_always_gives_valid_plans(arch, tiny_model, speech):
    from voxctl.agent.interpret.audio_llm import AudioLLMInterpreter

    interp = AudioLLMInterpreter(LlmConfig(model=str(tiny_model(arch)), max_new_tokens=96, temperature=1.0))
    utterance = Utterance(audio=speech, screen=CONTEXT)
    tools = check_answers(interp.sample(utterance, SAMPLES), expect_transcript=True)
    assert sum(tools.values()) > 0, "no sample had an action: the grammar would be too narrow to test"

    plan = interp.interpret(utterance)  # the public interface: a plan, never an exception
    assert plan.source == "audio_llm" and (plan.actions or plan.reason)


@pytest.mark.parametrize("arch", ["chat", "chat_tools"])
def test_cascade_random_model_always_gives_valid_plans(arch, tiny_model):
    from voxctl.agent.interpret.cascade import CascadeInterpreter

    interp = CascadeInterpreter(LlmConfig(model=str(tiny_model(arch)), max_new_tokens=64, temperature=1.0),
                                transcriber=None)
    assert interp.native_tools == (arch == "chat_tools")
    utterance = Utterance.from_text("scroll down a bit and then open the terminal", CONTEXT)
    tools = check_answers(interp.sample(utterance, SAMPLES), expect_transcript=False)
    assert sum(tools.values()) > 0

    plan = interp.interpret(utterance)
    assert plan.source == "cascade" and plan.transcript == "scroll down a bit and then open the terminal"
    assert plan.actions or plan.reason


def test_cascade_tool_calling_template_gets_the_registry_tools(tiny_model):
    """A chat template that takes `tools` receives every registry tool, with its docstring."""
    from voxctl.agent.interpret.cascade import CascadeInterpreter
    from voxctl.tools.registry import TOOLS

    interp = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat_tools"))))
    ids = interp.inputs(Utterance.from_text("press enter"), "press enter", reuse_prefix=False)["input_ids"]
    prompt = interp.tokenizer.decode(ids[0])
    for name, spec in TOOLS.items():
        assert f"{name}: {spec.description.split()[0]}" in prompt


def test_cascade_prefix_cache_gives_the_same_answer(tiny_model):
    """Greedy answers with the cached prompt prefix equal those computed from scratch."""
    from voxctl.agent.interpret.cascade import CascadeInterpreter

    interp = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat")), max_new_tokens=48))
    for words in ("open firefox", "what a day"):
        utterance = Utterance.from_text(words, CONTEXT)
        cached = interp.decoder.decode(interp.inputs(utterance, words))[0]
        fresh = interp.decoder.decode(interp.inputs(utterance, words, reuse_prefix=False))[0]
        assert cached == fresh
    assert interp._cached is not None


def test_cascade_uses_the_transcriber_for_audio(tiny_model, speech):
    """Audio goes through the transcriber (a stand-in here: the real Whisper is tested elsewhere)."""
    from voxctl.agent.interpret.cascade import CascadeInterpreter
    from voxctl.agent.listen.transcript import AsrError, Transcript

    class Heard:
        def __init__(self, text: str | None):
            self.text, self.calls = text, 0

        def transcribe(self, audio):
            self.calls += 1
            if self.text is None:
                raise AsrError("the microphone caught fire")
            return Transcript(self.text)

    ok = Heard("press enter")
    plan = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat")), max_new_tokens=32), ok).interpret(
        Utterance(audio=speech))
    assert ok.calls == 1 and plan.transcript == "press enter"
    silent = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat"))), Heard("")).interpret(Utterance(audio=speech))
    assert silent.actions == [] and silent.reason == "no words were recognised"
    broken = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat"))), Heard(None)).interpret(Utterance(audio=speech))
    assert broken.actions == [] and "microphone caught fire" in broken.reason


def test_audio_llm_bad_input_is_a_reason_not_an_exception(tiny_model):
    from voxctl.agent.interpret.audio_llm import AudioLLMInterpreter

    interp = AudioLLMInterpreter(LlmConfig(model=str(tiny_model("qwen2_audio")), max_new_tokens=32))
    short = interp.interpret(Utterance(audio=np.zeros(400, dtype=np.float32)))
    assert short.actions == [] and "too short" in short.reason
    nothing = interp.interpret(Utterance())
    assert nothing.actions == [] and nothing.reason
    typed = interp.interpret(Utterance.from_text("open the terminal"))  # text through an audio LLM
    assert typed.source == "audio_llm" and (typed.actions or typed.reason)
