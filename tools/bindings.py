"""Edit actions ("copy", "undo", "close_tab") and the keys each presses on each platform (bindings.yaml).

Speech names an action; the platform decides the chord: `chord("copy", "mac")` is [win, c] (Command+C),
`chord("copy", "linux")` is [ctrl, c]. The grammar resolves actions when it is built for a platform, so a
plan always holds concrete `press_keys` chords (docs/ACTIONS.md) and is judged as the keys it presses.
"""

from __future__ import annotations

import functools
import sys
from importlib import resources

import yaml

from voxctl.tools.keys import normalize_key

PLATFORMS = ("linux", "windows", "mac")
_SYS_PLATFORM = {"darwin": "mac", "win32": "windows", "cygwin": "windows"}


class BindingError(ValueError):
    """A bindings table that cannot be used; str() names the action and the problem."""


def platform_name(sys_platform: str | None = None) -> str:
    """"linux", "windows" or "mac" for a `sys.platform` value (default: this machine's); any other
    Unix counts as linux. The names "mac", "windows", "linux" themselves are accepted too."""
    p = sys.platform if sys_platform is None else sys_platform
    return p if p in PLATFORMS else _SYS_PLATFORM.get(p, "linux")


@functools.cache
def bindings() -> dict[str, dict[str, tuple[str, ...]]]:
    """action -> platform -> keys, every platform filled in (from `default` where not given)."""
    data = yaml.safe_load(resources.files(__package__).joinpath("bindings.yaml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for action, raw in (data or {}).items():
        if not isinstance(raw, dict) or "default" not in raw or set(raw) - {"default", *PLATFORMS}:
            raise BindingError(f"tools/bindings.yaml: {action}: needs `default` and at most {', '.join(PLATFORMS)}")
        per: dict[str, tuple[str, ...]] = {}
        for where, keys in raw.items():
            canon = [normalize_key(str(k)) for k in keys or ()]
            if not canon or None in canon:
                raise BindingError(f"tools/bindings.yaml: {action}: {where}: {keys!r} is not a list of key names")
            per[where] = tuple(canon)  # type: ignore[arg-type]
        out[str(action)] = {p: per.get(p, per["default"]) for p in PLATFORMS}
    return out


def chord(action: str, platform: str | None = None) -> list[str]:
    """The keys `action` presses on `platform` (default: this machine). Raises BindingError."""
    table = bindings()
    if action not in table:
        raise BindingError(f"no edit action {action!r} (known: {', '.join(sorted(table))})")
    return list(table[action][platform_name(platform)])
