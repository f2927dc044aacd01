"""The dictation words as data (dictation.yaml): formatters, punctuation and layout words, the spelling
alphabet, the mode phrases; read into one checked `DictationSpec`, merged with the user's file.

Formatters ("snake hello world" -> hello_world) are names in the data mapped onto the few functions of
`FORMATS`. The spoken words are data; only the formats (here) and the spacing rules
(agent/interpret/dictation_render.py, which turns dictated words into what is typed) are code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from voxctl.tools.words import words_in

DEFAULT_PATH = Path(__file__).with_name("dictation.yaml")
Phrase = tuple[str, ...]
SPACINGS = ("left", "right", "both", "none", "quote")


def _words(words: list[str]) -> list[str]:
    return [p for w in words for p in re.split(r"[^0-9A-Za-z\u00c0-\uffff]+", w) if p]


def capitalize(w: str) -> str:
    """The first letter upper case, the rest as it was (unlike str.capitalize)."""
    return w[:1].upper() + w[1:]


FORMATS: dict[str, Callable[[list[str]], str]] = {
    "snake": lambda ws: "_".join(w.lower() for w in _words(ws)),
    "camel": lambda ws: "".join(w.lower() if k == 0 else capitalize(w.lower()) for k, w in enumerate(_words(ws))),
    "pascal": lambda ws: "".join(capitalize(w.lower()) for w in _words(ws)),
    "kebab": lambda ws: "-".join(w.lower() for w in _words(ws)),
    "constant": lambda ws: "_".join(w.upper() for w in _words(ws)),
    "dotted": lambda ws: ".".join(w.lower() for w in _words(ws)),
    "title": lambda ws: " ".join(capitalize(w.lower()) for w in ws),
    "upper": lambda ws: " ".join(w.upper() for w in ws),
    "lower": lambda ws: " ".join(w.lower() for w in ws),
    "smash": lambda ws: "".join(w.lower() for w in _words(ws)),
    "string": lambda ws: '"' + " ".join(ws) + '"',
}


class DictationError(Exception):
    """A dictation data file that cannot be used, or words that cannot be spelled; str() says why."""


@dataclass(frozen=True)
class Mark:
    symbol: str
    spacing: str  # one of SPACINGS


@dataclass(frozen=True)
class DictationSpec:
    formatters: dict[Phrase, str]
    formatter_suffix: tuple[Phrase, ...]
    punctuation: dict[Phrase, Mark]
    layout: dict[Phrase, tuple[str, ...]]
    cap: tuple[Phrase, ...]
    no_space: tuple[Phrase, ...]
    numeral: tuple[Phrase, ...]
    literal: tuple[Phrase, ...]
    spell: tuple[Phrase, ...]
    alphabet: dict[Phrase, str]
    mode_on: tuple[Phrase, ...]
    mode_off: tuple[Phrase, ...]
    escapes: tuple[Phrase, ...]
    formula_lead: tuple[Phrase, ...] = ()  # said first, the dictation is a spreadsheet formula (formula.py)
    formula_words: dict[Phrase, str] = field(default_factory=dict)  # words of a formula said as symbols

    def keywords(self) -> set[Phrase]:
        """Phrases that do something inside dictation (what "the word ..." keeps as a word)."""
        return {*self.punctuation, *self.layout, *self.cap, *self.no_space, *self.numeral, *self.literal}


def _phrase(s: Any) -> Phrase:
    return tuple(str(s).lower().split())


def _list(raw: dict[str, Any], key: str, path: Path) -> tuple[Phrase, ...]:
    v = raw.get(key) or []
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise DictationError(f"{path}: {key}: expected a list of phrases")
    return tuple(sorted((_phrase(x) for x in v), key=len, reverse=True))


def _table(raw: dict[str, Any], key: str, path: Path) -> dict[Phrase, Any]:
    v = raw.get(key) or {}
    if not isinstance(v, dict):
        raise DictationError(f"{path}: {key}: expected a mapping of spoken words")
    return {_phrase(k): x for k, x in v.items()}


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise DictationError(f"{path}: cannot read: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise DictationError(f"{path}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise DictationError(f"{path}: expected a mapping of sections")
    return raw


@functools.lru_cache(maxsize=8)
def load_dictation(extra: str | None = None) -> DictationSpec:
    """The bundled dictation.yaml, with the sections of the user's file `extra` (if given) merged over it."""
    path = DEFAULT_PATH
    raw = _read(path)
    if extra:
        path = Path(extra).expanduser()
        for key, value in _read(path).items():
            if isinstance(value, dict) and isinstance(raw.get(key), dict):
                raw[key] = {**raw[key], **value}
            elif isinstance(value, list) and isinstance(raw.get(key), list):
                raw[key] = [*raw[key], *value]
            else:
                raw[key] = value
    formatters = {k: str(v) for k, v in _table(raw, "formatters", path).items()}
    if bad := sorted(v for v in formatters.values() if v not in FORMATS):
        raise DictationError(f"{path}: formatters: unknown format {bad[0]!r} (known: {', '.join(FORMATS)})")
    punctuation = {}
    for k, v in _table(raw, "punctuation", path).items():
        if not (isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and v[0] and v[1] in SPACINGS):
            raise DictationError(f"{path}: punctuation: {' '.join(k)}: expected [symbol, {'|'.join(SPACINGS)}]")
        punctuation[k] = Mark(v[0], v[1])
    layout = {}
    for k, v in _table(raw, "layout", path).items():
        keys = tuple(v) if isinstance(v, list) else (v,)
        if not keys or not all(isinstance(x, str) and x for x in keys):
            raise DictationError(f"{path}: layout: {' '.join(k)}: expected key names")
        layout[k] = keys
    alphabet = {k: str(v) for k, v in _table(raw, "alphabet", path).items()}
    if bad := sorted(" ".join(k) for k, v in alphabet.items() if len(v) != 1):
        raise DictationError(f"{path}: alphabet: {bad[0]}: expected one character")
    mode = raw.get("mode") or {}
    if not isinstance(mode, dict):
        raise DictationError(f"{path}: mode: expected to_dictation, to_commands, escapes")
    return DictationSpec(
        formatters=formatters, formatter_suffix=_list(raw, "formatter_suffix", path), punctuation=punctuation,
        layout=layout, cap=_list(raw, "cap", path), no_space=_list(raw, "no_space", path),
        numeral=_list(raw, "numeral", path), literal=_list(raw, "literal", path), spell=_list(raw, "spell", path),
        alphabet=alphabet, mode_on=_list(mode, "to_dictation", path), mode_off=_list(mode, "to_commands", path),
        escapes=_list(mode, "escapes", path), formula_lead=_list(raw, "formula_lead", path),
        formula_words={k: str(v) for k, v in _table(raw, "formula_words", path).items()})


