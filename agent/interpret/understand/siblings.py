"""The words said decide between intents that a sentence encoder hears as one sentence (data/words.yaml).

A sentence embedding is a good judge of what a sentence is about and a poor judge of which way it
points: "zoom in a bit" and "zoom out a bit" lie closer together than "zoom in a bit" and "make the text
bigger". The intent head trained on it picked zoom out for the first, the previous tab for "move one tab
to the right", and delete-a-word (ctrl+backspace) for "go one word left". These are not matters of
confidence, so no threshold catches them: the model was sure. The words are not a guess, so within a
group of sibling intents the one whose words were said wins, and an intent that erases text needs a word
that says to erase.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Words:
    """Per intent: its group (the intents that differ from it by a word) and each member's words; the
    intents that need one of their words said; and the words that rule an intent out."""

    group: dict[str, dict[str, frozenset[str]]]
    needs: dict[str, tuple[frozenset[str], ...]]  # each set: one of its words must be said
    never: dict[str, frozenset[str]] = field(default_factory=dict)  # none of these words may be said

    def decide(self, intent: str, said: Iterable[str]) -> str | None:
        """The intent the words make of the model's guess: its sibling when only the sibling's words were
        said; None when it needs a word that was not said; else the guess itself."""
        said = set(said)
        members = self.group.get(intent) or {}
        named = [name for name, words in members.items() if said & words]
        decided = named[0] if len(named) == 1 else intent
        if any(not said & ws for ws in self.needs.get(decided, ())) or said & self.never.get(decided, frozenset()):
            return None
        return decided


@cache
def words() -> Words:
    """The shipped table (data/words.yaml), read once."""
    text = resources.files("voxctl.agent.interpret.understand").joinpath("data/words.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))


def parse(data: dict) -> Words:
    group: dict[str, dict[str, frozenset[str]]] = {}
    for row in data.get("groups") or []:
        members = {str(name): frozenset(str(w) for w in ws) for name, ws in row.items()}
        for name in members:
            if name in group:
                raise ValueError(f"words.yaml: {name} is in two groups")
            group[name] = members
    needs = {str(name): _word_sets(ws) for name, ws in (data.get("needs") or {}).items()}
    never = {str(name): frozenset(str(w) for w in ws) for name, ws in (data.get("never") or {}).items()}
    return Words(group, needs, never)


def _word_sets(raw: list) -> tuple[frozenset[str], ...]:
    """A `needs` row: a list of words (one of them said) or a list of such lists (one word of each said)."""
    rows = raw if raw and all(isinstance(w, list) for w in raw) else [raw]
    return tuple(frozenset(str(w) for w in ws) for ws in rows)
