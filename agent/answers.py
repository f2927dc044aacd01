"""What an answer to a confirmation is, and which words say yes or no.

`Answer` is the value every source delivers (agent/answer_sources.py) and `ask` returns (agent/confirm.py).
The words and phrases live in data (prompts/answers.yaml); `match_answer` reads a typed or spoken reply
as yes, no or neither, and `only_a_reply` tells the interpreters that a sentence is a reply, no command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from voxctl.tools.words import words_in


def _answer_words() -> dict[str, Any]:
    """prompts/answers.yaml: the words and phrases that answer yes or no."""
    import yaml

    return yaml.safe_load(resources.files("voxctl.prompts").joinpath("answers.yaml").read_text(encoding="utf-8"))


_WORDS = _answer_words()
YES_WORDS = frozenset(_WORDS["yes_words"])
NO_WORDS = frozenset(_WORDS["no_words"])
YES_PHRASES = tuple(_WORDS["yes_phrases"])
NO_PHRASES = tuple(_WORDS["no_phrases"])
# What else a yes may hold: a yes is the whole utterance, never a word inside a sentence (answers.yaml).
YES_ALONE = YES_WORDS | frozenset(_WORDS["fillers"])
NEGATED_YES = re.compile(r"\b(?:" + "|".join(map(re.escape, _WORDS["negations"])) + ") (?:"
                         + "|".join(map(re.escape, YES_PHRASES)) + r")\b")
# A reply to "did you mean ...?": yes/no words, fillers and pointing words (answers.yaml `reply_words`).
REPLY_WORDS = YES_ALONE | NO_WORDS | frozenset(_WORDS["reply_words"])
# Whisper's prompt for a spoken answer (see answers.yaml).
ANSWER_HOTWORDS = str(_WORDS["hint"])


@dataclass(frozen=True)
class Answer:
    approved: bool
    via: str  # voice | keys | console | stop | timeout | --yes | dry-run
    heard: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"approved": self.approved, "via": self.via, "heard": self.heard}


def match_answer(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when it is neither or both ("yes, cancel"), or a
    yes inside a sentence that is not an answer ("yes, we should go to the park": overheard)."""
    words_text = " ".join(words_in(text, digits=False))  # an answer's words: letters and apostrophes
    no = bool(set(words_text.split()) & NO_WORDS) or any(p in words_text for p in NO_PHRASES)
    words_text = NEGATED_YES.sub(" ", words_text)  # "don't do it" is a no, not also a yes
    yes = bool(set(words_text.split()) & YES_WORDS) or any(p in words_text for p in YES_PHRASES)
    if yes == no:
        return None
    if yes:  # only yes words, yes phrases and fillers: hands-free, any sentence heard next is "the answer"
        rest = words_text
        for p in YES_PHRASES:
            rest = re.sub(r"\b" + re.escape(p) + r"\b", " ", rest)
        if not set(rest.split()) <= YES_ALONE:
            return None
    return yes


def only_a_reply(text: str) -> bool:
    """Whether `text` is a yes or a no and nothing of a command (the interpreters run no plan for it)."""
    said = set(words_in(text, digits=False))
    return bool(said & (YES_WORDS | NO_WORDS)) and said <= REPLY_WORDS

