"""The recogniser's readings on Whisper's full 30 s window (faster-whisper's own windows): long audio
(dictation), and short audio the short window got wrong. A part of the recogniser (agent/listen/asr.py).

Greedy and deterministic: the last full-window readings are kept, and the grammar's last look at the same
audio reuses them. Every reading becomes a `Transcript` here (`_result`): Whisper's phrases for near-silence
and degenerate segments removed (hallucination.py), what was removed kept in `Transcript.filtered`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from voxctl.agent.listen.asr_model import _first_line
from voxctl.agent.listen.hallucination import degenerate_segment, strip_hallucinations
from voxctl.agent.listen.transcript import AsrError, Segment, Transcript
from voxctl.agent.listen.window import MAX_SHORT_S, SAMPLE_RATE, audio_key

FULL_READINGS_KEPT = 2  # full-window readings kept for the same audio's later looks


class FullWindowReads:
    """`Transcriber`'s full-window readings (`_full`, kept and reused), and any reading's `Transcript`."""

    def _full(self, audio: np.ndarray, hint: str | None, beams: int, kw: dict[str, Any]) -> Transcript:
        """faster-whisper on its 30 s windows: long audio, and short audio the short window got wrong.
        Greedy and deterministic: a reading of the same audio with the same options is kept and reused.
        Short audio's loops are resolved as the short window's are: the full window loops too ("press f.
        press f." from one "press f", espeak en-us+m7 and +f1, 2026-12-03)."""
        if kw:
            return self._unlooped(audio, self._decode_full(audio, hint, beams, kw), hint)
        key = (audio_key(audio), hint, beams)
        with self._fulls_lock:
            kept = self._fulls.get(key)
        if kept is not None:
            return kept
        read = self._unlooped(audio, self._decode_full(audio, hint, beams, {}), hint)
        with self._fulls_lock:
            self._fulls[key] = read
            while len(self._fulls) > FULL_READINGS_KEPT:
                del self._fulls[next(iter(self._fulls))]
        return read

    def _unlooped(self, audio: np.ndarray, read: Transcript, hint: str | None) -> Transcript:
        """A full-window reading of short audio with a repeated sentence kept as often as the audio holds it."""
        if len(audio) / SAMPLE_RATE > MAX_SHORT_S or not read.text:
            return read
        text, removed = self._resolve_loop(audio, read.text, hint)
        return replace(read, text=text, filtered=read.filtered + tuple(removed)) if removed else read

    def _decode_full(self, audio: np.ndarray, hint: str | None, beams: int, kw: dict[str, Any]) -> Transcript:
        opts: dict[str, Any] = {
            "language": "en",  # commands are English; also skips language detection on multilingual models
            "beam_size": beams,
            "condition_on_previous_text": False,
            "without_timestamps": True,
            "hotwords": hint,
            # Greedy only: the fallback to sampling made results vary run to run and did not raise word
            # accuracy on the spoken set (0.908 both ways).
            "temperature": 0.0,
            # Speech is ~3 words a second at most; the cap (per 30 s window, and leaving room for the
            # hint in Whisper's 448-token context) bounds the time a decoding stuck in a loop can take.
            "max_new_tokens": min(int(8 * min(len(audio) / SAMPLE_RATE, 30.0)) + 16, 200),
        }
        opts.update(kw)
        try:
            with self.spent.step("full"):
                segments, info = self.model.transcribe(audio, **opts)
                segs = [
                    Segment(s.text.strip(), s.avg_logprob, s.no_speech_prob, s.start, s.end, s.compression_ratio)
                    for s in segments
                ]
        except Exception as e:  # CTranslate2 runtime failures (e.g. out of GPU memory) as one line
            raise AsrError(f"speech recognition failed: {_first_line(e)}") from None
        return self._result(segs, info.duration, None, "full", [])

    def _result(self, segs: list[Segment], duration: float, score: float | None, window: str,
                removed: list[str]) -> Transcript:
        short = duration if duration <= MAX_SHORT_S else None  # a few copies of short audio are counted on it
        kept = [s for s in segs if not degenerate_segment(s.text, s.no_speech_prob, s.confidence,
                                                          s.compression_ratio, short)]
        dropped = [s.text for s in segs if s not in kept and s.text]
        text, stripped = strip_hallucinations(" ".join(s.text for s in kept if s.text).strip())
        if score is None and kept:
            score = float(np.mean([s.avg_logprob for s in kept]))
        return Transcript(text, tuple(kept), duration, tuple(dropped + stripped + removed), score, window)
