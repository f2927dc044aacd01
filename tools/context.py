"""What a tool may use while it runs: the desktop and the user's settings it needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voxctl.tools.base import ToolError
from voxctl.tools.desktop import Desktop

if TYPE_CHECKING:
    from voxctl.tools.journal import Journal
    from voxctl.tools.meta import MacrosEditor


@dataclass
class ToolContext:
    desktop: Desktop
    # Spoken app name -> command line ("terminal" -> "xterm").
    app_aliases: Mapping[str, str] = field(default_factory=dict)
    screenshot_dir: Path = field(default_factory=lambda: Path.home() / "Pictures" / "voxctl")
    # Seconds between primitives' actions, so apps can react.
    pause: float = 0.0
    # What voxctl typed, for "scratch that" (tools/journal.py); None where nothing keeps one.
    journal: Journal | None = None
    # The user's macros file, for delete_macro (tools/meta.py); None where it may not be changed (dry run).
    macros_file: MacrosEditor | None = None


def fail(tool: str, message: str) -> ToolError:
    return ToolError(tool=tool, message=message)
