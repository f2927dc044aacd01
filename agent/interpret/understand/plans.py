"""The understanding model's plans: a part of `Understander` (understander.py). From one sentence's intent
probabilities to its most probable plan: the top intents' templates filled from the sentence (its numbers,
keys, text, the macro it names), grouped by the plan they give, and each guess in words.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voxctl.agent.interpret.normalize import Token
from voxctl.agent.interpret.understand import fill
from voxctl.agent.interpret.understand.data_fill import plan_of
from voxctl.agent.interpret.understand.intents import NONE, ON_ACTIVE_WINDOW, Intent
from voxctl.agent.interpret.understand.siblings import words
from voxctl.tools.macros import find_macro

TOP_K = 6


class UnderstanderPlans:
    """Filling and grouping the plans of an Understander (uses its `head`, `intents`, `spec`, `frames`, `macros`)."""

    def _values(self, intent: Intent, tokens: list[Token], text: str) -> dict[str, Any]:
        values = fill.word_values(intent.slots, tokens, self.spec)
        for slot in intent.slots:
            if slot in ("text", "name"):
                values[slot] = fill.span(tokens, text, intent.name, self.frames)
                if intent.name == "open_app":
                    values[slot] = fill.app_name(values[slot], self.spec.apps)
            elif slot == "macro":
                values["macro"] = self._macro(fill.span(tokens, text, intent.name, self.frames), text)
        return values

    def _macro(self, said: str | None, text: str) -> str | None:
        """The macro named by the span, or whose `say` phrase is the whole sentence ("start my day")."""
        if said and (name := find_macro(said, self.macros)):
            return name
        whole = " ".join(t.word for t in self.tokens(text))
        for name, m in self.macros.items():
            if any(" ".join(t.word for t in self.tokens(p)) == whole for p in getattr(m, "phrases", ())):
                return name
        if name := find_macro(whole, self.macros):
            return name
        padded = f" {whole} "
        named = [n for n in self.macros if f" {' '.join(n.lower().replace('_', ' ').replace('-', ' ').split())} " in padded]
        return named[0] if len(named) == 1 else None  # the one macro whose name was said

    def _plans(self, text: str, p: np.ndarray) -> tuple[list[dict[str, Any]], float, str]:
        """The most probable plan of one command: (actions as JSON, its probability, the top intent)."""
        tokens = self.tokens(text)
        grouped: dict[str, tuple[float, list[dict[str, Any]], str]] = {}
        said = [t.word for t in tokens]
        for i in np.argsort(-p)[:TOP_K]:
            label = self.head.labels[i]
            name = words().decide(label, said)  # the words said decide "in" from "out" (siblings.py)
            if name is None:
                continue
            name = name if name in self.intents else label
            intent = self.intents[name]
            acts = [] if name == NONE else plan_of(intent, self._values(intent, tokens, text))
            if acts is None:
                continue
            if name in ON_ACTIVE_WINDOW and (title := fill.window_named(tokens, text, name, self.frames)):
                focus = plan_of(self.intents["focus"], {"name": title})
                if focus is None:
                    continue  # never the action alone: it would land on whatever window is active
                acts = [*focus, *acts]
            key = repr(acts)
            prob, _, first = grouped.get(key, (0.0, acts, name))
            grouped[key] = (prob + float(p[i]), acts, first)
        if not grouped:
            top = self.head.labels[int(np.argmax(p))]
            return [], 0.0, top
        prob, acts, name = max(grouped.values(), key=lambda g: g[0])
        return acts, prob, name

    def _describe(self, name: str, acts: list[dict[str, Any]]) -> str:
        if name == NONE:
            return "not a command"
        parts = []
        for a in acts:
            args = a["args"]
            if a["tool"] == "press_keys":
                parts.append("+".join(args["keys"]) + (f" x{args['repeat']}" if args.get("repeat", 1) > 1 else ""))
            else:
                shown = ", ".join(f"{k}={v!r}" for k, v in args.items() if v not in (None, 1, "left") or k == "x")
                parts.append(f"{a['tool']}({shown})")
        return f"{self.intents[name].say.split(' (')[0] if name in self.intents else name} ({'; '.join(parts)})"
