"""LoRA fine-tuning of the configured LLM backend on your own words (`voxctl train --lora`), with peft.

The backend is the one that would read your speech: `interpreter.backend` when it is `cascade` or
`audio_llm`, or hybrid's `interpreter.llm_backend`, with its model configured. Its own interpreter class
loads the model (agent/interpret/llm_loading.py, audio_models.py) and builds each training prompt exactly as
it does when it interprets (system prompt, example turns and user turn; for an audio LLM the recording
through the checkpoint's processor, or the words where there is no recording). The target is the answer
as the constrained decoder writes it (prompt.answer_json; the audio LLM's transcript first), closed by the
end-of-turn token, and only its tokens count in the loss. Low-rank adapters go on the language model's
attention and MLP projections, never on an audio or vision tower. The adapter folder (peft's
adapter_config.json + adapter_model.safetensors, and voxctl_adapter.json with the figures) is what
`interpreter.<backend>.adapter` names; the loader merges it into the model at load time.

The same code runs on a CUDA GPU (bfloat16, the real use) and on the CPU (float32: tests, tiny models).
"""

from __future__ import annotations

import inspect
import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.config import LlmConfig

TUNABLE = ("cascade", "audio_llm")
# Projection names of the decoder layers of the supported families (Llama/SmolLM2, Qwen2, Gemma, Phi).
_PROJECTIONS = frozenset({"q_proj", "k_proj", "v_proj", "o_proj", "qkv_proj", "gate_proj", "up_proj", "down_proj",
                          "gate_up_proj"})
_TOWERS = ("audio", "vision", "visual", "speech", "embed_tokens_extend")


class LoraError(Exception):
    """Fine-tuning cannot run; str() is one line for the user."""


@dataclass(frozen=True)
class LoraExample:
    """One thing said (its words; a recording for an audio LLM, when there is one) and the plan it means."""

    said: str
    actions: list[dict[str, Any]]
    audio: np.ndarray | None = None


@dataclass(frozen=True)
class LoraOptions:
    epochs: int = 3
    lr: float = 2e-4
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    seed: int = 0
    evaluate: bool = True  # after training, interpret each example and count the exact plans
    # The prompt's own examples (prompts/examples.yaml) trained alongside, as many as the user's (cycled):
    # without them a few examples of one plan teach the model that plan for everything.
    anchors: bool = True


def tunable_backend(icfg: Any) -> str | None:
    """The backend `voxctl train --lora` fine-tunes (interpreter.backend, or hybrid's llm_backend), when
    it is a local transformers model with a model configured; None otherwise."""
    name = icfg.backend if icfg.backend in TUNABLE else icfg.llm_backend if icfg.backend == "hybrid" else None
    if name not in TUNABLE or not getattr(icfg, name).model:
        return None
    return name


def lora_examples(items: Sequence[Mapping[str, Any]], macros: Mapping[str, Any] | None = None,
                  base: Path | None = None) -> list[LoraExample]:
    """Examples from examples-file items ({say, plan, audio?}: `audio` a recording, or a list of them in the
    order of `say`; relative paths from `base`) and the spoken phrases of the user's macros."""
    from voxctl.agent.interpret.understand.data_user import example_plan
    from voxctl.agent.listen.audio_io import AudioFileError, load_audio

    out = []
    for i, item in enumerate(items):
        says = [item["say"]] if isinstance(item["say"], str) else list(item["say"])
        try:
            actions = example_plan(item, f"examples[{i}]")
        except ValueError as e:
            raise LoraError(str(e)) from None
        recordings = item.get("audio") or []
        recordings = [recordings] if isinstance(recordings, str) else list(recordings)
        out += [LoraExample(str(say), actions) for say in says]
        for j, rec in enumerate(recordings):
            path = Path(rec).expanduser()
            path = path if path.is_absolute() or base is None else base / path
            try:
                audio = load_audio(path)
            except AudioFileError as e:
                raise LoraError(f"examples[{i}].audio: {e}") from None
            out.append(LoraExample(str(says[min(j, len(says) - 1)]), actions, audio))
    for name, m in (macros or {}).items():
        for phrase in [f"run {name.replace('_', ' ')}", *getattr(m, "phrases", ())]:
            out.append(LoraExample(phrase, [{"tool": "run_macro", "args": {"name": name}}]))
    return out


