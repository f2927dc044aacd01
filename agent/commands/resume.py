"""`voxctl resume [ID] [--yes | --no] [--window ID|TITLE]`: finish a run an earlier voxctl process left
unfinished.

Without ID it lists such runs (not those a live voxctl process is still running or asking about). A run
paused at its confirmation is answered (asking, or --yes/--no); a run cut off while executing carries on
from where it stopped: actions that ran are never repeated, and the one that was running when the process
died is repeated only if that is harmless (see agent/durable.py).

Three checks come before anything runs:
- the run is claimed (agent/lease.py): one held by a live process is refused, naming it (exit 4);
- a dry run's approval stays a dry run: such a run carries on against the recording desktop;
- the approval holds only in the window it was given for (agent/approval.py): when that window is gone or
  not active, resume says so and runs nothing (exit 1) until `--window ID|TITLE` names the window to act
  in; voxctl focuses it first, and a window other than the approved one is judged again by the policy.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from voxctl.agent.config import Config

HELD = 4  # exit code: another live voxctl process holds the run (documented in agent/cli.py's epilog)


def fail(message: str, code: int) -> int:
    print(f"voxctl: {message}", file=sys.stderr)
    return code


def run(args: Any, config: Config) -> int:
    from voxctl.agent import approval
    from voxctl.agent.audit import AuditLog, history_path
    from voxctl.agent.graph import Agent
    from voxctl.agent.macros import MacroError

    dry_run = False
    if args.id:  # a dry run's approval never becomes a real one: it carries on as a dry run
        log = AuditLog(history_path(config))
        place = approval.bound(log, args.id)
        log.close()
        dry_run = place is not None and place.desktop == approval.DRY_RUN
    try:
        agent = Agent(config, dry_run=dry_run)
    except MacroError as e:
        return fail(str(e), 2)
    try:
        if not args.id:
            return list_runs(agent)
        return resume(agent, args, config)
    finally:
        agent.close()


def list_runs(agent: Any) -> int:
    from voxctl.agent import approval

    runs = agent.audit.unfinished()
    live = [e for e in runs if agent.leases.holder(e.thread_id) is not None]
    shown = [e for e in runs if e not in live]
    if not shown:
        print("nothing is left unfinished")
    for e in shown:
        place = approval.bound(agent.audit, e.thread_id)
        window = f"  in {place.window!r}" if place is not None and place.window else ""
        print(f"{e.thread_id}  {e.status:9}  {e.transcript!r}{window}")
    if live:
        print(f"({len(live)} more still running or asking in a live voxctl process; not shown)")
    return 0


def resume(agent: Any, args: Any, config: Config) -> int:
    from voxctl.agent.answers import Answer
    from voxctl.agent.feedback import Feedback
    from voxctl.agent.lease import LeaseHeld
    from voxctl.agent.runner import (
        answer_pending,
        cli_sources,
        exit_code,
        fixed_asker,
        interactive_asker,
        pending,
    )

    tid = args.id
    try:
        agent.leases.claim(tid)  # before looking: whoever claims first is the only one to run it
    except LeaseHeld as e:
        return fail(f"{e}; nothing was done here", HELD)
    entry = agent.audit.get(tid)
    if entry is None or not agent.paused_at(tid):
        return fail(f"{tid}: no unfinished run with that id (see voxctl resume)", 2)
    feedback = Feedback(config.feedback)
    if agent.dry_run:
        feedback.note(f"{tid} was a dry run: it carries on as one, nothing is touched")
    if not args.no:  # refusing needs no window; anything else acts, so it must act where it was approved
        problem, code = where(agent, tid, args.window)
        if problem:
            return fail(problem, code)
    if args.yes or args.no:  # --no on a paused confirmation answers no
        asker = fixed_asker(Answer(bool(args.yes), "--yes" if args.yes else "--no"))
    else:
        asker = interactive_asker(config, feedback, cli_sources(config, agent, feedback))
    if pending(agent, tid) is None:  # cut off while executing: carrying on is an action, so ask for --yes
        if not args.yes:
            return fail(f"{tid} was cut off while running ({entry.transcript!r}); "
                        "pass --yes to carry on where it stopped", 1)
        feedback.note(f"carrying on with {tid} ({entry.transcript!r}) where it stopped")
        agent.carry_on(tid, on_update=feedback.on_update)
    final = answer_pending(agent, tid, asker, feedback)
    if agent.dry_run and hasattr(agent.desktop, "describe"):
        for line in agent.desktop.describe():
            feedback.note(f"  would have done: {line}")
    return exit_code(final.get("status", ""))


def where(agent: Any, tid: str, window: str | None) -> tuple[str, int]:
    """('', 0) when the run's approval holds here (after focusing `window`, if named); else one line saying
    why not, and the exit code."""
    from voxctl.agent import approval

    place = approval.bound(agent.audit, tid)
    if window:
        win, why = approval.find_window(agent.desktop, window)
        if win is None:
            return f"{tid}: --window: {why}; nothing was run", 1
        if place is None or (win.id, win.title) != (place.window_id, place.window):
            refused = judged_again(agent, tid, win.title)
            if refused:
                return f"{tid}: the policy refuses it in {win.title!r}: {refused}; nothing was run", 3
        try:
            agent.desktop.activate(win)
        except Exception as e:  # DesktopError: the window went, the window manager did not follow
            return f"{tid}: cannot focus {win.id} {win.title!r}: {e}; nothing was run", 1
        approval.record(agent.audit, tid, approval.Place(approval.desktop_name(agent.dry_run), win.id, win.title),
                        "--window")
        place = approval.bound(agent.audit, tid)
    problem = approval.mismatch(place, agent.desktop, agent.dry_run)
    if problem is None:
        return "", 0
    hint = "" if place is not None and place.desktop != approval.desktop_name(agent.dry_run) else \
        "; focus it, or pass --window ID|TITLE to say where to run it"
    return f"{tid}: {problem}; nothing was run{hint}", 1


def judged_again(agent: Any, tid: str, title: str) -> str:
    """The policy's reasons to refuse the run's plan in a window titled `title` ('' when it would not)."""
    from voxctl.tools.registry import validate_plan

    values = agent.values(tid)
    plan, _ = validate_plan(values.get("plan") or {})
    if plan is None:
        return "the plan is not valid"
    recent = agent.audit.executed_since(time.time() - 60)
    decision = agent.policy.decide(plan, title, recent, values.get("origins"))
    return "; ".join(decision.reasons) if decision.verdict == "deny" else ""
