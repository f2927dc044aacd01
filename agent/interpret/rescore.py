"""Acoustic rescoring of grammar candidates: commands the recogniser did not write, judged on the audio.

Whisper writes what the grammar can never accept ("press control last" for control s, "select tall",
"copy load") or a near command that is wrong ("press control c" for control z). The grammar knows what
could have been said: `Neighbours.around(reading)` are the in-grammar sentences one closed word (or
two merged into one) away from a reading, nominated by how the words sound (letters by their names:
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

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from voxctl.agent.interpret.fuzzy import similarity
from voxctl.agent.interpret.numbers import TEENS, TENS, UNITS
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.tools.keys import MODIFIERS

# Per word of a reading, this many nominees of each class (letters, numbers, keys, command words).
PER_CLASS = 3
MIN_SOUND = 0.4  # a nominee must sound at least this alike (difflib ratio of the sound keys)
MIN_PREFIX = 3  # a heard word this long may be the start of a longer grammar word ("back" of "backspace")
PREFIX_SOUND = 0.7  # how alike such a word counts (ranked among close sound-alikes)
PHRASES = 6  # fixed commands nominated for a short reading that is no command
MIN_PHRASE_SOUND = 0.5  # and how alike they must sound ("blue window" nominated "end" at 0.4)
SHORT_WORDS = 4  # a reading of at most this many words may be a fixed command misheard whole
WHOLE_WORDS = 3  # a reading of at most this many words gets whole commands by sound, scored as it was read
WHOLE = 6  # whole commands nominated per reading (`Neighbours.wholes`)
MAX_CANDIDATES = 40  # candidates forced through the decoder per audio, at most
COMPLETION_KEYS = ("tab", "enter", "escape", "space", "delete", "home", "end", "backspace")

_WORD = re.compile(r"[A-Za-z0-9']+")
_LETTER_NAMES = {
    "a": "ay", "b": "bee", "c": "see", "d": "dee", "e": "ee", "f": "eff", "g": "jee", "h": "aitch",
    "i": "eye", "j": "jay", "k": "kay", "l": "el", "m": "em", "n": "en", "o": "oh", "p": "pee",
    "q": "cue", "r": "ar", "s": "ess", "t": "tee", "u": "you", "v": "vee", "w": "doubleyou", "x": "ex",
    "y": "why", "z": "zee",
}
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
# Number words by value (0-20), then the tens and "hundred": numbers.py's tables, one spelling per value.
_NUMBER_WORDS = [*UNITS, *TEENS, "twenty"]
_TENS = [w for w, v in TENS.items() if v > 20 and w != "fourty"] + ["hundred"]
# A crude English spelling-to-sound reduction: enough to nominate; the audio decides.
_SOUND_RULES = [(re.compile(a), b) for a, b in [
    (r"ph", "f"), (r"ck", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"q", "k"), (r"x", "ks"),
    (r"wh", "w"), (r"dg", "j"), (r"tion", "shun"), (r"ee|ea|ie", "i"), (r"(?<=.)e$", ""), (r"y$", "i"),
    (r"(.)\1", r"\1")]]


@lru_cache(maxsize=8192)
def sound(word: str) -> str:
    """A rough sound key of a word: letters by their names, digits as words ("c" -> "si", "5" -> "fiv")."""
    w = word.lower()
    if len(w) == 1 and w.isalpha():
        w = _LETTER_NAMES[w]
    elif w.isdigit() and int(w) < len(_NUMBER_WORDS):
        w = _NUMBER_WORDS[int(w)]
    for pattern, repl in _SOUND_RULES:
        w = pattern.sub(repl, w)
    return w


@lru_cache(maxsize=8192)
def _sounds(phrase: str) -> str:
    return " ".join(sound(x) for x in phrase.split())


def _alike(a: str, b: str) -> float:
    sa, sb = _sounds(a), _sounds(b)
    if 2 * min(len(sa), len(sb)) < MIN_SOUND * (len(sa) + len(sb)):
        return 0.0  # the ratio cannot reach MIN_SOUND: 2 * matches / total length
    return similarity(sa, sb)


@dataclass(frozen=True)
class Scored:
    """A sentence the recogniser forced through its decoder, and what the grammar made of it."""

    text: str
    score: float  # log-probability per token on this audio
    kind: str  # "free" (a reading the recogniser wrote) or "candidate" (a grammar sentence)
    verdict: str = ""


class Neighbours:
    """The grammar's closed words by class, and its fixed commands; nominates candidates for a reading."""

    def __init__(self, spec: GrammarSpec, extra: Iterable[str] = ()):
        literal: set[str] = set()
        for rule in spec.rules:
            for say in rule.say:
                literal.update(w for w in _WORD.findall(re.sub(r"\{[a-z_]+\}", " ", say.lower())))
        for forms in spec.actions.values():
            literal.update(w for f in forms for w in f)
        for slot in spec.slots.values():
            literal.update(w for words in slot.choices for w in words)
        for group in (spec.fillers_start, spec.fillers_end, spec.connectives):
            literal.update(w for phrase in group for w in phrase)
        # Key names; spellings without a vowel ("cntrl") and letter names ("ess") nominate nothing new.
        keys = {w for words in spec.keys for w in words if re.search("[aeiouy]", w)} | set(spec.bare_keys)
        keys -= set(_LETTER_NAMES.values()) | {"see", "sea", "ex", "ess"}
        self.classes: dict[str, tuple[str, ...]] = {
            "letter": tuple(_LETTER_NAMES),
            "number": tuple(_NUMBER_WORDS[1:] + _TENS),
            "key": tuple(sorted(k for k in keys if len(k) > 1)),
            "word": tuple(sorted(w for w in literal | set(extra) if len(w) > 1)),
        }
        apps = {w for a in spec.apps for w in a.split()}
        self.closed = frozenset().union(*self.classes.values(), literal, apps, extra,
                                        (str(i) for i in range(0, 1000)))
        self.modifiers = {words[0]: key for words, key in spec.keys.items()
                          if len(words) == 1 and key in MODIFIERS} | {m: m for m in MODIFIERS}
        phrases = [" ".join(f) for forms in spec.actions.values() for f in forms]
        self.fixed = tuple(dict.fromkeys(phrases + sorted(spec.bare_keys)))
        # Whole short commands as said: the fixed ones and "press <key>" for the keys said bare ("press escape").
        self.whole = tuple(dict.fromkeys(self.fixed + tuple(f"press {k}" for k in sorted(spec.bare_keys))))
        # A key whose name starts longer key names ("f" of "f one" ... "f twelve"), with the words that
        # follow it there, as number words: "press f." is also "press f nine." with its number lost.
        single = {words[0] for words in spec.keys if len(words) == 1}
        self.longer: dict[str, tuple[str, ...]] = {}
        for words in spec.keys:
            if len(words) == 2 and words[0] in single and words[1].isdigit() and int(words[1]) < len(_NUMBER_WORDS):
                self.longer[words[0]] = (*self.longer.get(words[0], ()), _NUMBER_WORDS[int(words[1])])

    def open_words(self, text: str) -> list[str]:
        """The words of `text` that are no grammar word (free text: titles, dictation, other speech)."""
        return [w for w in _WORD.findall(text.lower()) if w not in self.closed]

    def around(self, text: str) -> list[str]:
        """Sentences one closed word (or two words merged into one) away from `text`, in its spelling,
        likeliest-sounding first. Only for a reading with at most one open word; only closed sentences."""
        spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        if not spans or len(self.open_words(text)) > 1:
            return []
        found: list[tuple[float, str]] = []
        for i in range(len(spans)):
            for j in (i, i + 1):
                if j >= len(spans):
                    continue
                heard = " ".join(s[2].lower() for s in spans[i:j + 1])
                for alike, new in self._nominees(heard, merged=j > i):
                    if j > i and new in heard.split():
                        continue  # "control s" -> "control" is a word dropped, not a word misheard
                    cand = text[:spans[i][0]] + _styled(new, spans[i][2]) + text[spans[j][1]:]
                    if cand != text and not self.open_words(cand):
                        found.append((alike, cand))
            if i > 0:  # "press f i." for f five: the word's first sound heard as the end of the word before
                for alike, new in self._carried(spans[i - 1][2], spans[i][2].lower()):
                    cand = text[:spans[i][0]] + _styled(new, spans[i][2]) + text[spans[i][1]:]
                    if not self.open_words(cand):
                        found.append((alike, cand))
        found.sort(key=lambda x: -x[0])
        return list(dict.fromkeys(c for _, c in found))

    def _nominees(self, heard: str, merged: bool) -> list[tuple[float, str]]:
        picks: list[tuple[float, str]] = []
        for name, words in self.classes.items():
            if merged and name == "letter":
                continue
            ranked = sorted(((_alike(heard, w), w) for w in words if w != heard), reverse=True)
            floor = MIN_PHRASE_SOUND if merged else MIN_SOUND  # two words into one: "and do" -> "undo"
            picks += [(a, w) for a, w in ranked[:PER_CLASS] if a >= floor]
            if name == "letter" and heard.isalpha() and len(heard) <= 6:
                # "last" for "s", "tone" for "t": a letter of the word itself (ranked after the rest)
                picks += [(MIN_SOUND / 2, c) for c in dict.fromkeys(heard) if c in _CONSONANTS]
            if name in ("key", "word") and not merged and len(heard) >= MIN_PREFIX:
                # The recogniser cut a word short ("press back." for backspace): the words it starts.
                picks += [(PREFIX_SOUND, w) for w in words if w.startswith(heard) and w != heard][:PER_CLASS]
        return picks

    def _carried(self, before: str, heard: str) -> list[tuple[float, str]]:
        """Numbers and key names that start with the last consonant of the word `before` and sound like
        it followed by `heard` ("f" + "i": "five"), PER_CLASS of each, at least MIN_PHRASE_SOUND alike."""
        tail = sound(before)[-1:]
        if tail not in _CONSONANTS or heard.isdigit():
            return []
        said = tail + sound(heard)
        picks: list[tuple[float, str]] = []
        for name in ("number", "key"):
            ranked = sorted(((similarity(said, sound(w)), w) for w in self.classes[name]
                             if sound(w).startswith(tail) and w != heard), reverse=True)
            picks += [(a, w) for a, w in ranked[:PER_CLASS] if a >= MIN_PHRASE_SOUND]
        return picks

    def completions(self, text: str) -> list[str]:
        """A chord read without its last key ("press shift." for shift tab): the reading with a letter
        or a common key after its final modifier. Empty when the reading does not end on a modifier."""
        spans = list(_WORD.finditer(text))
        if not spans or self.modifiers.get(spans[-1].group().lower()) is None:
            return []
        end = spans[-1].end()
        like = spans[-1].group()
        return [text[:end] + (" " if not like[:1].isupper() else "-") + _styled(k, like) + text[end:]
                for k in (*_LETTER_NAMES, *COMPLETION_KEYS)]

    def extended(self, text: str) -> list[str]:
        """A reading that ends on a key whose name starts longer ones ("press f." for f nine: the number
        lost, 12 of 34 F-key commands on 16 dev voices): the reading with each, as words and as the
        recogniser writes them ("press f nine.", "press F9."). Empty for any other reading."""
        spans = list(_WORD.finditer(text))
        if not spans or spans[-1].group().lower() not in self.longer:
            return []
        end, like = spans[-1].end(), spans[-1].group()
        words = self.longer[like.lower()]
        return [text[:end] + f" {w}" + text[end:] for w in words] + \
            [text[:end] + str(_NUMBER_WORDS.index(w)) + text[end:] for w in words]

    def phrases(self, text: str) -> list[str]:
        """The fixed commands ("undo", "select all", "page down") nearest a short reading."""
        return _nearest(text, self.fixed, SHORT_WORDS, PHRASES)

    def wholes(self, text: str) -> list[str]:
        """Whole short commands ("undo", "save", "press escape") that sound like a reading of at most
        WHOLE_WORDS words that is no command ("and you." for undo, "same." for save), likeliest-sounding
        first, WHOLE of them. Nominated only: the audio decides (forced_look.whole_look)."""
        return _nearest(text, self.whole, WHOLE_WORDS, WHOLE)


def _nearest(text: str, pool: tuple[str, ...], max_words: int, n: int) -> list[str]:
    """The `n` phrases of `pool` that sound likest a reading of at most `max_words` words (not the reading
    itself), at least MIN_PHRASE_SOUND alike, written as the recogniser wrote the reading."""
    words = _WORD.findall(text.lower())
    if not words or len(words) > max_words:
        return []
    heard = " ".join(words)
    ranked = sorted(((_alike(heard, p), p) for p in pool if p != heard), reverse=True)
    end = "." if text.rstrip().endswith(".") else ""
    return [_styled(p, text.strip()) + end for s, p in ranked[:n] if s >= MIN_PHRASE_SOUND]


def _styled(new: str, like: str) -> str:
    """`new` written as the recogniser wrote `like`: capitalised if it was, digits if it used them."""
    if like[:1].isdigit() and new in _NUMBER_WORDS:
        new = str(_NUMBER_WORDS.index(new))
    if len(new) == 1 and like[:1].isupper():
        return new.upper()
    return new[:1].upper() + new[1:] if like[:1].isupper() else new


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
