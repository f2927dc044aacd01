"""The grammar's candidates near a reading (rescore.py): `Neighbours`, its closed words by class and its
fixed commands, nominates the in-grammar sentences that sound like what the recogniser wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from voxctl.agent.interpret.fuzzy import similarity
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.agent.interpret.soundalike import (
    _CONSONANTS,
    _LETTER_NAMES,
    _NUMBER_WORDS,
    _TENS,
    MIN_SOUND,
    _alike,
    sound,
)
from voxctl.tools.keys import MODIFIERS

# Per word of a reading, this many nominees of each class (letters, numbers, keys, command words).
PER_CLASS = 3
MIN_PREFIX = 3  # a heard word this long may be the start of a longer grammar word ("back" of "backspace")
PREFIX_SOUND = 0.7  # how alike such a word counts (ranked among close sound-alikes)
PHRASES = 6  # fixed commands nominated for a short reading that is no command
MIN_PHRASE_SOUND = 0.5  # and how alike they must sound ("blue window" nominated "end" at 0.4)
SHORT_WORDS = 4  # a reading of at most this many words may be a fixed command misheard whole
WHOLE_WORDS = 3  # a reading of at most this many words gets whole commands by sound, scored as it was read
WHOLE = 6  # whole commands nominated per reading (`Neighbours.wholes`)
COMPLETION_KEYS = ("tab", "enter", "escape", "space", "delete", "home", "end", "backspace")

_WORD = re.compile(r"[A-Za-z0-9']+")


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
