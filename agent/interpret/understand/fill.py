"""Filling an intent's open parts from the sentence: numbers, key names, and spans of text or names.

Numbers and keys are read by the grammar's own code (agent/interpret/normalize.py turns "twice" into
"2 times" and "one hundred" into 100; tools/keys.yaml names every key). A span (the text to type, an app
or window name, a click target) is what is left of the sentence once the intent's carrier words are
taken off its ends: the longest prefix and suffix seen around that slot in the training phrasings
("switch over to the {name}" -> "switch over to the" / ""), then any single carrier words left over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voxctl.agent.interpret.chain_joints import PRESS_VERBS
from voxctl.agent.interpret.normalize import Token
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.agent.interpret.slots import is_chord
from voxctl.tools.keys import MODIFIERS

FILLERS = {"please", "now", "okay", "ok", "um", "uh", "so", "just", "hey", "for", "me", "thanks", "can", "you",
           "could", "would", "will", "go", "ahead", "and", "let's", "i", "want", "to"}
_KEY_NOISE = {"and", "plus", "the", "key", "keys", "button", "together", "with", "then", "a", "an", "press", "hit",
              "tap", "push", "on", "at", "same", "time", "both", "hold", "shortcut", "combo", "over"}
_LINKS = {"me", "to", "the", "a", "an", "over", "up", "on", "at", "in", "into", "for", "my", "out", "down", "of"}
VERBATIM = {"type", "find"}
MAX_OTHER_WORDS = 1  # words beside keys said with no "press", no chord, no key's own name; more: a sentence
MAX_NAME_WORDS = 3  # an app, window or button name; a longer span is a sentence, not a name
PRONOUNS = {"it", "that", "this", "here", "there", "them"}
# Words said around a span that are not part of it: "find the word budget", "launch the calculator".
_DROP_FRONT = {"text": (("the", "word"), ("the", "words"), ("the", "text"), ("the", "phrase"), ("word",), ("words",)),
               "name": (("the",), ("a",), ("an",), ("my",), ("up",))}
_WHERE = tuple(tuple(w.split()) for w in ("on this page", "on the page", "in this page", "in the page", "on page",
                                           "in page", "on this site", "in this document", "in the document",
                                           "on the screen", "on screen", "in this file", "in the file"))
_DROP_BACK = {"name": (("app",), ("application",), ("program",), ("window",), ("button",), ("link",), ("icon",)),
              # where to look is not what to look for ("find budget on this page", "find on page weather");
              # typed text is never cut
              "find": _WHERE}


@dataclass(frozen=True)
class Frames:
    """Per intent and slot: the word sequences seen before and after the slot in training phrasings."""

    before: dict[str, list[tuple[str, ...]]]
    after: dict[str, list[tuple[str, ...]]]
    carriers: dict[str, set[str]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Frames:
        return cls({k: [tuple(x) for x in v] for k, v in data["before"].items()},
                   {k: [tuple(x) for x in v] for k, v in data["after"].items()},
                   {k: set(v) for k, v in data["carriers"].items()})

    def to_json(self) -> dict[str, Any]:
        return {"before": {k: [list(x) for x in v] for k, v in self.before.items()},
                "after": {k: [list(x) for x in v] for k, v in self.after.items()},
                "carriers": {k: sorted(v) for k, v in self.carriers.items()}}


def _strip_fillers(words: list[str], i: int, j: int) -> tuple[int, int]:
    while i < j and words[i] in FILLERS:
        i += 1
    while j > i and words[j - 1] in FILLERS:
        j -= 1
    return i, j


def span(tokens: list[Token], text: str, intent: str, frames: Frames) -> str | None:
    """The open span of `text` for `intent`, as said (original casing), or None when nothing is left."""
    words = [t.word.lower() for t in tokens]
    best: tuple[int, int, int] | None = None
    for pre in frames.before.get(intent, []):  # no phrasings seen for it: the fallback below
        for suf in frames.after.get(intent, [()]):
            for start in range(0, len(words) + 1):
                if tuple(words[start:start + len(pre)]) != pre:
                    continue
                if any(w not in FILLERS for w in words[:start]):
                    break  # only fillers may come before the carrier words
                i = start + len(pre)
                j = len(words) - len(suf)
                if j <= i or tuple(words[j:]) != suf:
                    continue
                score = len(pre) + len(suf)
                if best is None or score > best[0]:
                    best = (score, i, j)
                break
    if best is None and intent in VERBATIM:
        return None  # text is typed only after a known way of asking for it ("write ...", "search for ...")
    if best is None:  # a phrasing not seen: its first word is the verb, then carrier words
        i, j = _strip_fillers(words, 0, len(words))
        carriers = frames.carriers.get(intent, set()) | _LINKS
        if i < j and words[i] not in carriers:
            i += 1
        while i < j and words[i] in carriers:
            i += 1
        while j > i and words[j - 1] in carriers:
            j -= 1
    else:
        _, i, j = best
    kind = "text" if intent in ("type", "find") else "name"
    # where to look said first ("find on page weather"), then the words before a span ("the word budget")
    for table in (_WHERE if intent == "find" else (), _DROP_FRONT.get(kind, ())):
        for drop in table:
            if tuple(words[i:i + len(drop)]) == drop and j - i > len(drop):
                i += len(drop)
                break
    for drop in _DROP_BACK.get(intent, _DROP_BACK.get(kind, ())):
        if tuple(words[j - len(drop):j]) == drop and j - i > len(drop):
            j -= len(drop)
            break
    if j <= i or (kind == "name" and (j - i > MAX_NAME_WORDS or (j - i == 1 and words[i] in PRONOUNS))):
        return None
    if kind == "name":  # as the grammar gives a name: its words, lower case, rewritten ("Fire fox" -> firefox)
        return " ".join(words[i:j]).strip(" ,.;:!?\"'") or None
    out = text[tokens[i].start:tokens[j - 1].end].strip(" ,.;:!?\"'")
    return out or None


APP_NEAR = 0.84  # the grammar's default fuzzy_threshold (interpreter.fuzzy_threshold)


def app_name(name: str | None, apps: tuple[str, ...] | list[str]) -> str | None:
    """`name`, or the known app it is a near-miss of as a recogniser writes it ("fire fox", "firefux")."""
    from voxctl.agent.interpret.fuzzy import is_near, similarity

    if not name or name in apps:
        return name
    joined = name.replace(" ", "")
    near = [(similarity(a.replace(" ", ""), joined), a) for a in apps
            if a.replace(" ", "") == joined or is_near(a.replace(" ", ""), joined, APP_NEAR)]
    return max(near)[1] if near else name


# Words that name no particular window: "close the current window", "quit this program", "close everything".
_ANY_WINDOW = PRONOUNS | {"the", "a", "an", "my", "this", "current", "active", "open", "window", "windows", "app",
                          "application", "program", "everything", "all", "of", "down", "out", "up"}


def window_named(tokens: list[Token], text: str, intent: str, frames: Frames) -> str | None:
    """The window a sentence names for an action that lands on the active one ("close firefox", "quit
    slack"), or None ("close it", "close this window", "exit the program", and any span holding such words:
    "get rid of this window" leaves "rid of this")."""
    name = span(tokens, text, intent, frames)
    return name if name and not set(name.lower().split()) & _ANY_WINDOW else None


def numbers(tokens: list[Token]) -> list[float]:
    return [t.num for t in tokens if t.num is not None]


_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600}  # what a wait's number may be said in, in seconds


def seconds(tokens: list[Token]) -> float | None:
    """The first number said, in seconds: "give me two minutes" is 120 (longer than any wait, so no plan), not 2."""
    for i, t in enumerate(tokens):
        if t.num is not None:
            unit = tokens[i + 1].word if i + 1 < len(tokens) else ""
            return t.num * _UNITS.get(unit, 1)
    return None


# What an edit action is counted in: "go back two pages", "close three tabs", "go left 3 characters"; also
# one word later ("three new tabs", "2 more times"), but "time" only right after its number.
COUNTED = frozenset({"times", "time", "pages", "tabs", "words", "lines", "characters", "chars", "letters", "spaces",
                     "changes", "edits", "steps"})
_COUNTED_A_WORD_LATER = COUNTED - {"time"}


def repeat(tokens: list[Token]) -> int | None:
    """N of "N times" (the grammar rewrote "twice" to "2 times") or of N counted things ("three new tabs"), if said."""
    words = [t.word for t in tokens]
    for i, t in enumerate(tokens):
        if t.num is None:
            continue
        if words[i + 1:i + 2] and words[i + 1] in COUNTED or words[i + 2:i + 3] and words[i + 2] in _COUNTED_A_WORD_LATER:
            return int(t.num)
    return None


def keys(tokens: list[Token], spec: GrammarSpec) -> list[str] | None:
    """The key names said, in order ("press control and c" -> [ctrl, c]); letters only with a modifier."""
    words = [t.word.lower() for t in tokens]
    found: list[tuple[str, bool]] = []  # (key, said as a single letter)
    other, named = 0, False  # words that are no key, no filler, no count: a sentence that holds a key's word
    i = 0
    longest = max(len(k) for k in spec.keys)
    while i < len(words):
        if words[i] in _KEY_NOISE or (i + 1 < len(words) and words[i + 1] in ("times", "time")):
            other += words[i] not in _KEY_NOISE and tokens[i].num is None  # "half time" is no count
            i += 1
            continue
        for n in range(min(longest, len(words) - i), 0, -1):
            key = spec.keys.get(tuple(words[i:i + n]))
            if key is not None:
                found.append((key, n == 1 and len(words[i]) == 1))
                named |= n > 1  # "caps lock", "page down": a key's own name
                i += n
                break
        else:
            other += words[i] not in FILLERS and words[i] not in _LINKS and tokens[i].num is None
            i += 1
    chord = any(k in MODIFIERS for k, _ in found[:1]) and len(found) > 1  # "alt tab out real quick"
    told = named or chord or bool((PRESS_VERBS | {"key", "keys"}) & set(words))
    if other > MAX_OTHER_WORDS and not told:
        return None  # "two nil down at half time" (Down), "run my end of shift macro" (End, Shift): blind probe set 40
    has_mod = any(k in MODIFIERS for k, _ in found)
    out = [k for k, letter in found if has_mod or not letter or len(found) == 1]
    out = list(dict.fromkeys(out))[:4]
    if out and not is_chord(out) and not (len(out) == 1 and "key" in words):
        return None  # as the grammar reads keys: a modifier alone only as "the shift key" (slots.py is_chord)
    return out or None


WORD_SLOTS = frozenset({"repeat", "keys", "n", "seconds", "x", "y"})  # filled from the words alone, no frame


def word_values(slots: Any, tokens: list[Token], spec: GrammarSpec) -> dict[str, Any]:
    """The values of an intent's `slots` that come from the words alone (WORD_SLOTS): a count, keys, a number,
    seconds, a point; the span slots (text, name, macro) are the caller's."""
    values: dict[str, Any] = {}
    nums = numbers(tokens)
    if len(nums) == 3 and nums[1] == nums[2]:  # the recogniser's loop: "Move the mouse to 500 400 400"
        nums = nums[:2]
    for slot in slots:
        if slot == "repeat":
            values["repeat"] = repeat(tokens)
        elif slot == "keys":
            values["keys"] = keys(tokens, spec)
        elif slot == "n":
            values[slot] = int(nums[0]) if nums and float(nums[0]).is_integer() else (nums[0] if nums else None)
        elif slot == "seconds":
            values[slot] = seconds(tokens)
        elif slot in ("x", "y") and len(nums) == 2:  # a third number: which two are the point is a guess
            values["x"], values["y"] = int(nums[0]), int(nums[1])
    return values
