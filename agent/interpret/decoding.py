"""The part both LLM backends share: run a loaded model under the plan grammar and read its answer.

`PlanDecoder` holds what is worth building once per model (llguidance's view of the tokenizer, the
compiled grammar, the end-of-turn tokens, the `DecodingOptions`); `decode` runs one batched `generate`
with the plan grammar's logit filter and the options' own, `to_plan` turns an answer into an ActionPlan,
falling back to no actions and a reason, never raising.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

from voxctl.agent.interpret.constrained import PlanConstraint, grammar, ll_tokenizer
from voxctl.tools.registry import ActionPlan, validate_plan


@dataclass(frozen=True)
class Sample:
    """One sampled answer: its text, and whether the token budget forced it closed."""

    text: str
    closed_early: bool


class LogitFilter(Protocol):
    """One rule about the next token (whisper's `LogitFilter`): the scores with what it forbids at -inf.

    `tokens` holds every row so far, prompt included; a filter may keep state across the steps of one
    `generate` call, so a stateful one is built per call."""

    def apply(self, logits: Any, tokens: Any) -> Any: ...


@dataclass(frozen=True)
class DecodingOptions:
    """How one model writes plans (whisper's `DecodingOptions`): one frozen, validated value.

    `logit_filters` run after the plan grammar's own filter, which every call gets."""

    max_new_tokens: int = 256
    temperature: float = 0.0
    num_samples: int = 1
    logit_filters: tuple[LogitFilter, ...] = ()

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be at least 1, not {self.max_new_tokens}")
        if self.temperature < 0:
            raise ValueError(f"temperature must not be negative, not {self.temperature}")
        if self.num_samples < 1:
            raise ValueError(f"num_samples must be at least 1, not {self.num_samples}")

    def sampled(self, num_samples: int, temperature: float | None = None) -> DecodingOptions:
        """The same options drawing `num_samples` answers (at `temperature`, when given)."""
        return replace(self, num_samples=num_samples,
                       temperature=self.temperature if temperature is None else temperature)

    @classmethod
    def from_config(cls, cfg: Any) -> DecodingOptions:
        """From an `LlmConfig` (interpreter.cascade / interpreter.audio_llm)."""
        return cls(max_new_tokens=cfg.max_new_tokens, temperature=cfg.temperature)


class _FilterChain:
    """The filters as one transformers logits processor, applied in order."""

    def __init__(self, filters: list[LogitFilter]) -> None:
        self.filters = filters

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        for f in self.filters:
            scores = f.apply(scores, input_ids)
        return scores


def end_tokens(model: Any, tokenizer: Any) -> list[int]:
    """Every token that ends the model's turn: the generation config's EOS ids and the tokenizer's."""
    ids: list[int] = []
    gen = getattr(model, "generation_config", None)
    for source in (getattr(gen, "eos_token_id", None), tokenizer.eos_token_id):
        for i in source if isinstance(source, list) else [source]:
            if isinstance(i, int) and i not in ids:
                ids.append(i)
    if not ids:
        raise ValueError("the tokenizer has no end-of-sequence token; cannot tell where an answer ends")
    return ids


@contextmanager
def cpu_decode_threads(model: Any):
    """One torch intra-op thread while a CPU model generates, the caller's count again afterwards.

    Each decoding step runs a few hundred tiny ops (one token), each ending at an OpenMP barrier: on a
    busy machine a descheduled thread holds every barrier up and the others spin. Measured on the 2-core
    box at load ~6 (SmolLM2-135M cascade, one utterance, prefix cached): 2 threads 28 s, 1 thread 3.0 s."""
    import torch

    if getattr(getattr(model, "device", None), "type", "cpu") != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class PlanDecoder:
    """Grammar-constrained generation of plans for one model."""

    def __init__(self, model: Any, tokenizer: Any, *, with_transcript: bool, options: DecodingOptions) -> None:
        self.model = model
        self.eos = end_tokens(model, tokenizer)
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.eos[0]
        self.ll_tok = ll_tokenizer(tokenizer, self.eos)
        self.grammar = grammar(with_transcript)
        self.options = options

    @property
    def max_new_tokens(self) -> int:
        return self.options.max_new_tokens

    def _generate_args(self, options: DecodingOptions, filters: list[LogitFilter]) -> dict[str, Any]:
        """The options in `model.generate`'s keywords."""
        sampling: dict[str, Any] = {}
        if options.temperature > 0:
            # Filters that run before ours (top-k, top-p) could leave no token the grammar allows.
            sampling = {"temperature": options.temperature, "top_k": 0, "top_p": 1.0}
        return {"max_new_tokens": options.max_new_tokens, "do_sample": options.temperature > 0,
                "num_return_sequences": options.num_samples, "eos_token_id": self.eos,
                "pad_token_id": self.pad, "logits_processor": [_FilterChain(filters)], **sampling}

    def decode(self, inputs: dict[str, Any], options: DecodingOptions | None = None) -> list[Sample]:
        """`options.num_samples` answers from one batched generate (the tests' validity runs use many)."""
        import torch

        options = self.options if options is None else options
        prompt_len = inputs["input_ids"].shape[1]
        constraint = PlanConstraint(self.ll_tok, self.grammar, options.num_samples, options.max_new_tokens)
        with torch.inference_mode(), cpu_decode_threads(self.model):
            out = self.model.generate(**inputs, **self._generate_args(options, [constraint, *options.logit_filters]))
        answers = []
        for row in range(out.shape[0]):
            ids = [t for t in out[row, prompt_len:].tolist() if t not in self.eos and t != self.pad]
            answers.append(Sample(self.ll_tok.decode_str(ids), constraint.closed_early[row]))
        return answers

    def to_plan(self, answer: Sample, *, source: str, transcript: str = "") -> ActionPlan:
        return to_plan(answer, source=source, transcript=transcript, max_new_tokens=self.max_new_tokens)


def to_plan(answer: Sample, *, source: str, transcript: str = "", max_new_tokens: int = 0) -> ActionPlan:
    """The ActionPlan in a model's answer, or no actions and a reason; never raises.

    The grammar already guarantees a valid plan; validating again is cheap insurance, and an answer
    that still fails counts as a failure in the tests."""
    try:
        data = json.loads(answer.text)
    except json.JSONDecodeError as e:
        return ActionPlan(transcript=transcript, source=source, reason=f"the model's answer is not JSON ({e.msg})")
    if not isinstance(data, dict):
        return ActionPlan(transcript=transcript, source=source, reason="the model's answer is not a JSON object")
    heard = data.get("transcript")
    if isinstance(heard, str) and not transcript:
        transcript = heard.strip()
    if answer.closed_early:
        return ActionPlan(transcript=transcript, source=source,
                          reason=f"the model's answer was cut short at max_new_tokens={max_new_tokens}")
    plan, problems = validate_plan({"transcript": transcript, "source": source, "actions": data.get("actions")})
    if plan is None:
        return ActionPlan(transcript=transcript, source=source,
                          reason="the model's answer is not a valid plan: " + "; ".join(problems[:3]))
    if not plan.actions:
        said = f" in {transcript!r}" if transcript else ""
        return plan.model_copy(update={"reason": f"no command recognised{said}"})
    return plan


def is_valid(answer: Sample) -> bool:
    """Whether an answer parses and validates as a plan (what the tests count)."""
    try:
        data = json.loads(answer.text)
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and validate_plan({"actions": data.get("actions")})[0] is not None


def to_device(inputs: dict[str, Any], model: Any) -> dict[str, Any]:
    """Tensors on the model's device; floating ones (audio features) in the model's dtype."""
    out = {}
    for key, value in inputs.items():
        if hasattr(value, "to"):
            value = value.to(model.device)
            if value.is_floating_point():
                value = value.to(model.dtype)
        out[key] = value
    return out
