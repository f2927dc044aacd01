"""User macros: a YAML file of named action sequences, validated at start.

    standup:                       # the name: "run standup", "run my standup workflow"
      say: ["start my day"]        # optional extra phrases that run it, said on their own
      actions:
        - {tool: open_app, args: {name: terminal}}
        - {tool: type_text, args: {text: git pull}}
        - {tool: press_keys, args: {keys: [enter]}}

A plain list under the name is the same as `actions:`. Errors name the file, the macro and the problem;
every problem in the file is reported at once. A phrase may run only one macro, a step that runs
another macro must name one defined in the same file, and macros nest at most MAX_DEPTH deep, never in
a cycle. Names match by `tools.macros.macro_key` (case, `_`, `-` and spacing do not matter).

The file is read once per process, into the `Session` (agent/session.py). A plan's `run_macro` steps are
expanded here into the macros' steps when the plan is validated (`MacroBook.expand`), after its size was
measured without building it (`MacroBook.measure`), so a fan-out of macros is refused before it exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voxctl.agent.files import UserFileError, read_yaml
from voxctl.tools.macros import find_macro, macro_key
from voxctl.tools.registry import TOOLS, validate_action

MAX_DEPTH = 4  # macros running macros, counted from the outermost

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
    if not p.is_file():
        raise MacroError(f"{p}: not a regular file")
    try:  # the one reader of a user's YAML file (agent/files.py), as the configuration and the app keys file
        data = read_yaml(p, "macros file") or {}
    except UserFileError as e:
        raise MacroError(str(e)) from None
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


def _cross_problems(p: str | Path, macros: dict[str, Macro]) -> list[str]:
    """Problems between macros: one phrase for two macros, a step that runs a macro nobody defined,
    macros that run each other in a cycle or nest too deep."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for m in macros.values():
        for phrase in dict.fromkeys([macro_key(m.name), *(macro_key(s) for s in m.phrases)]):
            if phrase in owner and owner[phrase] != m.name:
                problems.append(f"{p}: macro {m.name!r}: the phrase {phrase!r} already runs macro {owner[phrase]!r}")
            owner.setdefault(phrase, m.name)
    for m in macros.values():
        for i, c in enumerate(m.actions):
            if c is not None and c.tool == "run_macro" and find_macro(c.args.name, macros) is None:
                problems.append(f"{p}: macro {m.name!r}: actions[{i}] runs macro {c.args.name!r}, "
                                f"which is not defined (known: {', '.join(macros)})")
    if problems:
        return problems
    for m in macros.values():
        if (chain := _too_deep(macros, [m.name])) is not None:
            what = "runs itself" if chain[-1] in chain[:-1] else f"nests macros more than {MAX_DEPTH} deep"
            problems.append(f"{p}: macro {m.name!r}: {what} ({' -> '.join(chain)})")
    return problems


def _too_deep(macros: Mapping[str, Macro], chain: list[str]) -> list[str] | None:
    """A chain of macro names that cycles or exceeds MAX_DEPTH, starting with `chain`; None if there is none."""
    if chain[-1] in chain[:-1] or len(chain) > MAX_DEPTH:
        return chain
    for c in macros[chain[-1]].actions:
        if c is not None and c.tool == "run_macro":
            found = _too_deep(macros, [*chain, find_macro(c.args.name, macros)])  # type: ignore[list-item]
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Size:
    """How big a plan is once its macros are expanded: actions, and primitives (a press's repeats counted)."""

    actions: int
    primitives: int

    def __add__(self, other: Size) -> Size:
        return Size(self.actions + other.actions, self.primitives + other.primitives)


@dataclass(frozen=True)
class Expansion:
    """A plan's steps with every macro replaced by its steps; `origins[i]` names the macros step i came
    from, outermost first (empty for a step given directly)."""

    actions: list[Any]
    origins: list[list[str]]


class MacroBook(Mapping[str, Macro]):
    """The user's macros, by name as written; read-only. Looks names up by `macro_key`."""

    def __init__(self, macros: Mapping[str, Macro] | None = None) -> None:
        self._macros = dict(macros or {})
        self._sizes: dict[str, Size] = {}

    def __getitem__(self, name: str) -> Macro:
        return self._macros[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._macros)

    def __len__(self) -> int:
        return len(self._macros)

    def find(self, name: str) -> Macro | None:
        key = find_macro(name, self._macros)
        return self._macros[key] if key is not None else None

    def table(self) -> dict[str, list[Any]]:
        """name -> steps, as `tools.registry.risk_of` takes it."""
        return {name: m.actions for name, m in self._macros.items()}

    def phrases(self) -> list[str]:
        """What a person says to run them: each name (with _ and - as spaces) and its extra phrases."""
        out: list[str] = []
        for m in self._macros.values():
            out.append(m.name.replace("_", " ").replace("-", " "))
            out.extend(m.phrases)
        return out

    def _macro(self, name: str, chain: tuple[str, ...]) -> Macro:
        m = self.find(name)
        if m is None:
            known = ", ".join(self._macros) or "none defined"
            raise MacroError(f"no macro called {name!r} (known: {known})")
        if m.name in chain or len(chain) >= MAX_DEPTH:
            why = "runs itself" if m.name in chain else f"nests macros more than {MAX_DEPTH} deep"
            raise MacroError(f"macro {chain[0]!r} {why} ({' -> '.join([*chain, m.name])})")
        return m

    def measure(self, calls: Iterable[Any], _chain: tuple[str, ...] = ()) -> Size:
        """The expanded size of `calls`, without expanding them (a macro's size is computed once).
        Raises MacroError for an unknown macro, a cycle or nesting deeper than MAX_DEPTH."""
        total = Size(0, 0)
        for c in calls:
            if c.tool != "run_macro":
                total += Size(1, TOOLS[c.tool].cost_of(c.args))
                continue
            m = self._macro(c.args.name, _chain)
            if m.name not in self._sizes:
                self._sizes[m.name] = self.measure(m.actions, (*_chain, m.name))
            total += self._sizes[m.name]
        return total

    def expand(self, calls: Iterable[Any], _chain: tuple[str, ...] = ()) -> Expansion:
        """`calls` with each `run_macro` replaced by its macro's steps, recursively. Measure first: this
        builds every step. Raises MacroError like `measure`."""
        actions: list[Any] = []
        origins: list[list[str]] = []
        for c in calls:
            if c.tool != "run_macro":
                actions.append(c)
                origins.append(list(_chain))
                continue
            m = self._macro(c.args.name, _chain)
            inner = self.expand(m.actions, (*_chain, m.name))
            actions += inner.actions
            origins += inner.origins
        return Expansion(actions, origins)
