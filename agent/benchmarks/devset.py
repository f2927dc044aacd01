"""The broad spoken dev set: many synthetic voices, perturbed as real rooms and hotkeys perturb speech.

`build_devset(split, voices, limit) -> list[Clip]`. Phrases: the commands of tests/data/spoken_commands.yaml
(with the plan each must give; its plan-less entries are non-commands), the everyday sentences of
tests/data/non_commands.yaml (no action is right), generated non-speech (silence, breathing, keys,
noise, tones) and a few real human recordings (tests/data/human/, non-commands).

Voices: espeak-ng variants and flite voices only (festival, MBROLA and Piper voices are kept for
independent evaluation and never used here). flite's `awb_time` is a limited-domain voice that can only
say clock times, so it is not used. Every clip gets a perturbation chosen by a seeded hash of (phrase,
voice): tempo 0.85-1.3 and pitch +-300 cents (sox), pink/brown noise at 10-20 dB SNR, reverb (sox),
and always the silence a hotkey press leaves before and after the speech (0.1-0.5 s), sometimes with a
key click in it.

Splits: a phrase belongs to `heldout` by a hash of its text (about a quarter); some voices are held out
entirely. `dev` = dev phrases x dev voices; `heldout` = held-out phrases (any voice) or held-out voices
(any phrase). Tune on `dev`, report both. `limit` keeps the first N clips of each voice, in an order
that mixes commands and non-commands in proportion (so a small limit is still a mixed sample).

Clips are cached on disk ($VOXCTL_DEVSET_CACHE, else ~/.cache/voxctl/devset/<hash>.npy) and loaded
memory-mapped: a second build takes seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from voxctl.agent.benchmarks import noises

SR = 16000
VERSION = 1  # bump when synthesis or perturbation changes, so that cached clips are rebuilt
DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
NON_COMMANDS = DATA / "non_commands.yaml"
HUMAN_DIR = DATA / "human"
NOISE, HUMAN = "noise", "human"  # the pseudo-voices of generated non-speech and real recordings

_ESPEAK = [f"en-us+m{i}" for i in range(1, 8)] + [f"en-us+f{i}" for i in range(1, 6)] + \
          ["en-us+klatt", "en-us+klatt2", "en-us+klatt3"]
_FLITE = ["slt", "rms", "awb", "kal16", "kal"]
VOICES_HELDOUT: tuple[str, ...] = ("en-us+m3", "en-us+f3", "en-us+klatt2", "kal")
VOICES_DEV: tuple[str, ...] = tuple(v for v in _ESPEAK + _FLITE if v not in VOICES_HELDOUT)
HELDOUT_SHARE = 25  # percent of phrases held out


@dataclass(frozen=True)
class Clip:
    audio: np.ndarray  # float32 16 kHz mono (read-only, memory-mapped from the cache)
    say: str
    plan: list  # expected ActionCalls; [] for non-commands and noise
    voice: str
    perturbation: str
    kind: str  # "command" | "non_command" | "noise"


@dataclass(frozen=True)
class _Item:
    say: str
    plan: list
    kind: str


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def phrase_split(say: str) -> str:
    """'heldout' for about HELDOUT_SHARE% of phrases (by a hash of the text), else 'dev'."""
    return "heldout" if _hash("split", say.casefold().strip()) % 100 < HELDOUT_SHARE else "dev"


def voice_split(voice: str) -> str:
    return "heldout" if voice in VOICES_HELDOUT else "dev"


def macros() -> dict[str, Any]:
    """The spoken set's macros (so that "start my day" has a macro to run)."""
    from voxctl.agent.benchmarks.interpret import load_spoken_set

    return load_spoken_set()[0]


def hint_as_listen(transcriber: Any, config: Any, macros: dict[str, Any], windows: Any = ()) -> None:
    """The recogniser's hint as `voxctl listen` gives it (ListenLoop.hint_names): the session's configured and
    installed apps and `macros`, and the titles of the `windows` open (none on a bench without a desktop)."""
    from voxctl.agent.session import Session

    transcriber.set_vocabulary(window_titles=windows, **Session.build(config, macros=macros).vocabulary())


def _phrases() -> list[_Item]:
    from voxctl.agent.benchmarks.interpret import load_spoken_set

    items = [_Item(c.say, list(c.plan), "command" if c.plan else "non_command") for c in load_spoken_set()[1]]
    data = yaml.safe_load(NON_COMMANDS.read_text(encoding="utf-8"))
    for group in data.values():
        items += [_Item(str(s), [], "non_command") for s in group]
    return items


def human_clips() -> list[tuple[str, np.ndarray]]:
    """(name, audio) of the real recordings in tests/data/human/ (16 kHz mono float32)."""
    import soundfile as sf

    out = []
    for p in sorted(HUMAN_DIR.glob("*.flac")) + sorted(HUMAN_DIR.glob("*.wav")):
        audio, sr = sf.read(p, dtype="float32", always_2d=True)
        out.append((p.stem, _resample(audio.mean(axis=1), sr)))
    return out


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


