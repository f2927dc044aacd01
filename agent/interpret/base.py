"""The one interface every understanding backend implements."""

from __future__ import annotations

from typing import Protocol

from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import ActionPlan


class Interpreter(Protocol):
    def interpret(self, utterance: Utterance) -> ActionPlan:
        """A valid plan; no actions and a `reason` when nothing was understood. Never raises for bad speech."""
        ...
