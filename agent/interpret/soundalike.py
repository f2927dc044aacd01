"""How alike words sound, by spelling: a rough sound key of a word (letters by their names, digits as
words), for nominating grammar sentences near a reading (neighbours.py) and the model's variants of one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from voxctl.agent.interpret.fuzzy import similarity
from voxctl.agent.interpret.numbers import TEENS, TENS, UNITS

MIN_SOUND = 0.4  # a nominee must sound at least this alike (difflib ratio of the sound keys)
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
