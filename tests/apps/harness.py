"""Fixtures for the real-desktop tests: the RealDesktop on the shared Xvfb (with openbox), a ToolContext
over it, and real programs to act on (the Tk event logger, xterm) that are cleaned up after each test.

Test modules take the fixtures with `from tests.apps.harness import *` (only the fixtures are exported).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.xdisplay import wait_for
from voxctl.tools.base import Outcome
from voxctl.tools.context import ToolContext
from voxctl.tools.registry import call, dispatch

__all__ = ["ctx", "desktop", "programs"]

APPS = Path(__file__).parent
EVENT_LOGGER = APPS / "event_logger.py"


@dataclass
class LoggerWindow:
    """A running tests/apps/event_logger.py window and the events it logged."""

    proc: subprocess.Popen
    log: Path
    title: str
    ready: dict[str, Any] = field(default_factory=dict)

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        rows = [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [r for r in rows if kind is None or r["event"] == kind]

    def wait(self, kind: str, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Waits until `count` events of `kind` were logged; returns them (fewer on timeout)."""
        wait_for(lambda: len(self.events(kind)) >= count, timeout)
        return self.events(kind)

    def point(self, fx: float = 0.5, fy: float = 0.5) -> tuple[int, int]:
        """A screen point inside the window's client area, as fractions of its size."""
        r = self.ready
        return r["x"] + int(r["w"] * fx), r["y"] + int(r["h"] * fy)


class Programs:
    """Starts real programs for a test and ends them (only those) when it is over."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        self.pids: list[int] = []

    def start(self, argv: list[str]) -> subprocess.Popen:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.append(p)
        return p

    def adopt(self, pid: int) -> None:
        """A process someone else started for this test (open_app), to be ended with the test."""
        self.pids.append(pid)

    def logger(self, title: str, button: str | None = None, geometry: str = "420x300+200+150",
               font_size: int = 0) -> LoggerWindow:
        log = self.tmp / f"events-{len(self.procs)}.jsonl"
        argv = [sys.executable, str(EVENT_LOGGER), str(log), "--title", title, "--geometry", geometry]
        if button:
            argv += ["--button", button, "--font-size", str(font_size)]
        win = LoggerWindow(self.start(argv), log, title)
        if not win.wait("ready", timeout=10):
            err = win.proc.stderr.read().decode() if win.proc.poll() is not None else "still starting"
            raise RuntimeError(f"the Tk event logger {title!r} did not come up: {err}")
        win.ready = win.events("ready")[0]
        return win

    def xterm_cat(self, title: str, out: Path) -> subprocess.Popen:
        """An xterm whose shell copies what is typed into it to `out` (`cat > out`) until Ctrl+D."""
        return self.start(["xterm", "-T", title, "-geometry", "80x12+650+60", "-e", "sh", "-c",
                           f"exec cat > '{out}'"])

    def close(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
            if p.stderr:
                p.stderr.close()
        for pid in self.pids:
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                pass


def run(ctx: ToolContext, tool: str, **args: Any) -> Outcome:
    """One tool call, validated and dispatched through the registry as the agent makes it."""
    return dispatch(call(tool, **args), ctx)


def window_titled(desktop: Any, title: str, timeout: float = 10.0) -> Any:
    """The window with exactly this title, once `desktop` (a Desktop, or tools/x11.X11 on a bare server)
    lists it (None on timeout)."""
    return wait_for(lambda: next((w for w in desktop.windows() if w.title == title), None), timeout)


def wait_gone(desktop: Any, title: str, timeout: float = 5.0) -> bool:
    return bool(wait_for(lambda: all(w.title != title for w in desktop.windows()), timeout))


@pytest.fixture(scope="session")
def desktop(xdisplay, window_manager):
    from voxctl.tools.realdesktop import RealDesktop

    d = RealDesktop()
    d.move(640, 400)
    return d


@pytest.fixture
def ctx(desktop, tmp_path) -> ToolContext:
    desktop.move(640, 400)  # away from the corners (pyautogui's fail-safe) and from earlier tests' spots
    return ToolContext(desktop=desktop, app_aliases={"terminal": "xterm -T voxctl-terminal"},
                       screenshot_dir=tmp_path / "shots")


@pytest.fixture
def programs(tmp_path, xdisplay):
    progs = Programs(tmp_path)
    yield progs
    progs.close()
    time.sleep(0.05)  # let the window manager drop the closed windows before the next test looks
