"""Actions only some apps have ("reply", "go to line") and the keys each app binds them to (app_keys.yaml).

Which keys "reply" presses depends on the focused window: ctrl+r in Thunderbird, r in Gmail. The grammar
names the action; `resolve("reply", names)` finds the app by the window's title and WM_CLASS and gives the
keys, so a plan still holds concrete `press_keys` chords (docs/ACTIONS.md) and is judged as the keys it
presses. `effect_of(keys, names)` is what the policy asks: do these keys, in this window, do what cannot be
taken back (ctrl+enter sends the message in Thunderbird, whoever said it)?
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from voxctl.tools.bindings import PLATFORMS, BindingError, bindings, chord, platform_name
from voxctl.tools.keys import fires, normalize_key


@dataclass(frozen=True)
class AppKeys:
    """One app: how its windows are known, and what its own actions press."""

    id: str
    name: str  # as told to the person: "Thunderbird"
    window: tuple[str, ...]  # regular expressions on the title and WM_CLASS, searched ignoring case
    keys: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # action -> platform -> keys
    effects: dict[str, str] = field(default_factory=dict)  # action -> what it does that cannot be undone
    writes: bool = False  # a window a person writes in: "write the report by friday" there is dictation

    def matches(self, names: Iterable[str]) -> bool:
        return any(re.search(p, n, re.IGNORECASE) for p in self.window for n in names if n)


@dataclass(frozen=True)
class Table:
    apps: tuple[AppKeys, ...]
    buttons: dict[str, str]  # action -> the label of its button, clicked where no app that binds it is focused
    # action -> keys where no app binds it, or the name of an edit action (tools/bindings.yaml) pressed as the
    # platform binds it: "go back a page" is the document viewer's pageup, and elsewhere the browser's back
    elsewhere: dict[str, tuple[str, ...] | str] = field(default_factory=dict)

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(a for app in self.apps for a in app.keys)


def _keys(raw: object, where: str, source: str) -> tuple[dict[str, tuple[str, ...]], str | None]:
    """(platform -> keys, effect) of one action's entry: a list of keys, or {default: ..., mac: ..., effect: ...}."""
    entry = {"default": raw} if isinstance(raw, list) else raw
    if not isinstance(entry, dict) or "default" not in entry or set(entry) - {"default", "effect", *PLATFORMS}:
        raise BindingError(f"{source}: {where}: a list of keys, or `default` and at most "
                           f"{', '.join(PLATFORMS)} and `effect`")
    per: dict[str, tuple[str, ...]] = {}
    for plat, keys in entry.items():
        if plat == "effect":
            continue
        canon = [normalize_key(str(k)) for k in keys or ()] if isinstance(keys, list) else [None]
        if not canon or None in canon:
            raise BindingError(f"{source}: {where}: {plat}: {keys!r} is not a list of key names")
        per[plat] = tuple(canon)  # type: ignore[arg-type]
    effect = entry.get("effect")
    return {p: per.get(p, per["default"]) for p in PLATFORMS}, str(effect) if effect else None


BUNDLED = "tools/app_keys.yaml"
_installed: list[Table] = []  # the session's table (install): the bundled one with the user's file merged over it


@functools.cache
def _bundled_data() -> dict[str, Any]:
    return yaml.safe_load(resources.files(__package__).joinpath("app_keys.yaml").read_text(encoding="utf-8"))


@functools.cache
def bundled() -> Table:
    """The bundled table, checked once: a bad key name or pattern is an error at start, not when spoken."""
    return parse_table(_bundled_data())


def table() -> Table:
    """The table in use: the one the session installed (the user's keys merged in), else the bundled one."""
    return _installed[0] if _installed else bundled()


def install(t: Table | None) -> None:
    """Make `t` the table every part reads (the grammar's keys, the policy's effects, the guard): set once, when the
    session is built (agent/session.py); None: the bundled table."""
    _installed[:] = [t] if t is not None and t is not bundled() else []


