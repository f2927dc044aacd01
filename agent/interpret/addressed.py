"""Said to someone by name: "priya, just close that tab, it's distracting", "could you go back to the previous
slide please, tom", "start recording the meeting please, sam" (blind probe set 14: a video call, a shared office).

A name said to a person stands apart, set off by a comma, first or last: one word that no command of the grammar
says (its rules, fillers, joining words, keys, choices, apps), that is no number, and that is a given name
(given_names.txt: 21,442 names given to at least 300 babies in the US, 1880-2017; scripts/given_names.py) or a word
a person is called by (grounded.ENDEARMENTS: "honey", "bro", "mija"); or a title and any name ("mr garcia"). A
laugh set off ("..., haha") is said to a person too, and so is a word a person is called by said before a pause
inside the sentence ("the music is too loud baba, turn it down"). What is said to a person by name is no instruction to the
desktop, whatever its words: nothing runs. Dictated text is not looked at ("type see you soon, sam"). The
recogniser writes the pause before or after a name as a comma.

Any other word set off first is a word of the speaker's own ("allora, go back", "tamam, close this tab", "dạ,
could you scroll down"): until 2026-12-07 every word the grammar did not know was a name, and each language's
interjections had to be listed one by one (typed, the dev sets lost 13 commands to it and the held-out sets 15;
with names from the list, one talk line acted more, "..., haha", now a laugh).

A word set off by a correction is the command taken back or said in its place, no name: "forward, no, reply",
"click on the approve button, no, reject", "reply, no wait, reply to all" (blind probe set 20) are corrections
(correcting.py reads them).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from voxctl.agent.interpret.grounded import ENDEARMENTS
from voxctl.agent.interpret.saying_no import only_corrects
from voxctl.tools.words import words_in

# one word, then a comma (or the full stop a recogniser writes for the pause: "jamie. scroll back up a bit for me.",
# slt and en-us+m3, blind probe set 37), then more; or more, a comma, then one word and the end
_FIRST = re.compile(r"^\s*([^\W\d_][\w']*)(?:\s+(?:san|sama|kun|chan|ji|bhai|didi|sahib))?\s*[,.]\s*\w")
# ... with an honorific after it: "maria san, can you scroll down" (blind probe set 43), "sharma ji, ..."
# said first or last without being a name, and no word of a command: "oops, undo", "er, go to the next tab"
INTERJECTIONS = frozenset("""actually oops whoops er erm uh um umm ah oh aye hmm hm ugh eh huh yep yup nope yeah yes no
    ok okay alright sure well wow gosh darn damn dang shoot argh phew ooh aha alas hey hi hello bye nah bruh lol lmao
    welp meh naw och""".split())
_LAST = re.compile(r"\w\s*,\s*([^\W\d_][\w']*)\s*[.!?]*\s*$")
# a word a person is called by (grounded.ENDEARMENTS only: no given name) said last in a remark, before a pause and a
# command: the command is said to that person
_MIDDLE = re.compile(r"\w\s+([^\W\d_][\w']*)\s*,\s*\w")
_LAUGH = re.compile(r"^(?:(?:ha){2,}|(?:he){2,})h?$")  # "haha", "hahaha", "hehe": laughing with someone
# a title and a name, first or last, whatever the name: "mr garcia, i think you're still on mute, can you unmute" (a
# teacher on a call, blind probe set 47: the model's mute)
_TITLE = r"(?:mr|mrs|ms|miss|mister|missus|dr|doctor|prof|professor|auntie|aunty|uncle|madam|madame)\.?\s+[^\W\d_][\w']*"
_TITLED = re.compile(rf"^\s*({_TITLE})\s*[,.]\s*\w|\w\s*,\s*({_TITLE})\s*[.!?]*\s*$")


def by_name(text: str, spec: Any) -> str | None:
    """The name `text` is said to (set off first or last, not a word of the grammar `spec`), or None."""
    if (titled := _TITLED.search(text.casefold())) is not None:
        return " ".join((titled.group(1) or titled.group(2)).split())
    known = spoken_words(spec)
    for m in (_FIRST.match(text), _LAST.search(text)):
        if m is None:
            continue
        word = m.group(1).casefold()
        if _beside_a_correction(text, m.start(1), m.end(1)):
            continue
        if len(word) > 1 and word not in known and word not in INTERJECTIONS and not _number(word) and _calls(word):
            return word
    for m in _MIDDLE.finditer(text):  # "the music is too loud baba, turn it down" (blind probe set 58)
        if (word := m.group(1).casefold()) in ENDEARMENTS and not _beside_a_correction(text, m.start(1), m.end(1)):
            return word
    return None


def _calls(word: str) -> bool:
    """Whether `word` is what a person is called: a given name, a word said to a person, or a laugh."""
    return word in given_names() or word in ENDEARMENTS or bool(_LAUGH.match(word))


@functools.cache
def given_names() -> frozenset[str]:
    """The given names of given_names.txt (lower case), read once."""
    return frozenset((Path(__file__).parent / "given_names.txt").read_text(encoding="utf-8").split())


def _beside_a_correction(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end], set off by commas, is next to a part that only says no or corrects
    ("forward, no, reply"; "..., no, reject"): the word is a command said or taken back, not a name."""
    before = re.split(r"[,.;!?]", text[:start])
    after = re.split(r"[,.;!?]", text[end:])
    near = [before[-2] if len(before) > 1 else "", after[1] if len(after) > 1 else ""]
    return any(only_corrects(part) for part in near)


def dictates(plan: Any) -> bool:
    """Whether a plan types text: a name in it is a word of the text ("type thanks, sam")."""
    return any(c.tool == "type_text" for c in plan.actions)


def _number(word: str) -> bool:
    from voxctl.agent.interpret.numbers import parse_numbers

    return bool(parse_numbers([word]))


_KNOWN: dict[int, tuple[Any, frozenset[str]]] = {}  # id(spec) -> (spec, its words): a spec is built once per session


def spoken_words(spec: Any) -> frozenset[str]:
    """Every word a command of `spec` says: its rules' phrasings, fillers, joining words, key names, slot choices,
    edit actions' spoken forms, apps and rewrites."""
    got = _KNOWN.get(id(spec))
    if got is not None and got[0] is spec:
        return got[1]
    words: set[str] = set()
    for rule in spec.rules:
        for say in rule.say:
            words.update(words_in(re.sub(r"\{[^}]*\}", " ", say)))
    phrases = [*spec.fillers_start, *spec.fillers_paused, *spec.fillers_end, *spec.connectives, *spec.weak_connectives, *spec.keys,
               *spec.type_particles, *spec.not_dictation, *(p for forms in spec.actions.values() for p in forms)]
    for slot in spec.slots.values():
        phrases += [*slot.choices, *((k,) for k in slot.known)]
    for table in (spec.rewrites, spec.misheard):
        phrases += [*table.keys(), *table.values()]
    for phrase in phrases:  # any letter a letter: "kurczę" said first is a filler, not a name (blind probe set 40)
        words.update(w for part in phrase for w in words_in(part, unicode=True))
    for name in spec.apps:
        words.update(words_in(name))
    words.update(spec.type_triggers)
    _KNOWN[id(spec)] = (spec, known := frozenset(words))
    return known
