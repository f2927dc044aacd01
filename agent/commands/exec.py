"""`voxctl exec PLAN.json`: validate a plan and run it through the agent graph, entering at validate
(policy, confirmation, audit log as for speech; with --dry-run, show what would run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from voxctl.agent.config import Config

SHOWN_PROBLEMS = 20  # a plan with 100,000 bad actions is not listed line by line


def read_plan_text(source: str) -> str:
    """The plan's text: standard input for "-", else the file (a pipe too: `exec <(make-plan)`).
    Raises UserFileError."""
    from voxctl.agent.files import MAX_BYTES, UserFileError, read_text

    if source == "-":
        try:
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        except OSError as e:
            raise UserFileError(f"from standard input: {e.strerror or e}") from None
        if len(data) > MAX_BYTES:
            raise UserFileError(f"from standard input: too large (more than {MAX_BYTES // 2**20} MB)")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise UserFileError("from standard input: not UTF-8 text") from None
    return read_text(Path(source), "plan", pipes=True)


def run(args: Any, config: Config) -> int:
    from voxctl.agent.files import UserFileError
    from voxctl.agent.runner import run_plan
    from voxctl.tools.registry import validate_plan

    try:
        text = read_plan_text(args.plan)
    except UserFileError as e:
        print(f"voxctl: cannot read plan {e}", file=sys.stderr)
        return 2
    plan, problems = validate_plan(text)
    if plan is None:
        if len(problems) == 1:
            print(f"voxctl: the plan is not valid; nothing was run: {problems[0]}", file=sys.stderr)
            return 2
        print(f"voxctl: the plan is not valid; nothing was run ({len(problems):,} problems):", file=sys.stderr)
        for p in problems[:SHOWN_PROBLEMS]:
            print(f"  - {p}", file=sys.stderr)
        if len(problems) > SHOWN_PROBLEMS:
            print(f"  ... and {len(problems) - SHOWN_PROBLEMS:,} more", file=sys.stderr)
        return 2
    return run_plan(plan, config, dry_run=args.dry_run, yes=args.yes)
