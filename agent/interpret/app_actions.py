"""Actions only some apps have, said by name ("reply", "go to line forty two"), pressed as the focused app binds them.

grammar.yaml `app_actions:` gives their spoken forms; tools/app_keys.yaml the keys of each app. A grammar is
built once, before anyone speaks, so where an app action is said it holds an `AppAction` marker; the parse of
one utterance (chain.py) turns the marker into the keys of the app whose window was focused when it was said
(`resolved`). Where no app that binds it is focused, the action's button is clicked by its label (a web mail
the table does not know still shows "Reply"), or it is no command, and the reason names the apps that have it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from voxctl.tools.app_keys import apps_of, apps_with, elsewhere_keys, resolve, table


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


def resolved(action: str, names: list[str], platform: str) -> Resolved:
    """How `action` is done in the window named `names` (its title and WM_CLASS)."""
    hit = resolve(action, names, platform)
    if hit is not None:
        return Resolved(keys=hit[1])
    if (keys := elsewhere_keys(action, platform)) is not None:
        return Resolved(keys=keys)  # "pause the video" in any player: the media key; "back a page": the browser's
    if (button := table().buttons.get(action)) is not None:
        return Resolved(button=button)
    focused = f"the focused window ({names[0]!r}) is none of them" if names else "no focused window is known"
    return Resolved(why=f"{action.replace('_', ' ')} has keys in {', '.join(apps_with(action))}, and {focused} "
                        "(tools/app_keys.yaml)")


def _done(tool: str, args: dict[str, Any], key: str, r: Resolved) -> dict[str, Any]:
    if r.keys is not None:
        return {"tool": tool, "args": {**args, key: r.keys}}
    return {"tool": "click", "args": {"target": r.button}}


def with_app_keys(act: dict[str, Any], args: dict[str, Any], screen: Any,
                  platform: str) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """(the action to build, (app action, its argument) or None) with an AppAction argument turned into the
    focused app's keys, or its button clicked in place of a key press. Where it is neither here, the keys of the
    first app that binds it stand in: a focus_window before it may go to such an app, and `refocused` decides
    once the whole plan is known."""
    for k, v in args.items():
        if isinstance(v, AppAction):
            r = resolved(v.name, window_names(screen), platform)
            if r.keys is None and (r.button is None or act["tool"] != "press_keys"):
                r = Resolved(keys=next(app.keys[v.name][platform] for app in table().apps if v.name in app.keys))
            return _done(act["tool"], args, k, r), (v.name, k)
    return {"tool": act["tool"], "args": args}, None


# What undoes itself done twice: said twice in a row ("pause it, pause it", "mute, mute") it is said for emphasis and
# done once; twice, the video played on (blind probe sets 21 and 39). App actions by name, and the media keys.
TOGGLES = frozenset({"play_pause", "play_pause_video", "mute_video", "captions", "video_fullscreen"})
TOGGLE_KEYS = frozenset({("playpause",), ("volumemute",)})


def _toggled(call: Any) -> tuple[str, ...] | None:
    """A single press of a media key that toggles (TOGGLE_KEYS): its keys; else None."""
    if call.tool != "press_keys" or call.args.repeat != 1:
        return None
    keys = tuple(str(k).lower() for k in call.args.keys)
    return keys if keys in TOGGLE_KEYS else None


def once_each_toggle(calls: list[Any]) -> list[Any]:
    """`calls` less a toggling media key pressed right after the same one (TOGGLE_KEYS)."""
    out: list[Any] = []
    for c in calls:
        if not (out and (keys := _toggled(c)) and _toggled(out[-1]) == keys):
            out.append(c)
    return out


def refocused(calls: list[Any], made: dict[int, tuple[str, str]], screen: Any, platform: str) -> tuple[list[Any], str]:
    """The plan's calls with each app action done as the app it lands in does it: the app focused when it was
    said, or after a focus_window or open_app before it ("switch to thunderbird and reply all") the app that
    comes to the front; `made`: id(call) -> (app action, argument) of the calls built from one. ([], why) when
    one is no command where it lands."""
    from voxctl.tools.registry import validate_action

    names, moved = window_names(screen), False
    titles = tuple(getattr(screen, "window_titles", ()) or ())
    out, last = [], ""  # `last`: the app action the call before was made from
    for c in calls:
        action = made.get(id(c), ("", ""))[0]
        if action in TOGGLES and action == last:  # "pause it, pause it": once
            continue
        last = action
        if c.tool in ("focus_window", "open_app"):
            said = str(c.args.title if c.tool == "focus_window" else c.args.name)
            names, moved = [t for t in titles if said.lower() in t.lower()][:1] or [said], True
        elif id(c) in made:
            action, key = made[id(c)]
            r = resolved(action, names, platform)
            if r.why:
                return [], r.why.replace("the focused window", "the window it goes to") if moved else r.why
            args = c.args.model_dump(exclude_defaults=True) if c.tool == "press_keys" else {}
            tool = "press_keys" if c.tool == "press_keys" or r.keys is not None else c.tool
            c, problems = validate_action(_done(tool, args, key, r))
            if c is None:
                return [], "; ".join(problems)
        out.append(c)
    return out, ""


MAX_SAID = 8  # the focused app's actions given to the recogniser's hint: ~16 words of its ~110
# Not given to the hint: it makes what it lists heard more readily, and a delete is not to be ("delete this mail" in
# Thunderbird's hint turned "right then, archive that one" into "write an archive that one.", spoken en-us+m3)
NOT_HINTED = frozenset({"delete_message"})


@functools.cache
def _first_forms() -> dict[str, str]:
    """Each app action's first written spoken form with no number, its choices said by their first (grammar.yaml
    `app_actions:`)."""
    import yaml

    from voxctl.agent.interpret.rules import DEFAULT_PATH

    written = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["app_actions"]

    def plain(form: str) -> str:  # "(pause|play) (the|this) (video|clip)" -> "pause the video"; [optional] words left out
        said = re.sub(r"\(([^|)]*)[^)]*\)", r"\1", re.sub(r"\[[^\]]*\]", "", form))
        return " ".join(said.split()) if re.fullmatch(r"[a-z' ]+", said) else ""

    return {a: next((p for f in forms if (p := plain(f))), "") for a, forms in written.items()}


def said_forms(names: list[str], most: int = MAX_SAID) -> list[str]:
    """How the actions of the app focused in the window named `names` are said ("reply", "reply all", "forward
    this", "send it" in Thunderbird), in the table's order: sentences for the recogniser's hint. tiny.en heard
    "reply all" as "click light all." under the hint of the general command sentences (spoken blind probe set 25)."""
    forms = _first_forms()
    out: list[str] = []
    for app in apps_of(names):
        out += [forms[a] for a in app.keys if forms.get(a) and forms[a] not in out and a not in NOT_HINTED]
    return out[:most]
