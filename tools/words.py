"""Words of a text: the one splitter that every comparison of what was said with something written uses.

Callers differ only in what counts as part of a word, and say so by its options: digits ("f5", "3"),
apostrophes ("don't" kept, joined into "dont" or split into "don", "t") and letters beyond a-z (a window
title's "Café"; speech from the recogniser is compared in a-z only). Everything else is the same for all:
case is folded (str.casefold), the typographic apostrophe ’ is the typewriter's ', and any other
character (punctuation, hyphens, underscores, whitespace) ends a word. It lives in tools/, the lowest
layer, so that tools and the agent split alike (tests/test_words.py holds the table of callers).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

Apostrophes = Literal["keep", "join", "split"]


@cache
def _pattern(digits: bool, apostrophes: Apostrophes, unicode: bool) -> re.Pattern[str]:
    if unicode:
        cls = r"[^\W_]" if digits else r"[^\W\d_]"
    else:
        cls = "[a-z0-9]" if digits else "[a-z]"
    return re.compile(f"(?:{cls}|')+" if apostrophes == "keep" else f"{cls}+")


def words_in(text: str, *, digits: bool = True, apostrophes: Apostrophes = "keep",
             unicode: bool = False) -> list[str]:
    """The words of `text`, case folded: "Don’t press F5!" -> ["don't", "press", "f5"].

    digits: digits are part of words ("f5", "1", "000"); without, they end words like punctuation.
    apostrophes: "keep" ("don't"), "join" ("dont") or "split" ("don", "t").
    unicode: any letter is a letter ("café"); without, only a-z ("caf")."""
    t = text.casefold().replace("’", "'")
    if apostrophes == "join":
        t = t.replace("'", "")
    return _pattern(digits, apostrophes, unicode).findall(t)
