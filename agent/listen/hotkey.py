"""The talk chord: hold-to-talk (or toggle) and the emergency-stop chord, from a global pynput listener.

Recording starts when the whole chord is down and, in hold mode, stops when any of its keys goes up.
pynput reports the keys voxctl itself types (XTest) exactly like real ones, so while a plan executes
the caller wraps it in `suppressed()`: chord completions are ignored then and for `SUPPRESS_TAIL_S`
after, because synthetic events reach the listener a little after pyautogui returns. The stop chord
is never suppressed (it exists to interrupt a running plan; voxctl's guard never types it).

Callbacks run on a dispatcher thread of their own, so a slow `on_stop` (the recorder draining its last
block) never delays key handling. `close()` does not hang: pynput's X listener only notices `stop()`
at the next key event, so the RECORD context is also disabled from pynput's second connection.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

Callback = Callable[[], Any] | None
SUPPRESS_TAIL_S = 0.3

# pynput's Key names -> the key names of TOOLS.md / tools.keys.
_PYNPUT_NAMES = {"cmd": "win", "esc": "escape", "page_down": "pagedown", "page_up": "pageup",
                 "caps_lock": "capslock", "print_screen": "printscreen", "alt_gr": "alt"}


class HotkeyError(Exception):
    """The keyboard cannot be watched (no display, no permission); str() is one line."""


def parse_chord(chord: str | Sequence[str]) -> frozenset[str]:
    from tools.keys import normalize_key

    parts = chord.split("+") if isinstance(chord, str) else list(chord)
    names = [normalize_key(p) for p in parts if str(p).strip()]
    if not names or None in names:
        raise ValueError(f"{chord!r} is not a key chord like 'ctrl+alt+space'")
    return frozenset(n for n in names if n)


def key_name(key: Any) -> str | None:
    """The canonical name (tools.keys) of a pynput key object, or None for keys voxctl has no name for."""
    from tools.keys import normalize_key

    name = getattr(key, "name", None)  # pynput.keyboard.Key members
    if name:
        base = name.removesuffix("_l").removesuffix("_r")
        base = _PYNPUT_NAMES.get(name, _PYNPUT_NAMES.get(base, base))
        return normalize_key(base)
    char = getattr(key, "char", None)
    if char:
        if len(char) == 1 and ord(char) < 32:  # ctrl+letter arrives as a control character on some systems
            char = chr(ord(char) + 96)
        return normalize_key(char.lower())
    vk = getattr(key, "vk", None)
    if isinstance(vk, int) and 32 < vk < 127:  # X keysyms of ASCII keys are their code points
        return normalize_key(chr(vk).lower())
    return None


class HotkeyListener:
    """Watches the keyboard for the talk chord (and the stop chord). `start()`, then `close()`."""

    def __init__(
        self,
        chord: str | Sequence[str],
        mode: str = "hold",
        on_start: Callback = None,
        on_stop: Callback = None,
        stop_chord: str | Sequence[str] | None = None,
        on_stop_chord: Callback = None,
    ) -> None:
        if mode not in ("hold", "toggle"):
            raise ValueError(f"mode must be 'hold' or 'toggle', not {mode!r}")
        self.chord = parse_chord(chord)
        self.stop_chord = parse_chord(stop_chord) if stop_chord else None
        self.mode = mode
        self.on_start, self.on_stop, self.on_stop_chord = on_start, on_stop, on_stop_chord
        self.active = False  # a recording is running (between on_start and on_stop)
        self._down: set[str] = set()
        self._suppress_depth = 0
        self._quiet_until = 0.0
        self._cond = threading.Condition()
        self._cycles = 0  # completed start->stop cycles, for wait_talk()
        self._events: queue.Queue[str | None] = queue.Queue()
        self._listener: Any = None
        self._dispatcher: threading.Thread | None = None

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
    def handle(self, name: str | None, pressed: bool) -> None:
        """One key event by canonical name."""
        if name is None:
            return
        with self._cond:
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

    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> HotkeyListener:
        try:
            from pynput import keyboard
        except Exception as e:  # pynput raises ImportError with a long hint when there is no display
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise HotkeyError(f"cannot watch the keyboard: {first}") from None
        self._dispatcher = threading.Thread(target=self._dispatch, name="voxctl-hotkey", daemon=True)
        self._dispatcher.start()
        self._listener = keyboard.Listener(
            on_press=lambda k, *_: self.handle(key_name(k), True),
            on_release=lambda k, *_: self.handle(key_name(k), False),
        )
        self._listener.daemon = True
        self._listener.start()
        self._listener.wait()  # returns once the listener receives events
        return self

    def __enter__(self) -> HotkeyListener:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, timeout: float = 2.0) -> None:
        """Stop listening; returns within `timeout` seconds whatever the keyboard does."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
            # pynput's X backend queues its "disable" on the connection blocked reading events, so it is
            # only sent at the next key event. The same request from its second connection, flushed,
            # ends the read at once (XRecord wants the disable from another connection anyway).
            ctx, disp = getattr(listener, "_context", None), getattr(listener, "_display_stop", None)
            if ctx is not None and disp is not None:
                with contextlib.suppress(Exception):  # already closed: the thread ended by itself
                    disp.record_disable_context(ctx)
                    disp.flush()
            listener.join(timeout)
        if self._dispatcher is not None:
            self._events.put(None)
            self._dispatcher.join(timeout)
            self._dispatcher = None
