"""Acoustic rescoring of grammar candidates: commands the recogniser did not write, judged on the audio.

Whisper writes what the grammar can never accept ("press control last" for control s, "select tall",
"copy load") or a near command that is wrong ("press control c" for control z). The grammar knows what
could have been said: `Neighbours.around(reading)` (neighbours.py) are the in-grammar sentences one
closed word (or two merged into one) away from a reading, nominated by how the words sound (letters by their names:
"c" is "see"), and `Neighbours.phrases(reading)` the fixed commands ("undo", "select all") nearest a
short reading (`Neighbours.wholes`: the same, and "press <key>", for the whole short commands' look, off by
default: forced_look.whole_look). Every candidate is a closed sentence: each of its words is a grammar word, so a
sentence with free words ("open the door for the delivery guy") nominates nothing.

The recogniser then forces each candidate and each free reading through its decoder on the same
audio (listen/window.py `score`, one batch); `decide` takes the likeliest candidate whose plan is
safe, and accepts it only when it is nearly as likely as the likeliest free reading (`margin`, log-
probability per token): rejection by likelihood, so a sentence that is no command stays no command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from voxctl.agent.interpret.neighbours import _WORD

MAX_CANDIDATES = 40  # candidates forced through the decoder per audio, at most


@dataclass(frozen=True)
class Scored:
    """A sentence the recogniser forced through its decoder, and what the grammar made of it."""

    text: str
    score: float  # log-probability per token on this audio
    kind: str  # "free" (a reading the recogniser wrote) or "candidate" (a grammar sentence)
    verdict: str = ""


def as_sentence(text: str) -> str:
    """How a text is scored: as Whisper writes a sentence unprompted, capitalised and ended ("Press
    control."), so the style costs every text alike and a sentence cut short pays for its end."""
    t = text.strip()
    t = t[:1].upper() + t[1:]
    return t if t[-1:] in ".?!" else t + "."


def _truncates(text: str, reading: str) -> bool:
    """`text` is a reading the decoder cut short, without its end ("press control" of "press control
    phone"): the score per token, which does not see the end, favours it; it is never chosen."""
    a, b = _WORD.findall(text.lower()), _WORD.findall(reading.lower())
    return text.rstrip()[-1:] not in ".?!" and 0 < len(a) < len(b) and b[:len(a)] == a


@dataclass(frozen=True)
class Decision:
    chosen: Scored | None  # the candidate accepted, or None
    considered: tuple[Scored, ...]  # every sentence scored, best first
    reference: Scored | None  # the likeliest free reading
    why: str = ""  # why no candidate was accepted


def decide(free: list[str], candidates: list[str], score: Callable[[list[str]], Any],
           verdict: Callable[[str], str], margin: float) -> Decision:
    """Score the free readings and the candidates together; accept the likeliest candidate whose
    `verdict` is "" (a safe, in-grammar plan) when it is within `margin` of the likeliest free reading.
    `score(texts)` gives objects with `.score` (Transcriber.score); `verdict(text)` says why a
    candidate cannot be taken ("" when it can)."""
    free = list(dict.fromkeys(t for t in free if t.strip()))
    cands = [c for c in dict.fromkeys(candidates) if c not in free][:MAX_CANDIDATES]
    texts = free + cands
    if not texts:
        return Decision(None, (), None, "nothing to score")
    forced = score([as_sentence(t) for t in texts])
    scored = [Scored(t, float(f.score), "free" if i < len(free) else "candidate")
              for i, (t, f) in enumerate(zip(texts, forced, strict=True))]
    ref = max((s for s in scored if s.kind == "free"), key=lambda s: s.score, default=None)
    out: list[Scored] = []
    chosen: Scored | None = None
    cut = {t for t in texts for f in free if _truncates(t, f)}
    for s in sorted(scored, key=lambda s: -s.score):
        why = "the start of a longer reading" if s.text in cut else verdict(s.text)
        gap = 0.0 if ref is None else ref.score - s.score
        if why:
            s = Scored(s.text, s.score, s.kind, why)
        elif chosen is not None:
            s = Scored(s.text, s.score, s.kind, "a command, less likely than the chosen one")
        elif gap > margin:
            s = Scored(s.text, s.score, s.kind, f"a command, {gap:.2f} less likely than the likeliest "
                                                f"free reading (margin {margin})")
        else:
            s = chosen = Scored(s.text, s.score, s.kind, "chosen")
        out.append(s)
    why = "" if chosen is not None else next(
        (s.verdict for s in out if s.verdict.startswith("a command")), "no candidate is a command")
    return Decision(chosen, tuple(out), ref, why)
