"""What `voxctl listen` loads at start-up instead of on the first command.

Several parts of the command path load on first use, so that a command-line call that never needs them
never pays: the recogniser's encoding of padding alone (one full-window encoding, listen/window.py), the
first decodings' allocations (greedy, N best, forced scoring, the full window), the silence gate's
model, the grammar's nominations for the second look, and the understanding model's sentence encoder
(~1.5 s, ~100 MB). In `voxctl listen` the first command would pay for all of them after the key is let
go (measured: ~0.7 s more for a first command the grammar reads, ~2 s more for one it cannot;
docs/BENCHMARKS.md). `WarmUp(interpreter).start()` loads them on a thread while the recorder, the
hotkeys and the agent graph are set up; `wait()` joins it and says what it cost, for the banner.
"""

from __future__ import annotations

import threading
import time
from typing import Any


class WarmUp:
    def __init__(self, interpreter: Any) -> None:
        self.interpreter = interpreter
        self.seconds: float | None = None
        self.error: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> WarmUp:
        self._thread = threading.Thread(target=self._run, name="voxctl-warm-up", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        warm = getattr(self.interpreter, "warm", None)
        t0 = time.perf_counter()
        try:
            if warm is not None:
                warm()
        except Exception as e:  # the first command loads what is missing (and says what fails then)
            text = str(e).strip()
            self.error = text.splitlines()[0] if text else type(e).__name__
        self.seconds = time.perf_counter() - t0

    def wait(self) -> str:
        """Joins the warm-up; one line for the banner."""
        if self._thread is not None:
            self._thread.join()
        if getattr(self.interpreter, "warm", None) is None:
            return "nothing to load ahead (this backend loads on first use)"
        if self.error:
            return f"failed ({self.error}); the first command loads what it needs"
        from voxctl.agent.listen.heap import rss_mb

        return f"models loaded ahead in {self.seconds or 0:.1f} s (RSS {rss_mb():.0f} MB)"
