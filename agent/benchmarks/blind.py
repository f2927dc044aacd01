"""Blind phrasing sets: commands and talk written by people who never read the grammar (tests/data/blind/).

Each set was written by a helper who saw only the tools and their arguments (docs/ACTIONS.md's tools table
and the edit actions' chords), never grammar.yaml, the model's data or another set, as a new user would speak:
terse, polite, indirect, with fillers, chains, dictation, pointing, as a developer, a person with no use of
their hands, someone scripting routines, a second-language speaker. `probe1`-`probe4` were read to find what to
fix (dev); `heldout` was not: only its totals are reported (docs/BENCHMARKS.md, "Blind phrasing sets").

A line is {"say", "plan", "cat", "alt"?, "window"?}: `window` the focused window's title when it is said (an app's
own actions follow it: "reply" is ctrl+r in Thunderbird; none: no window known); `plan` [] for talk; "*" for an argument any value of which is right;
press_keys with `repeat` N equals N single presses; a window title, an app name or a click target is right when
one holds the other ("firefox" / "Mozilla Firefox"); typed text is compared without case and punctuation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from voxctl.agent.benchmarks.interpret import plain

BLIND = Path(__file__).resolve().parents[2] / "tests" / "data" / "blind"
DEV_SETS = ("probe1", "probe2", "probe3", "probe4", "probe5", "probe6", "probe7", "probe8", "probe9", "probe10", "probe11", "probe12", "probe13", "probe14", "probe15", "probe16", "probe17", "probe19", "probe20", "probe21", "probe22", "probe23", "probe24", "probe25", "probe26", "probe27", "probe28", "probe29", "probe30", "probe31", "probe32", "probe33", "probe34", "probe35", "probe36", "probe37", "probe38", "probe39", "probe40", "probe41", "probe42", "probe43", "probe44", "probe45", "probe46", "probe47", "probe48", "probe49", "probe50", "probe51", "probe52", "probe53", "probe54", "probe55", "probe56", "probe57", "probe58", "probe59", "probe60", "probe61", "probe62", "probe63", "probe64", "probe65", "probe66", "probe67", "probe68", "probe69", "probe70")
HELDOUT_SETS = ("heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout_shell")  # measured, their misses never shown (heldout2: blind set 18)
_NAMES = ("title", "name", "target")


def load(name: str) -> list[dict[str, Any]]:
    """The lines of tests/data/blind/<name>.jsonl."""
    path = BLIND / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def desktop(name: str, most: int) -> list[str]:
    """The windows the user of set `name` has open: the `most` titles its lines are said in most often (a user's
    desktop holds the apps of their day; the lines name them: "switch to teams" where a Teams window is open)."""
    counts: dict[str, int] = {}
    for line in load(name):
        if title := line.get("window", ""):
            counts[title] = counts.get(title, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))[:most]


def macros(names: Iterable[str]) -> dict[str, Any]:
    """The macros of the user of the sets `names`: the spoken set's ("standup"), and every macro a line of those sets
    runs or deletes by name ("run my morning routine macro"), recorded by this user (its steps do not matter to a
    plan: the plan runs it by name). Per set: each set's macro names reach the recogniser's hint, and a common word
    as a name ("morning", "cleanup") changes what it hears."""
    from voxctl.agent.benchmarks.devset import macros as spoken_macros
    from voxctl.agent.macros import Macro
    from voxctl.tools.registry import call

    book = dict(spoken_macros())
    for name in names:
        for line in load(name):
            for step in line["plan"]:
                if step["tool"] in ("run_macro", "delete_macro") and (macro := step["args"]["name"]) not in book:
                    book[macro] = Macro(macro, [call("press_keys", keys=["enter"])])
    return book


def _expand(actions: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """press_keys with repeat N as N presses: "press tab twice" is right as one action or as two; and grid
    narrowings one after another as one ("seven then three" narrows to 7, then 3: cells [7, 3])."""
    out: list[tuple[str, dict[str, Any]]] = []
    for tool, args in actions:
        n = args.get("repeat", 1)
        if tool == "press_keys" and isinstance(n, int) and n > 1:
            out += [(tool, {**args, "repeat": 1})] * n
        elif tool == "grid_narrow" and out and out[-1][0] == "grid_narrow" and isinstance(args.get("cells"), list) \
                and isinstance(out[-1][1].get("cells"), list):
            out[-1] = (tool, {**args, "cells": [*out[-1][1]["cells"], *args["cells"]]})
        else:
            out.append((tool, args))
    return out


def _default(tool: str, arg: str) -> Any:
    from voxctl.tools.registry import TOOLS

    field = TOOLS[tool].args.model_fields.get(arg)
    return None if field is None or field.is_required() else field.default


def _same(tool: str, arg: str, got: Any, want: Any) -> bool:
    if want == "*":
        return True
    if arg == "keys":
        return [str(k).lower() for k in got] == [str(k).lower() for k in want]
    if arg == "cells":
        cells = want if isinstance(want, list) else list(str(want).replace(" ", ""))
        return [int(c) for c in got] == [int(c) for c in cells]
    if arg == "url" and isinstance(got, str) and isinstance(want, str):
        from voxctl.tools.web import web_address

        return (web_address(got) or got).rstrip("/").lower() == (web_address(want) or want).rstrip("/").lower()
    if isinstance(got, str) and isinstance(want, str):
        a, b = plain(got), plain(want)
        return a == b or (arg in _NAMES and bool(a) and bool(b) and (a in b or b in a))
    if isinstance(got, float) or isinstance(want, float):
        return got is not None and want is not None and abs(float(got) - float(want)) < 1e-6
    return bool(got == want)


def right(actions: list[Any], line: dict[str, Any]) -> bool:
    """Whether the validated tool calls `actions` are the line's plan or one of its `alt` plans."""
    got = _expand((a.tool, a.args.model_dump(mode="json")) for a in actions)
    for plan in [line["plan"], *line.get("alt", [])]:
        want = _expand((w["tool"], w.get("args", {})) for w in plan)
        if len(got) == len(want) and all(
                t == wt and not set(wa) - set(ga)
                and all(_same(t, k, v, wa.get(k, _default(t, k))) for k, v in ga.items())
                for (t, ga), (wt, wa) in zip(got, want, strict=True)):
            return True
    return False


def score(interpreter: Any, lines: list[dict[str, Any]], windows: Iterable[str] = ()) -> dict[str, Any]:
    """Typed: each line through `interpreter` (the hybrid), on a desktop with `windows` open (default: none known).
    Right commands, talk that acted, and every miss."""
    from voxctl.agent.utterance import ScreenState, Utterance

    commands = acting = ok = 0
    misses = []
    by_source: dict[str, int] = {}  # right commands by the part that made their plan (grammar, understand, ...)
    for line in lines:
        plan = interpreter.interpret(Utterance.from_text(line["say"], ScreenState(
            active_window=line.get("window", ""), window_titles=tuple(windows))))
        if line["plan"]:
            commands += 1
            good = right(plan.actions, line)
            ok += good
            if good:
                by_source[plan.source] = by_source.get(plan.source, 0) + 1
        else:
            good = not plan.actions
            acting += not good
        if not good:
            misses.append({"say": line["say"], "heard": plan.transcript, "cat": line.get("cat", ""), "source": plan.source,
                           "got": [a.model_dump(mode="json") for a in plan.actions], "want": line["plan"],
                           "reason": plan.reason or ""})
    return {"commands": commands, "right": ok, "talk": len(lines) - commands, "talk_acting": acting,
            "right_by_source": by_source, "misses": misses}
