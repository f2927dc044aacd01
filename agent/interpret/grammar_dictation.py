"""Dictation in the `grammar` backend: a part of `GrammarInterpreter` (grammar.py). Text after "type", "spell"
or a formatter read by dictating.py, and what the recogniser's hint teaches while dictation mode is on.
"""

from __future__ import annotations

import re
from typing import Any

from voxctl.agent.interpret.chain import ChainParser
from voxctl.agent.interpret.saying_no import only_corrects
from voxctl.tools.registry import ActionPlan
from voxctl.tools.words import words_in

# A dictation that corrects itself: "type dear john, no, dear jonathan", "type git push, no, git pull, then enter"
# (blind probe sets 19 and 16): the words between pauses say no, and what follows restates the text from its first
# word. Only then is the first try dropped: "type yes, no, maybe" is three words to type.
# The middle part says only no (saying_no.only_corrects).
_REPAIR = re.compile(r"^(?P<tried>[^,;.]+?)[,;.]\s+(?P<said>[^,;.]+)[,;.]\s+(?P<meant>.+)$")


def clean_typed(raw: str) -> str:
    """Text after "type": as spoken, minus the separator after the trigger and a recogniser's final period; a first
    try the person corrected at once is left out (`_REPAIR`)."""
    text = raw.strip().lstrip(":,;-–— ").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    m = _REPAIR.match(text)
    if m and only_corrects(m["said"]) and (tried := words_in(m["tried"])) and (meant := words_in(m["meant"])) \
            and tried[0] == meant[0] and tried != meant:
        return m["meant"].strip()
    return text


class GrammarDictation:
    """Dictation after a trigger, and the recogniser's hint in dictation mode (uses the interpreter's `spec`,
    `dictation_file` and `dictation_mode`)."""

    def _with_typing(self, run: ChainParser) -> tuple[ActionPlan | None, Any]:
        """Commands, then dictation (after "type", "spell", a formatter; dictating.py), maybe commands after
        it; in dictation mode, everything. None: no dictation here, read it all as commands. And the
        dictation mode after it (kept by `commit` if this reading is taken)."""
        from voxctl.agent.interpret.dictating import Dictating
        from voxctl.agent.interpret.dictation import load_dictation

        reader = self.__dict__.get("dictating")  # built on first use and kept
        if reader is None:
            reader = self.__dict__["dictating"] = Dictating(self.spec, load_dictation(self.dictation_file), clean_typed)
        return reader.read(run, self.dictation_mode)

    def hint_sentences(self) -> tuple[str, ...] | None:
        """What the recogniser's hint teaches while dictation mode is on: its ways out and its escapes
        ("stop dictation", "command mode", "scratch that"; dictation.yaml `mode`) in place of the command
        sentences, which are no prior for free text and leave the way out unheard: on 10 voices x 6 readings,
        perturbed, "stop dictation" / "command mode" 48 -> 57 of 60, dictated texts 202 -> 214 of 400 word for
        word, none taken for a way out (scripts/bench_dictation_hint.py, docs/BENCHMARKS.md). None in command
        mode: the recogniser's own."""
        if not self.dictation_mode.on:
            return None
        from voxctl.agent.interpret.dictation import load_dictation

        spec = load_dictation(self.dictation_file)
        return tuple(" ".join(p) for p in (*spec.mode_off, *spec.escapes))
