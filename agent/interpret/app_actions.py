"""Actions only some apps have, said by name ("reply", "go to line forty two"), pressed as the focused app binds them.

grammar.yaml `app_actions:` gives their spoken forms; tools/app_keys.yaml the keys of each app. A grammar is
built once, before anyone speaks, so where an app action is said it holds an `AppAction` marker; the parse of
one utterance (chain.py) turns the marker into the keys of the app whose window was focused when it was said
(`resolved`). Where no app that binds it is focused, the action's button is clicked by its label (a web mail
the table does not know still shows "Reply"), or it is no command, and the reason names the apps that have it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voxctl.tools.app_keys import apps_with, resolve, table


@dataclass(frozen=True)
class AppAction:
    """Where a grammar rule presses an app's own action: resolved per utterance by the focused window."""

    name: str


@dataclass(frozen=True)
class Resolved:
    keys: list[str] | None = None  # the focused app's keys
    button: str | None = None  # else the label to click
    why: str = ""  # else why it is no command


def known(action: str) -> bool:
    return action in table().actions


def window_names(screen: Any) -> list[str]:
    """The focused window's title and WM_CLASS, as far as the screen says (nothing for a typed command)."""
    if screen is None:
        return []
    return [n for n in (getattr(screen, "active_window", ""), *getattr(screen, "active_class", ())) if n]


def resolved(action: str, screen: Any, platform: str) -> Resolved:
    names = window_names(screen)
    hit = resolve(action, names, platform)
    if hit is not None:
        return Resolved(keys=hit[1])
    if (button := table().buttons.get(action)) is not None:
        return Resolved(button=button)
    focused = f"the focused window ({names[0]!r}) is none of them" if names else "no focused window is known"
    return Resolved(why=f"{action.replace('_', ' ')} has keys in {', '.join(apps_with(action))}, and {focused} "
                        "(tools/app_keys.yaml)")


def with_app_keys(act: dict[str, Any], args: dict[str, Any], screen: Any, platform: str) -> tuple[dict[str, Any], str]:
    """(the action to build, "") with every AppAction argument turned into the focused app's keys, or its
    button clicked in place of a key press; ({}, why) when it is no command here."""
    out = dict(args)
    for k, v in args.items():
        if not isinstance(v, AppAction):
            continue
        r = resolved(v.name, screen, platform)
        if r.keys is not None:
            out[k] = r.keys
        elif r.button is not None and act["tool"] == "press_keys":
            return {"tool": "click", "args": {"target": r.button}}, ""
        else:
            return {}, r.why
    return {"tool": act["tool"], "args": out}, ""
