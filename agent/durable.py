"""Executing an approved plan so that no action ever runs twice, even across a crash and a resume.

LangGraph re-runs a node that did not finish, so the execute node keeps its own durable progress in the
audit log (`voxctl_actions`): a row is written *before* each action starts and updated when it ends.
When execute runs again for the same thread (a resume after a crash, `voxctl resume ID --yes`):
- actions recorded `ok` are not run again; their recorded outcome is reused;
- a plan that already ended (an action failed, the emergency stop) ends again without running anything;
- the one action that was in flight when the process died (`started`, no outcome) is uncertain. It is
  run again only if repeating it is harmless (its ToolSpec says `repeatable`: wait, move_mouse,
  focus_window, screenshot); otherwise it is reported "uncertain: not repeated", and the actions after
  it are not run either (they may depend on it).
So an approved action runs at most once, and exactly once unless voxctl died during that very action.
The pause between two actions belongs to neither: a crash there loses nothing.
Nothing runs where the approval does not hold (another desktop, another window: agent/approval.py), and
only the process holding the run's lease executes it (agent/lease.py), so two resumes cannot both run it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from voxctl.agent.audit import ActionRow, AuditLog
from voxctl.agent.executor import execute
from voxctl.tools.base import Outcome
from voxctl.tools.context import ToolContext
from voxctl.tools.registry import TOOLS

UNCERTAIN = "voxctl stopped while this action was running; it may or may not have happened, not repeated"

Row = dict[str, Any]


class Where(Protocol):
    """Where the approval holds (agent/approval.py's Binding)."""

    def problem(self) -> str | None: ...

    def moved(self, index: int) -> None: ...


def outcome_row(index: int, tool: str, state: str, message: str = "") -> Row:
    return {"index": index, "tool": tool, "state": state, "message": message}


def recover(thread_id: str, calls: list[Any], progress: dict[int, ActionRow], audit: AuditLog
            ) -> tuple[list[Row], int, bool]:
    """What an earlier attempt already did: (rows so far, index to go on from, whether the plan is over)."""
    rows: list[Row] = []
    for i, c in enumerate(calls):
        row = progress.get(i)
        if row is None:
            return rows, i, False
        if row.state == "ok":
            rows.append(outcome_row(i, c.tool, "ok", row.message))
            continue
        if row.state == "started" and TOOLS[c.tool].repeatable:  # its repetition changes nothing that matters
            return rows, i, False
        if row.state == "started":
            audit.end_action(thread_id, i, "uncertain", UNCERTAIN)
            row = replace(row, state="uncertain", message=UNCERTAIN)
        rows.append(outcome_row(i, c.tool, row.state, row.message))
        rows += [outcome_row(j, calls[j].tool, "not_run") for j in range(i + 1, len(calls))]
        return rows, len(calls), True
    return rows, len(calls), False


def run_durably(thread_id: str, calls: list[Any], progress: dict[int, ActionRow], audit: AuditLog,
                make_ctx: Callable[[Callable[[str, dict[str, Any]], None]], ToolContext],
                where: Where | None = None) -> tuple[list[Row], list[str]]:
    """Run what is left of `calls`, recording progress; returns (one row per action, problems).

    `make_ctx(on_primitive)` builds the ToolContext; every primitive is written to the audit log.
    `where` (agent/approval.py) says whether the approval holds on this desktop now; if not, nothing runs.
    """
    rows, start, over = recover(thread_id, calls, progress, audit)
    if over or start == len(calls):
        return rows, []
    problem = where.problem() if where is not None else None
    if problem is not None:
        msg = f"not run: {problem}"
        return rows + [outcome_row(i, calls[i].tool, "not_run", msg) for i in range(start, len(calls))], [msg]
    current: dict[str, int | None] = {"i": None}

    def on_start(j: int, c: Any) -> None:
        current["i"] = start + j
        audit.begin_action(thread_id, start + j, c.model_dump(mode="json"))

    def on_outcome(j: int, c: Any, o: Outcome) -> None:
        text = o.output if o.ok else o.message  # type: ignore[union-attr]
        audit.end_action(thread_id, start + j, "ok" if o.ok else "failed", text)
        if where is not None:
            where.moved(start + j)  # the approval now holds where this action left the focus
        rows.append(outcome_row(start + j, c.tool, "ok" if o.ok else "failed", text))

    def on_primitive(name: str, args: dict[str, Any]) -> None:
        audit.primitive(thread_id, current["i"], name, args)

    try:
        ctx = make_ctx(on_primitive)
    except Exception as e:  # no display: nothing ran, say why
        msg = f"cannot reach the desktop: {e}"
        return rows + [outcome_row(i, calls[i].tool, "not_run", msg) for i in range(start, len(calls))], [msg]
    report = execute(calls[start:], ctx, on_outcome, on_start)
    i = current["i"]
    if report.stopped and i is not None and len(rows) <= i:
        # The stop came inside this action (between two of its primitives).
        audit.end_action(thread_id, i, "stopped", "emergency stop during this action")
        rows.append(outcome_row(i, calls[i].tool, "stopped", "emergency stop during this action"))
    rows += [outcome_row(j, calls[j].tool, "not_run") for j in range(len(rows), len(calls))]
    return rows, []
