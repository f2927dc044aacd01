"""Generated non-speech for the dev set: what a microphone hears when the chord is held and nobody
speaks a command (silence, breathing, typing, room noise, music), and the noise mixed under speech.

Everything is seeded numpy: the same (name, seed) gives the same samples on every machine.
"""

from __future__ import annotations

import numpy as np

SR = 16000

# (name, seed): each name twice or three times, with different seeds (durations, levels, rhythms)
CATALOGUE: tuple[tuple[str, int], ...] = tuple(
    (name, seed) for name in ("silence", "room tone", "breathing", "keyboard typing", "mouse clicks",
                              "pink noise", "brown noise", "mains hum", "music tones", "chord stabs")
    for seed in (1, 2, 3))


def colored(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` samples of 'white', 'pink' (1/f power) or 'brown' (1/f^2) noise, unit RMS."""
    white = rng.standard_normal(n)
    if kind == "white" or n < 4:
        x = white
    else:
        spec = np.fft.rfft(white)
        f = np.fft.rfftfreq(n, 1 / SR)
        f[0] = f[1]
        spec *= (1 / np.sqrt(f)) if kind == "pink" else (1 / f)
        spec[f < 20] = 0  # no DC or subsonic drift: a microphone's high-pass
        x = np.fft.irfft(spec, n)
    x = x - x.mean()
    return (x / (np.sqrt(np.mean(x**2)) or 1.0)).astype(np.float32)


def add_click(out: np.ndarray, pos: int, rng: np.random.Generator, level: float | None = None) -> None:
    """A key or mouse click (a few ms of decaying broadband transient) added at sample `pos`, in place."""
    n = int(rng.uniform(0.004, 0.015) * SR)
    pos = max(0, min(len(out) - n, pos))
    if n <= 0 or pos < 0:
        return
    env = np.exp(-np.arange(n) / (n / 5))
    amp = level if level is not None else rng.uniform(0.05, 0.3)
    out[pos:pos + n] += (amp * env * rng.uniform(-1, 1, n)).astype(np.float32)


def _tone(freq: float, n: int, harmonics: int = 4) -> np.ndarray:
    t = np.arange(n) / SR
    x = sum(np.sin(2 * np.pi * freq * k * t) / k for k in range(1, harmonics + 1))
    env = np.minimum(1.0, np.minimum(np.arange(n), n - np.arange(n)) / (0.01 * SR))
    return x * env * np.exp(-t * 2.5)


def make(name: str, seed: int) -> np.ndarray:
    """The clip `name` of CATALOGUE, 0.8-3 s, float32 16 kHz mono."""
    rng = np.random.default_rng(seed * 7919 + sum(map(ord, name)))
    n = int(rng.uniform(0.8, 3.0) * SR)
    out = np.zeros(n, np.float32)
    if name == "silence":
        out += colored("white", n, rng) * 1e-4
    elif name == "room tone":
        out += colored("pink", n, rng) * rng.uniform(0.002, 0.01)
    elif name == "breathing":
        t = np.arange(n) / SR
        rate = rng.uniform(0.6, 1.2)  # breaths per second, in and out
        env = np.clip(np.sin(2 * np.pi * rate * t / 2), 0, None) ** 2
        spec = np.fft.rfft(colored("white", n, rng))
        f = np.fft.rfftfreq(n, 1 / SR)
        spec[(f < 300) | (f > 3000)] = 0
        out += (np.fft.irfft(spec, n) * env * rng.uniform(0.02, 0.08)).astype(np.float32)
    elif name in ("keyboard typing", "mouse clicks"):
        gap = (0.08, 0.25) if name == "keyboard typing" else (0.2, 0.6)
        pos = int(rng.uniform(0.05, 0.2) * SR)
        while pos < n - 400:
            add_click(out, pos, rng)
            pos += int(rng.uniform(*gap) * SR)
        out += colored("white", n, rng) * 1e-4
    elif name in ("pink noise", "brown noise"):
        out += colored(name.split()[0], n, rng) * rng.uniform(0.01, 0.1)
    elif name == "mains hum":
        t = np.arange(n) / SR
        base = rng.choice((50.0, 60.0))
        out += (sum(np.sin(2 * np.pi * base * k * t) / k for k in (1, 2, 3)) * rng.uniform(0.01, 0.05)
                ).astype(np.float32)
    elif name == "music tones":  # a little melody of harmonic notes
        pos = 0
        while pos < n:
            step = int(rng.uniform(0.15, 0.4) * SR)
            note = 220.0 * 2 ** (rng.integers(0, 24) / 12)
            seg = _tone(note, min(step, n - pos))
            out[pos:pos + len(seg)] += (seg * 0.1).astype(np.float32)
            pos += step
    elif name == "chord stabs":
        pos = 0
        while pos < n:
            step = int(rng.uniform(0.3, 0.7) * SR)
            root = 130.8 * 2 ** (rng.integers(0, 12) / 12)
            length = min(step, n - pos)
            seg = sum(_tone(root * 2 ** (i / 12), length) for i in (0, 4, 7))
            out[pos:pos + length] += (seg * 0.06).astype(np.float32)
            pos += step
    else:
        raise ValueError(f"unknown noise {name!r}")
    return np.clip(out, -1.0, 1.0).astype(np.float32)