# Dictation's marks said as words, which nobody says to a person: "write thank you for letting us know comma we will
# call you back full stop" is dictation whatever its sentence says ("we will ...": blind probe set 35). Each is a
# punctuation or layout word of dictation.yaml (tests/test_understand.py); not "period", "colon", "dot": words of prose.
DICTATION_MARKS = ("comma", "full stop", "question mark", "exclamation mark", "exclamation point", "new line",
                   "new paragraph", "semicolon")


# "period" is an everyday word too: after these it is a noun, no full stop said ("the end of the period", "a trial
# period": dictation_render keeps it a word); a mark in a sentence said only last ("write i'll send the revised drawings
# by end of day period": blind probe set 58)
# Marks that are nouns too: after the words above they stay words ("i will send the quote today", blind probe set 61)
MARK_NOUNS = frozenset({"period", "quote"})
PERIOD_NOUN = frozenset("the a an this that each every per my your our his her their its trial grace free first second "
                        "third next last one same whole".split())


def marks_said(text: str) -> bool:
    """Whether `text` says one of dictation's marks as words (DICTATION_MARKS), or "period" last."""
    words = words_in(text)
    said = f" {' '.join(words)} "
    return any(f" {m} " in said for m in DICTATION_MARKS) or (
        len(words) > 2 and words[-1] == "period" and words[-2] not in PERIOD_NOUN)
