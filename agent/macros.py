"""User macros: a YAML file of named action sequences, validated at start.

    standup:                       # the name: "run standup", "run my standup workflow"
      say: ["start my day"]        # optional extra phrases that run it, said on their own
      actions:
        - {tool: open_app, args: {name: terminal}}
        - {tool: type_text, args: {text: git pull}}
        - {tool: press_keys, args: {keys: [enter]}}

A plain list under the name is the same as `actions:`. Errors name the file, the macro and the problem;
every problem in the file is reported at once. A phrase may run only one macro, and a step that runs
another macro must name one defined in the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.registry import validate_action

_NAME = re.compile(r"^[^\x00-\x1f]{1,60}$")


class MacroError(Exception):
    """A macros file that cannot be used; str() names the file, the macro and the problem."""


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
    except OSError as e:
        raise MacroError(f"{p}: cannot read macros: {e.strerror}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise MacroError(f"{p}: not valid YAML{where}: {getattr(e, 'problem', None) or e}") from None
    return parse_macros(data, p)


def parse_macros(data: Any, p: str | Path) -> dict[str, Macro]:
    """Macros from already-read YAML data; `p` names the source in messages. Raises MacroError."""
    if not isinstance(data, dict):
        raise MacroError(f"{p}: expected a mapping of macro name -> actions")
    macros: dict[str, Macro] = {}
    problems: list[str] = []
    for name, body in data.items():
        if isinstance(body, list):
            body = {"actions": body}
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(f"{p}: macro {name!r}: the name must be text of 1 to 60 characters on one line")
            continue
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
        if not isinstance(say, list) or not all(isinstance(s, str) and s.strip() for s in say):
            problems.append(f"{p}: macro {name!r}: say: expected a phrase or a list of phrases")
            say = []
        macros[name] = Macro(name, calls, tuple(" ".join(s.split()) for s in say))
    problems += _cross_problems(p, macros)
    if problems:
        raise MacroError("\n".join(problems))
    return macros


def _spoken(phrase: str) -> str:
    return " ".join(phrase.casefold().replace("_", " ").replace("-", " ").split())


def _cross_problems(p: str | Path, macros: dict[str, Macro]) -> list[str]:
    """Problems between macros: one phrase for two macros, a step that runs a macro nobody defined."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for m in macros.values():
        for phrase in dict.fromkeys([_spoken(m.name), *(_spoken(s) for s in m.phrases)]):
            if phrase in owner and owner[phrase] != m.name:
                problems.append(f"{p}: macro {m.name!r}: the phrase {phrase!r} already runs macro {owner[phrase]!r}")
            owner.setdefault(phrase, m.name)
    names = {_spoken(n) for n in macros}
    for m in macros.values():
        for i, c in enumerate(m.actions):
            if c is not None and c.tool == "run_macro" and _spoken(c.args.name) not in names:
                problems.append(f"{p}: macro {m.name!r}: actions[{i}] runs macro {c.args.name!r}, "
                                f"which is not defined (known: {', '.join(macros)})")
    return problems


def macro_table(macros: dict[str, Macro]) -> dict[str, list[Any]]:
    """name -> actions, the shape the tools and the policy use."""
    return {name: m.actions for name, m in macros.items()}
