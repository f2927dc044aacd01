"""A chain whose parts are read one by one, each by the grammar or else by the understanding model.

The grammar reads a chain only when it knows every part ("select all and copy"); the model reads a sentence as
one command or two. "cut that, go to the top of the file and paste" is three commands, one of them in words the
grammar does not know: neither read it (the model took "paste" alone). Here the sentence is cut at the
grammar's connectives ("and", "then", "after that", ...) and at the recogniser's pauses (a comma or a full
stop), into at most MAX_PARTS parts; each part is the grammar's plan when it has one, else the model's when the
model is sure of it (its own threshold, the speech threshold for what was heard). All or nothing: one part that
is neither, and nothing runs ("I went home and closed the window": "I went home" is no command).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

MAX_PARTS = 4  # more than this is not a chain a person says in one breath


def parts(text: str, connectives: Sequence[Sequence[str]]) -> list[str]:
    """`text` cut at each connective and each pause; [] when a cut leaves an empty part or too many."""
    words = sorted((" ".join(c) for c in connectives), key=len, reverse=True)
    joint = r"(?:\s*[,.;:]\s*|\s+)(?:" + "|".join(re.escape(w) for w in words) + r")\b[,.]?\s*|\s*[,.;:]\s+"
    pieces = [p.strip(" ,.;:!?") for p in re.split(joint, text.strip(), flags=re.IGNORECASE)]
    if len(pieces) < 2 or len(pieces) > MAX_PARTS or not all(pieces):
        return []
    return pieces


def said_parts(text: str, connectives: Sequence[Sequence[str]], fillers: Sequence[Sequence[str]]) -> list[str]:
    """The parts of `text` (`parts`) less those that are one of `fillers` alone ("okay, write hi everyone and then hit
    enter": "okay" is no part)."""
    alone = {" ".join(f) for f in fillers}
    return [p for p in parts(text, connectives) if p.lower() not in alone]


def read_parts(text: str, connectives: Sequence[Sequence[str]], grammar: Callable[[str], Any],
               model: Callable[[str], list[Any] | None], fillers: Sequence[Sequence[str]] = ()) -> list[Any] | None:
    """The chain's actions when every part is read and the model read at least one (a chain of the grammar's own
    parts is the grammar's to read, or to refuse); else None. `grammar(part)`
    gives a plan's actions (empty: not a command), `model(part)` the model's sure actions or None; a part that is
    one of `fillers` alone is left out."""
    pieces = said_parts(text, connectives, fillers)
    if len(pieces) < 2:
        return None
    actions: list[Any] = []
    by_model = False
    last: tuple[list[Any], bool] = ([], False)
    for piece in pieces:
        got, guessed = list(grammar(piece)), False
        if not got:
            got = model(piece) or []
            guessed = bool(got)
            by_model |= guessed
        if not got:
            return None
        if not (got == last[0] and (guessed or last[1])):  # the same command again in other words, one of them
            actions += got  # the model's: "i want the page bigger, zoom in" zooms once (as the model reads it whole)
        last = (got, guessed)
    return actions if by_model else None


def left_out_part(text: str, connectives: Sequence[Sequence[str]], gives: Callable[[str], bool],
                  asks: Callable[[str], bool], words: int = 2) -> str | None:
    """A part of `text`, joined to the rest by a connective ("and", "then"; pauses do not cut here), that a reading
    of `text` as one command leaves out: another part alone `gives` that command, and this one `asks` for something
    (a command not understood, not talk): "select the row and copy it" was ctrl+c, "press control alt delete and
    pick task manager" ctrl+alt+delete, "open line and wait five seconds" a wait (blind probe sets 59-61). A step
    said and not understood is no step to drop. A remark after a pause ("zoom in, i can't read it") is no part. Only
    parts of at least `words` words count (one word joined by "and" is as often a slip as a step)."""
    pieces = parts(re.sub(r"[,.;:!?]+", " ", text), connectives)
    if len(pieces) < 2 or not any(gives(p) for p in pieces):
        return None
    return next((p for p in pieces if len(p.split()) >= words and not gives(p) and asks(p)), None)
