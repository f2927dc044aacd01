"""The dev set's audio (agent/benchmarks/devset.py): speech synthesized by espeak-ng or flite, and the
perturbation each clip gets, chosen by a seeded hash of (phrase, voice): tempo 0.85-1.3 and pitch +-300
cents (sox), pink/brown noise at 10-20 dB SNR, reverb (sox), and always the silence a hotkey press
leaves before and after the speech (0.1-0.5 s), sometimes with a key click in it.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.benchmarks import noises

SR = 16000


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def _resample(audio: np.ndarray, sr: int) -> np.ndarray:
    import soxr

    return np.asarray(soxr.resample(audio, sr, SR) if sr != SR else audio, dtype=np.float32)


# --- synthesis and perturbation --------------------------------------------------------------------
def synthesize(text: str, voice: str) -> np.ndarray:
    """Speech from espeak-ng ("en-us+m1", ...) or flite ("slt", ...), 16 kHz mono float32."""
    import soundfile as sf

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "s.wav"
        if "+" in voice:
            cmd = ["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), text]
        else:
            cmd = ["flite", "-voice", voice, "-t", text, "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)
        audio, sr = sf.read(out, dtype="float32", always_2d=True)
    return _resample(audio.mean(axis=1), sr)


def choose_perturbation(say: str, voice: str) -> dict[str, Any]:
    """The perturbation of one clip, chosen by a seeded hash of (phrase, voice)."""
    rng = random.Random(_hash("perturb", say, voice))
    spec: dict[str, Any] = {"gain": round(rng.uniform(0.3, 0.9), 3)}
    if rng.random() < 0.5:
        spec["tempo"] = round(rng.uniform(0.85, 1.3), 3)
    if rng.random() < 0.4:
        spec["pitch"] = rng.choice((-1, 1)) * rng.randrange(80, 301, 10)
    if rng.random() < 0.3:
        spec["reverb"] = rng.randrange(20, 80, 5)
    if rng.random() < 0.5:
        spec["noise"] = rng.choice(("pink", "brown"))
        spec["snr_db"] = round(rng.uniform(10.0, 20.0), 1)
    spec["lead_s"] = round(rng.uniform(0.1, 0.5), 2)
    spec["trail_s"] = round(rng.uniform(0.1, 0.5), 2)
    if rng.random() < 0.35:
        spec["click"] = rng.choice(("lead", "trail", "both"))
    spec["seed"] = rng.randrange(2**31)
    return spec


def describe(spec: dict[str, Any]) -> str:
    """One line: 'tempo 1.12, pitch -150 cents, pink noise 14.2 dB SNR, reverb 40, lead 0.23 s + click, ...'."""
    parts = []
    if "tempo" in spec:
        parts.append(f"tempo {spec['tempo']}")
    if "pitch" in spec:
        parts.append(f"pitch {spec['pitch']:+d} cents")
    if "reverb" in spec:
        parts.append(f"reverb {spec['reverb']}")
    if "noise" in spec:
        parts.append(f"{spec['noise']} noise {spec['snr_db']} dB SNR")
    click = spec.get("click", "")
    parts.append(f"lead {spec['lead_s']} s" + (" + click" if click in ("lead", "both") else ""))
    parts.append(f"trail {spec['trail_s']} s" + (" + click" if click in ("trail", "both") else ""))
    return ", ".join(parts) if len(parts) > 2 else "clean, " + ", ".join(parts)


def _sox_effects(audio: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    effects: list[str] = []
    if "tempo" in spec:
        effects += ["tempo", "-s", str(spec["tempo"])]
    if "pitch" in spec:
        effects += ["pitch", str(spec["pitch"])]
    if "reverb" in spec:
        effects += ["reverb", str(spec["reverb"])]
    if not effects:
        return audio
    import soundfile as sf

    with tempfile.TemporaryDirectory() as d:
        src, dst = Path(d) / "in.wav", Path(d) / "out.wav"
        sf.write(src, audio, SR, subtype="FLOAT")
        subprocess.run(["sox", "-G", str(src), "-r", str(SR), "-c", "1", str(dst), *effects],
                       check=True, capture_output=True, timeout=60)
        out, _ = sf.read(dst, dtype="float32", always_2d=True)
    return out.mean(axis=1).astype(np.float32)


def perturb(speech: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """`speech` with the perturbation `spec` (see choose_perturbation): sox effects, level, hotkey
    silence (and key clicks), then background noise over the whole clip at the spec's SNR."""
    rng = np.random.default_rng(spec.get("seed", 0))
    x = _sox_effects(np.asarray(speech, dtype=np.float32), spec)
    peak = float(np.max(np.abs(x))) or 1.0
    x = x * (spec.get("gain", 0.7) / peak)
    lead, trail = int(spec["lead_s"] * SR), int(spec["trail_s"] * SR)
    out = np.concatenate([np.zeros(lead, np.float32), x, np.zeros(trail, np.float32)])
    click = spec.get("click")
    if click in ("lead", "both"):
        noises.add_click(out, int(rng.uniform(0.2, 0.6) * lead), rng)
    if click in ("trail", "both"):
        noises.add_click(out, lead + len(x) + int(rng.uniform(0.3, 0.7) * trail), rng)
    if "noise" in spec:
        n = noises.colored(spec["noise"], len(out), rng)
        speech_power = float(np.mean(x.astype(np.float64) ** 2))
        n *= np.sqrt(speech_power / 10 ** (spec["snr_db"] / 10) / float(np.mean(n.astype(np.float64) ** 2)))
        out = out + n.astype(np.float32)
    return np.clip(out, -1.0, 1.0).astype(np.float32)
