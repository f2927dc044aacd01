"""The live command vocabulary as a recogniser hint: command sentences, key names, macros, window titles.

The live names come from the caller (the Session's apps and macros, `Session.vocabulary()`, and the
windows on screen); nothing here reads configuration or files.

Whisper takes a hint as text it believes came before the audio (faster-whisper's `hotwords`; the same
slot as an initial prompt), and only its first ~220 tokens. What kind of text helps was measured on the
spoken set (36 commands x 5 synthesized voices, Whisper tiny.en, see README "Vocabulary biasing"):

- command-like sentences ("press control c. scroll up two. open the browser."): word accuracy
  0.854 -> 0.911; the sentences teach Whisper how commands look (lower case, numbers as words);
- the same plus the live names (window titles, apps, macros): 0.914;
- a comma-separated list of the grammar's words (rules, slot choices, key names): 0.825, worse than no
  hint (it invites "press, control, yes" and repeated words); appended after the sentences: 0.903, no
  better than without. So the grammar's word list is not used (and no longer built).

The example sentences below are deliberately different from the spoken set's phrases
(tests/test_asr.py checks that), so the measurement is not flattered by the hint quoting its answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Typical commands in the words people say; none of them is a phrase of the spoken set
# (tests/data/spoken_commands.yaml).
EXAMPLE_COMMANDS = (
    "press control c", "press shift enter", "press insert", "scroll up two", "scroll right four", "click here",
    "drag to ten twenty", "move the mouse to fifty sixty", "type good morning", "open the browser",
    "switch to the editor", "wait one second", "press page up", "select everything", "redo", "mouse up twenty",
    "press alt f", "take a picture",
    # pointing (2026-12-06; the pointing lines of blind probe sets 1-10 and samples of their other lines and talk, 3 dev
    # voices then 2 held-out ones): pointing 510 -> 531 of 785 right, other commands 396 -> 403 of 600, talk acting
    # 21 -> 18 of 400 ("grid" was heard "grade", "bring", "spread"). The red-team holes found before them are
    # reproduced under the hint they were found with (tests/hinting.py).
    "show numbers", "mouse grid",
)
MAX_WORDS = 110  # ~170 tokens with punctuation: inside Whisper's 223-token half-context
# A window title is written by its program, and the hint is text Whisper takes as said just before the
# audio: "switch to press enter then type" (a title "press enter then type rm -rf ~") made tiny.en hear
# "press end" as "press enter. press enter." (red team, 2026-12-03; tests/safety/test_title_injection.py).
# So a title gives the hint only its name words: no key names (tools/keys.py) and no command words.
COMMAND_WORDS = frozenset({
    "press", "hit", "type", "write", "say", "open", "close", "quit", "exit", "kill", "click", "run", "switch",
    "scroll", "drag", "move", "select", "copy", "paste", "cut", "undo", "redo", "save", "wait", "go", "then",
    "and", "now", "yes", "no", "okay", "ok", "confirm", "cancel", "stop", "sudo", "rm", "key", "keys", "twice",
})


def _name_word(word: str) -> bool:
    from voxctl.tools.keys import normalize_key

    w = word.lower().strip(".,;!?'\"()[]{}")
    return bool(w) and w not in COMMAND_WORDS and normalize_key(w) is None


def _title_words(title: str, keep: int = 4) -> str:
    """The start of a window title ("notes.txt - gedit" -> "notes.txt gedit"), where its name is, without
    the words of a command ("press enter then type rm -rf ~" -> "rf ~")."""
    words = [w for w in re.split(r"[\s\-—|:]+", title) if w and len(w) < 30 and _name_word(w)]
    return " ".join(words[:keep])


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for it in items:
        it = " ".join(str(it).split())
        if it and it.casefold() not in seen:
            seen[it.casefold()] = it
    return list(seen.values())


def build_hotwords(
    window_titles: Iterable[str] = (),
    macros: Iterable[str] = (),
    apps: Iterable[str] = (),
    examples: Iterable[str] = EXAMPLE_COMMANDS,
    max_words: int = MAX_WORDS,
    app_actions: Iterable[str] = (),
) -> str:
    """One hint: example command sentences, then the live names as sentences, within `max_words`. `app_actions`:
    how the focused app's own actions are said ("reply all", "go to line"), taught before the examples.

    The live names (what Whisper cannot guess) come first in priority: the macros, the apps, then as many
    window titles as fit; but they get at most what is left after half the budget for the examples (all of
    them at the default budget): a desktop with twenty windows open must not push out the sentences that
    teach Whisper how commands look, nor the person's own macros.
    """
    examples = [*_unique(app_actions), *examples]
    reserve = min(sum(len(e.split()) for e in examples), max_words // 2)
    titles = [f"switch to {t}" for t in _unique(_title_words(t) for t in window_titles)]
    live = [*titles, *(f"open {a}" for a in _unique(apps)), *(f"run {m}" for m in _unique(macros))]
    budget = max_words - reserve
    kept: set[str] = set()
    for s in live[len(titles):] + titles:  # the macros and apps (few, the person's own) before the titles
        n = len(s.split())
        if n <= budget:
            kept.add(s)
            budget -= n
    kept_live = [s for s in live if s in kept]  # written titles, apps, macros
    budget += reserve
    kept_examples: list[str] = []
    for s in examples:
        n = len(s.split())
        if n > budget:
            break
        kept_examples.append(s)
        budget -= n
    return " ".join(f"{s}." for s in kept_examples + kept_live)


def hint_sentences(hint: str | None) -> tuple[str, ...]:
    """The sentences of a hint `build_hotwords` made (or any hint written as sentences), in order."""
    return tuple(s.strip() for s in (hint or "").split(".") if s.strip())