# --- the cache -------------------------------------------------------------------------------------
def cache_dir() -> Path:
    env = os.environ.get("VOXCTL_DEVSET_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voxctl" / "devset"


def _cached(key: dict[str, Any], make: Any) -> np.ndarray:
    d = cache_dir()
    path = d / (hashlib.sha256(json.dumps({"v": VERSION, **key}, sort_keys=True).encode()).hexdigest()[:32] + ".npy")
    if not path.exists():
        d.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{id(key)}.tmp.npy")
        np.save(tmp, np.asarray(make(), dtype=np.float32))
        os.replace(tmp, path)
    return np.load(path, mmap_mode="r")


def _speech_clip(item: _Item, voice: str) -> Clip:
    spec = choose_perturbation(item.say, voice)
    audio = _cached({"say": item.say, "voice": voice, "spec": spec},
                    lambda: perturb(synthesize(item.say, voice), spec))
    return Clip(audio, item.say, item.plan, voice, describe(spec), item.kind)


# --- the set ---------------------------------------------------------------------------------------
def _order(items: list[_Item], voice: str) -> list[_Item]:
    """Each kind shuffled by a per-voice hash, then merged in proportion (a prefix is a mixed sample);
    every kind starts at 0, "command" first, so one clip per voice is a command whatever the set sizes."""
    by_kind: dict[str, list[_Item]] = {}
    for it in items:
        by_kind.setdefault(it.kind, []).append(it)
    keyed = []
    for kind, group in by_kind.items():
        group.sort(key=lambda it: _hash("order", voice, it.say))
        keyed += [(i / len(group), kind, it) for i, it in enumerate(group)]
    return [it for _, _, it in sorted(keyed, key=lambda k: (k[0], k[1]))]


def _check_voices(split: str, voices: list[str] | None) -> list[str]:
    if split not in ("dev", "heldout"):
        raise ValueError(f"unknown split {split!r}: dev or heldout")
    known = (*VOICES_DEV, *VOICES_HELDOUT, NOISE, HUMAN)
    if voices is None:
        return [*VOICES_DEV, *(VOICES_HELDOUT if split == "heldout" else ()), NOISE, HUMAN]
    bad = [v for v in voices if v not in known]
    if bad:
        raise ValueError(f"unknown voice(s) {', '.join(bad)}; known: {', '.join(known)}")
    held = [v for v in voices if v in VOICES_HELDOUT]
    if split == "dev" and held:
        raise ValueError(f"{', '.join(held)} held out: not in the dev split (use split='heldout')")
    return list(voices)


def build_devset(split: str = "dev", voices: list[str] | None = None, limit: int | None = None) -> list[Clip]:
    """The clips of `split` for `voices` (default: all of the split's voices, generated non-speech and
    the human recordings); `limit`: at most N clips per voice. Deterministic; synthesized clips cached."""
    wanted = _check_voices(split, voices)
    phrases = _phrases()
    jobs: list[tuple[_Item, str]] = []
    clips: list[Clip] = []
    for voice in wanted:
        if voice == NOISE:
            clips += _noise_clips(split, limit)
            continue
        if voice == HUMAN:
            clips += _human_clips(split, limit)
            continue
        whole_voice = split == "heldout" and voice_split(voice) == "heldout"
        mine = [it for it in phrases if whole_voice or phrase_split(it.say) == split]
        jobs += [(it, voice) for it in _order(mine, voice)[:limit]]
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        speech = list(pool.map(lambda job: _speech_clip(*job), jobs))
    return speech + clips


def _noise_clips(split: str, limit: int | None) -> list[Clip]:
    out = []
    for name, seed in noises.CATALOGUE:
        if phrase_split(f"{name} #{seed}") != split:
            continue
        audio = _cached({"noise": name, "seed": seed}, lambda n=name, s=seed: noises.make(n, s))
        out.append(Clip(audio, f"({name})", [], NOISE, "generated", "noise"))
    out.sort(key=lambda c: _hash("order", NOISE, c.say, str(len(c.audio))))  # a prefix mixes the kinds
    return out[:limit]


def _human_clips(split: str, limit: int | None) -> list[Clip]:
    out = []
    for name, audio in human_clips():
        if phrase_split(f"human:{name}") == split:
            out.append(Clip(audio, f"(human: {name})", [], HUMAN, "recorded", "non_command"))
    return out[:limit]


def summary(clips: list[Clip]) -> dict[str, dict[str, int]]:
    """Clip counts per voice and kind."""
    out: dict[str, dict[str, int]] = {}
    for c in clips:
        out.setdefault(c.voice, {}).setdefault(c.kind, 0)
        out[c.voice][c.kind] += 1
    return out
