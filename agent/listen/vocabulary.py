"""The live command vocabulary as a recogniser hint: tool phrases, key names, macros, window titles.

Whisper takes a hint as text placed before the audio's transcript ("hotwords" in faster-whisper, or an
initial prompt). Only the first ~220 tokens of it are used, so the words most likely to be misheard
and least likely to be known (window titles, macro names, app names) come first and the list stops
at a word budget. What the hint is worth was measured (see README "Vocabulary biasing" and
`voxctl bench asr`); `asr.vocabulary_bias` turns it on or off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words every command uses (the verbs of TOOLS.md) and spoken key names, in the spelling people say.
_COMMAND_WORDS = (
    "click", "double click", "right click", "scroll", "drag", "type", "press", "open", "switch to",
    "close the window", "wait", "seconds", "take a screenshot", "run", "mouse", "move the mouse to",
    "copy", "paste", "undo", "select all", "times", "up", "down", "left", "right",
)
_SPOKEN_KEYS = (
    "control", "alt", "shift", "enter", "escape", "tab", "backspace", "delete", "space", "page up",
    "page down", "home", "end", "F5", "super",
)
MAX_WORDS = 90  # ~130 tokens: well inside Whisper's 223-token prompt half, leaving room for nothing else


def command_vocabulary() -> list[str]:
    """Command phrases from the grammar when it offers them, else the built-in list.

    agent/interpret/grammar.py is written by another part of voxctl and may expose
    `command_vocabulary()`; it is imported lazily so the recogniser never depends on it.
    """
    try:
        from agent.interpret.grammar import command_vocabulary as from_grammar

        words = [str(w) for w in from_grammar() if str(w).strip()]
        if words:
            return words
    except Exception:  # any failure there must not stop recognition; the fallback list is good
        pass
    return list(_COMMAND_WORDS) + list(_SPOKEN_KEYS)


def macro_phrases(macros_file: str | None = None) -> list[str]:
    """Macro names and their extra phrases; none when the macros file is missing or broken."""
    try:
        from agent.macros import load_macros

        macros = load_macros(macros_file)
    except Exception:  # a broken macros file is reported where macros run, not here
        return []
    out: list[str] = []
    for m in macros.values():
        out.append(m.name.replace("_", " "))
        out.extend(m.phrases)
    return out


def _title_words(title: str, keep: int = 4) -> str:
    """The start of a window title ("notes.txt - gedit" -> "notes.txt gedit"), where its name is."""
    words = [w for w in re.split(r"[\s\-—|:]+", title) if w and len(w) < 30]
    return " ".join(words[:keep])


def build_hotwords(
    window_titles: Iterable[str] = (),
    macros: Iterable[str] = (),
    apps: Iterable[str] = (),
    commands: Iterable[str] | None = None,
    max_words: int = MAX_WORDS,
) -> str:
    """One hint string, rarest words first, each phrase once, at most `max_words` words."""
    phrases = [_title_words(t) for t in window_titles] + list(macros) + list(apps)
    phrases += list(command_vocabulary() if commands is None else commands)
    seen: set[str] = set()
    out: list[str] = []
    count = 0
    for p in phrases:
        p = " ".join(str(p).split())
        key = p.casefold()
        if not p or key in seen:
            continue
        n = len(p.split())
        if count + n > max_words:
            break
        seen.add(key)
        out.append(p)
        count += n
    return ", ".join(out)


def hotwords_for(config, window_titles: Iterable[str] = ()) -> str | None:
    """The hint for this moment from the configuration (None when `asr.vocabulary_bias` is off)."""
    if not config.asr.vocabulary_bias:
        return None
    from agent.context import app_aliases

    apps = [a for a in app_aliases(config) if a not in ("console", "shell")]
    return build_hotwords(window_titles, macro_phrases(config.interpreter.macros_file), apps) or None
