"""The steps of a chain the understanding model reads, checked against the steps said (understand/fallback.py): a
step said and not understood, one left out, one that is talk. A step said and not read is no step to drop: the plan
would do part of what was said."""

from __future__ import annotations

import functools
from typing import Any

from voxctl.agent.interpret.understand.intents import NONE
from voxctl.agent.interpret.understand.no_instruction import not_a_command
from voxctl.tools.base import Risk
from voxctl.tools.registry import risk_of
from voxctl.tools.words import words_in


def parts_said(text: str, spec: Any) -> list[str]:
    """The parts `text` is said in (pauses, connectives: chain_parts.said_parts), a filler alone ("okay") none."""
    from voxctl.agent.interpret.chain_parts import said_parts

    return said_parts(text, spec.connectives, (*spec.fillers_start, *spec.fillers_paused, *spec.fillers_end))


def step_left_out(pieces: list[str], intent: str) -> str | None:
    """A step the model's reading of two or more commands (`intent` "a+b") leaves out: the second part, when the text
    is said in more parts (`parts_said`) than the reading has commands; else None."""
    return pieces[1] if len(pieces) > intent.count("+") + 1 else None


def talk_step(pieces: list[str]) -> str | None:
    """A part of a chain (`parts_said`) that no_instruction.not_a_command finds is no instruction, else None."""
    return next((p for p in pieces if len(words_in(p)) > 1 and not_a_command(p)), None) if len(pieces) > 1 else None


def one_of_a_chain(text: str, connectives: tuple[tuple[str, ...], ...]) -> str | None:
    """The first part of `text` when one of the grammar's `connectives` other than a bare "and" ("then", "and then",
    "after that") joins two parts of it that each have words: said as a chain of steps, which one command cannot be.
    A bare "and" joins words inside one command as well ("salt and pepper")."""
    from voxctl.agent.interpret.dictation_render import starts_with

    words, joints = words_in(text), [c for c in connectives if c != ("and",)]
    for i in range(1, len(words)):
        if (n := starts_with(words, i, joints)) and i + n < len(words):
            return " ".join(words[:i])
    return None


def left_out(interp: Any, heard: str, actions: list[Any], spoken: bool) -> str | None:
    """A part of `heard` said with a connective that the model's reading of one command (`actions`) leaves out, one
    that asks for something (chain_parts.left_out_part): the model reads it as some command, however unsure, or is
    not sure it is talk. Before a high-risk command one word counts too, unless it is a filler: "save and close the
    window" heard "same and close the window." closed the window unsaved (the recogniser's bench, en-us+f3)."""
    from voxctl.agent.interpret.chain_parts import left_out_part

    want = [a.model_dump(mode="json") for a in actions]
    read = functools.lru_cache(maxsize=None)(lambda part: interp.model.read(part, heard=spoken))  # each part once

    def gives(part: str) -> bool:
        return [a.model_dump(mode="json") for a in read(part).actions] == want

    def asks(part: str) -> bool:
        got = read(part)
        return not not_a_command(part) and (got.intent != NONE or got.confidence < interp.model.threshold)

    # a lead-in said with its own "and" is no part ("please do the needful and save the file", "go ahead and ..."):
    # fillers one after another, however they split (dictation_render.past)
    from voxctl.agent.interpret.dictation_render import past

    words, spec = words_in(heard), interp.model.spec
    lead = next((k + 1 for k, w in enumerate(words)
                 if (w,) in spec.connectives and past(words[:k + 1], 0, spec.fillers_start) == k + 1), 0)
    text = " ".join(words[lead:]) if lead else heard
    if any(risk_of(a) >= Risk.HIGH for a in actions):
        fillers = (*spec.fillers_start, *spec.fillers_paused, *spec.fillers_end)

        def more(part: str) -> bool:  # one word but a filler ("yes and close the window"), or a part that asks
            w = words_in(part)
            return asks(part) if len(w) > 1 else past(w, 0, fillers) != len(w)

        return left_out_part(text, spec.connectives, gives, more, words=1)
    return left_out_part(text, spec.connectives, gives, asks)
