"""The policy: what may run, what must be confirmed, what is refused. Code and configuration decide,
never the model's opinion.

A plan is judged as a whole before anything runs; the result is a `Decision` value with a verdict
(`run`, `confirm` or `deny`), the reasons, and the risk of every action with where that risk came from.

How one action's risk is found:
1. the registry's tier (`risk_of`): arguments can raise it (alt+f4 is high), a macro is as risky as its
   riskiest step;
2. `policy.tool_risk` replaces the tool's tier (raise or lower);
3. every matching `policy.window_rules` entry: the highest matching rule's tier replaces it;
4. a tier the registry marks high (close_window, destructive chords) is never lowered by 2 or 3.

The window a rule is matched against is the one that was active when the person spoke, followed through
the plan: after `focus_window(title=X)` or `open_app(name=X)` later actions count as happening in "X".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from agent.config import PolicyConfig, WindowRule
from tools.base import Risk
from tools.macros import find_macro
from tools.registry import ActionPlan, risk_of

Verdict = Literal["run", "confirm", "deny"]


@dataclass(frozen=True)
class ActionRisk:
    index: int
    tool: str
    risk: Risk
    why: str  # where the tier came from, in words

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "tool": self.tool, "risk": str(self.risk), "why": self.why}


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    actions: tuple[ActionRisk, ...] = ()

    @property
    def risk(self) -> Risk:
        return max((a.risk for a in self.actions), default=Risk.LOW)

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "risk": str(self.risk), "reasons": list(self.reasons),
                "actions": [a.to_json() for a in self.actions]}


@dataclass
class _Walk:
    """What the policy knows while it walks a plan: the window actions land in, and the tools used so far."""

    window: str
    used: set[str] = field(default_factory=set)


def rule_matches(rule: WindowRule, call: Any, walk: _Walk) -> bool:
    if rule.tool is not None and call.tool != rule.tool:
        return False
    if rule.keys is not None and (call.tool != "press_keys" or set(call.args.keys) != set(rule.keys)):
        return False
    if rule.after is not None and rule.after not in walk.used:
        return False
    return re.search(rule.window, walk.window, re.IGNORECASE) is not None


class Policy:
    """Judges plans against `PolicyConfig`. `hotkeys` are voxctl's own chords, which no plan may press."""

    def __init__(self, config: PolicyConfig, macros: dict[str, list[Any]] | None = None,
                 hotkeys: dict[str, str] | None = None) -> None:
        self.config = config
        self.macros = macros or {}
        self.hotkeys = {name: frozenset(chord.split("+")) for name, chord in (hotkeys or {}).items()}
        self.confirm_tiers = {Risk.parse(t) for t in config.confirm_tiers} | {Risk.HIGH}

    def decide(self, plan: ActionPlan, window: str = "", plans_last_minute: int = 0) -> Decision:
        """The verdict for `plan`, spoken while `window` was active, given how many plans ran in the last minute."""
        walk = _Walk(window)
        risks = tuple(self._assess(i, c, walk) for i, c in enumerate(plan.actions))
        denials = self._denials(plan, plans_last_minute)
        if denials:
            return Decision("deny", tuple(denials), risks)
        asking = [a for a in risks if a.risk in self.confirm_tiers]
        if asking:
            reasons = tuple(f"action {a.index + 1} ({a.tool}) is {a.risk} risk: {a.why}" for a in asking)
            return Decision("confirm", reasons, risks)
        return Decision("run", (), risks)

    def _denials(self, plan: ActionPlan, plans_last_minute: int) -> list[str]:
        out = []
        n, most = len(plan.actions), self.config.max_actions
        if n > most:
            out.append(f"the plan has {n} actions, more than policy.max_actions allows ({most})")
        if plans_last_minute >= self.config.max_plans_per_minute:
            out.append(f"rate limit: {plans_last_minute} plans ran in the last minute "
                       f"(policy.max_plans_per_minute = {self.config.max_plans_per_minute})")
        for c in self._flatten(list(plan.actions)):
            if c.tool != "press_keys":
                continue
            chord = frozenset(c.args.keys)
            for name, own in self.hotkeys.items():
                if own <= chord:  # a superset presses it too: the hotkey listener fires on it
                    out.append(f"a step presses {'+'.join(c.args.keys)}, voxctl's own {name} hotkey")
        return out

    def _flatten(self, calls: list[Any], seen: frozenset[str] = frozenset()) -> list[Any]:
        out = []
        for c in calls:
            key = find_macro(c.args.name, self.macros) if c.tool == "run_macro" else None
            if key is not None and key not in seen:
                out += self._flatten(list(self.macros[key]), seen | {key})
            else:
                out.append(c)
        return out

    def _assess(self, index: int, call: Any, walk: _Walk, seen: frozenset[str] = frozenset()) -> ActionRisk:
        key = find_macro(call.args.name, self.macros) if call.tool == "run_macro" else None
        if key is not None and key in seen:
            key = None  # a macro that runs itself: its own tier only (the executor refuses the loop)
        # A known macro's steps are judged below, one by one, with the overrides applied to each.
        builtin = risk_of(call) if key is not None else risk_of(call, self.macros)
        risk, why = builtin, "built-in tier"
        if call.tool in self.config.tool_risk:
            risk, why = Risk.parse(self.config.tool_risk[call.tool]), f"policy.tool_risk.{call.tool}"
        matched = [(Risk.parse(r.risk), n) for n, r in enumerate(self.config.window_rules)
                   if rule_matches(r, call, walk)]
        if matched:
            rule_risk, n = max(matched)
            risk = rule_risk
            why = f"policy.window_rules[{n}] (window {self.config.window_rules[n].window!r}, now {walk.window!r})"
        if key is not None:
            # A macro is as risky as its riskiest step.
            steps = [self._assess(index, s, walk, seen | {key}) for s in self.macros[key]]
            top = max(steps, key=lambda a: a.risk, default=None)
            if top is not None and top.risk > risk:
                risk, why = top.risk, f"macro {key!r} step {top.tool}: {top.why}"
        if builtin == Risk.HIGH and risk < Risk.HIGH:
            risk, why = Risk.HIGH, why + "; built-in high cannot be lowered"
        walk.used.add(call.tool)
        if call.tool == "focus_window":
            walk.window = call.args.title
        elif call.tool == "open_app":
            walk.window = call.args.name
        return ActionRisk(index, call.tool, risk, why)
