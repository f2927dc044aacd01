"""A desktop wrapper that enforces what code, not the model, decides between primitives:
the emergency stop, the chords a plan may never press, and the audit of every primitive."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from tools.base import EmergencyStop
from tools.desktop import Desktop, DesktopError

# Primitives that change the desktop; reads (screen_size, windows, find_text...) pass through unchecked.
ACTING = frozenset({"move", "click", "drag", "scroll", "type_text", "press", "launch", "activate",
                    "close_active", "screenshot", "sleep"})


class GuardedDesktop:
    def __init__(
        self,
        inner: Desktop,
        stop: threading.Event | None = None,
        forbidden_chords: Iterable[Iterable[str]] = (),
        on_primitive: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.inner = inner
        self.stop = stop or threading.Event()
        self.forbidden = [frozenset(c) for c in forbidden_chords]
        self.on_primitive = on_primitive

    def check(self) -> None:
        if self.stop.is_set():
            raise EmergencyStop("stopped by the emergency stop hotkey")

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name not in ACTING:
            return attr

        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.check()
            # A chord that contains voxctl's own (ctrl+alt+shift+space) fires it too: the listener sees a superset.
            if name == "press" and any(f <= frozenset(args[0] if args else kwargs["keys"]) for f in self.forbidden):
                raise DesktopError("that chord is voxctl's own hotkey; a plan may not press it")
            if name == "sleep":
                return self._sleep(*args, **kwargs)
            result = attr(*args, **kwargs)
            if self.on_primitive is not None:
                self.on_primitive(name, {"args": [repr(a) for a in args], **{k: repr(v) for k, v in kwargs.items()}})
            return result

        return guarded

    def _sleep(self, seconds: float) -> None:
        # A wait is interruptible: the stop must not have to sit out a 30 s pause.
        if self.stop.wait(seconds):
            raise EmergencyStop("stopped by the emergency stop hotkey")
