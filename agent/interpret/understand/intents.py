"""The understanding model's answers: intents, each a plan template (tool + fixed arguments, with the
open parts filled from the sentence), and `not_a_command`.

An intent is a row: its name, the actions with "$slot" placeholders, and which slots it needs. Edit
actions ("copy", "next_tab") are intents whose keys come from tools/bindings.yaml for this platform, so a
plan holds concrete chords. The user's macros and own examples add rows (`user_intent`). Plans are valid
by construction: every filled template goes through `validate_action`.

`intent_of(actions)` is the way back: the intent a known plan belongs to. It labels the grammar's own
expansions and the user's examples, and scores a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voxctl.tools.bindings import bindings, chord
from voxctl.tools.registry import TOOLS

NONE = "not_a_command"
# Intents whose action lands on the active window: a window the sentence names is focused first ("close
# firefox" closed whatever window was active; now it is focus firefox, then close: no firefox, nothing closes).
ON_ACTIVE_WINDOW = frozenset({"close_window", "edit:quit"})
DIRECTIONS = ("up", "down", "left", "right")
_WINDOW_STATE = (("maximize_window", "maximize the window"), ("minimize_window", "minimize the window"),
                 ("restore_window", "restore the window"))


@dataclass(frozen=True)
class Intent:
    name: str
    do: tuple[dict[str, Any], ...]  # actions; a string arg "$slot" is filled from the sentence
    slots: tuple[str, ...] = ()  # the open parts: repeat, keys, text, name, n, x, y
    say: str = ""  # how the guess is shown ("did you mean: next tab (ctrl+tab)?")


def _edit(action: str, platform: str | None) -> Intent:
    keys = chord(action, platform)
    return Intent(f"edit:{action}", ({"tool": "press_keys", "args": {"keys": keys, "repeat": "$repeat"}},),
                  ("repeat",), f"{action.replace('_', ' ')} ({'+'.join(keys)})")


def builtin_intents(platform: str | None = None) -> dict[str, Intent]:
    """Every built-in intent, edit actions bound for `platform` (default: this machine)."""
    rows = [_edit(a, platform) for a in bindings()]
    rows += [
        Intent("key", ({"tool": "press_keys", "args": {"keys": "$keys", "repeat": "$repeat"}},), ("keys", "repeat"),
               "press keys"),
        Intent("type", ({"tool": "type_text", "args": {"text": "$text"}},), ("text",), "type text"),
        Intent("find", ({"tool": "press_keys", "args": {"keys": chord("find", platform)}},
                        {"tool": "type_text", "args": {"text": "$text"}}), ("text",), "find text"),
        Intent("open_app", ({"tool": "open_app", "args": {"name": "$name"}},), ("name",), "open an app"),
        Intent("focus", ({"tool": "focus_window", "args": {"title": "$name"}},), ("name",), "switch to a window"),
        Intent("close_window", ({"tool": "close_window", "args": {}},), (), "close the window"),
        Intent("screenshot", ({"tool": "screenshot", "args": {}},), (), "take a screenshot"),
        Intent("wait", ({"tool": "wait", "args": {"seconds": "$seconds"}},), ("seconds",), "wait"),
        Intent("click", ({"tool": "click", "args": {}},), (), "click"),
        Intent("double_click", ({"tool": "click", "args": {"count": 2}},), (), "double click"),
        Intent("right_click", ({"tool": "click", "args": {"button": "right"}},), (), "right click"),
        Intent("middle_click", ({"tool": "click", "args": {"button": "middle"}},), (), "middle click"),
        Intent("click_at", ({"tool": "click", "args": {"x": "$x", "y": "$y"}},), ("x", "y"), "click at a point"),
        Intent("click_on", ({"tool": "click", "args": {"target": "$name"}},), ("name",), "click on something"),
        Intent("move_mouse", ({"tool": "move_mouse", "args": {"x": "$x", "y": "$y"}},), ("x", "y"), "move the mouse"),
        Intent("drag", ({"tool": "drag", "args": {"to_x": "$x", "to_y": "$y"}},), ("x", "y"), "drag"),
        Intent("macro", ({"tool": "run_macro", "args": {"name": "$macro"}},), ("macro",), "run a macro"),
    ]
    for d in DIRECTIONS:
        rows.append(Intent(f"scroll:{d}", ({"tool": "scroll", "args": {"direction": d, "amount": "$n"}},), ("n",),
                           f"scroll {d}"))
        rows.append(Intent(f"nudge:{d}", ({"tool": "nudge_mouse", "args": {"direction": d, "pixels": "$n"}},),
                           ("n",), f"move the mouse {d}"))
    for tool, say in _WINDOW_STATE:  # tools that some versions of the registry have
        if tool in TOOLS:
            rows.append(Intent(tool, ({"tool": tool, "args": {}},), (), say))
    rows.append(Intent(NONE, (), (), "not a command"))
    return {r.name: r for r in rows}


def user_intent(name: str, actions: list[dict[str, Any]]) -> Intent:
    """A fixed plan the user taught (a macro, or an example that no built-in intent covers)."""
    return Intent(name, tuple(actions), (), name.partition(":")[2] or name)


def _dump(call: Any) -> dict[str, Any]:
    return call if isinstance(call, dict) else call.model_dump(mode="json")


def intent_of(actions: list[Any], intents: dict[str, Intent], platform: str | None = None) -> str | None:
    """The built-in intent whose template gives exactly `actions` (one action, or find + text), or None."""
    acts = [_dump(a) for a in actions]
    if len(acts) == 2 and acts[0] == {"tool": "press_keys", "args": {"keys": chord("find", platform), "repeat": 1}} \
            and acts[1]["tool"] == "type_text":
        return "find"
    if len(acts) != 1:
        return None
    tool, args = acts[0]["tool"], acts[0]["args"]
    if tool == "press_keys":
        for name, it in intents.items():
            if name.startswith("edit:") and it.do[0]["args"]["keys"] == args["keys"]:
                return name
        return "key"
    if tool == "click":
        if args.get("target"):
            return "click_on"
        if args.get("x") is not None:
            return "click_at" if args.get("button") == "left" and args.get("count") == 1 else None
        return {("left", 1): "click", ("left", 2): "double_click", ("right", 1): "right_click",
                ("middle", 1): "middle_click"}.get((args.get("button"), args.get("count")))
    if tool == "scroll":
        return f"scroll:{args['direction']}"
    if tool == "nudge_mouse":
        return f"nudge:{args['direction']}"
    if tool == "drag":
        return "drag" if args.get("from_x") is None else None
    return {"type_text": "type", "open_app": "open_app", "focus_window": "focus", "close_window": "close_window",
            "screenshot": "screenshot", "wait": "wait", "move_mouse": "move_mouse", "run_macro": "macro",
            **{t: t for t, _ in _WINDOW_STATE if not args.get("title")}}.get(tool)
