"""Dictation mode (Talon's): after "dictation mode" every utterance is typed, until "command mode".

The state is one small immutable value held by the grammar interpreter, so it lasts as long as the process
that interprets (`voxctl listen`); each `voxctl do` starts in command mode. Reading an utterance gives the
state after it beside its plan; the interpreter keeps it only for the reading it chooses (grammar.py
`commit`), so a reading that is only considered (an N-best hypothesis, a rescoring candidate, hands-free's
acceptance check) switches nothing. In dictation mode an utterance that
begins with an escape phrase ("press", "scratch that"; dictation.yaml `mode.escapes`) and reads exactly as
commands runs as commands; anything else is typed, with the punctuation and layout words of dictation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

SAME_UTTERANCE_S = 1.0  # the same transcript read again this soon is the same utterance (a second look)
# What switching says, by the mode switched to: the reason of the switch's plan (it has no actions), which is
# how hands-free's acceptance and the earcons tell a switch from a command that did nothing.
ANNOUNCED = {True: 'dictation mode: what you say is typed, until you say "command mode"',
             False: "command mode: what you say is read as commands"}


@dataclass(frozen=True)
class DictationMode:
    on: bool = False
    typed: bool = False  # text was typed in this mode since the last key: the next utterance starts with a space
    last: tuple[str, float, Any] | None = None  # (transcript, when, plan): the last utterance typed in this mode

    def again(self, text: str) -> Any:
        """The plan already made for this transcript when it is read a second time (hands-free checks an
        utterance before it is interpreted): the same plan, not one with a space for itself."""
        if self.last and self.last[0] == text and time.monotonic() - self.last[1] < SAME_UTTERANCE_S:
            return self.last[2]
        return None

    def remember(self, text: str, plan: Any, typed: bool) -> DictationMode:
        return replace(self, typed=typed, last=(text, time.monotonic(), plan))

    def switched(self, on: bool) -> tuple[DictationMode, str]:
        return DictationMode(on), ANNOUNCED[on]

    def lead(self, first: str) -> str:
        """The space that separates this utterance's text from the last one's ("" after a key or at first)."""
        return " " if self.typed and first[:1] not in ",.;:!?)" else ""
