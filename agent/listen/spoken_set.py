"""Word accuracy on the spoken evaluation set (tests/data/spoken_commands.yaml, the project's one set).

Used by `voxctl bench asr` and by tests/test_asr.py (with real synthesized speech), so the accuracy
the benchmark reports and the one the tests assert are measured the same way.

Scoring normalises only spelling, never meaning: recognisers write "Ctrl-S", "3 times", "F5", "Alt+Tab"
for what was said as "control s", "three times", "f five", "alt tab"; those count as right.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from voxctl.tools.words import words_in

# The one spoken set: commands as people say them, each with the plan it must give (the grammar's and
# the interpret benchmark's set too). It lives with the tests, so this works from a source checkout.
SPOKEN_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "spoken_commands.yaml"


def command_phrases(path: str | Path = SPOKEN_SET) -> tuple[str, ...]:
    """The phrases of the spoken set, in its order."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple(str(c["say"]) for c in data["commands"])


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()

# Spellings recognisers use for spoken key names and commands -> the words that were said.
_SPELLINGS = {
    "ctrl": "control", "esc": "escape", "backspace": "back space", "pagedown": "page down",
    "pageup": "page up", "screen shot": "screenshot", "stand up": "standup", "fire fox": "firefox",
    "okay": "ok",
}


def number_words(n: int) -> str:
    """0..9999 in words ("three hundred twenty"), as people say coordinates and counts."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    rest = n % 1000
    return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))


def normalize(text: str) -> list[str]:
    """Words of `text` in one spelling: lower case, no punctuation, digits as words."""
    t = text.lower()
    t = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", t)  # "f5" -> "f 5", "3x" -> "3 x"
    t = " ".join(words_in(t, apostrophes="join"))  # tools/words.py: "don't" -> "dont"
    t = re.sub(r"\d+", lambda m: number_words(int(m.group())) if len(m.group()) <= 4 else m.group(), t)
    t = " ".join(t.split())
    for spelled, said in _SPELLINGS.items():
        t = re.sub(rf"\b{spelled}\b", said, t)
    return t.split()


def edit_distance(ref: list[str] | tuple[str, ...], hyp: list[str] | tuple[str, ...]) -> int:
    """Levenshtein distance between two word sequences."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference length) after `normalize`."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    return edit_distance(ref, hyp), len(ref)


def word_accuracy(pairs: list[tuple[str, str]]) -> float:
    """1 - WER over (reference, hypothesis) pairs; can go below 0 with many insertions."""
    errors = total = 0
    for ref, hyp in pairs:
        e, n = word_errors(ref, hyp)
        errors += e
        total += n
    return 1.0 - errors / max(total, 1)
