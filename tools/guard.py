"""A desktop wrapper that enforces what code, not the model, decides between primitives:
the emergency stop, the chords a plan may never press, submitting a line in a command window (a
terminal) that nobody confirmed, and the audit of every primitive.

The policy predicts where each action lands before the plan runs (agent/policy.py); this checks the
real window as each primitive that may submit a line runs (tools/submission.py), so a focus that went
elsewhere than predicted (a click, a slow window, alt+tab) cannot run a command unasked."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from voxctl.tools.app_keys import effect_of, may_have_effect
from voxctl.tools.base import EmergencyStop
from voxctl.tools.desktop import Desktop, DesktopError, interruptible
from voxctl.tools.registry import TOOLS
from voxctl.tools.submission import describe, is_command_window, primitive_submits

# Primitives that change the desktop, as the tools declare them (ToolSpec.primitives); reads
# (screen_size, windows, find_text...) pass through unchecked. `sleep` is also the executor's pause.
ACTING = frozenset({"sleep"}).union(*(spec.primitives for spec in TOOLS.values()))


class GuardedDesktop:
    def __init__(
        self,
        inner: Desktop,
        stop: threading.Event | None = None,
        forbidden_chords: Iterable[Iterable[str]] = (),
        on_primitive: Callable[[str, dict[str, Any]], None] | None = None,
        command_windows: Iterable[str] = (),
        submit_confirmed: bool = False,
        confirmed: bool = False,
    ) -> None:
        self.inner = inner
        self.stop = stop or threading.Event()
        self.forbidden = [frozenset(c) for c in forbidden_chords]
        self.on_primitive = on_primitive
        # policy.command_windows; empty = no check. `submit_confirmed`: the person said yes to a decision
        # that named a line submitted in a command window.
        self.command_windows = tuple(command_windows)
        self.submit_confirmed = submit_confirmed
        # The person said yes to this plan: keys that do what cannot be taken back in the app focused when
        # they land (ctrl+enter sends the message in Thunderbird: tools/app_keys.yaml) run only then.
        self.confirmed = confirmed

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
            self._check_submission(name, args, kwargs)
            self._check_effect(name, args, kwargs)
            if name == "sleep":
                return self._sleep(*args, **kwargs)
            record = {"args": [repr(a) for a in args], **{k: repr(v) for k, v in kwargs.items()}}
            try:
                # A long primitive (typing, scrolling, a drag) checks the stop between its small steps.
                with interruptible(self.check):
                    result = attr(*args, **kwargs)
            except EmergencyStop:
                if self.on_primitive is not None:  # it may have acted in part: the audit says so
                    self.on_primitive(name, {**record, "stopped": "during this primitive; it may have acted in part"})
                raise
            if self.on_primitive is not None:
                self.on_primitive(name, record)
            return result

        return guarded

    def _check_submission(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if not self.command_windows or self.submit_confirmed:
            return
        why = primitive_submits(name, args, kwargs)
        if why is None:
            return
        try:
            active = self.inner.active_window() if name != "click" else None
            # A click lands under the pointer, and keys with no active window wherever X sends them:
            # then any window on screen may be the one.
            wins = [active] if active is not None else list(self.inner.windows())
        except Exception as e:  # cannot tell where it lands: do not guess
            raise DesktopError(f"not run: {why}, and the window it would land in cannot be told ({e})") from None
        command = next((w for w in wins if is_command_window(w, self.command_windows)), None)
        if command is not None:
            raise DesktopError(f"not run: {why} in a command window, {describe(command)}, and nobody confirmed "
                               "that; say it again from that window to be asked")

    def _check_effect(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        keys = list(args[0] if args else kwargs.get("keys") or ()) if name == "press" else []
        if self.confirmed or not keys or not may_have_effect(keys):
            return
        try:
            active = self.inner.active_window()
        except Exception as e:  # cannot tell where it lands: do not guess
            raise DesktopError(f"not run: {'+'.join(keys)} cannot be taken back in some apps, and the window it "
                               f"would land in cannot be told ({e})") from None
        why = effect_of(keys, [active.title, *active.wm_class]) if active is not None else None
        if why is not None:
            raise DesktopError(f"not run: {why}, and nobody confirmed that; say it again from that window to be asked")

    def _sleep(self, seconds: float) -> None:
        # A wait is interruptible: the stop must not have to sit out a 30 s pause.
        if self.stop.wait(seconds):
            raise EmergencyStop("stopped by the emergency stop hotkey")
