""""One" and "it" that name the thing said before them: "close this tab and open a new one" opens a new tab; "go
up one line and jump to the end of it" goes to the end of the line.

A chain's second command often names its thing by "one" ("open another one", "make a new one"); the grammar has no
app or key called "one", and the understanding model guessed a new window (blind probe set 11). `named_back` writes
the noun back in place of "one": the last thing-noun said before it, with no dictation word in between (the text of
"open a new tab and type i want another one" stays as said). The same for "the end of it" and its like, with the
places a caret goes to ("go to the start of the line and select to the end of it", blind probe set 15).
"""

from __future__ import annotations

import re

from voxctl.agent.interpret.normalize import ORDINALS

# Things a person opens, closes or makes a new one of.
NOUNS = frozenset("tab window file document folder page note message email terminal".split())
_ONE = re.compile(r"\b(?:a new|another|a fresh|a blank|a second|new) one\b")
# "close this tab and go to the first one" (blind probe set 9): the thing said before, by its place
_NTH_ONE = re.compile(rf"\bthe ({'|'.join(sorted(ORDINALS | {'other'}))}) one\b")
_DICTATE = frozenset("type write dictate say spell search find".split())


# Places in text a caret goes to the end or start of: "the end of it"
PLACES = frozenset("line paragraph document file page".split())
_OF_IT = re.compile(r"\bthe (end|start|beginning|top|bottom) of it\b")


def named_back(text: str) -> str | None:
    """`text` with "a new one" / "another one" written "a new <the noun it stands for>", "the first one" "the first
    <noun>", or "the end of it" written "the end of the <place>", or None when it has no such word or no noun before
    it."""
    low = text.casefold()
    if (m := _ONE.search(low)) is not None and (noun := _last(low[:m.start()], NOUNS)):
        return f"{text[:m.start()]}a new {noun}{text[m.end():]}"
    if (m := _NTH_ONE.search(low)) is not None and (noun := _last(low[:m.start()], NOUNS)):
        return f"{text[:m.start()]}the {m.group(1)} {noun}{text[m.end():]}"
    if (m := _OF_IT.search(low)) is not None and (noun := _last(low[:m.start()], PLACES)):
        return f"{text[:m.start()]}the {m.group(1)} of the {noun}{text[m.end():]}"
    return None


def _last(before: str, nouns: frozenset[str]) -> str | None:
    """The last of `nouns` said in `before` (a plural as its singular), or None when there is none or a dictation
    word was said (what follows it may be text: "type the line is at the end of it")."""
    words = re.findall(r"[\w']+", before)
    if _DICTATE & set(words):
        return None
    for k in range(len(words) - 1, -1, -1):
        word = words[k][:-1] if words[k].endswith("s") and words[k][:-1] in nouns else words[k]
        if word in nouns:
            return word
    return None
