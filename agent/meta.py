"""Commands about voxctl itself (tools/meta.py), answered at the validate node before anything is judged.

"what can I say" ends the run with its answer (agent/help.py) as the summary, which the feedback shows and,
with `feedback.speak`, says; so do "start recording <name>" and "stop recording" (agent/recording.py).
"again" / "repeat that" / "do that N times" becomes the steps it repeats (agent/repeat.py), which from
there on are judged and run like any plan.
"""

from __future__ import annotations

from typing import Any

from voxctl.agent import repeat
from voxctl.tools.registry import ActionPlan

ANSWERED = frozenset({"list_commands", "start_recording", "stop_recording"})


def answer_itself(plan: ActionPlan, agent: Any, thread_id: str
                  ) -> dict[str, Any] | tuple[ActionPlan, list[list[str]]]:
    """The graph state update that ends the run (the answer, or why it cannot be), or the plan to judge
    from here on with the origins of its steps (empty: nothing was replaced)."""
    calls = list(plan.actions)
    tools = {c.tool for c in calls}  # type: ignore[attr-defined]
    if tools & ANSWERED:
        if len(calls) != 1:
            return {"status": "invalid", "problems": [f"say \"{plan.transcript or calls[0].tool}\" on its own, "
                                                      "not together with other commands"]}
        call = calls[0]
        if call.tool == "list_commands":
            from voxctl.agent.help import commands_for

            try:
                active = agent.desktop.active_window()
            except Exception:  # no display: the commands for no window in particular
                active = None
            return {"status": "answered", "summary": commands_for(agent.session, active)}
        if agent.dry_run:
            return {"status": "nothing", "summary": "a dry run records no macro"}
        if call.tool == "start_recording":
            return {"status": "answered", "summary": agent.recorder.start(call.args.name, thread_id)}
        saved, said = agent.recorder.stop(agent.macros_file)
        return {"status": "answered", "summary": said} if saved else {"status": "error", "problems": [said]}
    if "repeat_last" not in tools:
        return plan, []
    try:
        steps, origins, _ = repeat.expand(calls, agent.audit)
    except repeat.RepeatError as e:
        return {"status": "invalid", "problems": [str(e)]}
    return plan.model_copy(update={"actions": steps}), origins
