"""A remark said first, then the command after a pause: "that writing is ever so small, can you make it bigger so
i can read it", "oh look at them all pulling faces, take a snap of the screen", "I've put the wrong number in there.
rub it out with the delete key." People say why before what (blind probe sets 17 and 19, written by people who read
only docs/ACTIONS.md); read whole, the model was unsure of such a sentence and nothing ran.

The sentence is cut at its pauses only (a comma, a full stop, a question mark, a semicolon: never "and" or
"then", which join commands, chain_parts.py). The last part runs when it is a command on its own (the grammar's
plan, or the model's when it is sure of it) and every part before it is talk: the grammar reads no command there
and the model reads none, or it is no instruction by itself (no_instruction.not_a_command). Nothing runs when a
part before is a command of its own ("scroll down, roll up paper"), and nothing when the whole governs the command:
it says not to, sets a condition or a later time, corrects itself, is said to a person, or reports what someone
said (no_instruction.governed); nor when a part before answers someone ("nah it's fine, ship it") or the last part
says what someone does ("..., i need to cut this ribbon") or asks whether ("..., can it wait"), nor when the talk
begins with the command's verb ("quit chewing that, quit it": to the dog, blind probe set 26); nor when the command
types text ("hold on a second. type on the phone."). A command said first and a remark after ("scroll up, i missed it") is not read
here: people say that to each other as often as to the desktop (the blind sets' writers marked it talk).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from voxctl.agent.interpret.chain_parts import MAX_PARTS
from voxctl.agent.interpret.saying_no import NO_WORD
from voxctl.tools.words import words_in

_PAUSE = re.compile(r"\s*[,.;?!]+\s+")
# A part before that answers someone ("nah it's fine, ship it", "yes i can hold, go ahead and type it into your
# system": talk lines of blind probe sets 2 and 13): a conversation, not a remark to the desktop.
_ANSWERS = re.compile(rf"^(?:yes|yeah|yep|yup|ya|sure|{NO_WORD}|negative)\b", re.IGNORECASE)
# The last part says what someone does or asks whether something can be, not what to do: "i need to cut this
# ribbon" (probe set 7), "i need a new one" (probe set 14), "can it wait" (probe set 10), "you just say scroll down and
# it goes down" (probe set 19, heard after "season set."): telling a person. A request is "can you ...".
_NOT_TOLD = re.compile(r"^(?:(?:so|and|but|oh|um|uh|well|just)\s+)*(?:i|i'm|i'd|i've|i'll|we|we're|we'd|we've|he|"
                       r"she|they|they're|it|it's|that's|there|there's|these|those|you|you're|you've|you'll|you'd|"
                       r"(?:can|could|would|will|should|"
                       r"shall|may|might|must)\s+(?!you\b)\w+)\b", re.IGNORECASE)


# The last part begun as a noun is the talk's thing named again (blind probe set 62: "the whole letter" was the model's
# select all), not a command: a command said after a remark begins with its verb, or "this"/"that" pointing.
_NAMES_AGAIN = frozenset("the a an my his her their our its".split())


def tells_no_one(part: str) -> bool:
    """Whether `part` says what someone does or is, or asks whether, rather than telling the computer (`_NOT_TOLD`):
    "i have to change all twenty three into twenty four", "it's too small", "could it wait"."""
    return bool(_NOT_TOLD.match(part.strip()))


def pauses(text: str) -> list[str]:
    """`text` cut at its pauses; [] when there is no pause, an empty part or too many parts."""
    pieces = [p.strip(" ,.;:!?") for p in _PAUSE.split(text.strip())]
    if len(pieces) < 2 or len(pieces) > MAX_PARTS or not all(pieces):
        return []
    return pieces


def after_remarks(text: str, command: Callable[[str], list[Any] | None], talk: Callable[[str], bool],
                  governed: Callable[[str], str | None]) -> list[Any] | None:
    """The last part's actions when it is a command (`command(part)`: its actions or None) and each part before it is
    talk (`talk(part)`), the whole governing nothing (`governed(text)`: why it does, or None); else None."""
    pieces = pauses(text)
    if not pieces or governed(", ".join(pieces)):
        return None
    *before, last = pieces
    if tells_no_one(last) or any(_ANSWERS.match(p) for p in before) or not all(talk(p) for p in before):
        return None
    if words_in(last)[:1] and words_in(last)[0] in _NAMES_AGAIN:
        return None  # a thing named again after the talk, not a command: "she typed the whole thing for me, the whole letter"
    if any(words_in(p)[:1] == words_in(last)[:1] for p in before):
        return None  # talk begun with the command's own verb says it to the same one: "quit chewing that, quit it" (the dog)
    got = command(last) or []
    # Text to type after talk is talk's own words as often as dictation: "hold on a second. type on the phone."
    # (tests/test_understand_sentences.py): the command runs alone or not at all.
    if any(getattr(a, "tool", None) == "type_text" for a in got):
        return None
    return got or None
