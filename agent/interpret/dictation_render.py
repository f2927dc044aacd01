"""Dictated words into what is typed, by the spec of the dictation words (agent/interpret/dictation.py).

The words come as the recogniser wrote them (its capitals and punctuation are kept where nothing was said
about them). `render` turns a dictation into pieces: text to type and keys to press between them ("new
line" is the Enter key: a line break is never hidden inside typed text). `spell` reads the NATO alphabet.
`dictated_forms` lists the words dictation can make of what was said (for agent/grounding.py).
"""

from __future__ import annotations

import re
from typing import Any

from voxctl.agent.interpret.dictation import (
    FORMATS,
    MARK_NOUNS,
    PERIOD_NOUN,
    DictationError,
    DictationSpec,
    Mark,
    Phrase,
    capitalize,
)
from voxctl.agent.interpret.formula import formula
from voxctl.agent.interpret.numbers import UNITS, said_number

_RECOGNISER_MARKS = ".,;:!?…"
_EDGE = "\"'“”‘’()[]{}«»*" + _RECOGNISER_MARKS


def core(chunk: str) -> str:
    """A chunk as a lowercase word for matching: the recogniser's punctuation and quotes stripped."""
    return chunk.strip(_EDGE).lower()


def starts_with(cores: list[str], i: int, phrases: Any) -> int:
    """The length of the longest of `phrases` at cores[i:], or 0."""
    best = 0
    for p in phrases:
        if len(p) > best and tuple(cores[i:i + len(p)]) == p:
            best = len(p)
    return best


def past(cores: list[str], i: int, phrases: Any) -> int:
    """The index after `phrases` said one after another from cores[i] ("okay so please ..." -> the command), as far
    as any split of them reaches ("please" + "do the needful and", not "please do" + nothing: blind probe set 60)."""
    ends, todo = {i}, [i]
    while todo:
        j = todo.pop()
        for n in {len(p) for p in phrases if p and j + len(p) not in ends and tuple(cores[j:j + len(p)]) == p}:
            ends.add(j + n)
            todo.append(j + n)
    return max(ends)


def _longest(cores: list[str], i: int, table: dict[Phrase, Any]) -> tuple[int, Any]:
    n = starts_with(cores, i, table)
    return (n, table[tuple(cores[i:i + n])]) if n else (0, None)


Piece = tuple[str, Any, int]  # ("text", str, 1) or ("keys", (key,), times pressed)


