"""Words said around a command that are no part of it.

An answer to what is on screen, said first and set off by a pause, before a command: "great, scroll down",
"perfect, save it", "right, next tab", "okay cool, close that" (grammar.yaml `fillers.before_pause`).

These words are no start fillers: said without a pause they belong to the command or to talk ("right click", "good
morning"), and the recogniser writes "right click" as "Right, click." for some voices. So the grammar reads the whole
first, and the words after the acknowledgement only when the whole, pause and all, is no command. Before, "great,
scroll down" was taken for a sentence said to someone called "great" (addressed.py), and ran nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from voxctl.agent.interpret.dictation_render import past, starts_with


def after_acknowledgement(text: str, tokens: Sequence[Any], spec: Any) -> str | None:
    """What `text` says after its acknowledgement (with start fillers around it: "okay great, ...") up to the first
    pause, or None when it has none or nothing follows it."""
    first = next((k for k, t in enumerate(tokens) if t.pause), None)
    if first is None or first + 1 >= len(tokens):
        return None
    words = [t.word for t in tokens[:first + 1]]
    if past(words, 0, (*spec.fillers_paused, *spec.fillers_start)) != len(words):
        return None
    if not any(starts_with(words, k, spec.fillers_paused) for k in range(len(words))):
        return None  # start fillers alone ("okay, ...") are read as part of the command already
    return text[tokens[first + 1].start:]


# Why it is wanted, said after the command: "could you please open zoom so i can talk to the grandchildren", "make it
# bigger so i can read it", "save this email so i don't lose it" (blind probe set 19). Read, like an acknowledgement,
# only when the whole is no command: "type so i can go" types it.
_PURPOSE = re.compile(r"^(?P<head>.*?\w)[\s,]+so (?:that )?(?:i|we) (?:can|could|can't|don't|do not|won't|will|may|might)\b",
                      re.IGNORECASE)


# What may happen if it is not done now, said after the command: "save it before vs code crashes again" (the model's
# save as, blind probe set 21), "copy it before i lose it". A subject and its verb follow "before"; not "before you
# go" (a person asked to do it) nor a time ("before lunch": later).
_BEFORE = re.compile(r"^(?P<head>.*?\w)[\s,]+before (?!you\b|you're\b|we\b|they\b|he\b|she\b)"
                     r"(?:i|it|it's|this|that|my|the|[a-z]+ [a-z]+) \w+", re.IGNORECASE)


# What the speaker wants, said first, then "so" and the command: "i want that as a big heading so press control one"
# (blind probe set 26; the model read "i" as a key). A statement of the speaker's own, never said to someone ("you").
_WANT_SO = re.compile(r"^\s*(?:i|i'd|we|we'd) (?:want|need|would like|like)\b(?:(?!\byou\b)[^,.])*?[\s,]+(?:so|so then|then)\s+"
                      r"(?P<rest>\w.*)$", re.IGNORECASE)


def before_purpose(text: str) -> str | None:
    """What `text` says before a purpose said after the command ("..., so i can read it", "... before i lose it"),
    or after what the speaker wants, said first ("i want that bold so press control b"), or None."""
    if (m := _WANT_SO.match(text)) is not None:
        return m.group("rest")
    m = _PURPOSE.match(text.strip()) or _BEFORE.match(text.strip())
    return m.group("head") if m else None
