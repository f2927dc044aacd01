"""The audio-LLM backend: the model hears the utterance and writes the plan (transcript first).

One class for every supported architecture (Qwen2-Audio, Gemma 4, Qwen2.5-Omni thinker, Phi-4-multimodal,
Voxtral where its tokenizer package is installed): the checkpoint's own processor and chat template turn
(system prompt, audio, instruction) into model inputs, so nothing here depends on one model's token
layout. See `audio_models.py` for what differs per architecture.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voxctl.agent.config import LlmConfig
from voxctl.agent.interpret.audio_models import load_audio_lm
from voxctl.agent.interpret.decoding import DecodingOptions, PlanDecoder, Sample, to_device
from voxctl.agent.interpret.prompt import system_prompt, user_prompt
from voxctl.agent.utterance import SAMPLE_RATE, Utterance
from voxctl.tools.registry import ActionPlan

SOURCE = "audio_llm"
MIN_SECONDS = 0.1


class AudioLLMInterpreter:
    """`interpret(utterance)` with an audio LLM; loads the model when constructed (errors show at start)."""

    def __init__(self, llm_config: LlmConfig) -> None:
        self.config = llm_config
        self.loaded = load_audio_lm(llm_config)
        self.processor = self.loaded.processor
        self.decoder = PlanDecoder(self.loaded.model, self.loaded.tokenizer, with_transcript=True,
                                   options=DecodingOptions.from_config(llm_config))

    def inputs(self, utterance: Utterance) -> dict[str, Any]:
        """Model inputs: the chat (system prompt + audio + instruction) through the checkpoint's processor.

        An utterance with text and no audio (`voxctl do`) is sent as text: every audio LLM is also a
        text LM, and the prompt then reads like the cascade's."""
        audio = utterance.audio
        system = system_prompt(utterance.screen, audio=audio is not None)
        if audio is not None:
            user: list[dict[str, Any]] = [{"type": "audio", "audio": "utterance.wav"},
                                          {"type": "text", "text": user_prompt()}]
        else:
            user = [{"type": "text", "text": user_prompt(utterance.text or "")}]
        messages = [{"role": "system", "content": [{"type": "text", "text": system}]},
                    {"role": "user", "content": user}]
        text = self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        kwargs: dict[str, Any] = {"text": text, "return_tensors": "pt"}
        if audio is not None:
            kwargs.update(audio=[np.asarray(audio, dtype=np.float32)], sampling_rate=SAMPLE_RATE)
        return to_device(dict(self.processor(**kwargs)), self.loaded.model)

    def sample(self, utterance: Utterance, num_samples: int, temperature: float | None = None) -> list[Sample]:
        """Raw answers, for tests and benchmarks (`num_samples` in one batched call)."""
        return self.decoder.decode(self.inputs(utterance), self.decoder.options.sampled(num_samples, temperature))

    def interpret(self, utterance: Utterance) -> ActionPlan:
        if utterance.audio is None and not (utterance.text or "").strip():
            return ActionPlan(source=SOURCE, reason="nothing to interpret: no audio and no text")
        if utterance.audio is not None and utterance.seconds < MIN_SECONDS:
            return ActionPlan(source=SOURCE, reason=f"the recording is too short ({utterance.seconds:.2f} s)")
        try:
            answer = self.sample(utterance, 1)[0]
        except (ValueError, RuntimeError) as e:  # odd audio the processor or model rejects
            first = (str(e).strip() or type(e).__name__).splitlines()[0]
            return ActionPlan(source=SOURCE, reason=f"the audio LLM could not process this utterance: {first}")
        plan = self.decoder.to_plan(answer, source=SOURCE, transcript="")
        if utterance.audio is None and not plan.transcript:
            plan = plan.model_copy(update={"transcript": utterance.text or ""})
        return plan
