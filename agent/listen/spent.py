"""Recognition time by step, for the benchmarks: `Transcriber.spent` (asr.py) adds up what each step of
a reading cost, and why a reading was read again; `voxctl bench e2e` takes it per command."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NOTES_KEPT = 200  # the newest reasons kept between two take()s (a benchmark takes them after every command)


class Spent:
    """Recognition time by step, in ms, and why a reading was read again: `take()` gives what was spent
    since the last take (the benchmarks' per-command breakdown). Steps: short (the first reading), loop
    (the loop check's reads of the audio's parts), reread (the padded window), full (the 30 s window),
    nbest, score (forced scoring)."""

    def __init__(self) -> None:
        self._ms: dict[str, float] = {}
        # bounded: only the benchmarks take() them, and a listening session reads unsure speech all day
        self._notes: collections.deque[str] = collections.deque(maxlen=NOTES_KEPT)
        self._lock = threading.Lock()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            with self._lock:
                self._ms[name] = self._ms.get(name, 0.0) + (time.perf_counter() - t0) * 1000

    def note(self, text: str) -> None:
        with self._lock:
            self._notes.append(text)

    def take(self) -> dict[str, Any]:
        with self._lock:
            out = {"ms": {k: round(v, 1) for k, v in self._ms.items()}, "notes": list(self._notes)}
            self._ms.clear()
            self._notes.clear()
        return out