def anchor_examples(n: int) -> list[LoraExample]:
    """`n` of the prompt's few-shot examples (cycled), which keep the model's general behaviour."""
    from voxctl.agent.interpret.prompt import examples

    shots = [LoraExample(ex["said"], list(ex["actions"])) for ex in examples()]
    return [shots[i % len(shots)] for i in range(n)] if shots else []


def target_modules(model: Any) -> list[str]:
    """The full names of the language model's projection layers (no audio or vision tower)."""
    import torch

    return [name for name, mod in model.named_modules()
            if isinstance(mod, torch.nn.Linear) and name.rsplit(".", 1)[-1] in _PROJECTIONS
            and not any(t in name for t in _TOWERS)]


def load_interpreter(backend: str, cfg: LlmConfig) -> Any:
    """The backend's interpreter on its base model (any adapter configured is left out: training starts
    from the base, and the new adapter replaces the old)."""
    base = cfg.model_copy(update={"adapter": None})
    if backend == "cascade":
        from voxctl.agent.interpret.cascade import CascadeInterpreter

        return CascadeInterpreter(base, transcriber=None)
    from voxctl.agent.interpret.audio_llm import AudioLLMInterpreter

    return AudioLLMInterpreter(base)


def _utterance(ex: LoraExample) -> Any:
    from voxctl.agent.utterance import Utterance

    return Utterance(audio=ex.audio) if ex.audio is not None else Utterance.from_text(ex.said)


def written(actions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The actions as the prompt's examples write them (prompts/examples.yaml): arguments left at their
    defaults are left out ({"keys": ["ctrl", "s"]}, not {"keys": ["ctrl", "s"], "repeat": 1})."""
    from voxctl.tools.registry import validate_action

    out = []
    for raw in actions:
        call, problems = validate_action(raw)
        if call is None:
            raise LoraError("; ".join(problems))
        args = call.args.model_dump(mode="json", exclude_defaults=True)  # type: ignore[attr-defined]
        out.append({"tool": call.tool, "args": args})  # type: ignore[attr-defined]
    return out


def training_inputs(interp: Any, backend: str, ex: LoraExample) -> dict[str, Any]:
    """The model's inputs for one example: the interpreter's own prompt, then the answer, with labels
    that count the answer's tokens only."""
    import torch

    from voxctl.agent.interpret.prompt import answer_json

    if backend == "cascade":
        inputs = interp.inputs(_utterance(ex), ex.said, reuse_prefix=False)
        answer = answer_json(written(ex.actions))
    else:
        inputs = interp.inputs(_utterance(ex))
        answer = answer_json(written(ex.actions), transcript=ex.said)
    tok = interp.loaded.tokenizer
    target = tok(answer, add_special_tokens=False)["input_ids"] + [interp.decoder.eos[0]]
    prompt = inputs["input_ids"]
    n = prompt.shape[1]
    tail = torch.tensor([target], dtype=prompt.dtype, device=prompt.device)
    out = dict(inputs)
    for key, value in inputs.items():  # every per-token row grows with the answer
        if hasattr(value, "shape") and value.dim() == 2 and value.shape[1] == n and not value.is_floating_point():
            fill = tail if key == "input_ids" else torch.full_like(tail, 1 if "attention" in key else 0)
            out[key] = torch.cat([value, fill], dim=1)
    out["labels"] = torch.cat([torch.full_like(prompt, -100), tail], dim=1)
    return out


def answer_loss(model: Any, batch: dict[str, Any], keep_logits: bool) -> Any:
    """The mean cross-entropy of the answer's tokens. Where the model can (`logits_to_keep`), only the
    answer's logits are made: over a prompt of ~1,500 tokens the vocabulary-wide logits are most of the
    cost of a step."""
    import torch

    if not keep_logits:
        return model(**batch).loss
    labels = batch["labels"]
    n = int((labels[0] != -100).sum())
    inputs = {k: v for k, v in batch.items() if k != "labels"}
    logits = model(**inputs, logits_to_keep=n + 1).logits[:, -(n + 1):-1]
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), labels[:, -n:].reshape(-1))


