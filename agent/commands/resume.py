"""`voxctl resume [ID] [--yes | --no]`: finish a run that an earlier voxctl process left unfinished.

Without ID it lists such runs. A run paused at its confirmation is answered (asking, or --yes/--no);
a run cut off while executing carries on from where it stopped: actions that ran are never repeated,
and the one that was running when the process died is repeated only if that is harmless (see agent/graph.py).
"""

from __future__ import annotations

import sys
from typing import Any

from agent.config import Config


def run(args: Any, config: Config) -> int:
    from agent.confirm import Answer
    from agent.feedback import Feedback
    from agent.graph import Agent
    from agent.macros import MacroError
    from agent.runner import answer_pending, cli_sources, exit_code, fixed_asker, interactive_asker, pending

    try:
        agent = Agent(config)
    except MacroError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    feedback = Feedback(config.feedback, macros=agent.macros)
    try:
        if not args.id:
            runs = agent.audit.unfinished()
            if not runs:
                print("nothing is left unfinished")
            for e in runs:
                print(f"{e.thread_id}  {e.status:9}  {e.transcript!r}")
            return 0
        entry = agent.audit.get(args.id)
        if entry is None or not agent.paused_at(args.id):
            print(f"voxctl: {args.id}: no unfinished run with that id (see voxctl resume)", file=sys.stderr)
            return 2
        if args.yes or args.no:  # --no on a paused confirmation answers no
            asker = fixed_asker(Answer(bool(args.yes), "--yes" if args.yes else "--no"))
        else:
            asker = interactive_asker(config, feedback, cli_sources(config, agent, feedback), agent.macros)
        if pending(agent, args.id) is None:  # cut off while executing: carrying on is an action, so ask for --yes
            if not args.yes:
                print(f"voxctl: {args.id} was cut off while running ({entry.transcript!r}); "
                      "pass --yes to carry on where it stopped", file=sys.stderr)
                return 1
            feedback.note(f"carrying on with {args.id} ({entry.transcript!r}) where it stopped")
            agent.carry_on(args.id, on_update=feedback.on_update)
        final = answer_pending(agent, args.id, asker, feedback)
        return exit_code(final.get("status", ""))
    finally:
        agent.close()
