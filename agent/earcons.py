"""Earcons: short tones that say what voxctl is doing, made in code (no sound files).

One row per cue: its notes (Hz) and how long each lasts. Rising pairs mean "on", falling pairs "off";
a single high blip is "understood", a low buzz "failed", a double blip a question. `Earcons.play(cue)`
returns at once; a daemon thread plays the cues one after another on the default output: through
PulseAudio's (or PipeWire's) `pacat` in its own process where it exists, so that opening an output
device never happens inside the process whose PortAudio stream is the microphone (under load, an output
stream that would not start there was seen to take the recording down with it); through sounddevice
otherwise. `sounding()` is True while a cue plays (and `TAIL_S` after), so the always-on microphone can
ignore voxctl's own sounds.

`handsfree.earcons`: "auto" plays them only where there is an audio output device; "on" always (an
error at start when there is none); "off" never.
"""

from __future__ import annotations

import collections
import queue
import shutil
import subprocess
import threading
import time
from typing import Any

import numpy as np

RATE = 22050
TAIL_S = 0.15  # the room's echo of a cue, still not speech
PLAYED_KEPT = 64  # cues remembered in `played` (a session of hours plays thousands)

# cue -> ((frequency Hz, seconds), ...): the one table of sounds.
CUES: dict[str, tuple[tuple[float, float], ...]] = {
    "listening_on": ((660, 0.07), (990, 0.09)),
    "listening_off": ((990, 0.07), (660, 0.09)),
    "awake": ((523, 0.06), (784, 0.06), (1047, 0.08)),
    "asleep": ((1047, 0.06), (784, 0.06), (523, 0.08)),
    "recording": ((880, 0.06),),
    "recorded": ((587, 0.06),),
    "understood": ((1319, 0.05),),
    "done": ((784, 0.05), (1175, 0.07)),
    "failed": ((220, 0.18),),
    "confirm": ((1175, 0.06), (0, 0.05), (1175, 0.06)),
}


def tone(cue: str, volume: float = 0.3, rate: int = RATE) -> np.ndarray:
    """The cue's samples (mono float32): sine notes with 8 ms fades, so nothing clicks."""
    parts = []
    for freq, seconds in CUES[cue]:
        n = int(seconds * rate)
        t = np.arange(n) / rate
        note = np.sin(2 * np.pi * freq * t) if freq else np.zeros(n)
        fade = min(n // 2, int(0.008 * rate))
        if fade:
            ramp = np.linspace(0, 1, fade)
            note[:fade] *= ramp
            note[n - fade:] *= ramp[::-1]
        parts.append(note)
    return (np.concatenate(parts) * volume).astype(np.float32)


def output_available() -> bool:
    """Whether sounddevice has a default output device (no PortAudio or no device: False)."""
    try:
        import sounddevice as sd

        sd.query_devices(kind="output")
        return True
    except Exception:  # OSError without PortAudio, PortAudioError/ValueError without a device
        return False


class Earcons:
    """`play(cue)`; `sounding()`; `close()`. Disabled (every call a no-op) when `enabled` is False."""

    def __init__(self, enabled: bool = True, volume: float = 0.3) -> None:
        self.enabled = enabled
        self.volume = volume
        self.played: collections.deque[str] = collections.deque(maxlen=PLAYED_KEPT)  # the last cues played
        self._until = 0.0
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        if enabled:
            self._thread = threading.Thread(target=self._run, name="voxctl-earcons", daemon=True)
            self._thread.start()

    @classmethod
    def from_config(cls, config: Any) -> Earcons:
        mode = config.earcons
        if mode == "on" and not output_available():
            raise RuntimeError("handsfree.earcons is on but there is no audio output device")
        return cls(mode == "on" or (mode == "auto" and output_available()), config.earcon_volume)

    def play(self, cue: str) -> None:
        if cue not in CUES:
            raise ValueError(f"unknown earcon {cue!r}")
        if self.enabled:
            self._until = max(self._until, time.monotonic() + 0.3)  # until the player says how long
            self._queue.put(cue)

    def sounding(self) -> bool:
        return time.monotonic() < self._until

    def _run(self) -> None:
        while (cue := self._queue.get()) is not None:
            samples = tone(cue, self.volume)
            self._until = time.monotonic() + len(samples) / RATE + 0.1  # + the output's latency
            try:
                if (pacat := shutil.which("pacat")) is not None:
                    subprocess.run([pacat, "--playback", "--raw", "--format=float32le", f"--rate={RATE}",
                                    "--channels=1", "--latency-msec=40"], input=np.asarray(samples, "<f4").tobytes(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=5, check=True)
                    self.played.append(cue)
                else:
                    import sounddevice as sd

                    # Not blocking=True: a thread blocked in PortAudio's write held up the exit at Ctrl+C.
                    sd.play(samples, RATE)
                    self.played.append(cue)
                    time.sleep(len(samples) / RATE + 0.05)
            except Exception:  # the output went away: cues are a courtesy, never an error
                pass
            self._until = time.monotonic() + TAIL_S

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(1.0)
            self._thread = None