def train_lora(backend: str, cfg: LlmConfig, examples: Sequence[LoraExample], out: str | Path,
               options: LoraOptions = LoraOptions(), log: Callable[[str], None] = print) -> dict[str, Any]:
    """Fine-tune the backend's model on `examples`, save the adapter in `out`; returns the figures (mean loss
    per epoch, exact plans on the examples after training, seconds), also written to voxctl_adapter.json."""
    try:
        import torch
        from peft import LoraConfig, get_peft_model
    except ImportError as e:
        raise LoraError(f"LoRA fine-tuning needs the package peft ({e.name}): pip install peft") from None
    from voxctl.agent.benchmarks.interpret import same_plan
    from voxctl.tools.registry import validate_action

    if backend not in TUNABLE:
        raise LoraError(f"backend {backend!r} cannot be fine-tuned here (only {', '.join(TUNABLE)})")
    if not examples:
        raise LoraError("nothing to fine-tune on: no examples (give --examples, macros with phrases, or "
                        "--from-history)")
    own = list(examples)
    examples = own + (anchor_examples(len(own)) if options.anchors else [])
    t0 = time.perf_counter()
    random.seed(options.seed)
    torch.manual_seed(options.seed)
    interp = load_interpreter(backend, cfg)
    model = interp.loaded.model
    names = target_modules(model)
    if not names:
        raise LoraError(f"{cfg.model}: found no attention or MLP projection layers to adapt")
    batches = [training_inputs(interp, backend, ex) for ex in examples]
    peft_model = get_peft_model(model, LoraConfig(r=options.rank, lora_alpha=options.alpha, target_modules=names,
                                                  lora_dropout=options.dropout, bias="none"))
    keep_logits = "logits_to_keep" in inspect.signature(model.forward).parameters
    with torch.no_grad():  # the base model's loss on your answers, for the figures
        before = sum(float(answer_loss(peft_model, b, keep_logits)) for b in batches[:len(own)]) / len(own)
    trainable = sum(p.numel() for p in peft_model.parameters() if p.requires_grad)
    log(f"LoRA on {cfg.model} ({backend}, {interp.loaded.device}): {len(own)} examples (+{len(examples) - len(own)} "
        f"from the prompt's own), {len(names)} layers "
        f"adapted, {trainable:,} trainable parameters")
    opt = torch.optim.AdamW([p for p in peft_model.parameters() if p.requires_grad], lr=options.lr)
    losses = []
    peft_model.train()
    for epoch in range(options.epochs):
        order = list(range(len(batches)))
        random.shuffle(order)
        total = 0.0
        for i in order:
            loss = answer_loss(peft_model, batches[i], keep_logits)
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            total += float(loss.detach())
        losses.append(round(total / len(batches), 4))
        log(f"epoch {epoch + 1}/{options.epochs}: mean loss {losses[-1]:.4f}")
    peft_model.eval()
    with torch.no_grad():
        final = sum(float(answer_loss(peft_model, b, keep_logits)) for b in batches[:len(own)]) / len(own)
    if hasattr(interp, "_cached"):
        interp._cached = None  # the cascade's prompt-prefix cache was computed by the model before training
    right = 0
    for ex in own if options.evaluate else ():
        expected = [validate_action(a)[0] for a in ex.actions]
        right += same_plan(list(interp.interpret(_utterance(ex)).actions), expected)
    folder = Path(out).expanduser()
    peft_model.save_pretrained(str(folder))
    figures = {"backend": backend, "model": cfg.model, "examples": len(own), "anchors": len(examples) - len(own),
               "epochs": options.epochs,
               "lr": options.lr, "rank": options.rank, "base_loss": round(before, 4), "loss": losses,
               "final_loss": round(final, 4), "exact_plans": right,
               "device": interp.loaded.device, "seconds": round(time.perf_counter() - t0, 1)}
    (folder / "voxctl_adapter.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    log(f"loss on the answers {before:.3f} -> {final:.3f}; after training, {right}/{len(own)} of your examples "
        f"give their plan; adapter in {folder}")
    return figures
