"""The macro tool: run a named, user-defined sequence of actions (defined in the macros YAML file)."""

from __future__ import annotations

from pydantic import Field

from tools.base import Args, Outcome, Risk, ToolError, ToolResult, ToolSpec
from tools.context import ToolContext, fail

MAX_DEPTH = 4


class RunMacro(Args):
    """Run the user's macro called `name` (a saved sequence of actions)."""

    name: str = Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f]+$")


def find_macro(name: str, macros: dict) -> str | None:
    want = " ".join(name.casefold().split())
    for key in macros:
        if " ".join(key.casefold().split()) == want:
            return key
    return None


def run_macro(a: RunMacro, ctx: ToolContext) -> Outcome:
    key = find_macro(a.name, dict(ctx.macros))
    if key is None:
        known = ", ".join(sorted(ctx.macros)) or "none defined"
        return fail("run_macro", f"no macro called {a.name!r} (known: {known})")
    if ctx.depth >= MAX_DEPTH or ctx.run_calls is None:
        return fail("run_macro", f"macro {key!r} nests too deeply (a macro that runs itself?)")
    outcomes = ctx.run_calls(list(ctx.macros[key]))
    bad = next((o for o in outcomes if isinstance(o, ToolError)), None)
    if bad is not None:
        return fail("run_macro", f"macro {key!r} stopped at step {len(outcomes)}: {bad.message}")
    return ToolResult("run_macro", f"ran macro {key!r} ({len(outcomes)} steps)")


SPECS = (
    ToolSpec("run_macro", RunMacro, Risk.LOW, run_macro, family="macros", examples=("run standup",)),
)
