"""A dictation trigger heard as the word it sounds like: "write running late today" read "right running late today".

Whisper writes the everyday word for a homophone ("right" for "write": every dev voice, every "write ..." of the
blind probe set, 2026-12-05), so a trigger that only dictates when heard exactly is never heard. The grammar's
`sounded_triggers` table says which word stands for which trigger; `as_trigger` gives the reading with the trigger
written in, only where nothing else is meant:

- the word is said first, after none but the cautious lead words ("okay, right ..."), so it takes the trigger's
  caution: the model may still say it is talk (understand/fallback.review);
- the recogniser put no pause after it: "Right, sounds good." is talk, "right sounds good" may be dictation;
- the next word is not one that makes the homophone a word of its own (`not_before`: "right now", "right there",
  "right click");
- the reading as heard is no command (GrammarInterpreter.analyse asks only then), and the recogniser is not the
  exact grammar of hands-free listening, where nobody pressed a key to address voxctl (fuzzy_threshold 1).
"""

from __future__ import annotations

from voxctl.agent.interpret.dictation_render import past
from voxctl.agent.interpret.normalize import tokenize
from voxctl.agent.interpret.rules import GrammarSpec


def as_trigger(text: str, spec: GrammarSpec) -> str | None:
    """`text` with its first word written as the trigger it sounds like, or None when it is no such trigger."""
    if not spec.sounded_triggers:
        return None
    tokens = tokenize(text)
    words = [t.word for t in tokens]
    i = past(words, 0, spec.cautious_leads)
    if i + 1 >= len(words) or words[i] not in spec.sounded_triggers:
        return None
    tok = tokens[i]
    if tok.pause or words[i + 1] in spec.sounded_not_before:
        return None
    return text[:tok.start] + spec.sounded_triggers[tok.word] + text[tok.end:]
