"""Running a ready plan from the command line (`voxctl exec`): show it, confirm when needed, execute, report."""

from __future__ import annotations

import sys

from agent.config import Config
from agent.context import make_context, make_desktop
from agent.executor import execute
from agent.macros import MacroError
from tools.base import Risk
from tools.registry import ActionPlan, risk_of


def describe_call(c) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in c.args.model_dump(exclude_defaults=True).items())
    return f"{c.tool}({args})"


def run_plan(plan: ActionPlan, config: Config, dry_run: bool = False, yes: bool = False) -> int:
    desktop = make_desktop(config, dry_run=dry_run)
    try:
        ctx = make_context(config, desktop)
    except MacroError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    if len(plan.actions) > config.policy.max_actions:
        print(f"voxctl: the plan has {len(plan.actions)} actions, more than policy.max_actions "
              f"({config.policy.max_actions}); nothing was run", file=sys.stderr)
        return 3
    ask = {Risk.parse(t) for t in config.policy.confirm_tiers}
    risky = [c for c in plan.actions if risk_of(c, ctx.macros) in ask]
    for c in plan.actions:
        print(f"  {str(risk_of(c, ctx.macros)):6} {describe_call(c)}")
    if risky and not yes and not dry_run:
        if not sys.stdin.isatty():
            print("voxctl: the plan has actions that need confirmation; pass --yes to approve. Nothing was run.",
                  file=sys.stderr)
            return 3
        answer = input(f"Run {len(risky)} action(s) that need confirmation? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("cancelled; nothing was run")
            return 1
    report = execute(list(plan.actions), ctx)
    if dry_run:
        print("dry run — would run:")
        for line in desktop.describe():  # type: ignore[attr-defined]
            print(f"  {line}")
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1
