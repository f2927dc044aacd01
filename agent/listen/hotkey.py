"""The talk chord: hold-to-talk (or toggle) and the emergency-stop chord, owned globally.

Recording starts when the whole chord is down and, in hold mode, stops when any of its keys goes up.
On X11 the chords are grabbed (agent/listen/xgrab.py: XInput 2 passive grabs on the root window), so
they never reach the focused application and their auto-repeat is recognised and ignored; a chord that
another program already holds is a one-line HotkeyError. Elsewhere (Windows, macOS, or an X server
without XInput 2) a global pynput listener watches the keys and, where pynput offers a hook
(win32_event_filter, darwin_intercept), swallows the chord's last key; what remains is in the README.

While a plan executes the caller wraps it in `suppressed()`: chord completions are ignored then and
for `SUPPRESS_TAIL_S` after (a watched chord also sees the keys voxctl types itself). The stop chord
is never suppressed (it exists to interrupt a running plan; voxctl's guard never types it).

Callbacks run on a dispatcher thread of their own, so a slow `on_stop` (the recorder draining its last
block) never delays key handling. `started_at` is when the chord was completed (the X server's time of
the key press where there is one), for the recorder's pre-roll. `close()` does not hang: pynput's X
listener only notices `stop()` at the next key event, so its RECORD context is also disabled from
pynput's second connection.

The key events' state machine (suppression, chord completion, the dispatcher) is
agent/listen/hotkey_state.py (`ChordState`); chords and key names are agent/listen/chords.py.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from voxctl.agent.listen.chords import _is_button, key_name, parse_chord
from voxctl.agent.listen.hotkey_state import ChordState

Callback = Callable[[], Any] | None


class HotkeyError(Exception):
    """The keyboard cannot be watched (no display, no permission); str() is one line."""


class HotkeyListener(ChordState):
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
        self._grabber: Any = None
        self._dispatcher: threading.Thread | None = None
        self._event_at = 0.0
        self.started_at = 0.0  # time.monotonic() when the chord that started the recording was complete
        self.backend = ""  # "x11 grab" | "pynput"
        self.button = next(iter(self.chord)) if len(self.chord) == 1 and _is_button(self.chord) else None
        self._mouse: Any = None


    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> HotkeyListener:
        """Own the chords (X11 grab) or watch for them (pynput). Raises HotkeyError with one line."""
        self._dispatcher = threading.Thread(target=self._dispatch, name="voxctl-hotkey", daemon=True)
        self._dispatcher.start()
        try:
            if uses_x11():
                self._start_grabber()
            else:
                self._start_pynput()
            if self.button is not None and self._talk_wanted:
                self._start_mouse()
        except BaseException:
            self.close()
            raise
        return self

    @property
    def _talk_wanted(self) -> bool:
        # A one-shot command only wants the stop chord: it must not take the talk chord from `listen`.
        return self.on_start is not None or self.on_stop is not None

    def _start_grabber(self) -> None:
        from voxctl.agent.listen.xgrab import GrabError, NoXInput, XGrabber

        grabber = XGrabber(self._on_x_key)
        try:
            grabber.start()
        except NoXInput:  # an old or unusual X server: watch the keys instead (they are not owned)
            grabber.close()
            self._start_pynput()
            return
        except GrabError as e:
            grabber.close()
            raise HotkeyError(f"cannot own the hotkey: {e}") from None
        self._grabber = grabber
        try:
            if self._talk_wanted and self.button is None:
                grabber.grab(self.chord)
            if self.stop_chord:
                grabber.grab(self.stop_chord)
        except GrabError as e:
            raise HotkeyError(f"cannot own the hotkey: {e}") from None
        self.backend = "x11 grab"

    def _on_x_key(self, event: Any) -> bool:
        """A grabbed key (or any key while a grab is active): always ours; auto-repeat changes nothing."""
        if event.repeat:
            return True
        with self._cond:  # the modifiers as the X server saw them: releases outside a grab are not seen
            for m in ("ctrl", "alt", "shift", "win"):
                (self._down.add if m in event.modifiers else self._down.discard)(m)
        self.handle(event.key, event.pressed, event.at)
        return True

    def _start_pynput(self) -> None:
        try:
            from pynput import keyboard

            from voxctl.agent.listen.pynput_hooks import suppressing_hooks
        except Exception as e:  # pynput raises ImportError with a long hint when there is no display
            raise HotkeyError(f"cannot watch the keyboard: {_first_line(e)}") from None
        try:
            self._listener = keyboard.Listener(
                on_press=lambda k, *_: self.handle(key_name(k), True),
                on_release=lambda k, *_: self.handle(key_name(k), False),
                **suppressing_hooks(self),
            )
            self._listener.daemon = True
            self._listener.start()
            self._listener.wait()  # returns once the listener receives events
        except Exception as e:  # DisplayNameError('') and the like: one line, not a traceback
            raise HotkeyError(f"cannot watch the keyboard: {_first_line(e)}") from None
        self.backend = "pynput"

    def _start_mouse(self) -> None:
        """A mouse button as the talk key: watched with pynput (the click also reaches the app under the
        pointer: pick a button apps ignore, such as an extra side button or a pedal's)."""
        try:
            from pynput import mouse
        except Exception as e:
            raise HotkeyError(f"cannot watch the mouse: {_first_line(e)}") from None
        names = {"left": "button1", "middle": "button2", "right": "button3"}

        def on_click(x: int, y: int, button: Any, pressed: bool) -> None:
            name = getattr(button, "name", "")
            self.handle(names.get(name, name), pressed)

        self._mouse = mouse.Listener(on_click=on_click)
        self._mouse.daemon = True
        self._mouse.start()
        self._mouse.wait()

    def __enter__(self) -> HotkeyListener:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, timeout: float = 2.0) -> None:
        """Stop listening; returns within `timeout` seconds whatever the keyboard does."""
        grabber, self._grabber = self._grabber, None
        if grabber is not None:
            grabber.close()  # closing its connection releases the grabs
        for listener in (self._mouse, self._listener):
            if listener is None:
                continue
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
        self._mouse = self._listener = None
        if self._dispatcher is not None:
            self._events.put(None)
            self._dispatcher.join(timeout)
            self._dispatcher = None


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def uses_x11() -> bool:
    """Whether keys are grabbed through X11: on Linux/BSD, with DISPLAY (VOXCTL_HOTKEY=pynput: never).
    Raises HotkeyError (one line) on Linux without a display."""
    if os.environ.get("VOXCTL_HOTKEY") == "pynput" or sys.platform in ("win32", "darwin"):
        return False
    if not os.environ.get("DISPLAY"):
        raise HotkeyError("cannot watch the keyboard: no X display (DISPLAY is not set); run voxctl in an X11 "
                          "session (Wayland: set DISPLAY to an XWayland display, which reaches X11 apps only)")
    return True
