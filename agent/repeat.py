""""again", "repeat that", "do that three times": the last plan that ran, as the steps of a new plan.

`repeat_last` (tools/meta.py) is replaced at validation by the steps of the newest run in the history
that ran to the end ("done"), as its validate node stored them (macros already expanded), `times` times
over. The new plan then goes through the same budget, policy and confirmation as any other: a high-risk
plan asks again, and a plan grown too long by repeating is refused. It works across `voxctl do` calls
and inside `listen`, since the history is the audit log. A plan that only asked "what can I say" or
"again" with nothing to repeat is not a plan to repeat.
"""

from __future__ import annotations

import json
from typing import Any

from voxctl.agent.audit import AuditLog
from voxctl.tools.registry import validate_action

ORIGIN = "again"  # what the policy and the feedback name as where the repeated steps came from
_LOOK_BACK = 50


class RepeatError(Exception):
    """Nothing to repeat, or a plan that cannot be repeated; str() is the message for the person."""


def asks_repeat(calls: list[Any]) -> bool:
    return any(c.tool == "repeat_last" for c in calls)


def last_plan(audit: AuditLog) -> tuple[str, list[Any]]:
    """(what was said, the steps) of the newest run that ran to the end. Raises RepeatError."""
    with audit.lock:
        rows = audit.conn.execute("SELECT transcript, plan FROM voxctl_runs WHERE status = 'done' AND plan IS NOT "
                                  "NULL ORDER BY started DESC, rowid DESC LIMIT ?", (_LOOK_BACK,)).fetchall()
    for transcript, raw in rows:
        actions = (json.loads(raw) or {}).get("actions") or []
        if not actions:
            continue
        calls = []
        for i, a in enumerate(actions):
            c, problems = validate_action(a, f"actions[{i}]")
            if c is None:
                raise RepeatError(f"the last plan cannot be repeated: {'; '.join(problems)}")
            calls.append(c)
        return transcript or "", calls
    raise RepeatError("nothing has run yet that could be repeated")


def expand(calls: list[Any], audit: AuditLog) -> tuple[list[Any], list[list[str]], str]:
    """The plan `calls` (only repeat_last steps) as the steps it repeats, their origins, and what the
    repeated plan was said as. Raises RepeatError."""
    if any(c.tool != "repeat_last" for c in calls):
        raise RepeatError("say \"again\" or \"repeat that\" on its own, not together with other commands")
    said, steps = last_plan(audit)
    out: list[Any] = []
    for c in calls:
        out += steps * c.args.times
    return out, [[ORIGIN] for _ in out], said
