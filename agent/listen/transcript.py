"""What speech recognition returns: a `Transcript` of `Segment`s; `AsrError` when the model cannot be used.

Made by the recogniser (agent/listen/asr.py) and read everywhere after it: the interpreters, the hands-free
judge, the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
    filtered: tuple[str, ...] = ()  # near-silence phrases and decoder loops removed from the text
    score: float | None = None  # log-probability per token of the reading (None: not known)
    window: str = "full"  # the mel window decoded: "short" (sized to the audio) or "full" (30 s)

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
