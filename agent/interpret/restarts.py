"""A command begun, broken off and said again: "save, save the file", "undo, undo that", "click, click twelve",
"type, type import os" (a restart), and a word said twice in one command: "go to to line thirty", "pause the,
the music", "go to line, line one hundred and twelve" (a stutter).

People with a tremor or a slow start restart what they say (blind probe set 23); read as written, a restart ran
the command twice ("save, save the file" saved twice, "undo, undo that" undid twice) and a stutter was no command.
A restart is a first part, up to a pause, whose words the next part begins with and goes on from, or ends with
(a value said, then the whole command: "zoom in, no, out, zoom out"), or that points ("close it") where the next
says what with the same verb ("close the tab"): the first part is dropped. The same words said twice whole ("scroll down. scroll down.") are two commands, as said. Once
dictation has begun ("type hello, hello world") its words are text and nothing is dropped. A stutter is read only
where the words as said are no command: one word said twice in a row, never a key name ("press up up up" and
"left, left" count the presses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from voxctl.tools.keys import normalize_key

MAX_BROKEN_OFF = 4  # words of a start broken off; a longer first part is a command of its own
_POINTING = frozenset({"it", "that", "this"})
_KEY_VERBS = frozenset({"press", "hit", "tap"})  # said before a key that is then said again with its count


def _parts(tokens: Sequence[Any]) -> list[list[Any]]:
    parts: list[list[Any]] = [[]]
    for t in tokens:
        parts[-1].append(t)
        if t.pause:
            parts.append([])
    return [p for p in parts if p]


def restarted(text: str, tokens: Sequence[Any], triggers: frozenset[str]) -> str | None:
    """`text` without its first start broken off and said again, or None when it has none."""
    parts = _parts(tokens)
    for first, then in zip(parts, parts[1:], strict=False):
        a, b = [t.word for t in first], [t.word for t in then]
        if len(a) <= MAX_BROKEN_OFF and len(a) < len(b) and (
                b[:len(a)] == a or b[-len(a):] == a  # "save, save the file"; "no, up, scroll up" (only its value first)
                or len(a) == 2 and a[0] == b[0] and a[1] in _POINTING  # "close it, close the tab": said what it is
                or a[0] in _KEY_VERBS and len(a) > 1 and b[:len(a) - 1] == a[1:]):  # "press down, down five times"
            return text[:first[0].start] + text[then[0].start:]
        if a[0] in triggers:
            return None  # dictation has begun: the rest is text
    return None


def destuttered(text: str, tokens: Sequence[Any]) -> str | None:
    """`text` with its first word said twice in a row said once (never a key name), or None."""
    for t, u in zip(tokens, tokens[1:], strict=False):
        if t.word == u.word and t.word.isalpha() and normalize_key(t.word) is None:
            return text[:t.start] + text[u.start:]
    return None
