"""`voxctl history [-n N] [--json]`: the audit log's last N utterances, oldest first.

Each entry: when, what was heard (or typed), the plan, the policy's verdict, the answer to the
confirmation, what every action did, and how many desktop primitives ran.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from voxctl.agent.config import Config


def _line(e: Any) -> list[str]:
    from voxctl.agent.feedback import describe_action

    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.started))
    heard = e.transcript or (f"<{e.input}>" if e.input else "")
    out = [f"{when}  {e.status:9}  {heard!r}  [{e.thread_id}]"]
    states = {a.index: a for a in e.actions}
    for i, action in enumerate((e.plan or {}).get("actions", [])):
        row = states.get(i)
        state = row.state if row else "not run"
        msg = f": {row.message}" if row and row.message else ""
        out.append(f"    {i + 1:2}. {state:9} {describe_action(action)}{msg}")
    if e.decision and e.decision.get("verdict") != "run":
        out.append(f"    policy: {e.decision['verdict']} ({'; '.join(e.decision.get('reasons', []))})")
    if e.answer:
        yes = "yes" if e.answer.get("approved") else "no"
        heard_answer = f" {e.answer['heard']!r}" if e.answer.get("heard") else ""
        out.append(f"    answer: {yes} via {e.answer.get('via')}{heard_answer}")
    if e.summary:
        out.append(f"    {e.summary}  ({e.primitives} primitives)")
    return out


def run(args: Any, config: Config) -> int:
    from voxctl.agent.audit import AuditLog, history_path

    if args.last < 1:
        print("voxctl: -n must be at least 1", file=sys.stderr)
        return 2
    path = history_path(config)
    if not path.exists():
        print(f"no history yet ({path})")
        return 0
    log = AuditLog(path)
    try:
        entries = list(reversed(log.recent(args.last)))
    finally:
        log.close()
    if args.json:
        for e in entries:
            print(json.dumps(e.to_json()))
        return 0
    if not entries:
        print(f"no history yet ({path})")
    for e in entries:
        print("\n".join(_line(e)))
    return 0
