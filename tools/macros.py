"""The macro tool and the one rule for matching macro names.

`run_macro` is a public tool name (plans and macros files use it), but it never runs as such: the agent
expands every macro into its steps when it validates a plan (agent/macros.py), so the policy, the
confirmation, durable progress and execution all see the same primitive steps. A plan that reaches
execution with a `run_macro` in it was not expanded, and is refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from voxctl.tools.base import Args, Outcome, Risk, ToolSpec
from voxctl.tools.context import ToolContext, fail


class RunMacro(Args):
    """Run the user's macro called `name` (a saved sequence of actions)."""

    name: str = Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f]+$")


def macro_key(name: str) -> str:
    """The one normal form of a macro name: case, `_`, `-` and spacing do not matter
    ("Save_All", "save-all" and "save  all" are the same macro)."""
    return " ".join(name.casefold().replace("_", " ").replace("-", " ").split())


def find_macro(name: str, names: Iterable[str]) -> str | None:
    """The defined name that `name` means, or None."""
    want = macro_key(name)
    return next((key for key in names if macro_key(key) == want), None)


def run_macro(a: RunMacro, ctx: ToolContext) -> Outcome:
    return fail("run_macro", f"macro {a.name!r} was not expanded into its steps before running; nothing was run")


SPECS = (
    ToolSpec("run_macro", RunMacro, Risk.LOW, run_macro, family="macros", examples=("run standup",),
             describe=lambda a: f"run macro {a.name!r}"),
)
