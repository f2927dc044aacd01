"""What voxctl knows about each audio-LLM architecture: its transformers model class, and how to build its
processor when the full one cannot load here.

Multimodal processors bundle image and video processors that an audio-only use never calls. Some of those
need torchvision, which has no CPU build for this torch; rather than give up the whole model, the
processor is assembled from the parts that do load (tokenizer, audio feature extractor, chat template),
with the vision parts left out. Anything the audio path itself needs (a tokenizer backend, the feature
extractor) still fails with one line naming the missing package.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path
from typing import Any

from voxctl.agent.config import LlmConfig
from voxctl.agent.interpret.llm_loading import (
    LlmLoadError,
    Loaded,
    device_and_dtype,
    finish,
    first_line,
    progress,
    resolve,
)

# model_type in config.json -> the transformers class that generates text from audio + text.
MODEL_CLASSES = {
    "qwen2_audio": "Qwen2AudioForConditionalGeneration",
    "gemma4": "Gemma4ForConditionalGeneration",
    "qwen2_5_omni_thinker": "Qwen2_5OmniThinkerForConditionalGeneration",
    # The full Omni checkpoint: only its thinker (audio in, text out) is loaded; the talker is not needed.
    "qwen2_5_omni": "Qwen2_5OmniThinkerForConditionalGeneration",
    "phi4_multimodal": "Phi4MultimodalForCausalLM",
    "voxtral": "VoxtralForConditionalGeneration",
}

# Audio models transformers has that cannot run here, and why (shown to the user as is).
UNSUPPORTED = {
    "granite_speech": "its feature extractor needs torchaudio, which has no CPU build for this torch",
}

# Python modules an architecture's processor cannot do without (module, package).
_NEEDS = {"voxtral": (("mistral_common", "mistral-common"),)}

# Packages a processor may ask for, and what to tell the user.
_PACKAGES = {
    "mistral-common": "pip install mistral-common (note: it pins numpy<2.4 on Python 3.11/3.12)",
    "mistral_common": "pip install mistral-common (note: it pins numpy<2.4 on Python 3.11/3.12)",
    "torchaudio": "torchaudio has no CPU build for this torch; use a CUDA machine with torchaudio installed",
    "librosa": "pip install librosa",
    "soundfile": "pip install soundfile",
}


def model_type(folder: str) -> str:
    try:
        return json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))["model_type"]
    except (OSError, ValueError, KeyError):
        raise LlmLoadError(f"{folder}: config.json is missing or has no model_type") from None


def model_class(folder: str) -> tuple[Any, str]:
    """The model class for the checkpoint in `folder`, and its model_type."""
    import transformers

    kind = model_type(folder)
    for module, package in _NEEDS.get(kind, ()):
        if importlib.util.find_spec(module) is None:
            raise LlmLoadError(f"the {kind} model needs the package {package}: {_PACKAGES[package]}")
    if kind in UNSUPPORTED:
        raise LlmLoadError(f"audio LLM type {kind!r} cannot run here: {UNSUPPORTED[kind]}")
    if kind not in MODEL_CLASSES:
        known = ", ".join(sorted(MODEL_CLASSES))
        raise LlmLoadError(f"model type {kind!r} is not an audio LLM voxctl supports (supported: {known})")
    return getattr(transformers, MODEL_CLASSES[kind]), kind


def _missing_package(e: BaseException) -> str:
    text = str(e)
    for name, advice in _PACKAGES.items():
        if name in text:
            return f"needs the package {name}: {advice}"
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__


def _audio_only_class(cls: type) -> type:
    """The processor class, accepting None for its image and video processors."""

    class AudioOnly(cls):  # type: ignore[misc, valid-type]
        def check_argument_for_proper_class(self, argument_name: str, argument: Any) -> Any:
            if argument is None and ("image" in argument_name or "video" in argument_name):
                return None
            return super().check_argument_for_proper_class(argument_name, argument)

    AudioOnly.__name__ = AudioOnly.__qualname__ = f"{cls.__name__}AudioOnly"
    return AudioOnly


def _assemble(folder: str) -> Any:
    """The processor from its loadable parts, vision parts left out when they need torchvision."""
    import transformers
    from transformers.processing_utils import MODALITY_TO_AUTOPROCESSOR_MAPPING

    config = json.loads((Path(folder) / "processor_config.json").read_text(encoding="utf-8")) \
        if (Path(folder) / "processor_config.json").is_file() else {}
    name = config.get("processor_class")
    if not name:
        raise LlmLoadError(f"{folder}: no processor_config.json naming the processor class")
    cls = _audio_only_class(getattr(transformers, name))
    processor_dict, extra = cls.get_processor_dict(folder, local_files_only=True)
    args = []
    for attribute in cls.get_attributes():
        if "tokenizer" in attribute:
            args.append(transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True))
            continue
        auto = MODALITY_TO_AUTOPROCESSOR_MAPPING[attribute]
        try:
            args.append(auto.from_pretrained(folder, local_files_only=True))
        except (ImportError, OSError, ValueError):
            if "image" in attribute or "video" in attribute:
                args.append(None)  # audio-only use never calls it
            else:
                raise
    processor = cls.from_args_and_dict(args, processor_dict, **extra)
    if processor.chat_template is None:
        jinja = Path(folder) / "chat_template.jinja"
        processor.chat_template = jinja.read_text(encoding="utf-8") if jinja.is_file() \
            else getattr(processor.tokenizer, "chat_template", None)
    return processor


def processor_for(folder: str, kind: str) -> Any:
    """The checkpoint's processor; assembled audio-only when a vision part cannot load here."""
    from transformers import AutoProcessor

    try:
        return AutoProcessor.from_pretrained(folder, local_files_only=True)
    except (ImportError, OSError, ValueError) as first:
        # Often a vision part that needs torchvision: build the processor without it.
        try:
            return _assemble(folder)
        except (ImportError, OSError, ValueError, TypeError, LlmLoadError):
            raise LlmLoadError(f"cannot load the processor of the {kind} model in {folder}: "
                               f"{_missing_package(first)}") from None


def load_audio_lm(cfg: LlmConfig) -> Loaded:
    """An audio LLM with its processor (feature extractor + tokenizer + chat template)."""
    folder, gguf = resolve(cfg)
    if gguf:
        raise LlmLoadError("audio LLMs cannot be loaded from GGUF; give a transformers model folder or id")
    device, dtype = device_and_dtype(cfg)
    name = cfg.model or folder
    start = time.perf_counter()
    with progress(f"{name} on {device} ({str(dtype).removeprefix('torch.')})"):
        cls, kind = model_class(folder)
        processor = processor_for(folder, kind)
        try:
            model = cls.from_pretrained(folder, dtype=dtype, local_files_only=True)
        except (OSError, ValueError, ImportError) as e:
            raise LlmLoadError(f"cannot load model {name}: {first_line(e)}") from None
    return Loaded(finish(model, device, cfg.adapter), processor.tokenizer, processor, device, dtype, name,
                  time.perf_counter() - start)
