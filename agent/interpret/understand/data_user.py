"""The user's own words in the understanding model's training data (data.py): their examples file
(phrase -> plan) and their macros' names and phrases.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.interpret.understand.data_records import Example
from voxctl.agent.interpret.understand.intents import NONE, Intent, intent_of, user_intent
from voxctl.tools.registry import validate_action


def example_plan(item: dict, where: str) -> list[dict]:
    """The validated plan of one item of a user's examples file, as JSON-ready calls (ValueError: why not)."""
    calls = []
    for raw in item.get("plan") or []:
        call, problems = validate_action(raw, where)
        if call is None:
            raise ValueError("; ".join(problems))
        calls.append(call.model_dump(mode="json"))
    return calls


def user_examples(path: str | Path | None, intents: dict[str, Intent]) -> list[Example]:
    """The user's own examples: a YAML list of {say: phrase, plan: [actions]} (interpreter.understand.examples)."""
    if path is None:
        return []
    p = Path(path).expanduser()
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or []
    items = data.get("examples", []) if isinstance(data, dict) else data
    out = []
    for i, item in enumerate(items):
        calls = example_plan(item, f"{p}: examples[{i}]")
        label = intent_of(calls, intents) if calls else NONE
        if label is None or label in ("key", "type", "find", "open_app", "focus", "click_on", "macro", "wait",
                                      "click_at", "move_mouse", "drag") or label.startswith(("scroll", "nudge")):
            # an open intent would fill its slot from the words: a taught fixed plan keeps its own values
            label = f"user:{' '.join(str(item['say']).lower().split())}"
            intents[label] = user_intent(label, calls)
        for say in ([item["say"]] if isinstance(item["say"], str) else item["say"]):
            out += [Example(str(say), label, calls, source="user")] * 3
    return out


def macro_examples(macros: dict[str, Any], rng: random.Random) -> list[Example]:
    out = []
    for name, m in macros.items():
        spoken = name.replace("_", " ").replace("-", " ")
        plan = [{"tool": "run_macro", "args": {"name": name}}]
        for t in ["run {m}", "run my {m} macro", "do the {m} routine", "start {m}", "{m}", "play the {m} macro"]:
            out.append(Example(t.format(m=spoken), "macro", plan, source="user"))
        for phrase in getattr(m, "phrases", ()):
            out += [Example(phrase, "macro", plan, source="user")] * 3
    return out
