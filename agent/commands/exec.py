"""`voxctl exec PLAN.json`: validate a plan and run it through the agent graph, entering at validate
(policy, confirmation, audit log as for speech; with --dry-run, show what would run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from agent.config import Config


def read_plan_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    return Path(source).read_text(encoding="utf-8")


def run(args: Any, config: Config) -> int:
    from agent.runner import run_plan
    from tools.registry import validate_plan

    try:
        text = read_plan_text(args.plan)
    except (OSError, UnicodeDecodeError) as e:
        print(f"voxctl: cannot read plan {args.plan}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return 2
    plan, problems = validate_plan(text)
    if plan is None:
        print(f"voxctl: the plan is not valid; nothing was run ({len(problems)} problem(s)):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 2
    return run_plan(plan, config, dry_run=args.dry_run, yes=args.yes)
