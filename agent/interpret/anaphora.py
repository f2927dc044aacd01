""""One" that names the thing said before it: "close this tab and open a new one" opens a new tab.

A chain's second command often names its thing by "one" ("open another one", "make a new one"); the grammar has no
app or key called "one", and the understanding model guessed a new window (blind probe set 11). `named_one` writes
the noun back in place of "one": the last thing-noun said before it, with no dictation word in between (the text of
"open a new tab and type i want another one" stays as said).
"""

from __future__ import annotations

import re

# Things a person opens, closes or makes a new one of.
NOUNS = frozenset("tab window file document folder page note message email terminal".split())
_ONE = re.compile(r"\b(?:a new|another|a fresh|a blank|a second|new) one\b")
_DICTATE = frozenset("type write dictate say spell search find".split())


def named_one(text: str) -> str | None:
    """`text` with "a new one" / "another one" written "a new <the noun it stands for>", or None when it has no
    such "one" or no noun before it."""
    low = text.casefold()
    m = _ONE.search(low)
    if m is None:
        return None
    before = re.findall(r"[\w']+", low[:m.start()])
    for k in range(len(before) - 1, -1, -1):
        word = before[k].rstrip("s") if before[k].endswith("s") and before[k][:-1] in NOUNS else before[k]
        if word in _DICTATE:
            return None
        if word in NOUNS:
            return f"{text[:m.start()]}a new {word}{text[m.end():]}"
    return None
