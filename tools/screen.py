"""Screen and timing tools: take a screenshot, wait."""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import Field

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext


class Screenshot(Args):
    """Save a screenshot of the whole screen as PNG, to `path` or to the screenshots folder."""

    path: str | None = Field(default=None, min_length=1, max_length=255, pattern=r"^[^\x00-\x1f]+$")


class Wait(Args):
    """Pause before the next action, for `seconds` (0.1 to 30)."""

    seconds: float = Field(ge=0.1, le=30)


def run_screenshot(a: Screenshot, ctx: ToolContext) -> Outcome:
    if a.path:
        path = Path(a.path).expanduser()
    else:
        path = ctx.screenshot_dir / time.strftime("screenshot-%Y%m%d-%H%M%S.png")
    if path.suffix.lower() != ".png":
        path = path.with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = ctx.desktop.screenshot(str(path))
    return ToolResult("screenshot", f"saved {saved}", {"path": saved})


def run_wait(a: Wait, ctx: ToolContext) -> Outcome:
    ctx.desktop.sleep(a.seconds)
    return ToolResult("wait", f"waited {a.seconds:g} s")


SPECS = (
    ToolSpec("wait", Wait, Risk.LOW, run_wait, family="screen", examples=("wait two seconds",),
             describe=lambda a: f"wait {a.seconds:g} s", repeatable=True, primitives=frozenset({"sleep"})),
    ToolSpec("screenshot", Screenshot, Risk.LOW, run_screenshot, family="screen",
             examples=("take a screenshot",), repeatable=True, primitives=frozenset({"screenshot"}),
             describe=lambda a: f"take a screenshot{' to ' + a.path if a.path else ''}"),
)
