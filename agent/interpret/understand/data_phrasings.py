"""Phrasings people wrote, as training data (data.py): lines of {say, plan} written by people who read
only docs/ACTIONS.md (the blind dev sets, tests/data/blind/probe*.jsonl), or any file of the same form.

A line with no plan is talk (not_a_command). A line whose plan one intent gives is kept only where the
model, reading that intent from these words, fills the same plan: its slots come from the words alone
(keys, a count, a number, seconds, a point). Lines whose plan needs a span of the words (text to type,
a window, an app, a macro: the frames of data/templates.yaml decide where such a span starts) or several
intents are left out: the intent head would learn the intent while the fill made another plan of it.
The held-out blind sets are never read here (blind.HELDOUT_SETS): they measure what this teaches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from voxctl.agent.interpret.normalize import tokenize
from voxctl.agent.interpret.understand import fill
from voxctl.agent.interpret.understand.data_fill import plan_of
from voxctl.agent.interpret.understand.data_records import Example
from voxctl.agent.interpret.understand.data_user import example_plan
from voxctl.agent.interpret.understand.intents import NONE, Intent, intent_of

COPIES = 2  # each kept line's weight among the templated sentences (each filled 4-10 times)


def read_lines(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """The {say, plan} lines of JSON-lines files."""
    out = []
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def _filled(intent: Intent, text: str, spec: Any) -> list[dict[str, Any]] | None:
    """The plan the model's fill makes of `intent` from `text` (understand/plans.py, the word slots only)."""
    return plan_of(intent, fill.word_values(intent.slots, tokenize(text, spec.rewrites), spec))


def phrasing_examples(lines: list[dict[str, Any]], intents: dict[str, Intent], spec: Any) -> list[Example]:
    """Training examples from written lines; a line the model could not reproduce is left out."""
    out = []
    for line in lines:
        say = str(line["say"])
        if not line.get("plan"):
            out += [Example(say, NONE, [], source="phrasing")] * COPIES
            continue
        try:
            calls = example_plan(line, "phrasing")
        except ValueError:  # a plan the registry refuses teaches nothing
            continue
        label = intent_of(calls, intents, spec.platform)
        if label is None or not set(intents[label].slots) <= fill.WORD_SLOTS:
            continue
        if _filled(intents[label], say, spec) == calls:
            out += [Example(say, label, calls, source="phrasing")] * COPIES
    return out
