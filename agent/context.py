"""Builds what the tools run against from the configuration: the desktop backend and the ToolContext."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.config import Config
from agent.macros import load_macros, macro_table
from tools.context import ToolContext
from tools.desktop import Desktop
from tools.guard import GuardedDesktop


def make_desktop(config: Config, dry_run: bool = False) -> Desktop:
    if dry_run or config.desktop.backend == "dry_run":
        from tools.dryrun import DryRunDesktop

        return DryRunDesktop()
    from tools.xdesktop import RealDesktop

    return RealDesktop(
        typing_interval=config.desktop.typing_interval,
        ocr_lang=config.desktop.ocr_lang,
    )


def app_aliases(config: Config) -> dict[str, str]:
    aliases = {"terminal": config.desktop.terminal, "console": config.desktop.terminal,
               "shell": config.desktop.terminal}
    aliases.update(config.desktop.app_aliases)
    return aliases


def hotkey_chords(config: Config) -> list[list[str]]:
    return [config.hotkey.talk.split("+"), config.hotkey.stop.split("+")]


def make_context(
    config: Config,
    desktop: Desktop,
    stop: threading.Event | None = None,
    on_primitive: Callable[[str, dict[str, Any]], None] | None = None,
) -> ToolContext:
    """A ToolContext whose desktop is guarded (emergency stop, forbidden chords, audit callback)."""
    guarded = GuardedDesktop(desktop, stop, hotkey_chords(config), on_primitive)
    return ToolContext(
        desktop=guarded,  # type: ignore[arg-type]
        app_aliases=app_aliases(config),
        macros=macro_table(load_macros(config.interpreter.macros_file)),
        screenshot_dir=Path(config.desktop.screenshot_dir).expanduser(),
        pause=config.desktop.action_pause if config.desktop.backend == "real" else 0.0,
    )
