"""`voxctl train --lora`: LoRA fine-tuning of the configured LLM backend on the user's own examples (and, for
an audio LLM, their recordings), end to end on tiny random-weight models of the real architectures: a few
steps, the loss goes down, the adapter is saved, loaded back through the project's own loader
(`interpreter.<backend>.adapter`) and the model's answers change towards the trained plan.

There is no GPU here: the same code path (agent/interpret/lora.py) runs on the CPU in float32; on a CUDA
machine it runs in bfloat16 (README, "Fine-tuning the LLM on your words"). The other audio architectures
(gemma4, qwen2_audio, qwen2_5_omni_thinker) go through the same code; phi4_multimodal stands for them here
to keep the suite short.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from voxctl.agent.config import Config, LlmConfig
from voxctl.agent.interpret.lora import LoraExample, answer_loss, training_inputs

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/fixtures/tiny_models.py: why
WARP = [{"tool": "press_keys", "args": {"keys": ["ctrl", "shift", "k"]}}]


def _loss(interp, backend: str, ex: LoraExample) -> float:
    with torch.no_grad():
        return float(answer_loss(interp.loaded.model, training_inputs(interp, backend, ex), True))


@pytest.fixture(scope="module")
def tiny_llama(tiny_model, tmp_path_factory) -> Path:
    """A tiny SmolLM2-architecture (Llama) chat LM with the chat fixture's tokenizer; weights drawn wide
    enough (initializer_range 0.5) that a few steps can move its answers."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from tests.fixtures.tiny_models import TEXT

    folder = tmp_path_factory.mktemp("tiny-llama")
    tok = AutoTokenizer.from_pretrained(tiny_model("chat"))
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(tok), eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                      bos_token_id=tok.pad_token_id, tie_word_embeddings=True, initializer_range=0.5, **TEXT)
    LlamaForCausalLM(cfg).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def test_lora_fine_tunes_the_cascade_chat_lm_and_the_loader_applies_the_adapter(tiny_llama, tmp_path, capsys):
    from voxctl.agent.cli import main
    from voxctl.agent.interpret.factory import make_interpreter

    print("no GPU here: LoRA runs on the CPU, the same code path as on CUDA")
    examples = tmp_path / "mine.yaml"
    examples.write_text(yaml.safe_dump([{"say": "engage warp drive", "plan": WARP}]))
    out = tmp_path / "adapter"
    cascade = {"model": str(tiny_llama), "max_new_tokens": 16, "device": "cpu"}
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"interpreter": {"backend": "cascade", "cascade": cascade,
                                                   "understand_examples": str(examples)}}))
    assert main(["--config", str(cfg), "train", "--lora", "only", "--lora-out", str(out), "--lora-epochs", "1",
                 "--lora-lr", "0.05"]) == 0
    said = capsys.readouterr().out
    assert f"interpreter.cascade.adapter: {out}" in said
    assert {"adapter_config.json", "adapter_model.safetensors", "voxctl_adapter.json"} <= {p.name for p in out.iterdir()}
    figures = json.loads((out / "voxctl_adapter.json").read_text())
    assert (figures["examples"], figures["anchors"]) == (1, 1)  # one of the prompt's own examples alongside
    assert figures["final_loss"] < figures["base_loss"], figures

    # Loaded back the way voxctl loads its backend: the configured adapter, merged by the loader.
    config = Config.model_validate(yaml.safe_load(cfg.read_text()))
    tuned_cfg = config.interpreter.model_copy(update={"cascade": config.interpreter.cascade.model_copy(
        update={"adapter": str(out)})})
    tuned = make_interpreter(config.model_copy(update={"interpreter": tuned_cfg}), notify=lambda m: None)
    after = _loss(tuned, "cascade", LoraExample("engage warp drive", WARP))
    print(f"answer loss: base {figures['base_loss']}, with the adapter {after:.3f} (in training: "
          f"{figures['final_loss']})")
    assert after < figures["base_loss"] - 0.5 and after == pytest.approx(figures["final_loss"], abs=0.05)

    bad = LlmConfig(model=str(tiny_llama), adapter=str(tmp_path))  # a folder that holds no adapter
    from voxctl.agent.interpret.llm_loading import LlmLoadError, load_causal_lm

    with pytest.raises(LlmLoadError, match="not a LoRA adapter folder"):
        load_causal_lm(bad)


def test_lora_fine_tunes_an_audio_llm_on_a_recording(tiny_model, tmp_path):
    from voxctl.agent.interpret.audio_llm import AudioLLMInterpreter
    from voxctl.agent.interpret.lora import LoraOptions, train_lora

    t = np.arange(int(1.2 * 16000)) / 16000
    speech = (0.2 * np.sin(2 * np.pi * 140 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    cfg = LlmConfig(model=str(tiny_model("phi4_multimodal")), max_new_tokens=16, device="cpu")
    heard = LoraExample("engage warp drive", WARP, speech)
    out = tmp_path / "adapter"
    figures = train_lora("audio_llm", cfg, [heard], out, LoraOptions(epochs=1, lr=0.01, dropout=0.0, evaluate=False,
                                                                 anchors=False),
                         log=lambda m: None)
    assert figures["final_loss"] < figures["base_loss"] and figures["device"] == "cpu"
    tuned = AudioLLMInterpreter(cfg.model_copy(update={"adapter": str(out)}))
    after = _loss(tuned, "audio_llm", heard)
    assert after < figures["base_loss"] and after == pytest.approx(figures["final_loss"], abs=0.05)
