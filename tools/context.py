"""What a tool may use while it runs: the desktop and the user's settings it needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from voxctl.tools.base import ToolError
from voxctl.tools.desktop import Desktop


@dataclass
class ToolContext:
    desktop: Desktop
    # Spoken app name -> command line ("terminal" -> "xterm").
    app_aliases: Mapping[str, str] = field(default_factory=dict)
    screenshot_dir: Path = field(default_factory=lambda: Path.home() / "Pictures" / "voxctl")
    # Seconds between primitives' actions, so apps can react.
    pause: float = 0.0


def fail(tool: str, message: str) -> ToolError:
    return ToolError(tool=tool, message=message)
