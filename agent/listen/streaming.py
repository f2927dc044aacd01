"""Recognition while the chord is still held, so that little is left to do when it is released.

Whisper tiny.en decodes a 30 s window whatever the length of the speech (~300 ms on 2 CPU cores), so a
decoding started at release would alone miss the 150 ms target. People stop speaking a moment before
they let go of the keys: `EarlyRecognizer` watches the recording as it grows (silero VAD, the copy in
faster-whisper) and, as soon as the speech has been followed by `endpoint_ms` of silence, decodes
the speech so far in a worker thread. At release, `finish(audio)` checks the whole recording: if no
speech began after that decoding's cut, its transcript is the answer (nothing left to decode); if one
is still running on the right audio it is waited for; only otherwise is the recording decoded now.

The result is the same speech the silence gate would keep and the transcript of it, so the rest of
the pipeline cannot tell the difference, except in time (`Finished.timings`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voxctl.agent.config import AudioConfig
from voxctl.agent.listen.vad import speech_spans, trim_to_spans
from voxctl.agent.utterance import SAMPLE_RATE

POLL_S = 0.03  # how often new audio is looked at while the chord is held
TOLERANCE = 0.12 * SAMPLE_RATE  # span edges seen on a longer recording may move by a few VAD windows


Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Early:
    """A decoding made while the chord was held: the speech spans it covered, and their transcript."""

    spans: Spans
    transcript: Any  # transcript.Transcript


@dataclass
class Finished:
    speech: np.ndarray | None  # what the silence gate keeps; None: heard nothing
    transcript: Any = None  # transcript.Transcript of `speech`; None when there was no speech
    early: bool = False  # True when the transcript was made before the release
    timings: dict[str, float] = field(default_factory=dict)  # ms: vad, asr (time waited or decoded after release)


def same_speech(a: Spans, b: Spans) -> bool:
    return len(a) == len(b) and all(abs(x[0] - y[0]) <= TOLERANCE and abs(x[1] - y[1]) <= TOLERANCE
                                    for x, y in zip(a, b, strict=True))


class EarlyRecognizer:
    """`begin()` at the press, `feed(chunk)` per recorder chunk, `finish(audio)` at the release."""

    def __init__(self, transcriber: Any, audio: AudioConfig, endpoint_ms: int = 90) -> None:
        self.transcriber = transcriber
        self.audio = audio
        self.endpoint_ms = endpoint_ms
        self.endpoint = endpoint_ms * SAMPLE_RATE // 1000  # in samples
        self._lock = threading.Condition()
        self._chunks: list[np.ndarray] = []
        self._len = 0
        self._active = False
        self._seen = 0  # samples already looked at by the worker
        self._running: Spans | None = None  # the speech being decoded now
        self._done: Early | None = None  # the newest finished decoding of this utterance
        self._closed = False
        self._busy = False  # the worker is looking at a snapshot
        self.decodes = 0  # decodings started while held (for benchmarks)
        self._worker = threading.Thread(target=self._work, name="voxctl-early-asr", daemon=True)
        self._worker.start()

    # --- the recorder's side ---------------------------------------------------------------------------
    def begin(self) -> None:
        with self._lock:
            self._chunks, self._len, self._seen = [], 0, 0
            self._done = None
            self._active = True
            self._lock.notify_all()

    def feed(self, chunk: np.ndarray) -> None:
        with self._lock:
            if self._active:
                self._chunks.append(chunk)
                self._len += len(chunk)
                self._lock.notify_all()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._active = False
            self._lock.notify_all()

    # --- the worker ------------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (not self._active or self._len - self._seen < POLL_S * SAMPLE_RATE):
                    self._lock.wait(0.5)
                if self._closed:
                    return
                audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
                self._seen = len(audio)
                self._busy = True
            try:
                self._look(audio)
            except Exception:  # a failed early decoding only costs time: finish() decodes again
                pass
            finally:
                with self._lock:
                    self._running = None
                    self._busy = False
                    self._lock.notify_all()

    def idle(self) -> bool:
        """Everything fed so far has been looked at, and nothing is being decoded."""
        with self._lock:
            return not self._busy and self._len - self._seen < POLL_S * SAMPLE_RATE

    def _gate(self, audio: np.ndarray) -> tuple[Spans, np.ndarray | None]:
        """Speech spans ending after `endpoint_ms` of silence, and the speech the silence gate keeps."""
        spans = tuple(speech_spans(audio, self.audio.vad_threshold, min_silence_ms=self.endpoint_ms))
        return spans, trim_to_spans(audio, list(spans), self.audio.min_speech_ms)

    def _look(self, audio: np.ndarray) -> None:
        spans, speech = self._gate(audio)
        if not spans or len(audio) - spans[-1][1] < self.endpoint or speech is None:
            return  # no speech yet, still speaking, or too little speech
        with self._lock:
            if not self._active or (self._done is not None and same_speech(self._done.spans, spans)):
                return  # the utterance ended, or that speech is decoded already
            self._running = spans
            self.decodes += 1
        transcript = self.transcriber.transcribe(speech)
        with self._lock:
            self._running = None
            if self._active:  # a late result of a finished utterance is dropped
                self._done = Early(spans, transcript)
            self._lock.notify_all()

    # --- the release -----------------------------------------------------------------------------------
    def finish(self, audio: np.ndarray) -> Finished:
        """The gated speech of the whole recording and its transcript, reusing what was decoded early."""
        t0 = time.perf_counter()
        spans, speech = self._gate(audio)
        t1 = time.perf_counter()
        timings = {"vad": (t1 - t0) * 1000}
        with self._lock:
            # Wait for a decoding that is under way: of the right speech it is the answer; of stale
            # speech it still holds the model, so a new one could not start sooner anyway.
            while self._running is not None:
                if not same_speech(self._running, spans):
                    self._active = False  # its result is not wanted; no new early decoding either
                self._lock.wait(1.0)
            done, self._done = self._done, None
            self._active = False
            self._chunks, self._len = [], 0
        if speech is None:
            timings["asr"] = (time.perf_counter() - t1) * 1000
            return Finished(None, None, False, timings)
        if done is not None and same_speech(done.spans, spans):
            timings["asr"] = (time.perf_counter() - t1) * 1000
            return Finished(speech, done.transcript, True, timings)
        transcript = self.transcriber.transcribe(speech)
        timings["asr"] = (time.perf_counter() - t1) * 1000
        return Finished(speech, transcript, False, timings)
