"""Short commands heard by their sound: a head on the recogniser's own encoder that knows the short commands.

tiny.en's decoder writes what its language model expects: "undo" said alone is "and you." / "and do.",
"hide numbers" "high numbers.", "new window" "move in.". Every look that reads text is then blind: the
grammar, the N best, the rescoring (forced, "undo." scores 1.1-2.9 per token below "and do." when undo
is said, as when "and do" is said: they sound alike to the decoder, docs/BENCHMARKS.md). The encoder's
output still holds the sounds. A small head trained on it (sounds_train.py: the grammar's short commands
and everyday short talk, synthesized in the dev voices only) names the command a short utterance is, or
"talk" (the class everything else falls in).

It is the last look of a short utterance that every reading left without a command, and it is taken only
when all of these hold: the utterance is short (MAX_AUDIO_S, a reading of at most MAX_WORDS words); the
head is sure (MIN_PROB); the recogniser itself finds one of the command's phrasings nearly as likely as
its own reading (both forced through the decoder on this audio, as it was read: within MARGIN per token;
"next time." said is 4.4-5 below "next tab." and stays talk); and the plan may be taken from anything but the free
reading (forced_look.free_only: never a destructive one). Measured on held-out voices and talk phrases
it was never trained on: docs/BENCHMARKS.md "Short commands heard by their sound".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

SHIPPED = Path(__file__).resolve().parent / "model" / "sounds"
TALK = "talk"  # the class of everything that is no short command
# The gates, on held-out voices and talk (scripts/bench_sounds.py, 476 command clips, 800 talk clips; hinted):
# MIN_PROB 0.9 / 0.95 / 0.98 / 0.99 at MARGIN 2: rescued 46 / 45 / 42 / 40, talk acting 8 / 2 / 2 / 2.
# MARGIN 1 / 2 / 3 / 4 at MIN_PROB 0.98: rescued 26 / 42 / 50 / 52, talk acting 1 / 2 / 7 / 12. No wrong plan at any.
MIN_PROB = 0.98  # the head's probability for its class
MARGIN = 2.0  # log-probability per token the command's phrasing may lie below the reading
# Both forced with the vocabulary hint as prompt, as the reading was made (True) or with the bare start of a
# transcript (False): the hint holds the command words, which the bare prompt finds unlikely alone ("undo."
# said alone: 3.6-3.8 below "and you." / "and do." bare, 1.5-2.1 hinted). Rescued 42 vs 41, talk 2 vs 3.
HINTED = True
MAX_AUDIO_S = 3.0  # the whole utterance with its silences (the dev set's short commands: <= 2.4 s)
MAX_WORDS = 4  # a reading this short may be a short command misheard whole
PAD_S = 0.2  # padding encoded after the speech (the head's own encoding: the speech's positions only)
THIRDS = 3  # the encoding is pooled whole (mean, max) and in this many parts in order ("undo" vs "do and")


@dataclass(frozen=True)
class SoundGuess:
    """What the head makes of an utterance: its class (a plan's phrasings, or TALK) and how sure it is."""

    phrases: tuple[str, ...]  # the class's phrasings, the likeliest first; () for talk
    prob: float

    @property
    def talk(self) -> bool:
        return not self.phrases


def features(window: Any, audio: np.ndarray) -> np.ndarray:
    """The pooled encoder output of `audio` (`window`: the recogniser's listen/window.WindowDecoder): the same
    for training and use. Mean and max over the speech's positions, and the mean of each of THIRDS parts."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    frames = window.frames_for(audio, pad_s=PAD_S)
    enc = np.array(window.encode(audio, frames, spliced=False), dtype=np.float32)[0]
    n = enc.shape[0]
    parts = [enc[int(i * n / THIRDS):max(int((i + 1) * n / THIRDS), int(i * n / THIRDS) + 1)].mean(0)
             for i in range(THIRDS)]
    return np.concatenate([enc.mean(0), enc.max(0), *parts])


class SoundHead:
    """A two-layer network over `features`, saved as head.npz (weights, the features' mean and spread) and
    meta.json (the classes: lists of phrasings; the last is TALK)."""

    def __init__(self, folder: str | Path = SHIPPED) -> None:
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        with np.load(folder / "head.npz") as z:
            self.w = {k: z[k].astype(np.float32) for k in ("w1", "b1", "w2", "b2", "mu", "sd")}
        self.classes: list[tuple[str, ...]] = [tuple(c) for c in meta["classes"]]
        self.meta = meta
        if self.w["w2"].shape[1] != len(self.classes) + 1:
            raise ValueError(f"{folder}: {len(self.classes)} classes but {self.w['w2'].shape[1]} outputs")

    def probs(self, feats: np.ndarray) -> np.ndarray:
        """Class probabilities of one or more feature rows (the last column: TALK)."""
        w = self.w
        x = (np.atleast_2d(feats) - w["mu"]) / w["sd"]
        h = np.maximum(x @ w["w1"] + w["b1"], 0.0)
        z = h @ w["w2"] + w["b2"]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def guess(self, window: Any, audio: np.ndarray) -> SoundGuess | None:
        """The likeliest class of `audio`; None when the recogniser's encoder is not the one the head was trained
        on (its features have another size: `asr.model` set to Whisper base crashed every short talk)."""
        feats = features(window, audio)
        if feats.shape[-1] != self.w["mu"].shape[-1]:
            return None
        p = self.probs(feats)[0]
        i = int(p.argmax())
        return SoundGuess(self.classes[i] if i < len(self.classes) else (), float(p[i]))


@lru_cache(maxsize=1)
def shipped() -> SoundHead | None:
    """The head that ships with voxctl (None when its files are missing: the look is then skipped)."""
    return SoundHead(SHIPPED) if (SHIPPED / "head.npz").exists() else None


@dataclass(frozen=True)
class Heard:
    """The sound look's answer: the phrasing to read (None: nothing taken) and what was weighed, for the
    console and `--json` (`why`): the head's class (`candidate`, its likeliest phrasing), its probability, and
    how far below the reading the recogniser put it (`gap`, per token; None: not scored)."""

    phrase: str | None
    why: str
    candidate: str | None = None
    prob: float | None = None
    gap: float | None = None


def by_sound(transcriber: Any, audio: np.ndarray, reading: str, head: SoundHead | None = None,
             min_prob: float = MIN_PROB, margin: float = MARGIN, hinted: bool = HINTED) -> Heard:
    """The short command `audio` is by its sound, when every condition of the module doc holds; `reading`: the
    recogniser's free reading, which no look made a command of. The caller reads the phrasing with the grammar
    and refuses a plan that may come only from the free reading. (`min_prob`, `margin`, `hinted`: the bench's.)"""
    head = head if head is not None else shipped()
    window = getattr(transcriber, "window", None)
    score = getattr(transcriber, "score", None)
    words = reading.split()
    if head is None or window is None or score is None:
        return Heard(None, "")
    if not words or len(words) > MAX_WORDS or len(audio) / 16000 > MAX_AUDIO_S:
        return Heard(None, "")
    from voxctl.agent.interpret.saying_no import begins_with_no

    if begins_with_no(reading):  # "don't undo.": the head would hear its command in it
        return Heard(None, f"by sound: not weighed, {reading!r} says not to")
    g = head.guess(window, audio)
    if g is None:
        return Heard(None, "by sound: not weighed, the head was trained on another recogniser's encoder")
    if g.talk or g.prob < min_prob:
        return Heard(None, f"by sound: {'talk' if g.talk else repr(g.phrases[0])} ({g.prob:.2f})",
                     None if g.talk else g.phrases[0], g.prob)
    hint = getattr(transcriber, "hint", None) if hinted else None
    forced = score(audio, [reading, *(p + "." for p in g.phrases)], **({"hotwords": hint} if hint else {}))
    best = max(forced[1:], key=lambda f: f.score)
    gap = forced[0].score - best.score
    said = best.text.rstrip(".")
    if gap > margin:
        return Heard(None, f"by sound: {said!r} ({g.prob:.2f}), {gap:.2f} less likely than {reading!r} "
                           f"(margin {margin})", said, g.prob, gap)
    return Heard(said, f"by sound: {said!r} ({g.prob:.2f}), {gap:.2f} from {reading!r}", said, g.prob, gap)
