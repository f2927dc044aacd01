"""One `Session` per process: the configuration and everything derived from it that must not be read
twice, built once and handed to every part (the agent graph, the interpreters, the listen loop, the
commands).

The macros file is read here and nowhere else: the policy judges, the confirmation shows and the executor
runs the very steps this read produced (issue 17.3: a macros file edited after start used to be re-read
at execution, behind the policy's back). Reading it again means starting a new session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voxctl.agent.config import Config
from voxctl.agent.macros import Macro, MacroBook, load_macros

if TYPE_CHECKING:
    from voxctl.agent.interpret.rules import GrammarSpec
    from voxctl.tools.context import ToolContext
    from voxctl.tools.desktop import Desktop
    from voxctl.tools.journal import Journal
    from voxctl.tools.meta import MacrosEditor


def app_aliases(config: Config) -> dict[str, str]:
    """Spoken app name -> command line: the terminal under its spoken names, LibreOffice's parts by their short
    names, then the user's aliases."""
    terminal = config.desktop.terminal
    return {"terminal": terminal, "console": terminal, "shell": terminal, **OFFICE, **config.desktop.app_aliases}


# LibreOffice's parts as people name them: one program, started for each part
OFFICE = {"calc": "libreoffice --calc", "writer": "libreoffice --writer", "impress": "libreoffice --impress"}


@dataclass(frozen=True, eq=False)
class Session:
    config: Config
    macros: MacroBook = field(default_factory=MacroBook)

    @classmethod
    def build(cls, config: Config, macros: MacroBook | Mapping[str, Macro] | None = None) -> Session:
        """The session for `config`, reading its macros file now unless `macros` are given, and its app keys file
        (installed for every part: tools/app_keys.install). Raises MacroError, BindingError."""
        from voxctl.agent.app_keys_file import load_app_keys
        from voxctl.tools.app_keys import install

        if macros is None:
            macros = load_macros(config.interpreter.macros_file)
        install(load_app_keys(config.desktop.app_keys_file))
        return cls(config, macros if isinstance(macros, MacroBook) else MacroBook(macros))

    @classmethod
    def of(cls, value: Session | Config) -> Session:
        """`value` if it is a session; a new one for a bare Config (one-off callers and tests)."""
        return value if isinstance(value, Session) else cls.build(value)

    # --- derived, computed once ------------------------------------------------------------------------
    @cached_property
    def app_aliases(self) -> dict[str, str]:
        return app_aliases(self.config)

    @cached_property
    def hotkeys(self) -> dict[str, str]:
        """voxctl's own chords, which no plan may press."""
        return {"talk": self.config.hotkey.talk, "stop": self.config.hotkey.stop}

    @cached_property
    def grammar(self) -> GrammarSpec:
        """The command grammar (the bundled grammar.yaml, this platform's key bindings), loaded once."""
        from voxctl.agent.interpret.rules import load_grammar

        return load_grammar()

    @cached_property
    def installed_apps(self) -> tuple[str, ...]:
        """The grammar's app names (grammar.yaml `apps`) that this machine lists as apps (grounded.installed:
        a .desktop entry on Linux): the names a person here says. Looked up once (~70 ms)."""
        from voxctl.agent.interpret.grounded import installed

        return tuple(a for a in self.grammar.apps if a not in self.app_aliases and installed(a))

    def vocabulary(self) -> dict[str, list[str]]:
        """The configured apps, then the installed apps the grammar knows, and the macros, as keyword arguments
        for `Transcriber.set_vocabulary` (the recogniser's hint: tiny.en writes "fire flash" for "firefox" and
        "select" for "slack" unless it has the name; docs/BENCHMARKS.md, "Names in the recogniser's hint")."""
        import shutil

        # LibreOffice's short names only where it is installed: a name in the hint moves what short talk is heard as
        apps = [a for a in self.app_aliases if a not in ("console", "shell") and (
            a not in OFFICE or a in self.config.desktop.app_aliases or shutil.which(OFFICE[a].split()[0]))]
        return {"apps": apps + list(self.installed_apps), "macros": self.macros.phrases()}

    # --- what the tools run against --------------------------------------------------------------------
    def make_desktop(self, dry_run: bool = False) -> Desktop:
        if dry_run or self.config.desktop.backend == "dry_run":
            from voxctl.tools.dryrun import DryRunDesktop
            from voxctl.tools.pointing import PointingState

            return DryRunDesktop(pointing=PointingState(timeout=self.config.desktop.overlay_timeout))
        from voxctl.tools.realdesktop import RealDesktop

        return RealDesktop(typing_interval=self.config.desktop.typing_interval,
                           ocr_lang=self.config.desktop.ocr_lang,
                           overlay_timeout=self.config.desktop.overlay_timeout,
                           typing=self.config.desktop.typing,
                           command_windows=tuple(self.config.policy.command_windows))

    def tool_context(self, desktop: Desktop, stop: threading.Event | None = None,
                     on_primitive: Callable[[str, dict[str, Any]], None] | None = None,
                     submit_confirmed: bool = False, journal: Journal | None = None,
                     confirmed: bool = False,
                     macros_file: MacrosEditor | None = None) -> ToolContext:
        """A ToolContext whose desktop is guarded (emergency stop, voxctl's own chords, a line submitted in a
        command window that was not confirmed (`submit_confirmed`: it was), keys an app cannot take back unless
        the person said yes to the plan (`confirmed`), audit callback), and writes
        what it types in `journal` ("scratch that", tools/journal.py)."""
        from voxctl.tools.context import ToolContext
        from voxctl.tools.guard import GuardedDesktop
        from voxctl.tools.journal import JournaledDesktop

        cfg = self.config.desktop
        guarded: Any = GuardedDesktop(desktop, stop, [c.split("+") for c in self.hotkeys.values()], on_primitive,
                                      self.config.policy.command_windows, submit_confirmed, confirmed)
        if journal is not None:
            guarded = JournaledDesktop(guarded, journal)
        return ToolContext(desktop=guarded,
                           app_aliases=self.app_aliases,
                           screenshot_dir=Path(cfg.screenshot_dir).expanduser(),
                           pause=cfg.action_pause if cfg.backend == "real" else 0.0,
                           journal=journal, macros_file=macros_file)
