"""A virtual microphone: a private PulseAudio daemon whose default source is a FIFO fed in real time.

Used by `voxctl bench e2e` (the real recorder path, replayed) and by the tests. `start_pulse(dir)`
starts `pulseaudio` with its own runtime dir, socket and a minimal script (native protocol, anonymous
auth, `module-pipe-source source_name=mic`), makes `mic` the default source; exporting its
`PULSE_SERVER` makes PortAudio's ALSA "default" device (routed to PulseAudio by the pulse ALSA plugin
from libasound2-plugins, a dependency of Debian's pulseaudio) record from it.

A writer thread feeds the FIFO 20 ms at a time, paced by the clock: silence when idle, speech after
`mic.say(audio)`; time it could not write (nothing was recording) is skipped, not poured out later.
It never stops while the daemon runs, because PortAudio's stop() hangs on a source that stopped
delivering. `Pulse.close()` stops the writer, then the daemon; nothing in it blocks unbounded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RATE = 16000
BLOCK = RATE // 50  # 20 ms
MAX_BEHIND_S = 0.5  # the most the feeder writes ahead of real time to catch up after a stall


@dataclass
class Playback:
    """One `say()`: where its first sample sits in the fed stream, and when it was written."""

    samples: int
    start_sample: int = -1  # index in the whole fed stream (silence included) of the first speech sample
    started: float = 0.0  # time.monotonic() when its first block was written
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float = 30.0) -> bool:
        return self.done.wait(timeout)


class VirtualMic:
    """Feeds `fifo` in real time; `say(audio)` queues speech (16 kHz mono float32)."""

    def __init__(self, fifo: Path) -> None:
        self.fifo = fifo
        self.written = 0  # samples fed so far
        self._queue: list[tuple[np.ndarray, Playback]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.history: list[np.ndarray] = []  # everything fed, for aligning recordings with the source
        self._thread = threading.Thread(target=self._run, name="virtual-mic", daemon=True)

    def start(self) -> None:
        self._fd = os.open(self.fifo, os.O_WRONLY)  # pulseaudio holds the read end open already
        self._thread.start()

    def say(self, audio: np.ndarray) -> Playback:
        pb = Playback(len(audio))
        with self._lock:
            self._queue.append((np.asarray(audio, dtype=np.float32), pb))
        return pb

    def fed(self) -> np.ndarray:
        """All samples fed so far (float32), index = position in the stream."""
        with self._lock:
            return np.concatenate(self.history) if self.history else np.zeros(0, np.float32)

    def _next_block(self) -> np.ndarray:
        with self._lock:
            if not self._queue:
                return np.zeros(BLOCK, np.float32)
            audio, pb = self._queue[0]
            pos = getattr(pb, "_pos", 0)
            if pos == 0:
                pb.start_sample, pb.started = self.written, time.monotonic()
            block = audio[pos:pos + BLOCK]
            pb._pos = pos + len(block)  # type: ignore[attr-defined]
            if pb._pos >= len(audio):  # type: ignore[attr-defined]
                self._queue.pop(0)
                pb.done.set()
            if len(block) < BLOCK:
                block = np.concatenate([block, np.zeros(BLOCK - len(block), np.float32)])
            return block

    def _run(self) -> None:
        t0 = time.monotonic()
        while not self._stop.is_set():
            block = self._next_block()
            pcm = (np.clip(block, -1, 1) * 32767).astype("<i2").tobytes()
            try:
                os.write(self._fd, pcm)
            except OSError:  # the daemon went away: nothing left to feed
                return
            with self._lock:
                self.history.append(block)
                self.written += len(block)
            # Stay ~40 ms ahead of the clock: PulseAudio timestamps audio as it arrives. Never catch up
            # more than MAX_BEHIND_S: PulseAudio stops reading the FIFO while nothing records, and pouring
            # the missed time out when a recorder opens gave it minutes of silence at once (a real
            # microphone never delivers faster than real time; it loses what nobody read).
            delay = t0 + self.written / RATE - 0.04 - time.monotonic()
            if delay < -MAX_BEHIND_S:
                t0 -= delay + MAX_BEHIND_S
            if delay > 0:
                time.sleep(delay)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self._fd)


def _pactl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pactl", *args], env=env, capture_output=True, text=True, timeout=10)


class PulseUnavailable(RuntimeError):
    """pulseaudio is missing or would not start; str() says why in one line."""


@dataclass
class Pulse:
    """A running private PulseAudio daemon with a FIFO-fed default source `mic`."""

    proc: subprocess.Popen
    mic: VirtualMic
    env: dict[str, str]
    log: Path

    @property
    def server(self) -> str:
        return self.env["PULSE_SERVER"]

    def close(self) -> None:
        self.mic.close()
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start_pulse(d: Path) -> Pulse:
    """Start the daemon in the empty folder `d`; raises PulseUnavailable."""
    if not (shutil.which("pulseaudio") and shutil.which("pactl")):
        raise PulseUnavailable("pulseaudio is not installed (apt-get install pulseaudio); no virtual microphone")
    d.mkdir(parents=True, exist_ok=True)
    runtime = d / "run"
    runtime.mkdir(mode=0o700)
    socket, fifo = d / "native", d / "mic.fifo"
    script = d / "default.pa"
    script.write_text(
        f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1\n"
        f"load-module module-pipe-source source_name=mic file={fifo} format=s16le rate={RATE} channels=1\n"
        "set-default-source mic\n"
    )
    # HOME and XDG dirs point into the temp dir: the daemon writes its cookie and state there, never
    # into the real home. --system=false plus these lets it run as root (with a warning) in containers.
    env = dict(os.environ, HOME=str(d), XDG_RUNTIME_DIR=str(runtime), XDG_CONFIG_HOME=str(d / "config"),
               PULSE_SERVER=f"unix:{socket}")
    log = d / "pulseaudio.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--system=false", "--exit-idle-time=-1", "-n", "-F", str(script),
             "--use-pid-file=no", "--disable-shm=yes", "--log-target=stderr"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 10
    while _pactl(env, "info").returncode != 0 or not fifo.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(5)
            tail = log.read_text()[-300:].strip().replace("\n", " | ")
            raise PulseUnavailable(f"pulseaudio did not start: {tail}")
        time.sleep(0.1)
    mic = VirtualMic(fifo)
    mic.start()
    return Pulse(proc, mic, env, log)


def reinit_portaudio() -> None:
    """ALSA decides at PortAudio initialisation whether "default" goes to PulseAudio (only if a server
    answers then), so a PortAudio initialised earlier in this process must start over."""
    import sys

    if "sounddevice" in sys.modules:
        sd = sys.modules["sounddevice"]
        sd._terminate()
        sd._initialize()


@contextmanager
def serving(pulse: Pulse) -> Iterator[Pulse]:
    """This process records from `pulse` (PULSE_SERVER set, PortAudio re-initialised) until the block
    ends; then the daemon is stopped and PULSE_SERVER is what it was."""
    old = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = pulse.server
    reinit_portaudio()
    try:
        yield pulse
    finally:
        pulse.close()
        if old is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = old


@contextmanager
def bench_microphone(prefix: str) -> Iterator[tuple[Path, Pulse]]:
    """A benchmark's scratch folder and a private PulseAudio daemon this process records from, for the
    block; a daemon that cannot start is a one-line RuntimeError (the bench's error)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as d:
        tmp = Path(d)
        try:
            pulse = start_pulse(tmp / "pulse")
        except PulseUnavailable as e:
            raise RuntimeError(str(e)) from None
        with serving(pulse):
            yield tmp, pulse
