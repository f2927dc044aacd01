"""The understanding model's training data as records (data.py): one labelled sentence (`Example`) and
the built set (`DataSet`: the examples, the intents, the slot frames).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voxctl.agent.interpret.understand.intents import Intent


@dataclass
class Example:
    text: str
    intent: str
    actions: list[dict[str, Any]] | None = None  # the plan it must give, where known
    split: str = "train"  # train | heldout
    source: str = "template"


@dataclass
class DataSet:
    examples: list[Example]
    intents: dict[str, Intent]
    frames: list[tuple[str, str]] = field(default_factory=list)  # (intent, template) for slot frames
