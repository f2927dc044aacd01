"""The talk chord's state machine: key events in, start/stop/stop-chord callbacks out on a dispatcher
thread, with the talk chord suppressed while voxctl types. A part of `HotkeyListener`
(agent/listen/hotkey.py), which feeds it the keys.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

SUPPRESS_TAIL_S = 0.3


class ChordState:
    """`HotkeyListener.suppress`/`suppressed`, `handle` (one key event) and the dispatcher (`_dispatch`,
    `wait_talk`)."""

    # -- suppression ---------------------------------------------------------------------------------
    @property
    def suppress(self) -> bool:
        return self._suppress_depth > 0 or time.monotonic() < self._quiet_until

    @suppress.setter
    def suppress(self, on: bool) -> None:
        with self._cond:
            if on:
                self._suppress_depth += 1
            elif self._suppress_depth > 0:
                self._suppress_depth -= 1
                self._quiet_until = time.monotonic() + SUPPRESS_TAIL_S

    @contextlib.contextmanager
    def suppressed(self) -> Iterator[None]:
        """While voxctl types (a plan executes), the talk chord starts nothing."""
        self.suppress = True
        try:
            yield
        finally:
            self.suppress = False

    # -- key handling (also the entry point for tests of the state machine) --------------------------
    def handle(self, name: str | None, pressed: bool, at: float | None = None) -> None:
        """One key event by canonical name; `at` is when it happened (time.monotonic(); default now)."""
        if name is None:
            return
        with self._cond:
            self._event_at = time.monotonic() if at is None else at
            was_down = name in self._down
            if pressed:
                self._down.add(name)
            else:
                self._down.discard(name)
            if pressed and not was_down:  # auto-repeat presses of a held key are not new presses
                if self.stop_chord and name in self.stop_chord and self.stop_chord <= self._down:
                    self._events.put("stop_chord")
                if name in self.chord and self.chord <= self._down:
                    self._chord_completed()
            elif not pressed and self.mode == "hold" and self.active and name in self.chord:
                self._set_active(False)

    def _chord_completed(self) -> None:
        if self.mode == "toggle" and self.active:
            self._set_active(False)  # stopping is always allowed, even while suppressed
        elif not self.active and not self.suppress:
            self._set_active(True)

    def _set_active(self, on: bool) -> None:
        self.active = on
        if on:
            self.started_at = self._event_at
        self._events.put("start" if on else "stop")

    def _dispatch(self) -> None:
        while (event := self._events.get()) is not None:
            cb = {"start": self.on_start, "stop": self.on_stop, "stop_chord": self.on_stop_chord}[event]
            try:
                if cb is not None:
                    cb()
            finally:
                if event == "stop":
                    with self._cond:
                        self._cycles += 1
                        self._cond.notify_all()

    def wait_talk(self, timeout: float | None = None) -> bool:
        """Block until the next complete press-and-release of the talk chord (its on_stop has run).

        For voice confirmation: the caller's on_start/on_stop record the answer as usual; this only
        says when it is there. False on timeout.
        """
        with self._cond:
            target = self._cycles + 1
            return self._cond.wait_for(lambda: self._cycles >= target, timeout)