def with_user(data: object, source: str) -> Table:
    """The bundled table with a user's file (`data`, read from `source`) merged over it: an app of the table gets the
    keys given for its actions in place of its own (an action that cannot be taken back keeps its `effect`, and so
    keeps asking), and its `name` or `window` where given; an app of the user's own (`name`, `window`, `keys`) comes
    before the table's, so its windows are its own. Raises BindingError naming `source` and the problem."""
    if not isinstance(data, dict) or set(data) - {"apps", "elsewhere", "buttons"}:
        raise BindingError(f"{source}: expected `apps:` (and at most `elsewhere:`, `buttons:`), as in {BUNDLED}")
    base, known = _bundled_data(), bundled().actions
    # what an action does that cannot be taken back, in any app of the table: it stays so in the user's keys
    effects = {a: e for app in bundled().apps for a, e in app.effects.items()}
    mine, theirs = {}, dict(base.get("apps") or {})
    for app_id, raw in (data.get("apps") or {}).items():
        if not isinstance(raw, dict) or not isinstance(raw.get("keys", {}), dict):
            raise BindingError(f"{source}: {app_id}: expected `keys:` (action: keys) and at most `name:`, `window:`, `writes:`")
        if unknown := sorted(set(raw.get("keys") or {}) - known):
            raise BindingError(f"{source}: {app_id}: {unknown[0]!r} is no app action (known: {', '.join(sorted(known))})")
        keys = {a: _with_effect(entry, effects.get(a)) for a, entry in (raw.get("keys") or {}).items()}
        if app_id in theirs:
            theirs[app_id] = {**theirs[app_id], **raw, "keys": {**theirs[app_id]["keys"], **keys}}
        else:
            mine[app_id] = {**raw, "keys": keys}
    merged = {"apps": {**mine, **theirs}, "elsewhere": {**(base.get("elsewhere") or {}), **(data.get("elsewhere") or {})},
              "buttons": {**(base.get("buttons") or {}), **(data.get("buttons") or {})}}
    return parse_table(merged, source)


def _with_effect(entry: object, effect: str | None) -> object:
    """A user's entry for an action with its `effect` kept ("send" asks first whatever keys it presses)."""
    if not effect:
        return entry
    if isinstance(entry, list):
        return {"default": entry, "effect": effect}
    return {**entry, "effect": entry.get("effect") or effect} if isinstance(entry, dict) else entry


def parse_table(data: object, source: str = BUNDLED) -> Table:
    """A table from app_keys.yaml's data. Raises BindingError naming `source`, the app and the problem."""
    if not isinstance(data, dict):
        raise BindingError(f"{source}: expected `apps:` and `buttons:`")
    apps = []
    for app_id, raw in (data.get("apps") or {}).items():
        if not isinstance(raw, dict) or not raw.get("window") or not isinstance(raw.get("keys"), dict):
            raise BindingError(f"{source}: {app_id}: needs `window` (a list of patterns) and `keys`")
        if not isinstance(raw["window"], list):
            raise BindingError(f"{source}: {app_id}: `window` is a list of patterns")
        for p in raw["window"]:
            try:
                re.compile(str(p))
            except re.error as e:
                raise BindingError(f"{source}: {app_id}: window {p!r}: {e}") from None
        if not isinstance(raw.get("writes", False), bool):
            raise BindingError(f"{source}: {app_id}: `writes` is true or false")
        keys, effects = {}, {}
        for action, entry in raw["keys"].items():
            keys[str(action)], effect = _keys(entry, f"{app_id}.{action}", source)
            if effect:
                effects[str(action)] = effect
        apps.append(AppKeys(str(app_id), str(raw.get("name") or app_id), tuple(map(str, raw["window"])), keys, effects,
                            raw.get("writes") is True))
    elsewhere: dict[str, tuple[str, ...] | str] = {}
    for action, keys in (data.get("elsewhere") or {}).items():
        if isinstance(keys, str):  # an edit action, by name
            if keys not in bindings():
                raise BindingError(f"{source}: elsewhere: {action}: {keys!r} is no edit action of bindings.yaml")
            elsewhere[str(action)] = keys
            continue
        canon = [normalize_key(str(k)) for k in keys or ()] if isinstance(keys, list) else [None]
        if not canon or None in canon:
            raise BindingError(f"{source}: elsewhere: {action}: {keys!r} is not a list of key names")
        elsewhere[str(action)] = tuple(canon)
    out = Table(tuple(apps), {str(k): str(v) for k, v in (data.get("buttons") or {}).items()}, elsewhere)  # type: ignore[arg-type]
    unknown = (set(out.buttons) | set(out.elsewhere)) - out.actions
    if unknown:
        raise BindingError(f"{source}: buttons/elsewhere: {', '.join(sorted(unknown))} is no app's action")
    return out


