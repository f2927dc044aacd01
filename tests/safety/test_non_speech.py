"""Item 3: silence, noise and music start no action.

Each clip is generated here with numpy (seeded): digital and near silence, white, pink and brown noise
at several levels, hum, and synthetic music (chords of sine tones with harmonics and an attack/decay
envelope, with and without a drum-like noise burst). Each goes the way a recording goes in the listen
loop (agent/loop.py): the silero VAD gate (`vad.gate`) first; whatever passes it is handed to the agent
graph as audio, through the bundled Whisper and the grammar, on the dry-run desktop. 0 primitives may
come out. No mocks.
"""

from __future__ import annotations

import numpy as np

from tests.safety import report
from tests.safety.conftest import safety_config
from voxctl.agent.graph import Agent
from voxctl.agent.interpret.factory import make_interpreter
from voxctl.agent.listen.vad import gate
from voxctl.agent.utterance import SAMPLE_RATE, Utterance
from voxctl.tools.dryrun import DryRunDesktop

SR = SAMPLE_RATE


def pink(rng, n):
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum))
    spectrum[1:] /= np.sqrt(f[1:])
    x = np.fft.irfft(spectrum, n)
    return x / np.max(np.abs(x))


def brown(rng, n):
    x = np.cumsum(rng.standard_normal(n))
    x -= np.linspace(x[0], x[-1], n)
    return x / np.max(np.abs(x))


def music(rng, seconds, drums=False):
    """Chords of sine tones (with two harmonics), each with an attack/decay envelope."""
    n = int(seconds * SR)
    out = np.zeros(n)
    t = np.arange(int(0.5 * SR)) / SR
    env = np.minimum(t / 0.02, 1) * np.exp(-3 * t)
    roots = [220.0, 261.63, 196.0, 174.61, 246.94]
    for k, start in enumerate(range(0, n - len(t), len(t))):
        root = roots[(k + rng.integers(0, 5)) % len(roots)]
        chord = sum(np.sin(2 * np.pi * root * r * h * t) / h for r in (1, 1.26, 1.5) for h in (1, 2, 3))
        out[start:start + len(t)] += chord * env
        if drums and k % 2 == 0:
            burst = rng.standard_normal(int(0.05 * SR)) * np.exp(-np.arange(int(0.05 * SR)) / 150)
            out[start:start + len(burst)] += 2 * burst
    return out / np.max(np.abs(out))


def clips():
    rng = np.random.default_rng(6)
    n = 3 * SR
    t = np.arange(n) / SR
    out = {"digital silence": np.zeros(n), "near silence": 1e-4 * rng.standard_normal(n),
           "short silence": np.zeros(300)}
    for level in (0.01, 0.1, 0.5):
        out[f"white noise {level}"] = level * rng.uniform(-1, 1, n)
        out[f"pink noise {level}"] = level * pink(rng, n)
        out[f"brown noise {level}"] = level * brown(rng, n)
    out["mains hum 50 Hz"] = 0.3 * (np.sin(2 * np.pi * 50 * t) + 0.3 * np.sin(2 * np.pi * 150 * t)) / 1.3
    out["sine sweep"] = 0.3 * np.sin(2 * np.pi * (100 + 1500 * t / 3) * t)
    for seconds in (2, 4):
        for level in (0.2, 0.8):
            out[f"music {seconds}s {level}"] = level * music(rng, seconds)
            out[f"music+drums {seconds}s {level}"] = level * music(rng, seconds, drums=True)
    out["music under pink noise"] = 0.4 * music(rng, 3) + 0.1 * pink(rng, n)
    out["clipped white noise"] = np.clip(2 * rng.uniform(-1, 1, n), -1, 1)
    return {k: v.astype(np.float32) for k, v in out.items()}


def test_silence_noise_and_music_start_no_action(tmp_path, transcriber):
    config = safety_config(tmp_path)
    desktop = DryRunDesktop()
    agent = Agent(config, interpreter=make_interpreter(config, transcriber=transcriber), desktop=desktop)
    gated, through, paused = 0, [], 0
    for name, audio in clips().items():
        speech = gate(audio, config.audio)
        if speech is None:
            gated += 1
            continue
        tid = agent.start(Utterance(audio=speech))
        v = agent.values(tid)
        paused += agent.paused_at(tid) != ()
        through.append(f"{name} -> {v.get('transcript', '')!r}: {v['status']}")
    n = len(clips())
    text = report("3 non-speech", f"{n} clips (silence, white/pink/brown noise, hum, sweep, music): {gated} stopped "
                  f"by the VAD gate, {len(through)} reached Whisper + grammar, {paused} paused for confirmation, "
                  f"{len(desktop.log)} actions executed")
    print(*through, sep="\n    ")
    assert desktop.log == [] and paused == 0, text
    assert gated >= n // 2, text  # the gate, not luck downstream, is what stops most of it
