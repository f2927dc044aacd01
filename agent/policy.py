"""The policy: what may run, what must be confirmed, what is refused. Code and configuration decide,
never the model's opinion.

A plan is judged as a whole before anything runs; the result is a `Decision` value with a verdict
(`run`, `confirm` or `deny`), the reasons, and the risk of every action with where that risk came from.

How one action's risk is found:
1. the registry's tier (`risk_of`): arguments can raise it (alt+f4 is high);
2. `policy.tool_risk` replaces the tool's tier (raise or lower);
3. every matching `policy.window_rules` entry: the highest matching rule's tier replaces it;
4. a tier the registry marks high (close_window, destructive chords) is never lowered by 2 or 3.

The policy sees a plan with its macros already expanded (agent/macros.py, at the validate node): it judges
the very steps that will run, and `origins` says which macro each came from, for the reasons it gives.
Its size is bounded per plan: at most `policy.max_actions` steps and `policy.max_primitives` primitive
actions (a press repeated 50 times is 50), counted after expansion; `budget()` is also asked before a
plan's macros are expanded, with their measured size, so a fan-out is refused before it is built.

Where an action lands is predicted on the real windows (`Screen`, with their WM_CLASS), followed through
the plan as a set of windows it could be: the active one (and the title when the person spoke); after
`focus_window(title=X)` the window the tool itself would pick for X (tools.windows.best_window); after
`open_app(name=X)` the program X resolves to (app aliases, as the tool resolves them) as well as the window
before it (keys typed before it appears land there); after a click, a drag, a window-manager chord
(alt+tab, win+..., ctrl+alt+...) or close_window, any window on screen. Window rules match any of them.

A line submitted in a command-executing window (tools/submission.py: Enter with any modifiers, ctrl+m,
ctrl+j, text with a line break, a paste; `policy.command_windows`: terminals by WM_CLASS or title) is high
risk whatever the configuration, like a destructive chord. The guard (tools/guard.py) checks each such
primitive again against the real active window as it runs, and refuses one this decision did not flag.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from voxctl.agent.config import PolicyConfig, WindowRule
from voxctl.tools.app_keys import effect_of
from voxctl.tools.apps import resolve_app
from voxctl.tools.base import Risk
from voxctl.tools.desktop import Window
from voxctl.tools.keys import MODIFIERS, fired_chords, fires
from voxctl.tools.registry import TOOLS, ActionPlan, risk_of
from voxctl.tools.submission import chord_submits, click_submits, describe, is_command_window, text_submits
from voxctl.tools.windows import best_window

Verdict = Literal["run", "confirm", "deny"]


@dataclass(frozen=True)
class ActionRisk:
    index: int
    tool: str
    risk: Risk
    why: str  # where the tier came from, in words
    submits: bool = False  # it may submit a line in a command-executing window

    def to_json(self) -> dict[str, Any]:
        out = {"index": self.index, "tool": self.tool, "risk": str(self.risk), "why": self.why}
        return {**out, "submits": True} if self.submits else out


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    actions: tuple[ActionRisk, ...] = ()

    @property
    def risk(self) -> Risk:
        return max((a.risk for a in self.actions), default=Risk.LOW)

    @property
    def submits(self) -> bool:
        """Whether the person is asked about submitting a line in a command window (the guard lets such
        a primitive through only when this was asked and answered yes)."""
        return any(a.submits for a in self.actions)

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "risk": str(self.risk), "reasons": list(self.reasons),
                "actions": [a.to_json() for a in self.actions], "submits": self.submits}


@dataclass(frozen=True)
class Screen:
    """The real windows when the plan is judged (None = the desktop cannot say)."""

    active: Window | None = None
    windows: tuple[Window, ...] = ()

    @classmethod
    def of(cls, desktop: Any) -> Screen | None:
        try:
            return cls(desktop.active_window(), tuple(desktop.windows()))
        except Exception:  # no display, no window manager: the policy follows titles only
            return None


# Chords the window manager or the desktop may take: alt with a non-letter key (alt+tab, alt+escape, alt+f2),
# anything with win or ctrl+alt (switch desktop, ctrl+alt+t opens a terminal on many desktops).
_WM_KEYS_WITH_ALT = frozenset({"tab", "escape", "space", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10",
                               "f11", "f12", "up", "down", "left", "right"})


def _wm_chord(keys: list[str]) -> tuple[bool, bool]:
    """(may move the focus, may start a program) for a press of `keys`."""
    moves = starts = False
    for k, mods in fired_chords(keys):
        if "win" in mods or k == "win" or ({"ctrl", "alt"} <= mods and k not in MODIFIERS):
            moves = starts = True
        elif "alt" in mods and k in _WM_KEYS_WITH_ALT:
            moves = True
    return moves, starts


# Tools that press a button where the pointer is or goes: they land in whatever window is there.
POINTER_ACTS = ("click", "drag", "click_label", "drag_label", "grid_drag")


def submits(call: Any) -> str | None:
    """Why this action may submit a line (tools/submission.py), or None."""
    if call.tool == "press_keys":
        return chord_submits(list(call.args.keys))
    if call.tool == "type_text":
        return text_submits(call.args.text)
    if call.tool in ("click", "click_label"):
        return click_submits(call.args.button)
    return None


@dataclass
class _Walk:
    """What the policy knows while it walks a plan: the windows the next action may land in, what is on
    screen, and the tools used so far."""

    windows: list[Window]
    screen: Screen | None
    used: set[str] = field(default_factory=set)

    def anywhere(self) -> list[Window]:
        """The current windows and every window on screen: where a click or a focus change may lead."""
        return _union(self.windows, list(self.screen.windows) if self.screen else [])


def _union(a: list[Window], b: list[Window]) -> list[Window]:
    return list(dict.fromkeys([*a, *b]))


def _names(w: Window) -> list[str]:
    return [n for n in (w.title, *w.wm_class) if n]


def rule_matches(rule: WindowRule, call: Any, walk: _Walk, landing: list[Window] | None = None) -> bool:
    if rule.tool is not None and call.tool != rule.tool:
        return False
    # By effect, as destructive chords are: [shift, enter] and [enter, x] fire enter too.
    if rule.keys is not None and (call.tool != "press_keys" or not fires(call.args.keys, frozenset(rule.keys))):
        return False
    if rule.submits and submits(call) is None:
        return False
    if rule.after is not None and rule.after not in walk.used:
        return False
    wins = walk.windows if landing is None else landing
    names = [n for w in wins for n in _names(w)] or [""]  # no window known: the empty title, as before
    return any(re.search(rule.window, n, re.IGNORECASE) for n in names)


def _app_effect(keys: list[str], windows: list[Window]) -> str | None:
    """What the keys do in one of `windows` that cannot be taken back (tools/app_keys.yaml `effect:`)."""
    return next((e for w in windows if (e := effect_of(keys, _names(w))) is not None), None)


class Policy:
    """Judges plans against `PolicyConfig`. `hotkeys` are voxctl's own chords, which no plan may press."""

    def __init__(self, config: PolicyConfig, hotkeys: dict[str, str] | None = None, *,
                 apps: Mapping[str, str] | None = None) -> None:
        self.config = config
        self.hotkeys = {name: frozenset(chord.split("+")) for name, chord in (hotkeys or {}).items()}
        self.confirm_tiers = {Risk.parse(t) for t in config.confirm_tiers} | {Risk.HIGH}
        self.apps = dict(apps or {})  # spoken app name -> command, as open_app resolves it

    def decide(self, plan: ActionPlan, window: str = "", plans_last_minute: int = 0,
               origins: list[list[str]] | None = None, screen: Screen | None = None) -> Decision:
        """The verdict for `plan` (macros expanded; `origins[i]`: the macros step i came from), spoken while
        `window` was active, with `screen` the real windows now, given how many plans ran in the last minute."""
        start = [Window("", window)] if window else []
        if screen is not None:
            start = _union(start, [screen.active] if screen.active else list(screen.windows))
        walk = _Walk(start, screen)
        risks = tuple(self._assess(i, c, walk) for i, c in enumerate(plan.actions))
        denials = self._denials(plan, plans_last_minute, bool(origins and any(origins)))
        if denials:
            return Decision("deny", tuple(denials), risks)
        asking = [a for a in risks if a.risk in self.confirm_tiers]
        if asking:
            def step(a: ActionRisk) -> str:
                chain = origins[a.index] if origins and a.index < len(origins) else []
                return a.tool + (f", from macro {' > '.join(map(repr, chain))}" if chain else "")

            reasons = tuple(f"action {a.index + 1} ({step(a)}) is {a.risk} risk: {a.why}" for a in asking)
            return Decision("confirm", reasons, risks)
        return Decision("run", (), risks)

    def budget(self, actions: int, primitives: int, expanded: bool = False) -> list[str]:
        """Why a plan of this size (counted after macro expansion) may not run; empty when it may."""
        out = []
        once = " once its macros are expanded" if expanded else ""
        if actions > self.config.max_actions:
            out.append(f"the plan has {actions:,} actions{once}, more than policy.max_actions allows "
                       f"({self.config.max_actions})")
        elif primitives > self.config.max_primitives:
            out.append(f"the plan performs {primitives:,} primitive actions{once} (repeats counted), more than "
                       f"policy.max_primitives allows ({self.config.max_primitives})")
        return out

    def _denials(self, plan: ActionPlan, plans_last_minute: int, expanded: bool = False) -> list[str]:
        primitives = sum(TOOLS[c.tool].cost_of(c.args) for c in plan.actions)  # type: ignore[attr-defined]
        out = self.budget(len(plan.actions), primitives, expanded)
        if plans_last_minute >= self.config.max_plans_per_minute:
            out.append(f"rate limit: {plans_last_minute} plans ran in the last minute "
                       f"(policy.max_plans_per_minute = {self.config.max_plans_per_minute})")
        for c in plan.actions:
            if c.tool == "run_macro":  # type: ignore[attr-defined]
                out.append(f"macro {c.args.name!r} was not expanded into its steps, so they cannot be judged")
            if c.tool != "press_keys":  # type: ignore[attr-defined]
                continue
            chord = frozenset(c.args.keys)
            for name, own in self.hotkeys.items():
                if own <= chord:  # a superset presses it too: the hotkey listener fires on it
                    out.append(f"a step presses {'+'.join(c.args.keys)}, voxctl's own {name} hotkey")
        return out

    def _assess(self, index: int, call: Any, walk: _Walk) -> ActionRisk:
        builtin = risk_of(call)
        risk, why = builtin, "built-in tier"
        if call.tool in self.config.tool_risk:
            risk, why = Risk.parse(self.config.tool_risk[call.tool]), f"policy.tool_risk.{call.tool}"
        # A click or a drag lands on the window under the pointer: any window on screen.
        landing = walk.anywhere() if call.tool in POINTER_ACTS else walk.windows
        matched = [(Risk.parse(r.risk), n) for n, r in enumerate(self.config.window_rules)
                   if rule_matches(r, call, walk, landing)]
        if matched:
            rule_risk, n = max(matched)
            risk = rule_risk
            now = ", ".join(describe(w) for w in landing)
            why = f"policy.window_rules[{n}] (window {self.config.window_rules[n].window!r}, now {now})"
        if call.tool == "press_keys" and (effect := _app_effect(call.args.keys, landing)):
            risk, why = Risk.HIGH, effect  # "send it" in Thunderbird: ctrl+enter sends the message (app_keys.yaml)
        if builtin == Risk.HIGH and risk < Risk.HIGH:
            risk, why = Risk.HIGH, why + "; built-in high cannot be lowered"
        submitted = submits(call)
        command = [w for w in landing if is_command_window(w, self.config.command_windows)] if submitted else []
        if command:
            risk, why = Risk.HIGH, f"{submitted} in a command window, {describe(command[0])}"
        walk.used.add(call.tool)
        self._follow(call, walk)
        return ActionRisk(index, call.tool, risk, why, submits=bool(command))

    def _follow(self, call: Any, walk: _Walk) -> None:
        """Where the actions after `call` may land."""
        if call.tool == "focus_window":
            win = best_window(call.args.title, walk.screen.windows) if walk.screen else None
            if win is not None:
                walk.windows = [win]
            elif walk.screen is None:
                walk.windows = [Window("", call.args.title)]  # no list of windows: the title as said
            else:  # not open now: it may be by then (opened earlier in this plan), or the focus stays
                walk.windows = _union(walk.windows, [Window("", call.args.title)])
        elif call.tool == "open_app":
            argv = resolve_app(call.args.name, self.apps) or []
            program = [os.path.basename(argv[0]), os.path.basename(os.path.realpath(shutil.which(argv[0]) or argv[0]))
                       ] if argv else []
            # Keys sent before the new window shows still land in the old one.
            walk.windows = _union(walk.windows, [Window("", call.args.name, tuple(dict.fromkeys(program)))])
        elif call.tool in (*POINTER_ACTS, "close_window", "minimize_window") or (
                call.tool in ("maximize_window", "restore_window", "fullscreen_window") and call.args.title):
            # The focus moves on from a minimized window; one restored by title may come to the front.
            walk.windows = walk.anywhere()
        elif call.tool == "press_keys":
            moves, starts = _wm_chord(list(call.args.keys))
            if moves:
                walk.windows = walk.anywhere()
            if starts:  # a desktop shortcut may open a terminal (ctrl+alt+t)
                walk.windows = _union(walk.windows, [Window("", "terminal")])
