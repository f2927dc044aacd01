"""The broad spoken dev set: many synthetic voices, perturbed as real rooms and hotkeys perturb speech.

`build_devset(split, voices, limit) -> list[Clip]`. Phrases: the commands of tests/data/spoken_commands.yaml
(with the plan each must give; its plan-less entries are non-commands), the everyday sentences of
tests/data/non_commands.yaml (no action is right), generated non-speech (silence, breathing, keys,
noise, tones) and a few real human recordings (tests/data/human/, non-commands).

Voices: espeak-ng variants and flite voices only (festival, MBROLA and Piper voices are kept for
independent evaluation and never used here). flite's `awb_time` is a limited-domain voice that can only
say clock times, so it is not used. Every clip gets a perturbation chosen by a seeded hash of (phrase,
voice): the synthesis and the perturbations are agent/benchmarks/devset_audio.py.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from voxctl.agent.benchmarks import noises
from voxctl.agent.benchmarks.devset_audio import (
    _hash,
    _resample,
    choose_perturbation,
    describe,
    perturb,
    synthesize,
)

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


def phrase_split(say: str) -> str:
    """'heldout' for about HELDOUT_SHARE% of phrases (by a hash of the text), else 'dev'."""
    return "heldout" if _hash("split", say.casefold().strip()) % 100 < HELDOUT_SHARE else "dev"


def voice_split(voice: str) -> str:
    return "heldout" if voice in VOICES_HELDOUT else "dev"


def macros() -> dict[str, Any]:
    """The spoken set's macros (so that "start my day" has a macro to run)."""
    from voxctl.agent.benchmarks.interpret import load_spoken_set

    return load_spoken_set()[0]


def hint_as_listen(transcriber: Any, config: Any, macros: dict[str, Any], windows: Any = (), focused: str = "",
                   vocabulary: dict[str, Any] | None = None) -> None:
    """The recogniser's hint as `voxctl listen` gives it (ListenLoop.hint_names): the session's configured and
    installed apps and `macros` (or their `vocabulary`, Session.vocabulary, built once by a caller that sets the hint
    again and again), the titles of the `windows` open (none on a bench without a desktop), and how the app of the
    `focused` window's title says its own actions."""
    from voxctl.agent.interpret.app_actions import said_forms
    from voxctl.agent.session import Session

    if vocabulary is None:
        vocabulary = Session.build(config, macros=macros).vocabulary()
    transcriber.set_vocabulary(window_titles=windows, app_actions=said_forms([focused] if focused else []), **vocabulary)


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
