"""Owning keys on X11: XInput 2 passive grabs on the root window, as xbindkeys and sxhkd own a chord.

A grabbed key never reaches the focused application (holding Ctrl+Alt+Space over a shell typed ~40
`\\xc2\\x80` when the chord was only watched). XInput 2 rather than core XGrabKey, because its events say
which device produced them (`sourceid`): a key sent through XTEST (xdotool, pyautogui, another voxctl)
comes from "Virtual core XTEST keyboard", a key typed on a keyboard from that keyboard's own device.
And XI2 reports auto-repeat as presses flagged KeyRepeat, not as release/press pairs.

Grabs are synchronous: at each grabbed press the keyboard is frozen until `on_key` decides: take the
key (XIAllowEvents AsyncDevice; it stays ours until it is released) or let it through (ReplayDevice: it
goes where it would have gone without the grab, e.g. another program's Enter to its window).
While a grab is active every key event of the keyboard comes here (releases of the chord's modifiers too).

All X requests run on the grabber's own thread and connection; other threads ask through a queue.
The events that thread reads are agent/listen/xgrab_events.py (`GrabberEvents`); key names, keysyms and
`KeyEvent` are agent/listen/xkeys.py.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from voxctl.agent.listen.xgrab_events import GrabberEvents
from voxctl.agent.listen.xkeys import KEYSYMS, MODIFIER_KEYS, KeyEvent, _lock_variants


class GrabError(Exception):
    """The keys cannot be grabbed (a chord X cannot grab, a key another program holds); str() is one line."""


class NoXInput(GrabError):
    """The X server lacks XInput 2: the caller may watch the keys instead."""


class XGrabber(GrabberEvents):
    """`start()`; `grab(chord)` / `ungrab(chord)` from any thread; `close()`.

    `on_key(event) -> bool` runs on the grabber's thread for every key event it receives; for a press
    that activated a grab, True takes the key and False lets it through to the focused window.
    `on_typed(synthetic)` (optional) hears every printable key typed anywhere, grabbed or not."""

    def __init__(self, on_key: Callable[[KeyEvent], bool], on_typed: Callable[[bool], None] | None = None) -> None:
        self.on_key, self.on_typed = on_key, on_typed
        self._calls: queue.Queue[tuple[Callable[[], Any], queue.Queue[Any]]] = queue.Queue()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None
        self._running = False
        self._offset: float | None = None  # monotonic - server ms/1000, smallest seen (see _mono)
        self._grabs: dict[frozenset[str], list[tuple[int, list[int]]]] = {}

    # -- connection ----------------------------------------------------------------------------------
    def start(self) -> XGrabber:
        from Xlib import X, display, error
        from Xlib.ext import xinput
        from Xlib.protocol import rq

        self.X, self.xi, self.error = X, xinput, error
        name = os.environ.get("DISPLAY", "")
        try:
            self.d = display.Display(name or None)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as e:
            raise GrabError(f"cannot reach the X display {name!r} ({e})") from None
        if not self.d.has_extension(xinput.extname):
            self.d.close()
            self.d = None
            raise NoXInput("the X server has no XInput extension")
        self.d.xinput_query_version()  # announces XI 2.0 to the server
        self.opcode = self.d.display.get_extension_major(xinput.extname)
        self.d.ge_add_event_data(self.opcode, xinput.RawKeyPress, rq.Struct(
            rq.Card16("deviceid"), rq.Card32("time"), rq.Card32("detail"), rq.Card16("sourceid")))
        self._allow = _allow_events_request(rq)
        self.root = self.d.screen().root
        self.devices = {dev.deviceid: str(dev.name) for dev in self.d.xinput_query_device(xinput.AllDevices).devices}
        self.keyboard = next((i for i, n in self.devices.items() if n == "Virtual core keyboard"), 3)
        self._masks = self._modifier_masks()
        locks = [self._masks.get(k, 0) for k in ("lock", "numlock", "scrolllock")]
        self._variants = _lock_variants(m for m in dict.fromkeys(locks) if m)
        if self.on_typed is not None:
            self.root.xinput_select_events([(xinput.AllMasterDevices, xinput.RawKeyPressMask)])
        self._calibrate()
        self._running = True
        self._thread = threading.Thread(target=self._loop, name="voxctl-xgrab", daemon=True)
        self._thread.start()
        return self

    def _modifier_masks(self) -> dict[str, int]:
        """Which X modifier bit each named modifier is on this keyboard map (Alt is Mod1 on most, not all)."""
        from Xlib import XK

        X = self.X
        masks = {"shift": X.ShiftMask, "lock": X.LockMask, "ctrl": X.ControlMask}
        wanted = {"alt": ("Alt_L", "Alt_R", "Meta_L"), "win": ("Super_L", "Super_R"), "numlock": ("Num_Lock",),
                  "scrolllock": ("Scroll_Lock",)}
        codes = {k: {self.d.keysym_to_keycode(XK.string_to_keysym(s)) for s in syms} - {0}
                 for k, syms in wanted.items()}
        for index, keycodes in enumerate(self.d.get_modifier_mapping()):
            if index < 3:
                continue
            for k, want in codes.items():
                if k not in masks and want & set(keycodes):
                    masks[k] = 1 << index
        return masks

    def _calibrate(self) -> None:
        """X timestamps are the server's milliseconds; a few round trips (the quickest counts) tie them to
        time.monotonic(). Every key event refines it (see _mono)."""
        X = self.X
        win = self.root.create_window(-10, -10, 1, 1, 0, 0, event_mask=X.PropertyChangeMask)
        atom = self.d.intern_atom("_VOXCTL_TIME")
        for _ in range(3):
            win.change_property(atom, atom, 8, b"t")
            self.d.flush()
            while (ev := self.d.next_event()).type != X.PropertyNotify:
                pass
            self._mono(ev.time)
        win.destroy()
        self.d.flush()

    def _mono(self, server_ms: int) -> float:
        """An X timestamp as time.monotonic(). Each event bounds the offset from above (it arrived after
        it happened); the smallest bound seen is the best estimate. Never later than now."""
        now = time.monotonic()
        bound = now - server_ms / 1000
        if self._offset is None or bound < self._offset or bound - self._offset > 3600:  # first, better, or wrapped
            self._offset = bound
        return min(now, server_ms / 1000 + self._offset)

    def close(self) -> None:
        if self._thread is not None:
            self._running = False
            os.write(self._wake_w, b"x")
            self._thread.join(2.0)
            self._thread = None
        fds, self._wake_r, self._wake_w = (self._wake_r, self._wake_w), -1, -1
        for fd in fds:
            if fd >= 0:
                os.close(fd)
        if getattr(self, "d", None) is not None:
            try:
                self.d.close()  # closing the connection releases every grab it holds
            except Exception:  # already gone with the server
                pass
            self.d = None

    # -- grabs (any thread) --------------------------------------------------------------------------
    def _call(self, fn: Callable[[], Any]) -> Any:
        if self._thread is None or threading.current_thread() is self._thread:
            return fn()
        reply: queue.Queue[Any] = queue.Queue()
        self._calls.put((fn, reply))
        os.write(self._wake_w, b"c")
        result = reply.get(timeout=5)
        if isinstance(result, Exception):
            raise result
        return result

    def grab(self, chord: frozenset[str], label: str = "") -> None:
        """Own `chord` (modifiers plus one key, or modifiers only) whatever CapsLock/NumLock say."""
        order = {m: i for i, m in enumerate(MODIFIER_KEYS)}
        self._call(lambda: self._grab(chord, label or "+".join(sorted(chord, key=lambda k: (order.get(k, 9), k)))))

    def ungrab(self, chord: frozenset[str]) -> None:
        self._call(lambda: self._ungrab(chord))

    def _grab(self, chord: frozenset[str], label: str) -> None:
        from Xlib import XK

        xi = self.xi
        mods = [k for k in chord if k in MODIFIER_KEYS]
        keys = [k for k in chord if k not in MODIFIER_KEYS]
        if len(keys) > 1:
            raise GrabError(f"{label}: X11 can own a chord of modifiers and one key, not {len(keys)} keys")
        if any(m not in self._masks for m in mods):
            raise GrabError(f"{label}: this keyboard map has no {', '.join(m for m in mods if m not in self._masks)}")
        # Modifiers only: each modifier key is the trigger, with the others held.
        triggers = [(k, [m for m in mods if m != k]) for k in (keys or mods)]
        done: list[tuple[int, list[int]]] = []
        for key, held in triggers:
            mask = 0
            for m in held:
                mask |= self._masks[m]
            variants = [mask | v for v in self._variants]
            syms = KEYSYMS.get(key, (key,))
            codes = {self.d.keysym_to_keycode(XK.string_to_keysym(s)) for s in syms} - {0}
            if not codes:
                raise GrabError(f"{label}: the keyboard map has no {key} key")
            for code in sorted(codes):
                reply = self.root.xinput_grab_keycode(self.keyboard, self.X.CurrentTime, code, xi.GrabModeSync,
                                                      xi.GrabModeAsync, False, xi.KeyPressMask | xi.KeyReleaseMask,
                                                      variants)
                done.append((code, variants))
                if reply.modifiers:  # the combinations another client already holds
                    for c, v in done:
                        self.root.xinput_ungrab_keycode(self.keyboard, c, v)
                    self.d.sync()
                    raise GrabError(f"{label} is already taken by another program (another voxctl, or a desktop "
                                    "shortcut): choose another chord in config.yaml")
        self._grabs[chord] = done
        self.d.sync()

    def _ungrab(self, chord: frozenset[str]) -> None:
        for code, variants in self._grabs.pop(chord, []):
            self.root.xinput_ungrab_keycode(self.keyboard, code, variants)
        self.d.sync()


def _allow_events_request(rq: Any) -> Any:
    """XIAllowEvents (XI 2.0 form), which python-xlib lacks: thaws a keyboard a sync grab froze."""

    class XIAllowEvents(rq.Request):
        _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(53), rq.RequestLength(), rq.Card32("time"),
                             rq.Card16("deviceid"), rq.Card8("event_mode"), rq.Pad(1))

    return XIAllowEvents