def app_of(names: Iterable[str]) -> AppKeys | None:
    """The first app of the table whose window patterns match one of `names` (a window's title and WM_CLASS)."""
    names = [n for n in names if n]
    return next((app for app in table().apps if app.matches(names)), None)


def apps_of(names: Iterable[str]) -> list[AppKeys]:
    """Every app of the table whose window patterns match one of `names`, in the table's order."""
    names = [n for n in names if n]
    return [app for app in table().apps if app.matches(names)]


def writes_in(names: Iterable[str]) -> bool:
    """Whether one of `names` (a window's title and WM_CLASS) is an app's of the table that a person writes in."""
    return any(app.writes for app in apps_of(names))


def resolve(action: str, names: Iterable[str], platform: str | None = None) -> tuple[AppKeys, list[str]] | None:
    """(the app, the keys it binds `action` to on `platform`) for the focused window named `names`: the first app
    whose window it is that binds the action; None when none does."""
    app = next((a for a in apps_of(names) if action in a.keys), None)
    if app is None:
        return None
    return app, list(app.keys[action][platform_name(platform)])


def elsewhere_keys(action: str, platform: str | None = None) -> list[str] | None:
    """The keys `action` presses where no app that binds it is focused, or None where it is no command there."""
    keys = table().elsewhere.get(action)
    if keys is None:
        return None
    return chord(keys, platform) if isinstance(keys, str) else list(keys)


def apps_with(action: str) -> list[str]:
    """The names of the apps that bind `action`, for a message: "VS Code, Sublime Text, ..."."""
    return [app.name for app in table().apps if action in app.keys]


def effect_of(keys: Sequence[str], names: Iterable[str], platform: str | None = None) -> str | None:
    """What pressing `keys` does that cannot be taken back in the window named `names` ("ctrl+enter sends the
    message in Thunderbird"), by the table in use and the bundled one, or None. Judged by effect, as destructive
    chords are: the chord fired counts, however it is pressed ([shift, ctrl, enter] fires ctrl+enter too)."""
    plat, names = platform_name(platform), [n for n in names if n]
    for app in (a for a in _judged_apps() if a.matches(names)):
        for action, effect in app.effects.items():
            pressed = app.keys[action][plat]
            if fires(list(keys), frozenset(pressed)):
                return f"{'+'.join(pressed)} {effect} in {app.name}"
    return None


def may_have_effect(keys: Sequence[str]) -> bool:
    """Whether pressing `keys` does what cannot be taken back in any app of the table (the guard then asks the
    desktop which window is focused; other presses cost no query)."""
    return any(fires(list(keys), frozenset(pressed)) for app in _judged_apps() for action in app.effects
               for pressed in app.keys[action].values())


def _judged_apps() -> tuple[AppKeys, ...]:
    """The apps whose effects are judged: the table in use's, and the bundled one's too. A user's file may add what
    cannot be taken back, never take it away (Thunderbird's windows or send keys changed there leave its ctrl+enter
    asking)."""
    return (*table().apps, *bundled().apps) if _installed else bundled().apps
