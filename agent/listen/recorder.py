"""The microphone: an always-open input stream, a pre-roll ring buffer, and begin()/end() around speech.

The stream runs from `open()` to `close()`, so the last `preroll_ms` of audio are always at hand: the
first syllable, spoken while the chord was still going down, is not lost. PortAudio's callback only
copies blocks into a queue, each with the time it was delivered; a worker thread downmixes and
resamples them (soxr) to 16 kHz mono float32, keeps the ring buffer, collects the recording and calls
`on_chunk` for each new piece (the hook for decoding while the key is still held). Any device rate or
channel count works.

The worker, and how the pre-roll is counted back from the chord and a backlog is dropped, is
agent/listen/recorder_worker.py (`RecorderWorker`); finding the device is agent/listen/mic_devices.py.
Errors a user can cause (no PortAudio, no or wrong device, busy, unplugged) are `RecorderError`s whose
str() is one line.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from voxctl.agent.config import AudioConfig
from voxctl.agent.listen.mic_devices import RecorderError, _open_error, import_sounddevice, resolve_device
from voxctl.agent.listen.recorder_worker import LATE_S, RecorderWorker
from voxctl.agent.utterance import SAMPLE_RATE

Chunk = Callable[[np.ndarray], None]
BLOCK_MS = 20
STALL_S = 1.5  # no audio for this long while open: the device is gone


class Recorder(RecorderWorker):
    """`open()` once; then `begin()` ... `end() -> audio` per utterance; `close()` at exit.

    `samplerate`/`channels` force what is asked of the device (tests use them to exercise the
    resampling path); by default 16 kHz mono is asked for and the device's own format is the fallback.
    `on_max` is called once when a recording reaches `max_seconds`; the recording stops growing there.
    """

    def __init__(
        self,
        config: AudioConfig | None = None,
        *,
        samplerate: int | None = None,
        channels: int | None = None,
        on_chunk: Chunk | None = None,
        on_max: Callable[[], None] | None = None,
        on_block: Chunk | None = None,
    ) -> None:
        self.config = config or AudioConfig()
        self.on_chunk = on_chunk
        self.on_block = on_block  # every 16 kHz block, recording or not (hands-free VAD: listen/always.py)
        self.on_max = on_max
        self._want = (samplerate, channels)
        self._stream: Any = None
        self._queue: queue.Queue[tuple[np.ndarray, float] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._ring: collections.deque[tuple[float, np.ndarray]] = collections.deque()  # (delivered, block)
        self._ring_len = 0
        self._rec: list[np.ndarray] | None = None
        self._rec_len = 0
        self._begin_t: float | None = None  # begin() was called then; the worker starts the recording
        self._from_t = 0.0  # the recording counts from then (the chord); see _add
        self._processed_t = 0.0  # monotonic time the newest processed block was delivered
        self._worker: threading.Thread | None = None
        self._resampler: Any = None
        self.rate = SAMPLE_RATE
        self.channels = 1
        self.device: int | None = None
        self.max_reached = False
        self.error: str | None = None
        self._closing = False

    # -- stream -------------------------------------------------------------------------------------
    def open(self) -> Recorder:
        sd = import_sounddevice()
        self.device = resolve_device(self.config.device)
        info = sd.query_devices(self.device, "input")
        native = (int(info["default_samplerate"]), max(1, min(2, int(info["max_input_channels"]))))
        rate, ch = self._want
        tries = [(rate or SAMPLE_RATE, ch or 1)]
        if rate is None:
            tries += [(native[0], ch or 1), native]
        last: Exception | None = None
        for r, c in dict.fromkeys(tries):
            try:
                stream = sd.InputStream(
                    device=self.device, samplerate=r, channels=c, dtype="float32",
                    blocksize=r * BLOCK_MS // 1000, callback=self._callback, finished_callback=self._finished)
            except (sd.PortAudioError, ValueError) as e:
                last = e
                continue
            self.rate, self.channels, self._stream = r, c, stream
            break
        else:
            raise _open_error(last or RuntimeError("no usable format"), self.config.device)
        if self.rate != SAMPLE_RATE:
            import soxr

            self._resampler = soxr.ResampleStream(self.rate, SAMPLE_RATE, 1, dtype="float32")
        self._closing = False
        self._worker = threading.Thread(target=self._work, name="voxctl-recorder", daemon=True)
        self._worker.start()
        try:
            self._stream.start()
        except sd.PortAudioError as e:
            self.close()
            raise _open_error(e, self.config.device) from None
        self._processed_t = time.monotonic()
        return self

    def __enter__(self) -> Recorder:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the stream; never blocks for more than ~2 s even if the device stopped delivering."""
        stream, self._stream = self._stream, None
        if stream is not None:
            # abort() drops buffered audio instead of draining it; a device that stopped delivering can
            # still hang inside PortAudio, so it runs in a daemon thread that we wait for a bounded time.
            t = threading.Thread(target=lambda: (stream.abort(), stream.close()), daemon=True)
            t.start()
            t.join(2.0)
        if self._worker is not None:
            self._closing = True  # a backlog of blocks (a busy machine) is dropped, not fed to the VAD first
            self._queue.put(None)
            self._worker.join(2.0)
            self._worker = None

    def _callback(self, indata: np.ndarray, frames: int, t: Any, status: Any) -> None:
        self._queue.put((indata.copy(), time.monotonic()))  # nothing slow here: PortAudio's thread

    def _finished(self) -> None:
        if self._stream is not None:  # finished without close(): the device went away
            self.error = "the audio input device stopped (unplugged, or its server went away?)"

    # -- utterances ---------------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self._rec is not None or self._begin_t is not None

    def begin(self, at: float | None = None) -> None:
        """Start a recording of the audio delivered from `at` on (time.monotonic(); default now: pass when
        the chord went down), after the `preroll_ms` before it.

        Blocks delivered before `at` go to the pre-roll even when the worker still holds them; blocks
        delivered since `at` but already processed (begin() ran late) start the recording. `at` is
        clamped to the last `LATE_S` seconds, which the ring still holds."""
        self._check()
        now = time.monotonic()
        with self._lock:
            self._rec, self._rec_len = None, 0
            self._begin_t = now if at is None else min(now, max(at, now - LATE_S))
            self.max_reached = False

    def end(self) -> np.ndarray:
        """Stop the recording and return it (16 kHz mono float32), including audio up to this call."""
        asked = time.monotonic()
        deadline = asked + 0.5
        # Blocks captured before this call may still be in PortAudio's buffer or our queue.
        while self._processed_t < asked and time.monotonic() < deadline and self.error is None:
            time.sleep(0.005)
        with self._lock:
            if self._rec is None and self._begin_t is not None:  # no block after the chord was processed yet
                _, after = self._start_recording()
                self._add(after, asked)
            parts, self._rec, self._begin_t = self._rec or [], None, None
        self._check()
        return np.concatenate(parts).astype(np.float32, copy=False) if parts else np.zeros(0, np.float32)

    def elapsed(self) -> float:
        """Seconds recorded so far (pre-roll included)."""
        return self._rec_len / SAMPLE_RATE if self._rec is not None else 0.0

    def _check(self) -> None:
        if self._stream is None:
            raise RecorderError("the recorder is not open")
        if self.error is None and time.monotonic() - self._processed_t > STALL_S:
            self.error = "the audio input device stopped delivering audio (unplugged?)"
        if self.error is not None:
            raise RecorderError(self.error)
