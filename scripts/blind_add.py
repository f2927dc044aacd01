"""Check a blind set written by a helper (scripts/blind_prompt.txt) and add it to tests/data/blind/.

    python scripts/blind_add.py /tmp/blind_67/set.jsonl probe67

Every line needs "say", "plan", "cat" and "window"; every plan and `alt` plan must validate against the action
contract (tools/registry.py), with "*" (any value is right) standing for a valid value of its argument. A line
that fails is named on stderr and left out (its words are seen then: for a held-out set, drop it unread otherwise).
Register the set in agent/benchmarks/blind.py and read it once (scripts/bench_blind.py) before changing anything
from it. Exit 0 when at least one line was written, 2 when none could be.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# A valid stand-in for "*" by argument name: validation only (blind.right reads "*" as any value)
_ANY = {"amount": 3, "pixels": 50, "repeat": 1, "times": 1, "seconds": 1.0, "x": 10, "y": 10, "to_x": 10, "to_y": 10,
        "from_x": 10, "from_y": 10, "label": 1, "to_label": 2, "count": 1, "cells": [5], "keys": ["enter"]}


def _stand_in(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**step, "args": {k: (_ANY.get(k, "x") if v == "*" else v) for k, v in step.get("args", {}).items()}}
            for step in plan]


def problems(line: dict[str, Any]) -> list[str]:
    """What is wrong with one helper line; [] when it is a line of a blind set."""
    from voxctl.tools.registry import validate_plan

    missing = [f for f in ("say", "plan", "cat", "window") if not isinstance(line.get(f), str | list)]
    if missing:
        return [f"missing {', '.join(missing)}"]
    out = []
    for plan in [line["plan"], *line.get("alt", [])]:
        if plan:
            out += validate_plan({"actions": _stand_in(plan)})[1]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: blind_add.py HELPER_FILE SET_NAME", file=sys.stderr)
        return 2
    source, name = Path(argv[0]), argv[1]
    kept, seen = [], set()
    for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except json.JSONDecodeError as e:
            print(f"{source}:{n}: not JSON ({e.msg})", file=sys.stderr)
            continue
        if wrong := problems(line):
            print(f"{source}:{n}: left out: {'; '.join(wrong)}", file=sys.stderr)
            continue
        if line["say"] in seen:
            print(f"{source}:{n}: left out: said twice", file=sys.stderr)
            continue
        seen.add(line["say"])
        kept.append({k: line[k] for k in ("say", "plan", "cat", "window", "alt") if k in line})
    if not kept:
        print(f"{source}: no line could be kept", file=sys.stderr)
        return 2
    out = ROOT / "tests" / "data" / "blind" / f"{name}.jsonl"
    out.write_text("".join(json.dumps(line) + "\n" for line in kept), encoding="utf-8")
    commands = sum(1 for line in kept if line["plan"])
    print(f"{out.relative_to(ROOT)}: {len(kept)} lines: {commands} commands, {len(kept) - commands} talk")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
