"""Transcript clean-up before the grammar: words, casing, the recogniser's punctuation and spellings.

Whisper writes commands its own way: "Press Ctrl-S.", "Press F5.", "Scroll up 10 times.", "Click at
300-200.", "Move the mouse to 500, 400.", "Drag to 500300". `tokenize` turns any of these into
lowercase word tokens that remember where they came from in the transcript (so text after "type" can
be taken verbatim), whether the recogniser put a pause (punctuation) after them, and numbers as values
("twenty five" -> 25). Phrase rewrites ("ctrl" -> "control", "twice" -> "2 times") come from the
grammar data and are applied here; rewrites listed as `misheard` mark their tokens as fuzzy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from voxctl.agent.interpret.numbers import parse_numbers

PAUSES = ".,;:!?…"
_LEAD = "\"'([{“‘¿¡*«"
_TRAIL = "\"')]}”’*»" + PAUSES
_JOINERS = re.compile(r"(?<=[0-9a-zA-Z])[-+–](?=[0-9a-zA-Z])")  # Ctrl-S, Alt+F4, 300-200
_PAIR = re.compile(r"^(\d{3}),(\d{3})$")  # "500,400": two coordinates, not five hundred thousand
_BY = re.compile(r"^(\d+)x(\d+)$")  # "300x200"
_AXIS = re.compile(r"^([xy])(\d{2,})$", re.I)  # "click at x640 y360": an axis named and its number run together
MAX_COORD = 20000
# Words that wait for another after them: a reading that ends on one was cut off or misheard ("turn the bottom of."
# for "turn the volume up", slt; "click you get me to"), no command and no name on a screen ends so ("Sign in", "Log
# out" end in a particle, which is not here); dictated text may. The one table for grounded.py (names),
# understand/no_instruction.py (the model's readings) and correcting.py (a start that trails off before "no").
# Places in an order, said of tabs, labels, values: "the fifth tab", "no, the fifth" (correcting.py, anaphora.py)
ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth last next previous".split())
WAITS_FOR_MORE = frozenset("to of at the a an from with for and or my your his her their its our".split())

Rewrites = Mapping[tuple[str, ...], tuple[str, ...]]
OPENING = "^"  # a rewrite whose phrase begins with it applies only to the utterance's first words


@dataclass(frozen=True)
class Token:
    """One word of the transcript. `start`/`end` index the original text."""

    word: str
    start: int
    end: int
    num: float | None = None
    fuzzy: bool = False  # produced by a near-miss rewrite ("brag" -> "drag")
    pause: bool = False  # the recogniser put punctuation after it (a likely command boundary)


def _split_chunk(chunk: str, offset: int) -> list[Token]:
    """One whitespace-delimited chunk into tokens; punctuation becomes `pause` on the last one."""
    i, j = 0, len(chunk)
    while i < j and chunk[i] in _LEAD:
        i += 1
    trail = j
    while trail > i and chunk[trail - 1] in _TRAIL:
        trail -= 1
    pause = any(c in PAUSES for c in chunk[trail:])
    core = chunk[i:trail]
    if not core:
        return [Token("", offset, offset + len(chunk), pause=pause or chunk in ("-", "–", "—"))]
    if core in ("+", "&"):
        return [Token("plus" if core == "+" else "and", offset + i, offset + trail, pause=pause)]
    pieces: list[tuple[str, int]] = []
    # Commas inside a chunk are pauses ("fire,fox"), except digit grouping ("1,000", "500,400").
    pos = 0
    for sub in re.split(r"(,)", core):
        if sub == ",":
            if pieces:
                pieces[-1] = (pieces[-1][0] + "\x00", pieces[-1][1])  # mark a pause after this piece
            pos += 1
            continue
        if sub:
            pieces.append((sub, i + pos))
        pos += len(sub)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", core):
        pieces = [(core, i)]
    out: list[Token] = []
    for text, start in pieces:
        paused = text.endswith("\x00")
        text = text.rstrip("\x00")
        if m := _PAIR.match(text) or _BY.match(text) or _AXIS.match(text):
            parts = [(m.group(1), start), (m.group(2), start + m.start(2))]
        else:
            parts, last = [], 0
            for jm in _JOINERS.finditer(text):
                parts.append((text[last:jm.start()], start + last))
                last = jm.end()
            parts.append((text[last:], start + last))
            parts = _merge_digits(parts)
        for k, (p, s) in enumerate(parts):
            end = s + len(p)
            out.append(Token(p.lower(), offset + s, offset + end, pause=paused and k == len(parts) - 1))
    if out and pause:
        out[-1] = replace(out[-1], pause=True)
    return out


def _merge_digits(parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """"3-0-0-200" -> 300, 200: three or more single digits in a row were one number read digit by digit
    ("5-5" stays two numbers: more likely a point)."""
    if len(parts) < 2 or not all(p.isdigit() for p, _ in parts):
        return parts
    out: list[tuple[str, int]] = []
    k = 0
    while k < len(parts):
        run = k
        while run < len(parts) and len(parts[run][0]) == 1:
            run += 1
        if run - k >= 3:
            out.append(("".join(p for p, _ in parts[k:run]), parts[k][1]))
            k = run
        else:
            out.append(parts[k])
            k += 1
    return out


def split_words(text: str) -> list[Token]:
    """The transcript as lowercase tokens with offsets and pause marks; no rewrites, no numbers."""
    tokens: list[Token] = []
    for m in re.finditer(r"\S+", text):
        for t in _split_chunk(m.group(), m.start()):
            if t.word:
                tokens.append(t)
            elif t.pause and tokens:  # a lone dash or ellipsis: a pause after the previous word
                tokens[-1] = replace(tokens[-1], pause=True)
    return tokens


def _apply(tokens: list[Token], table: Rewrites, fuzzy: bool) -> list[Token]:
    if not table:
        return tokens
    longest = max(len(k) for k in table)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            span = tokens[i:i + n]
            # A phrase never spans a pause: "screen. Shot" is two thoughts.
            if any(t.pause for t in span[:-1]):
                continue
            key = tuple(t.word for t in span)
            if i == 0 and (OPENING,) + key in table:  # "^and maximize": only where the utterance begins
                key = (OPENING,) + key
            if key in table:
                new = table[key]
                # word for word ("write click label" -> "right click label"): each word keeps its place, and only a
                # word that changed was misheard
                same = len(new) == n
                for k, w in enumerate(new):
                    changed = w != span[k].word if same else True
                    out.append(Token(w, span[k if same else 0].start, span[k if same else -1].end,
                                     fuzzy=(fuzzy and changed) or any(t.fuzzy for t in span),
                                     pause=span[-1].pause and k == len(new) - 1))
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _numbers(tokens: list[Token]) -> list[Token]:
    """Merge number words into one token with `num` set, never across a pause."""
    out: list[Token] = []
    start = 0
    for end in range(len(tokens) + 1):
        if end < len(tokens) and not tokens[end].pause:
            continue
        stretch = tokens[start:end + 1]
        words = [t.word for t in stretch]
        done = 0
        for nw in parse_numbers(words):
            out.extend(stretch[done:nw.start])
            first, last = stretch[nw.start], stretch[nw.end - 1]
            value = nw.value
            out.append(Token(_num_word(value), first.start, last.end, num=value,
                             fuzzy=any(t.fuzzy for t in stretch[nw.start:nw.end]), pause=last.pause))
            done = nw.end
        out.extend(stretch[done:])
        start = end + 1
    return _number_pairs(out)


def _num_word(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _number_pairs(tokens: list[Token]) -> list[Token]:
    """"1 and a half" -> 1.5; "300 and 200" -> 300 200; "500300" (two coordinates run together) -> 500 300."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = [x.word for x in tokens[i + 1:i + 4]]
        if t.num is not None and nxt[:3] == ["and", "a", "half"]:
            v = t.num + 0.5
            out.append(Token(_num_word(v), t.start, tokens[i + 3].end, num=v, pause=tokens[i + 3].pause))
            i += 4
            continue
        if (t.num is not None and nxt[:1] == ["and"] and i + 2 < len(tokens) and tokens[i + 2].num is not None
                and not t.pause):
            out.append(t)
            i += 2
            continue
        if t.num is not None and t.word.isdigit() and len(t.word) in (6, 8) and t.num > MAX_COORD:
            half = len(t.word) // 2
            a, b = t.word[:half], t.word[half:]
            out.append(Token(a, t.start, t.start + half, num=int(a), fuzzy=True))
            out.append(Token(b, t.start + half, t.end, num=int(b), fuzzy=True, pause=t.pause))
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def tokenize(text: str, rewrites: Rewrites | None = None, misheard: Rewrites | None = None) -> list[Token]:
    """Transcript -> tokens: words, recogniser spellings rewritten, numbers merged into values."""
    tokens = split_words(text)
    tokens = _apply(tokens, rewrites or {}, fuzzy=False)
    tokens = _apply(tokens, misheard or {}, fuzzy=True)
    return _about(_numbers(tokens))


def _about(tokens: list[Token]) -> list[Token]:
    """Without "like" said before a number, as casual speech gives a count ("undo that like three times", "delete like
    five words": blind probe set 21): the number is the count. Dictated text keeps it (it is read from the text)."""
    return [t for i, t in enumerate(tokens) if not (t.word == "like" and not t.pause and i + 1 < len(tokens)
                                                   and tokens[i + 1].num is not None)]


def normalize(text: str, rewrites: Rewrites | None = None) -> str:
    """The transcript as the grammar reads it: "Press Ctrl-S." -> "press control s" (with the rewrites)."""
    return " ".join(t.word for t in tokenize(text, rewrites))


def phrase_table(mapping: Mapping[str, Any]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """{"screen shot": "screenshot"} -> {("screen", "shot"): ("screenshot",)} for `tokenize`."""
    out = {}
    for k, v in mapping.items():
        words = [str(x) for x in v] if isinstance(v, list) else str(v).split()
        key = str(k).lower()
        head = (OPENING,) if key.startswith(OPENING) else ()
        out[head + tuple(key.removeprefix(OPENING).split())] = tuple(w.lower() for w in words)
    return out
