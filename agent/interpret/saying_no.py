"""Speech that says not to: "don't undo", "do not close the window", "scroll down, no, up".

A reading that holds a negation names a command it does not want. Every look that hunts for a command in
or behind such a reading found one: the understanding model read what the sentence was about ("please don't
undo" was ctrl+z, "do not close the window" close_window), the recogniser's other readings dropped the
negation ("not bold." was taken as "now bold.", "don't redo." as "one three two."), and a command's sound is
inside it. So the free reading's "no" ends the search: nothing runs, and the person says what they want.
"""

from __future__ import annotations

import re

from voxctl.tools.words import words_in

NEGATION = re.compile(r"\b(?:not|don't|dont|doesn't|never(?! mind)|no|nope|cannot|can't|won't|shouldn't|mustn't)\b")
# A correction said inside a sentence ("open firefox, I mean chrome"); said first it is only a lead-in.
CORRECTION = re.compile(r"\b(?:i mean|sorry|actually|instead|rather|scratch that|or rather)\b")


def says_no(text: str) -> bool:
    """Whether `text` holds a negation: nothing it names is to be done."""
    return bool(NEGATION.search(" ".join(words_in(text))))


def corrects_itself(text: str) -> bool:
    """Whether `text` takes back part of itself after its first word."""
    return bool(CORRECTION.search(" ".join(words_in(text)[1:])))
