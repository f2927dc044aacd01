"""The one word splitter (tools/words.py) as each of its callers uses it, on the same tricky inputs.

The table was recorded from the six splitters the callers had before they shared one (hands-free phrases,
the understanding fallback, history examples, confirmation answers, grounding, window titles) and the
spoken set's scoring. Where the shared splitter differs from what they gave, the row holds the new output,
on purpose: the typographic apostrophe ’ is the typewriter's ' everywhere (the fallback, history, grounding
and scoring split "don’t" into "don", "t"), case is folded with casefold ("Straße" -> "strasse", "ﬁ" ->
"fi"; lower() left "stra e" and dropped the ligature), and an underscore ends a word in history too.
"""

from __future__ import annotations

import pytest

from voxctl.agent.answers import match_answer, only_a_reply
from voxctl.agent.grounding import words as grounding_words
from voxctl.agent.handsfree import words as handsfree_words
from voxctl.agent.interpret.understand.fallback import _norm as fallback_words
from voxctl.agent.interpret.understand.history_examples import _words as history_words
from voxctl.agent.interpret.understand.no_instruction import not_a_command
from voxctl.agent.listen.spoken_set import normalize, word_errors
from voxctl.tools.windows import _as_said as title_words
from voxctl.tools.windows import title_matches
from voxctl.tools.words import words_in

CALLERS = {
    "handsfree": handsfree_words,
    "fallback": fallback_words,
    "history": history_words,
    "confirm": lambda t: " ".join(words_in(t, digits=False)),  # match_answer / only_a_reply, inline
    "grounding": lambda t: " ".join(grounding_words(t)),
    "windows": title_words,
    "spoken_set": lambda t: " ".join(normalize(t)),
}

# input -> the words each caller gets, in the order of CALLERS.
TABLE = [
    ("Wake up!", ["wake up", "wake up", "wake up", "wake up", "wake up", "wake up", "wake up"]),
    ("don't", ["don't", "don't", "don't", "don't", "dont", "don t", "dont"]),
    ("Don’t STOP", ["don't stop", "don't stop", "don't stop", "don't stop", "dont stop", "don t stop", "dont stop"]),
    ("1,000 files", ["1 000 files", "1 000 files", "1 000 files", "files", "1 0 files", "1 000 files", "one zero files"]),
    ("press F5 3 times", ["press f5 3 times", "press f5 3 times", "press f5 3 times", "press f times",
                          "press f5 3 times", "press f5 3 times", "press f five three times"]),
    ("do-close: Tk", ["do close tk"] * 7),
    ("snake_case name", ["snake case name"] * 7),
    ("Café Straße", ["caf strasse", "caf strasse", "café strasse", "caf strasse", "caf strasse", "café strasse",
                     "caf strasse"]),
    ("ΟΔΟΣ", ["", "", "οδοσ", "", "", "οδοσ", ""]),
    ("twenty five", ["twenty five", "twenty five", "twenty five", "twenty five", "25", "twenty five", "twenty five"]),
    ("it's 3:45 p.m.", ["it's 3 45 p m", "it's 3 45 p m", "it's 3 45 p m", "it's p m", "its 3 45 p m", "it s 3 45 p m",
                        "its three forty five p m"]),
    ("  tabs\tand\nnewlines  ", ["tabs and newlines"] * 7),
    ("rock'n'roll", ["rock'n'roll", "rock'n'roll", "rock'n'roll", "rock'n'roll", "rocknroll", "rock n roll", "rocknroll"]),
    ("'quoted'", ["'quoted'", "'quoted'", "'quoted'", "'quoted'", "quoted", "quoted", "quoted"]),
    ("...", [""] * 7),
    ("", [""] * 7),
    ("v2.0-beta", ["v2 0 beta", "v2 0 beta", "v2 0 beta", "v beta", "v2 0 beta", "v2 0 beta", "v two zero beta"]),
    ("ﬁle", ["file"] * 7),
    ("O'Brien", ["o'brien", "o'brien", "o'brien", "o'brien", "obrien", "o brien", "obrien"]),
]


def test_every_caller_splits_the_table_as_recorded() -> None:
    wrong = [f"{name}({text!r}) = {got!r}, want {want!r}"
             for text, row in TABLE for (name, split), want in zip(CALLERS.items(), row, strict=True)
             if (got := split(text)) != want]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("option", [dict(), dict(digits=False), dict(apostrophes="join"), dict(apostrophes="split"),
                                    dict(unicode=True), dict(unicode=True, digits=False, apostrophes="split")])
def test_the_options_are_independent(option: dict) -> None:
    text = "Don’t press F5 in Café_2!"
    got = words_in(text, **option)
    assert all(w == w.casefold() and w for w in got)
    assert ("5" in "".join(got)) == option.get("digits", True)
    assert ("é" in "".join(got)) == option.get("unicode", False)
    assert "don't" in got if option.get("apostrophes", "keep") == "keep" else "'" not in "".join(got)


def test_a_typographic_apostrophe_is_an_apostrophe_for_every_caller() -> None:
    # Bugs before the one splitter: the recogniser's "Don’t" was two words for the scoring and the fallback.
    assert word_errors("don't stop", "Don’t stop.") == (0, 2)
    assert not_a_command("Don’t") == not_a_command("don't") == "one word the grammar does not know"
    assert history_words("don’t close it") == history_words("Don't close it")
    # Unchanged behaviour of the callers that already read it so.
    assert handsfree_words("Don’t stop") == "don't stop"
    assert match_answer("Don’t") is False and match_answer("yes 2") is True and only_a_reply("No, don’t.")
    assert title_matches("do close", "do-close: Tk") and title_matches("café", "Le CAFÉ — notes")
