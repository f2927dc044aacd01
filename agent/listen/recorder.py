"""The microphone: an always-open input stream, a pre-roll ring buffer, and begin()/end() around speech.

The stream runs from `open()` to `close()`, so the last `preroll_ms` of audio are always at hand: the
first syllable, spoken while the chord was still going down, is not lost. PortAudio's callback only
copies blocks into a queue, each with the time it was delivered; a worker thread downmixes and
resamples them (soxr) to 16 kHz mono float32, keeps the ring buffer, collects the recording and calls
`on_chunk` for each new piece (the hook for decoding while the key is still held). Any device rate or
channel count works.

The pre-roll is counted back from the moment the chord went down (`begin(at=...)`: the X server's time
of the key press), not from when begin() runs: on a busy machine the key event, the hotkey thread and
this worker can each be late by tens of milliseconds, and every one of them came out of the first
syllable (240 ms kept of 300 under a busy loop on both cores). The ring holds `LATE_S` more than the
pre-roll for that.

A block's time is when it was delivered, not when it was captured: after a stall (this process starved,
or a source that delivers a backlog at once) seconds of older audio arrive together, all stamped "now".
The recording never holds more than the clock allows since the chord (plus the pre-roll and `SLACK_S`):
the surplus is the oldest audio, captured before the chord, and is dropped. Without that a backlog
filled the recording to `max_seconds` within a second, and the speech after it was lost ("heard nothing").

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
from voxctl.agent.utterance import SAMPLE_RATE

Chunk = Callable[[np.ndarray], None]
BLOCK_MS = 20
STALL_S = 1.5  # no audio for this long while open: the device is gone
LATE_S = 1.0  # how late begin() may run after the chord went down, and still count back from the chord
SLACK_S = 0.5  # a recording longer than the clock allows by more than this holds a backlog (dropped)


class RecorderError(Exception):
    """The microphone cannot be used; str() is the one-line message for the user."""


def import_sounddevice() -> Any:
    try:
        import sounddevice
    except OSError:  # raised when the PortAudio shared library is missing
        raise RecorderError("the PortAudio library is missing: install it (Debian/Ubuntu: "
                            "sudo apt-get install libportaudio2; macOS: brew install portaudio)") from None
    return sounddevice


def input_devices() -> list[dict[str, Any]]:
    """Every device that can record: index, name, hostapi, channels, default rate, default flag."""
    sd = import_sounddevice()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0]
        hostapis = sd.query_hostapis()
    except sd.PortAudioError as e:
        raise RecorderError(f"cannot list audio devices: {e}") from None
    return [
        {"index": i, "name": d["name"], "hostapi": hostapis[d["hostapi"]]["name"],
         "channels": d["max_input_channels"], "rate": d["default_samplerate"], "default": i == default_in}
        for i, d in enumerate(devices) if d["max_input_channels"] > 0
    ]


def resolve_device(spec: str | int | None) -> int | None:
    """The PortAudio index for `audio.device` (None: the default input). Raises RecorderError."""
    devices = input_devices()
    if not devices:
        raise RecorderError("no audio input device found (is a microphone connected, or PulseAudio running?)")
    if spec is None or spec == "":
        return None
    if isinstance(spec, int) or str(spec).strip().isdigit():
        idx = int(spec)
        if any(d["index"] == idx for d in devices):
            return idx
        raise RecorderError(f"audio.device {idx} is not an input device; see `voxctl devices`")
    want = str(spec).casefold()
    hits = [d for d in devices if want in d["name"].casefold()]
    if not hits:
        names = ", ".join(repr(d["name"]) for d in devices)
        raise RecorderError(f"no input device matches {spec!r} (available: {names}); see `voxctl devices`")
    return hits[0]["index"]


def _open_error(e: Exception, device: Any) -> RecorderError:
    msg = str(e)
    low = msg.lower()
    name = "the default input" if device is None else f"input device {device}"
    if "unavailable" in low or "busy" in low or "-9985" in low:
        return RecorderError(f"{name} is busy or unavailable (another program using it, or unplugged?)")
    return RecorderError(f"cannot open {name}: {msg.splitlines()[0] if msg else type(e).__name__}")


class Recorder:
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

    # -- worker -------------------------------------------------------------------------------------
    def _work(self) -> None:
        keep = (self.config.preroll_ms * SAMPLE_RATE // 1000) + int(LATE_S * SAMPLE_RATE)
        while (item := self._queue.get()) is not None and not self._closing:
            block, delivered = item
            mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
            if self._resampler is not None:
                mono = self._resampler.resample_chunk(np.ascontiguousarray(mono, dtype=np.float32))
            mono = np.asarray(mono, dtype=np.float32)
            hit_max = False
            pre: np.ndarray | None = None
            out: np.ndarray | None = None
            with self._lock:
                self._ring.append((delivered, mono))
                self._ring_len += len(mono)
                while self._ring and self._ring_len - len(self._ring[0][1]) >= keep:
                    self._ring_len -= len(self._ring.popleft()[1])
                if self._begin_t is not None and delivered >= self._begin_t:
                    # The first block delivered after the chord: the recording is the pre-roll before the
                    # chord plus every block since (blocks still queued when begin() ran included).
                    pre, out = self._start_recording()
                elif self._rec is not None:
                    out = mono
                if out is not None and self._rec is not None and not self.max_reached:
                    out, hit_max = self._add(out, delivered)
                elif out is not None:
                    out = None
                self._processed_t = delivered
            if pre is not None and len(pre) and self.on_chunk is not None:
                self.on_chunk(pre)
            if out is not None and len(out) and self.on_chunk is not None:
                self.on_chunk(out)
            if hit_max and self.on_max is not None:
                self.on_max()
            if self.on_block is not None and len(mono):
                self.on_block(mono)

    def _start_recording(self) -> tuple[np.ndarray, np.ndarray]:
        """Split the ring at `_begin_t` (lock held): the recording starts with the last `preroll_ms` before
        it; returns (pre-roll, the audio after it so far, not yet added)."""
        keep = self.config.preroll_ms * SAMPLE_RATE // 1000
        at = self._begin_t if self._begin_t is not None else time.monotonic()
        before = [b for t, b in self._ring if t < at]
        after = [b for t, b in self._ring if t >= at]
        pre = np.concatenate(before) if before else np.zeros(0, np.float32)
        pre = pre[len(pre) - keep:] if keep else pre[:0]
        self._rec, self._rec_len, self._begin_t, self._from_t = [pre], len(pre), None, at
        return pre, np.concatenate(after) if after else np.zeros(0, np.float32)

    def _add(self, audio: np.ndarray, delivered: float) -> tuple[np.ndarray, bool]:
        """Append to the recording up to `max_seconds` (lock held); returns what was added, and whether
        the maximum was reached just now. `delivered`: when `audio` came (its end was captured by then)."""
        assert self._rec is not None
        # More than the clock allows since the chord: a backlog that came at once. Its oldest part was
        # captured before the chord; dropping it keeps the newest audio, which holds what is being said.
        allowed = self.config.preroll_ms * SAMPLE_RATE // 1000 + int((delivered - self._from_t + SLACK_S) * SAMPLE_RATE)
        excess = self._rec_len + len(audio) - max(allowed, 0)
        while excess > 0 and self._rec:
            head = self._rec[0]
            cut = min(excess, len(head))
            if cut == len(head):
                self._rec.pop(0)
            else:
                self._rec[0] = head[cut:]
            self._rec_len -= cut
            excess -= cut
        if excess > 0:
            audio = audio[excess:]
        limit = int(self.config.max_seconds * SAMPLE_RATE)
        out = audio[:max(0, limit - self._rec_len)]
        self._rec.append(out)
        self._rec_len += len(out)
        if self._rec_len >= limit:
            self.max_reached = True
            return out, True
        return out, False

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
