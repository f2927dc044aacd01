"""Commands about voxctl itself, answered by the agent graph rather than the desktop.

`repeat_last` ("again", "repeat that", "do that three times") is replaced at validation by the steps of
the last plan that ran, repeated (agent/repeat.py), so the policy judges those very steps again: a
high-risk plan asks again. `list_commands` ("what can I say") is answered with the commands that fit the
active window (agent/help.py). "start recording <name>" and "stop recording" record a macro by voice
(agent/recording.py). Like `run_macro`, these never run as such: one that reaches execution was not
replaced, and is refused. `delete_macro` does run, after the confirmation its high risk asks for, on the
macros file the agent lends it (`ToolContext.macros_file`).
"""

from __future__ import annotations

from typing import Protocol

from pydantic import Field

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext, fail


class RepeatLast(Args):
    """Run the last plan that ran again, `times` times over ("again", "do that three times")."""

    times: int = Field(default=1, ge=1, le=10)


class ListCommands(Args):
    """Show (and, with spoken feedback, say) the commands that can be said in the active window."""


_NAME = Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f]+$")


class StartRecording(Args):
    """Start recording a macro called `name`: the commands said next run as usual and are kept, until
    "stop recording" saves them as that macro."""

    name: str = _NAME


class StopRecording(Args):
    """Stop recording and save what ran since "start recording" as the macro (a backup of the file is kept)."""


class DeleteMacro(Args):
    """Delete the user's macro called `name` from the macros file (a backup of the file is kept)."""

    name: str = _NAME


class MacrosEditor(Protocol):
    """The user's macros file, as the agent lends it to `delete_macro` (agent/recording.py)."""

    def delete(self, name: str) -> str:
        """Remove macro `name`; returns what was done. Raises DesktopError."""
        ...


def run_delete(a: DeleteMacro, ctx: ToolContext) -> Outcome:
    if ctx.macros_file is None:
        return fail("delete_macro", "the macros file cannot be changed here (a dry run changes nothing)")
    return ToolResult("delete_macro", ctx.macros_file.delete(a.name))


def _not_replaced(tool: str):  # noqa: ANN202 - a ToolSpec.run
    def run(a: Args, ctx: ToolContext) -> Outcome:
        return fail(tool, f"{tool} is answered by the agent before anything runs; here nothing was run")

    return run


def _say_repeat(a: RepeatLast) -> str:
    return "repeat the last plan" + (f" {a.times} times" if a.times > 1 else "")


SPECS = (
    ToolSpec("repeat_last", RepeatLast, Risk.LOW, _not_replaced("repeat_last"), family="meta",
             examples=("again", "do that three times"), describe=_say_repeat),
    ToolSpec("list_commands", ListCommands, Risk.LOW, _not_replaced("list_commands"), family="meta",
             examples=("what can I say",), describe=lambda a: "list what can be said here"),
    # its name is a new name, said freely: grounded as one (agent/interpret/grounded.py: "me", "it" point, and a name
    # is one phrase, never run on past a sentence end)
    ToolSpec("start_recording", StartRecording, Risk.LOW, _not_replaced("start_recording"), family="meta",
             examples=("start recording standup",), describe=lambda a: f"start recording macro {a.name!r}",
             open_slots={"name": "name"}),
    ToolSpec("stop_recording", StopRecording, Risk.LOW, _not_replaced("stop_recording"), family="meta",
             examples=("stop recording",), describe=lambda a: "stop recording and save the macro"),
    ToolSpec("delete_macro", DeleteMacro, Risk.HIGH, run_delete, family="meta", examples=("delete macro standup",),
             describe=lambda a: f"delete macro {a.name!r} from the macros file"),
)
