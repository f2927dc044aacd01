"""User macros: a YAML file of named action sequences, validated at start.

    standup:                       # the name: "run standup"
      say: ["start my day"]        # optional extra phrases that run it
      actions:
        - {tool: open_app, args: {name: terminal}}
        - {tool: type_text, args: {text: git pull}}
        - {tool: press_keys, args: {keys: [enter]}}

A plain list under the name is the same as `actions:`. Errors name the file, the macro and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.registry import validate_action


class MacroError(Exception):
    pass


@dataclass(frozen=True)
class Macro:
    name: str
    actions: list[Any]
    phrases: tuple[str, ...] = field(default=())


def default_macros_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("voxctl")) / "macros.yaml"


def load_macros(path: str | Path | None) -> dict[str, Macro]:
    """Macros from `path` (None: the default file, which may be absent). Raises MacroError."""
    explicit = path is not None
    p = Path(path).expanduser() if path is not None else default_macros_path()
    if not p.exists():
        if explicit:
            raise MacroError(f"{p}: macros file not found")
        return {}
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise MacroError(f"{p}: cannot read macros: {e}") from None
    if not isinstance(data, dict):
        raise MacroError(f"{p}: expected a mapping of macro name -> actions")
    macros: dict[str, Macro] = {}
    problems: list[str] = []
    for name, body in data.items():
        if isinstance(body, list):
            body = {"actions": body}
        if not isinstance(body, dict) or not isinstance(body.get("actions"), list) or not body["actions"]:
            problems.append(f"{p}: macro {name!r}: needs a non-empty list of actions")
            continue
        extra = set(body) - {"actions", "say"}
        if extra:
            problems.append(f"{p}: macro {name!r}: unknown key(s) {', '.join(sorted(extra))} (allowed: actions, say)")
        calls = []
        for i, raw in enumerate(body["actions"]):
            c, errs = validate_action(raw, f"actions[{i}]")
            problems += [f"{p}: macro {name!r}: {e}" for e in errs]
            calls.append(c)
        say = body.get("say", [])
        if isinstance(say, str):
            say = [say]
        macros[str(name)] = Macro(str(name), calls, tuple(str(s) for s in say))
    if problems:
        raise MacroError("\n".join(problems))
    return macros


def macro_table(macros: dict[str, Macro]) -> dict[str, list[Any]]:
    """name -> actions, the shape the tools and the policy use."""
    return {name: m.actions for name, m in macros.items()}
