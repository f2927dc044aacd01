"""The understanding model (interpreter.py's backend): `Understander`, the encoder and intent heads loaded,
reading sentences whole and split in two into a `Reading`: the plan, its confidence and the guess in words.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.interpret.normalize import Token, tokenize
from voxctl.agent.interpret.rules import GrammarSpec, load_grammar
from voxctl.agent.interpret.understand import fill
from voxctl.agent.interpret.understand.encoder import Encoder, shared_encoder
from voxctl.agent.interpret.understand.intents import NONE, Intent, builtin_intents, user_intent
from voxctl.agent.interpret.understand.model import HEARD, Head, features
from voxctl.agent.interpret.understand.plans import UnderstanderPlans
from voxctl.agent.interpret.understand.spoken import combine, speech_min
from voxctl.tools.registry import validate_action

_SPLITS = (("and", "then"), ("and",), ("then",), ("and", "after", "that"), ("after", "that"))


def shipped_model() -> Path:
    """The model trained in this repository and shipped with voxctl."""
    return Path(str(resources.files("voxctl.agent.interpret.understand").joinpath("model")))


@dataclass(frozen=True)
class Reading:
    """What the model made of a sentence."""

    actions: list[Any]  # validated tool calls; empty when nothing should run
    confidence: float
    intent: str  # the best guess ("edit:next_tab", "not_a_command", "a+b" for a split)
    guess: str  # the guess in words, for "did you mean"
    ms: float = 0.0


class Understander(UnderstanderPlans):
    """The loaded model: `read(text) -> Reading`."""

    def __init__(self, folder: str | Path | None = None, spec: GrammarSpec | None = None,
                 macros: dict[str, Any] | None = None, encoder: Encoder | None = None, platform: str | None = None):
        self.folder = Path(folder) if folder else shipped_model()
        self.head = Head.load(self.folder)
        self.spec = spec if spec is not None else load_grammar(platform=platform)
        self._encoder = encoder
        self.macros = dict(macros or {})
        self.intents: dict[str, Intent] = builtin_intents(platform or self.spec.platform)
        for name, actions in self.head.meta.get("user_intents", {}).items():
            self.intents[name] = user_intent(name, actions)
        self.frames = fill.Frames.from_json(self.head.meta["frames"])
        self.threshold = self.head.threshold
        # calibrated on held-out negatives as the recogniser heard them (train.evaluate); None: older models
        self.speech_threshold: float | None = self.head.meta.get("speech_threshold")
        self.index = np.array([lab in self.intents for lab in self.head.labels])
        # the head trained on the recogniser's readings too (train.py), for what was heard; None: typed only
        heard = self.folder / HEARD
        self.heard = Head.load(heard) if (heard / "meta.json").is_file() else None
        if self.heard is not None and self.heard.labels != self.head.labels:
            raise ValueError(f"{heard}: its intents are not the model's; run `voxctl train`")

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder, loaded on first use (~1.5 s and ~100 MB): a session whose commands the
        grammar reads alone never loads it."""
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    def tokens(self, text: str) -> list[Token]:
        return tokenize(text, self.spec.rewrites)

    def probs(self, texts: list[str], heads: tuple[Head, ...] | None = None) -> list[np.ndarray]:
        """Each head's intent probabilities (default: the typed head's alone), from one encoding."""
        words = [[t.word for t in self.tokens(s)] for s in texts]
        x = features(self.encoder.embed([" ".join(w) for w in words]), words)
        return [np.where(self.index[None], h.probs(x), 0.0) for h in heads or (self.head,)]

    def _covers_more(self, split: Reading, whole: Reading) -> bool:
        """A confident split whose parts include the whole reading's plan: the whole heard only one of
        two commands ("select everything and cut it" read whole as "cut")."""
        if "+" not in split.intent or "+" in whole.intent or split.confidence < self.threshold:
            return False
        return bool(whole.actions) and all(a in split.actions for a in whole.actions)

    def read(self, text: str, heard: bool = False) -> Reading:
        return self.read_many([text], heard)[0]

    def read_many(self, texts: list[str], heard: bool = False) -> list[Reading]:
        """Readings of many sentences, encoded in one batch (each Reading's `ms` is the batch's average).
        `heard`: the recogniser's readings of speech, read by both heads (spoken.py)."""
        t0 = time.perf_counter()
        per_text = [_candidates(t) for t in texts]
        both = heard and self.heard is not None
        probs = self.probs([s for cands in per_text for parts in cands for s in parts],
                           (self.head, self.heard) if both else None)  # type: ignore[arg-type]
        out = self._readings(per_text, probs[0])
        if both:
            sure = speech_min(self.speech_threshold)
            out = [combine(t, h, sure) for t, h in zip(out, self._readings(per_text, probs[1]), strict=True)]
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(texts))
        return [replace(r, ms=ms) for r in out]

    def _readings(self, per_text: list[list[list[str]]], probs: np.ndarray) -> list[Reading]:
        out, k = [], 0
        for cands in per_text:
            best: Reading | None = None
            for parts in cands:
                acts: list[dict[str, Any]] = []
                conf, names, guesses = 1.0, [], []
                for part in parts:
                    a, c, name = self._plans(part, probs[k])
                    k += 1
                    if len(parts) > 1 and (name == NONE or not a):
                        conf = 0.0
                    if a != acts:  # the same command in other words: "hide all the windows and show the desktop"
                        acts += a  # is one win+d (two toggle the desktop back)
                    conf = min(conf, c)
                    names.append(name)
                    guesses.append(self._describe(name, a))
                if len(parts) > 1:
                    conf *= 0.98  # one command read whole is preferred over the same confidence split
                reading = Reading(acts, conf, "+".join(names), " then ".join(guesses))
                if best is None or reading.confidence > best.confidence or self._covers_more(reading, best):
                    best = reading
            assert best is not None
            calls = [c for c in (validate_action(a)[0] for a in best.actions) if c is not None]
            out.append(Reading(calls, best.confidence, best.intent, best.guess))
        return out


def _candidates(text: str) -> list[list[str]]:
    """The sentence whole, and split in two at each "and" / "then"."""
    out = [[text]]
    words = text.split()
    for sep in _SPLITS:
        for i in range(1, len(words) - len(sep)):
            if tuple(w.lower().strip(",.") for w in words[i:i + len(sep)]) == sep:
                out.append([" ".join(words[:i]), " ".join(words[i + len(sep):])])
    return out
