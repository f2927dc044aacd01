"""The timing wrappers of `voxctl bench e2e` (agent/benchmarks/e2e.py): per-utterance timestamps (`_Clock`),
a dry-run desktop that marks its first primitive, and the interpreter and transcriber adding up the time of
their calls (`ms`).
"""

from __future__ import annotations

import threading
import time
from typing import Any


class _Clock:
    """Per-utterance timestamps, written by the graph's updates and the desktop's first primitive."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, time.perf_counter())


def _timed_desktop(clock: _Clock) -> Any:
    from voxctl.tools.dryrun import DryRunDesktop

    class TimedDesktop(DryRunDesktop):
        def _record(self, name: str, **kw: Any) -> None:
            clock.mark("primitive")
            super()._record(name, **kw)

    return TimedDesktop()


class _TimedInterpreter:
    """The interpreter, timing its `interpret` calls (`ms`)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.ms = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def interpret(self, utterance: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.inner.interpret(utterance)
        finally:
            self.ms += (time.perf_counter() - t0) * 1000


class _Counting:
    """The transcriber, adding up the compute time it spends (`ms`)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.ms = 0.0
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _timed(self, name: str, *a: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return getattr(self.inner, name)(*a, **kw)
        finally:
            with self._lock:
                self.ms += (time.perf_counter() - t0) * 1000

    # Every decoding counts: the first reading, and the second look's (N best, forced scoring, full window).
    def transcribe(self, audio: Any, *a: Any, **kw: Any) -> Any:
        return self._timed("transcribe", audio, *a, **kw)

    def nbest(self, audio: Any, *a: Any, **kw: Any) -> Any:
        return self._timed("nbest", audio, *a, **kw)

    def score(self, audio: Any, *a: Any, **kw: Any) -> Any:
        return self._timed("score", audio, *a, **kw)

    def transcribe_full(self, audio: Any, *a: Any, **kw: Any) -> Any:
        return self._timed("transcribe_full", audio, *a, **kw)
