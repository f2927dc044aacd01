"""Runs a validated plan's actions in order through the registry, stopping at the first failure.

Returns an `ExecutionReport` value: what ran, what failed, what never ran, and whether the
emergency stop cut it short. The stop is the one signal allowed to travel as an exception
(`EmergencyStop`, not an `Exception`); it is caught here and turned into the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from voxctl.tools.base import EmergencyStop, Outcome, ToolError
from voxctl.tools.context import ToolContext
from voxctl.tools.registry import dispatch


@dataclass(frozen=True)
class ExecutionReport:
    outcomes: list[Outcome] = field(default_factory=list)
    not_run: list[Any] = field(default_factory=list)
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.stopped and not self.not_run and all(o.ok for o in self.outcomes)

    def lines(self) -> list[str]:
        out = []
        for o in self.outcomes:
            out.append(f"  ok    {o.tool}: {o.output}" if o.ok else f"  FAIL  {o.tool}: {o.message}")
        if self.stopped:
            out.append("  STOP  emergency stop: nothing more was run")
        for c in self.not_run:
            out.append(f"  skip  {c.tool}")
        return out


def run_calls(
    calls: list[Any],
    ctx: ToolContext,
    on_outcome: Callable[[int, Any, Outcome], None] | None = None,
    on_start: Callable[[int, Any], None] | None = None,
) -> list[Outcome]:
    """Run calls in order until one fails; EmergencyStop propagates. Macros were expanded into their
    steps before (agent/macros.py): a `run_macro` here fails without running anything.

    `on_start(i, call)` runs just before call i (the agent records durable progress there). The stop is
    looked at before each call, and by the guarded desktop before each primitive and between the small
    steps of a long one (typed characters, scroll notches)."""
    outcomes: list[Outcome] = []
    check = getattr(ctx.desktop, "check", None)  # the guard's stop check (tools/guard.py), where there is one
    for i, c in enumerate(calls):
        if callable(check):
            check()  # before each call: a tool that reads the screen first does not start after a stop
        if on_start is not None:
            on_start(i, c)
        o = dispatch(c, ctx)
        outcomes.append(o)
        if on_outcome is not None:
            on_outcome(i, c, o)
        if isinstance(o, ToolError):
            break
        if ctx.pause and i + 1 < len(calls):
            ctx.desktop.sleep(ctx.pause)
    return outcomes


def execute(
    calls: list[Any],
    ctx: ToolContext,
    on_outcome: Callable[[int, Any, Outcome], None] | None = None,
    on_start: Callable[[int, Any], None] | None = None,
) -> ExecutionReport:
    outcomes: list[Outcome] = []

    def record(i: int, c: Any, o: Outcome) -> None:
        outcomes.append(o)
        if on_outcome is not None:
            on_outcome(i, c, o)

    try:
        run_calls(calls, ctx, record, on_start)
    except EmergencyStop:
        return ExecutionReport(outcomes, list(calls[len(outcomes):]), stopped=True)
    return ExecutionReport(outcomes, list(calls[len(outcomes):]))
