"""What a tool may use while it runs: the desktop, the user's settings it needs, and a way to run sub-plans."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.base import Outcome, ToolError
from tools.desktop import Desktop

if TYPE_CHECKING:
    from tools.registry import ToolCall


@dataclass
class ToolContext:
    desktop: Desktop
    # Spoken app name -> command line ("terminal" -> "xterm").
    app_aliases: Mapping[str, str] = field(default_factory=dict)
    # Macro name -> its actions (already validated ToolCalls).
    macros: Mapping[str, list[Any]] = field(default_factory=dict)
    screenshot_dir: Path = field(default_factory=lambda: Path.home() / "Pictures" / "voxctl")
    # Set by the executor so run_macro can run steps through the same guarded path.
    run_calls: Callable[[list[ToolCall]], list[Outcome]] | None = None
    # Seconds between primitives' actions, so apps can react.
    pause: float = 0.0
    # How deep we are in nested macros; guards against a macro that calls itself.
    depth: int = 0


def fail(tool: str, message: str) -> ToolError:
    return ToolError(tool=tool, message=message)
