"""Near-miss matching of heard words against the command vocabulary ("scrol" -> "scroll").

difflib's ratio is enough for single command words and keeps the dependency list short. Short words
never match fuzzily: "tab"/"tap" or "up"/"app" are different words, not recogniser slips. Whatever
matched fuzzily is counted, so the grammar can refuse a destructive action heard only approximately.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

MIN_FUZZY_LEN = 4  # both words must be at least this long to be compared approximately


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """0..1, 1 for equal strings (difflib's ratio on the two words)."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=65536)  # asked of the same pairs again and again: every choice of a slot at every word
def is_near(word: str, heard: str, threshold: float) -> bool:
    """True when `heard` is a near-miss of the vocabulary `word` (never for equal words: test those first)."""
    if threshold >= 1.0 or word == heard:
        return False
    if len(word) < MIN_FUZZY_LEN or len(heard) < MIN_FUZZY_LEN - 1:
        return False
    # A digit in either word means a number or a function key: "f5" is not a slip of "f6".
    if any(c.isdigit() for c in word + heard):
        return False
    return similarity(word, heard) >= threshold


def best_match(heard: str, candidates: Iterable[str], threshold: float) -> tuple[str, bool] | None:
    """The candidate `heard` names: (candidate, fuzzy?) for an exact or the closest near match, else None.

    Spaces are ignored when comparing, so "stand up" names "standup" exactly.
    """
    squeezed = heard.replace(" ", "")
    best: tuple[float, str] | None = None
    for cand in candidates:
        c = cand.replace(" ", "")
        if c == squeezed:
            return cand, False
        if threshold < 1.0 and len(c) >= MIN_FUZZY_LEN:
            score = similarity(c, squeezed)
            if score >= threshold and (best is None or score > best[0]):
                best = (score, cand)
    return (best[1], True) if best else None