class _Line:
    """Text being assembled: words and marks with the spacing rules, cut where keys are pressed."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.text = ""
        self.glue = True  # no space before the next item
        self.cap_next = False
        self.quote_open = False

    def word(self, w: str) -> None:
        if self.cap_next:
            w, self.cap_next = capitalize(w), False
        self.text += ("" if self.glue or not self.text else " ") + w
        self.glue = False

    def mark(self, m: Mark) -> None:
        spacing = m.spacing
        if spacing == "quote":
            spacing, self.quote_open = ("right", True) if not self.quote_open else ("left", False)
        if spacing in ("left", "both"):
            self.text = self.text.rstrip(_RECOGNISER_MARKS) if m.symbol in _RECOGNISER_MARKS else self.text
            self.text += m.symbol
        else:
            self.text += ("" if self.glue or not self.text else " ") + m.symbol
        self.glue = spacing in ("right", "both")

    def keys(self, keys: tuple[str, ...]) -> None:
        if self.text:
            self.pieces.append(("text", self.text, 1))
        self.text, self.glue = "", True
        for k in keys:
            if self.pieces and self.pieces[-1][0] == "keys" and self.pieces[-1][1] == (k,):
                self.pieces[-1] = ("keys", (k,), self.pieces[-1][2] + 1)
            else:
                self.pieces.append(("keys", (k,), 1))

    def done(self) -> list[Piece]:
        if self.text:
            self.pieces.append(("text", self.text, 1))
        return self.pieces


def formatter_at(spec: DictationSpec, cores: list[str], i: int = 0) -> tuple[int, str | None]:
    """(words taken, format name) for a formatter said at cores[i:] ("snake", "snake case"), else (0, None)."""
    n, fmt = _longest(cores, i, spec.formatters)
    if not n:
        return 0, None
    return n + starts_with(cores, i + n, spec.formatter_suffix), fmt


def render(raw: str, spec: DictationSpec, fmt: str | None = None) -> list[Piece]:
    """Dictated text -> pieces to type and keys to press. `fmt`: a format for all of it (formatters take
    the words as words: no punctuation words inside a formatted name)."""
    chunks = raw.split()
    if fmt is not None:
        text = FORMATS[fmt]([c.strip(_EDGE) for c in chunks if c.strip(_EDGE)])
        return [("text", text, 1)] if text else []
    cores = [core(c) for c in chunks]
    if (said := formula(cores, spec)) is not None:  # "equals sum of c three to c twenty" -> =sum(c3:c20)
        return [("text", said, 1)]
    if (address := spoken_email(cores)) is not None:  # "m valdes at utas dot edu dot au" -> mvaldes@utas.edu.au
        return [("text", address, 1)]
    line, i = _Line(), 0
    keywords = spec.keywords()
    if (n := starts_with(cores, 0, spec.literal)) and len(chunks) == n + 1:
        # "type the word hello" is "hello", as "the word comma" is "comma"; "the word is out" stays words
        line.word(chunks[n].strip(_EDGE) or chunks[n])
        return line.done()
    while i < len(chunks):
        if (n := starts_with(cores, i, spec.literal)) and starts_with(cores, i + n, keywords):
            take = starts_with(cores, i + n, keywords)
            for c in chunks[i + n:i + n + take]:
                line.word(c.strip(_EDGE) if c.strip(_EDGE) else c)
            i += n + take
            continue
        if n := starts_with(cores, i, spec.cap):
            if i + n < len(chunks) and not (i and cores[i + n] in _NOT_CAPPED):
                line.cap_next = True
                i += n
                continue
        if n := starts_with(cores, i, spec.no_space):
            line.glue, i = True, i + n
            continue
        if (n := starts_with(cores, i, spec.numeral)) and (got := said_number(cores, i + n)):
            value, used = got
            line.word(value)
            i += n + used
            continue
        if _email_at(cores, i) and (at := spec.punctuation.get(("at", "sign"))):
            line.mark(at)  # "sam dot lee at example dot com" -> sam.lee@example.com
            i += 1
            continue
        n, mark = _longest(cores, i, spec.punctuation)
        if n and not (cores[i] in MARK_NOUNS and n == 1 and i and cores[i - 1] in PERIOD_NOUN):  # "the trial period"
            line.mark(mark)
            i += n
            continue
        n, keys = _longest(cores, i, spec.layout)
        if n:
            line.keys(keys)
            i += n
            continue
        if (got := said_number(cores, i)) and _beside_code(line.text, cores, i + got[1], spec):
            line.word(got[0])  # "range open bracket ten close bracket" -> range(10), "equals equals three" -> == 3
            i += got[1]
            continue
        chunk = chunks[i]
        nxt = i + 1
        if nxt < len(chunks) and (_longest(cores, nxt, spec.punctuation)[0] or _longest(cores, nxt, spec.layout)[0]):
            chunk = chunk.rstrip(_RECOGNISER_MARKS) or chunk  # "Hello, comma": the said comma, not both
        line.word(chunk)
        i += 1
    return line.done()


# Words nobody capitalises inside a sentence: "cap" before them is a word ("insists the cap is working", blind probe
# set 26, typed "the Is working"); said first, it capitalises ("cap the quick fox")
_NOT_CAPPED = frozenset("is was are were be been the a an of to in on at and or but it its that this for with as by from "
                        "has have had will would can could should".split())
_CODE_BEFORE = ("(", "[", "=", "-")  # a number said right after these is a number of code, written in digits
_CODE_AFTER = frozenset({")", "]"})


def _beside_code(text: str, cores: list[str], after: int, spec: DictationSpec) -> bool:
    """Whether a number said where `text` has got to, ending at cores[after], sits beside a bracket or an operator
    said as a word: then it is written in digits as code is ("x == 3", "range(10)"); "two cats" stays words."""
    if text.rstrip().endswith(_CODE_BEFORE):
        return True
    n, mark = _longest(cores, after, spec.punctuation)
    return bool(n) and mark.symbol in _CODE_AFTER


_PRONOUNS = frozenset("i a we you they he she it".split())


def spoken_email(cores: list[str]) -> str | None:
    """The email address that all of `cores` say with an initial or a name spelled out around it, written without
    spaces: "m valdes at utas dot edu dot au" -> mvaldes@utas.edu.au, "e ramirez at bluebonnet i s d dot net" ->
    eramirez@bluebonnetisd.net (blind probe sets 68, 70: they were typed with their spaces). The name before "at" is
    one word, or an initial and a word; the domain's words before each "dot" are a word and letters spelled after
    it; it ends on "dot" and a word. None otherwise: "i work at example dot com" is words (one word names are
    `_email_at`'s)."""
    if "at" not in cores or len(cores) > 14 or not all(re.fullmatch(r"[a-z]+", c) for c in cores):
        return None
    at = cores.index("at")
    name, domain = cores[:at], cores[at + 1:]
    if not (len(name) == 2 and len(name[0]) == 1 and name[0] not in _PRONOUNS and len(name[1]) > 1):
        return None  # "sam at example dot com" is _email_at's; "meet me at ..." is no address
    parts, part = [], []
    for w in domain:
        if w == "dot":
            parts.append(part)
            part = []
        else:
            part.append(w)
    parts.append(part)
    if len(parts) < 2 or not all(parts) or any(len(p) > 1 and any(len(w) > 1 for w in p[1:]) for p in parts) \
            or len(parts[-1]) != 1:
        return None  # each part: a word, then letters spelled ("bluebonnet i s d"); the last: one word ("net")
    return "".join(name) + "@" + ".".join("".join(p) for p in parts)


def _email_at(cores: list[str], i: int) -> bool:
    """Whether the "at" at `i` joins an email address: a domain said with "dot" follows ("at example dot com"), and
    before it is the address's first word, said first or joined by "dot" ("sam at ...", "sam dot lee at ..."); "i
    work at example dot com" keeps its "at"."""
    if cores[i] != "at" or i + 3 >= len(cores) or cores[i + 2] != "dot":
        return False
    return i == 1 and cores[0] not in ("i", "we", "you", "they", "he", "she") or i >= 3 and cores[i - 2] == "dot"


def spell(raw: str, spec: DictationSpec) -> str:
    """ "alpha bravo cap charlie one 2" -> "abC12". Raises DictationError naming a word that is no letter."""
    cores = [p for c in raw.split() for p in re.split(r"[-–]", core(c)) if p]
    out, i, cap = [], 0, False
    while i < len(cores):
        if n := starts_with(cores, i, spec.cap):
            cap, i = True, i + n
            continue
        n, letter = _longest(cores, i, spec.alphabet)
        if not n:
            n, mark = _longest(cores, i, spec.punctuation)
            letter = mark.symbol if n else None
        if not n:
            w = cores[i]
            n, letter = 1, (str(UNITS[w]) if w in UNITS else w if re.fullmatch(r"[0-9]+|[a-z]", w) else None)
        if letter is None:
            raise DictationError(f'cannot spell "{cores[i]}": not a letter of the spelling alphabet')
        out.append(letter.upper() if cap else letter)
        cap, i = False, i + n
    return "".join(out)


def dictated_forms(said: list[str], spec: DictationSpec, most: int = 8) -> set[str]:
    """Words dictation can make of the spoken words `said` (lowercase, as grounding.words gives them):
    runs of up to `most` words joined ("get user name" -> "getusername", for camel/pascal/smash) and runs
    of spelled letters and digits ("alpha bravo one" -> "ab1" and its parts). Grounding counts these as
    said: dictation only rearranges what was said."""
    out: set[str] = set()
    for i in range(len(said)):
        acc = ""
        for w in said[i:i + most]:
            acc += w
            out.add(acc)
    runs, run, i = [], "", 0
    while i < len(said):
        n, letter = _longest(said, i, spec.alphabet)
        if not n and re.fullmatch(r"[0-9]+|[a-z]", said[i]):
            n, letter = 1, said[i]
        if n:
            run += letter.lower().strip()
            i += n
            continue
        if not starts_with(said, i, spec.cap):
            runs.append(run)
            run = ""
        i += 1
    runs.append(run)
    for r in runs:
        for a in range(len(r)):
            for b in range(a + 1, min(len(r), a + 64) + 1):
                out.add(r[a:b])
    return out
