"""The cascade backend: Whisper writes down what was said, a chat LM turns the words into a plan.

Any causal chat LM works (a model id, a folder or a GGUF file). When the model's chat template takes a
tool list (Qwen, Llama 3, SmolLM3, ...), the tools go there, in the form the model was trained on;
otherwise they are listed in the system prompt. Either way the answer is held to the plan grammar.
"""

from __future__ import annotations

import inspect
from typing import Any

from voxctl.agent.config import LlmConfig
from voxctl.agent.interpret.decoding import DecodingOptions, PlanDecoder, Sample, to_device
from voxctl.agent.interpret.llm_loading import load_causal_lm
from voxctl.agent.interpret.prompt import example_turns, system_prompt, tool_functions, user_prompt
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.registry import ActionPlan

SOURCE = "cascade"


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


class CascadeInterpreter:
    """`interpret(utterance)`: transcript (given, or from the transcriber) -> chat LM -> plan."""

    def __init__(self, llm_config: LlmConfig, transcriber: Any | None = None) -> None:
        self.config = llm_config
        self._transcriber = transcriber
        self._cached: tuple[Any, Any] | None = None
        self.loaded = load_causal_lm(llm_config)
        self.tokenizer = self.loaded.tokenizer
        template = self.tokenizer.chat_template or ""
        if not template:
            raise_no_template(llm_config.model or "")
        # A template that reads a `tools` variable renders tool definitions natively.
        self.native_tools = "tools" in template
        # transformers 5.2x renamed `past_key_values` to `cache` (the old name still works, with a warning).
        forward = inspect.signature(self.loaded.model.forward).parameters
        self._cache_arg = "cache" if "cache" in forward else "past_key_values"
        self.decoder = PlanDecoder(self.loaded.model, self.tokenizer, with_transcript=False,
                                   options=DecodingOptions.from_config(llm_config))

    @property
    def transcriber(self) -> Any:
        if self._transcriber is None:  # only needed for audio; `voxctl do` and tests bring text
            from voxctl.agent.listen.asr import Transcriber

            self._transcriber = Transcriber()
        return self._transcriber

    def transcript(self, utterance: Utterance) -> str:
        if utterance.transcript is not None:
            return utterance.transcript.strip()
        if utterance.text is not None:
            return utterance.text.strip()
        if utterance.audio is None:
            return ""
        return self.transcriber.transcribe(utterance.audio).text.strip()

    def _encode(self, messages: list[dict[str, str]], generation_prompt: bool) -> Any:
        extra = {"tools": tool_functions()} if self.native_tools else {}
        return self.tokenizer.apply_chat_template(messages, add_generation_prompt=generation_prompt, tokenize=True,
                                                  return_dict=True, return_tensors="pt", **extra)

    def _prefix(self, context: ScreenState) -> list[dict[str, str]]:
        # Everything before the last user turn stays the same from one utterance to the next (only the
        # screen size could change it), so its keys and values are computed once: on a CPU that prefill
        # of ~1,400 tokens is most of the latency.
        system = system_prompt(context, audio=False, native_tools=self.native_tools, with_examples=False,
                               windows=False)
        return [{"role": "system", "content": system}, *example_turns()]

    def _prefix_cache(self, context: ScreenState) -> tuple[Any, Any]:
        import torch

        ids = to_device(dict(self._encode(self._prefix(context), False)), self.loaded.model)["input_ids"]
        if self._cached is None or not torch.equal(self._cached[0], ids):
            with torch.inference_mode():
                out = self.loaded.model(input_ids=ids, use_cache=True)
            self._cached = (ids, getattr(out, "cache", None) or out.past_key_values)
        return self._cached

    def inputs(self, utterance: Utterance, text: str, reuse_prefix: bool = True) -> dict[str, Any]:
        import copy

        messages = [*self._prefix(utterance.screen),
                    {"role": "user", "content": user_prompt(text, utterance.screen)}]
        inputs = to_device(dict(self._encode(messages, True)), self.loaded.model)
        if reuse_prefix:
            ids, cache = self._prefix_cache(utterance.screen)
            n = ids.shape[1]
            if inputs["input_ids"].shape[1] > n and bool((inputs["input_ids"][:, :n] == ids).all()):
                inputs[self._cache_arg] = copy.deepcopy(cache)  # generate extends the cache it is given
        return inputs

    def sample(self, utterance: Utterance, num_samples: int, temperature: float | None = None) -> list[Sample]:
        """Raw answers for the utterance's words, for tests and benchmarks."""
        # A cache holds one sequence; batched samples recompute the prefix.
        inputs = self.inputs(utterance, self.transcript(utterance), reuse_prefix=num_samples == 1)
        return self.decoder.decode(inputs, self.decoder.options.sampled(num_samples, temperature))

    def interpret(self, utterance: Utterance) -> ActionPlan:
        from voxctl.agent.listen.transcript import AsrError

        try:
            text = self.transcript(utterance)
        except AsrError as e:
            return ActionPlan(source=SOURCE, reason=f"speech recognition failed: {_first_line(e)}")
        if not text:
            return ActionPlan(source=SOURCE, reason="no words were recognised")
        try:
            answer = self.decoder.decode(self.inputs(utterance, text))[0]
        except (ValueError, RuntimeError) as e:
            return ActionPlan(transcript=text, source=SOURCE, reason=f"the language model failed: {_first_line(e)}")
        return self.decoder.to_plan(answer, source=SOURCE, transcript=text)


def raise_no_template(model: str) -> None:
    from voxctl.agent.interpret.llm_loading import LlmLoadError

    raise LlmLoadError(f"model {model} has no chat template; the cascade needs a chat (instruct) model")
