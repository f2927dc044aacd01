"""Acoustic variants: the model's command words the recogniser may have misheard, judged on the audio.

Whisper writes a like-sounding everyday word for a command word of a natural phrasing ("right hello
there" for "write hello there", "go to the next tap" for "tab"); the model, which reads only the words,
is then unsure or says no command. When the recogniser's reading gives no sure plan, its first readings
are varied by swapping one word for a like-sounding word of the model's own vocabulary (`SoundAlikes`:
the words of its intents' phrasings and the grammar's key names, nominated by the same rough sound keys
as the grammar's rescoring, rescore.sound). The model reads every variant; a variant's plan is taken
only when (i) the model is sure of it at the speech threshold, and (ii) the recogniser, forced through
the variant's words on the same audio (rescore.decide, Transcriber.score), finds it within MARGIN
(log-probability per token) of its likeliest free reading: rejection by likelihood, so an overheard
sentence whose like-sounding variant is a command ("scroll down memory lane") stays no command unless
the audio says the command's word as well as the word it heard. Off by default (fallback.VARIANTS): on
the spoken dev phrasings it gained 1 plan of 315 (docs/BENCHMARKS.md, issue #10, fifth pass).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from voxctl.agent.interpret.fuzzy import similarity
from voxctl.agent.interpret.rescore import decide
from voxctl.agent.interpret.soundalike import sound
from voxctl.tools.base import Risk
from voxctl.tools.registry import risk_of

PER_WORD = 3  # like-sounding command words tried per heard word
MIN_ALIKE = 0.6  # at least this alike (difflib ratio of the sound keys)
READINGS = 2  # the recogniser's first readings that are varied
MAX_VARIANTS = 40  # variants read by the model per audio, at most
# A variant's forced score may be at most this much below the likeliest free reading's (log-probability
# per token). Tuned on the spoken dev phrasings: 0.75 let "scroll down memory lane with me" scroll
# (docs/BENCHMARKS.md, issue #10, fifth pass).
MARGIN = 0.5

_WORD = re.compile(r"[A-Za-z']+")
_SLOT = re.compile(r"\{[a-z]+\}")
# Words that start a phrasing or name an intent without saying which command ("the {keys} key",
# "can you open {name}", "not_a_command"): never a swap.
_FUNCTION_WORDS = frozenset({"the", "can", "just", "one", "not", "command"})


@dataclass(frozen=True)
class Rescued:
    text: str  # the variant taken
    reading: Any  # the model's Reading of it
    gap: float  # how much less likely than the likeliest free reading, per token


class SoundAlikes:
    """The model's command words, and the like-sounding ones for a heard word."""

    def __init__(self, words: Iterable[str]):
        self.words = tuple(sorted({w for w in words if len(w) > 1}))
        self.keys = {w: sound(w) for w in self.words}

    def near(self, word: str) -> tuple[str, ...]:
        """Up to PER_WORD vocabulary words that sound like `word` (not the word itself), likeliest first."""
        return tuple(v for _, v in self._near(word.lower()))

    @lru_cache(maxsize=4096)  # noqa: B019 (one instance per loaded model)
    def _near(self, w: str) -> tuple[tuple[float, str], ...]:
        """`near` with how alike each word sounds."""
        if len(w) < 2:
            return ()
        s = sound(w)
        ranked = sorted(((similarity(s, k), v) for v, k in self.keys.items() if v != w), reverse=True)
        return tuple((a, v) for a, v in ranked[:PER_WORD] if a >= MIN_ALIKE)

    def variants(self, text: str) -> list[str]:
        """`text` with one word swapped for a like-sounding command word, most alike first."""
        found: list[tuple[float, str]] = []
        for m in _WORD.finditer(text):
            heard = m.group()
            for alike, new in self._near(heard.lower()):
                styled = new[:1].upper() + new[1:] if heard[:1].isupper() else new
                found.append((alike, text[:m.start()] + styled + text[m.end():]))
        found.sort(key=lambda x: -x[0])
        return list(dict.fromkeys(t for _, t in found))


def vocabulary(spec: Any) -> set[str]:
    """The words that say which command it is: the words of the intents' names ("edit:next_tab": next,
    tab), the first word of each of their phrasings (data/templates.yaml: "write {text}", "fire up
    {name}") and the grammar's names of keys other than letters and digits ("backspace", "page")."""
    from voxctl.agent.interpret.understand.data import _data_file
    from voxctl.agent.interpret.understand.intents import builtin_intents

    words: set[str] = set()
    for name in builtin_intents(getattr(spec, "platform", None)):
        words.update(w for w in re.split(r"[:_]", name) if w.isalpha())
    for phrasings in _data_file("templates.yaml")["intents"].values():
        for p in phrasings:
            words.update(w.lower() for w in _WORD.findall(_SLOT.sub(" ", p))[:1])
    for names, key in getattr(spec, "keys", {}).items():
        if len(key) > 1:
            words.update(w for w in names if w.isalpha())
    return {w for w in words if len(w) > 2} - _FUNCTION_WORDS


def alikes(model: Any) -> SoundAlikes:
    """The SoundAlikes of a loaded model, built on first use and kept with it."""
    got = model.__dict__.get("sound_alikes")
    if got is None:
        got = model.__dict__["sound_alikes"] = SoundAlikes(vocabulary(model.spec))
    return got


def rescue(model: Any, score: Callable[[Any, list[str]], Any] | None, audio: Any, free: list[str],
           need: Callable[[Any], float], refuse: Callable[[str], str | None]) -> Rescued | None:
    """The variant of the readings `free` (first = the likeliest) the model is sure of (`need(reading)`)
    and the audio nearly as likely as the best free reading (see the module doc), or None.
    `score(audio, texts)`: the recogniser's forced scoring; `refuse(text)`: why a text is no command."""
    if score is None or audio is None or not free:
        return None
    near = alikes(model)
    free = list(dict.fromkeys(t for t in free if t.strip()))
    variants = [v for t in free[:READINGS] for v in near.variants(t)]
    variants = [v for v in dict.fromkeys(variants) if v not in free][:MAX_VARIANTS]
    if not variants:
        return None
    sure: dict[str, Any] = {}
    for v, r in zip(variants, model.read_many(variants), strict=True):
        if r.actions and r.confidence >= need(r) and not refuse(v) and all(risk_of(a) < Risk.HIGH for a in r.actions):
            sure[v] = r
    if not sure:
        return None
    decision = decide(free, list(sure), lambda texts: score(audio, texts),
                      lambda t: "" if t in sure else "a reading of the recogniser", MARGIN)
    if decision.chosen is None or decision.chosen.text not in sure:
        return None
    gap = 0.0 if decision.reference is None else decision.reference.score - decision.chosen.score
    return Rescued(decision.chosen.text, sure[decision.chosen.text], gap)
