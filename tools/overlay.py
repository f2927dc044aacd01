"""The overlay as the real desktop drives it: one helper process (tools/overlay_window.py) started on first
use and kept for the desktop's life, told what to draw over a pipe, one JSON line a command.

Every command waits for the helper's "ok", sent once the X server has mapped or unmapped the window, so a
capture taken after `hidden()` never shows it (the helper draws only where it is shaped, and apps beneath
get a moment to repaint what it covered).
"""

from __future__ import annotations

import contextlib
import json
import select
import subprocess
import sys
import time
from collections.abc import Iterator

from voxctl.tools.desktop import DesktopError
from voxctl.tools.pointing import Drawing

START_SECONDS = 10.0
REPLY_SECONDS = 5.0
REPAINT_SECONDS = 0.05  # after hiding, before a capture: apps redraw what the overlay covered


class Overlay:
    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._shown: Drawing | None = None
        self._until = 0.0  # monotonic time the helper hides it by itself (0: never)
        self._ready = False

    @property
    def shown(self) -> bool:
        if self._shown is not None and self._until and time.monotonic() >= self._until:
            self._shown = None
        return self._shown is not None

    def _read_line(self, seconds: float) -> str:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], seconds)
        line = proc.stdout.readline().decode().strip() if ready else ""
        if not line:
            self.close()
            raise DesktopError("the overlay window did not answer (is Tk installed and the display reachable?)")
        return line

    def start(self) -> None:
        """Start the helper now without waiting for it (it loads Tk while the caller reads the screen)."""
        if self._proc is None or self._proc.poll() is not None:
            try:
                self._proc = subprocess.Popen([sys.executable, "-m", "voxctl.tools.overlay_window"],
                                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              stderr=subprocess.DEVNULL, close_fds=True)
            except OSError as e:
                raise DesktopError(f"cannot start the overlay window: {e}") from None
            self._ready = False

    def _send(self, command: dict[str, object]) -> None:
        self.start()
        assert self._proc is not None and self._proc.stdin is not None
        if not self._ready:
            self._read_line(START_SECONDS)  # "ready"
            self._ready = True
        try:
            self._proc.stdin.write(json.dumps(command).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError:
            self.close()
            raise DesktopError("the overlay window went away") from None
        self._read_line(REPLY_SECONDS)

    def show(self, drawing: Drawing, timeout: float) -> None:
        self._send({"op": "show", **drawing.to_json(), "timeout": timeout})
        self._shown = drawing
        self._until = time.monotonic() + timeout if timeout > 0 else 0.0

    def hide(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._send({"op": "hide"})
        self._shown = None

    @contextlib.contextmanager
    def hidden(self) -> Iterator[None]:
        """Hidden for the block (a screenshot, OCR), then shown again as it was, for the time it had left."""
        if not self.shown:
            yield
            return
        drawing, until = self._shown, self._until
        self.hide()
        time.sleep(REPAINT_SECONDS)
        try:
            yield
        finally:
            left = until - time.monotonic() if until else 0.0
            if drawing is not None and (not until or left > 0):
                self.show(drawing, left)

    def close(self) -> None:
        proc, self._proc, self._shown = self._proc, None, None
        if proc is not None:
            with contextlib.suppress(OSError):
                if proc.stdin:
                    proc.stdin.close()  # the helper exits at the end of its input
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout:
                proc.stdout.close()
