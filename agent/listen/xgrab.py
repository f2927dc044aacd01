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
"""

from __future__ import annotations

import functools
import os
import queue
import select
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

# Canonical key names (tools/keys.py) -> X keysym names: the one table the grabber needs.
KEYSYMS: dict[str, tuple[str, ...]] = {
    "ctrl": ("Control_L", "Control_R"), "alt": ("Alt_L", "Alt_R", "Meta_L", "Meta_R"),
    "shift": ("Shift_L", "Shift_R"), "win": ("Super_L", "Super_R"),
    "enter": ("Return", "KP_Enter"), "tab": ("Tab",), "escape": ("Escape",), "backspace": ("BackSpace",),
    "delete": ("Delete",), "space": ("space",), "up": ("Up",), "down": ("Down",), "left": ("Left",),
    "right": ("Right",), "home": ("Home",), "end": ("End",), "pageup": ("Prior",), "pagedown": ("Next",),
    "insert": ("Insert",), "capslock": ("Caps_Lock",), "printscreen": ("Print",), "menu": ("Menu",),
    "minus": ("minus",), "plus": ("plus",), "equals": ("equal",), "comma": ("comma",), "period": ("period",),
    "slash": ("slash",), "backslash": ("backslash",), "semicolon": ("semicolon",), "quote": ("apostrophe",),
    "backtick": ("grave",), "leftbracket": ("bracketleft",), "rightbracket": ("bracketright",),
    **{f"f{i}": (f"F{i}",) for i in range(1, 13)},
}
MODIFIER_KEYS = ("ctrl", "alt", "shift", "win")
XTEST_MARK = "XTEST"  # the X server names its synthetic devices "Virtual core XTEST keyboard/pointer"


class GrabError(Exception):
    """The keys cannot be grabbed (a chord X cannot grab, a key another program holds); str() is one line."""


class NoXInput(GrabError):
    """The X server lacks XInput 2: the caller may watch the keys instead."""


@dataclass(frozen=True)
class KeyEvent:
    key: str | None  # canonical name; None for a key voxctl has no name for
    pressed: bool
    repeat: bool  # X auto-repeat of a held key
    synthetic: bool  # sent through XTEST by some program, not typed on a keyboard
    modifiers: frozenset[str]  # modifier keys down before this event
    at: float  # time.monotonic() when the X server saw the key
    grabbed: bool  # a press that activated one of our passive grabs (on_key's answer matters)


def is_synthetic(device_name: str) -> bool:
    """Whether a slave device is XTEST's (every key xdotool, pyautogui or pynput's controller sends)."""
    return XTEST_MARK in device_name


@functools.cache
def _by_keysym() -> dict[int, str]:
    """X keysym -> canonical key name (KEYSYMS turned round, plus letters and digits)."""
    from Xlib import XK

    table = {XK.string_to_keysym(c): c for c in "abcdefghijklmnopqrstuvwxyz0123456789"}
    table.update({XK.string_to_keysym(sym): key for key, syms in KEYSYMS.items() for sym in syms})
    table.pop(0, None)
    return table


def _key_names(keysym: int) -> str | None:
    return _by_keysym().get(keysym)


def _lock_variants(lock_masks: Iterable[int]) -> list[int]:
    """Every combination of the lock modifiers (CapsLock, NumLock, ScrollLock), so they do not matter."""
    combos = [0]
    for m in lock_masks:
        combos += [c | m for c in combos]
    return combos


class XGrabber:
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

    # -- events (the grabber's thread) ---------------------------------------------------------------
    def _loop(self) -> None:
        fd = self.d.fileno()
        while self._running:
            try:
                while self.d.pending_events():
                    event = self.d.next_event()
                    try:
                        self._event(event)
                    except self.error.XError:  # a request about a device or window that just went away
                        pass
                ready, _, _ = select.select([fd, self._wake_r], [], [], 0.5)
            except (OSError, self.error.ConnectionClosedError):  # the X server went away: nothing left to grab
                return
            if self._wake_r in ready:
                os.read(self._wake_r, 64)
            while not self._calls.empty():
                fn, reply = self._calls.get_nowait()
                try:
                    reply.put(fn())
                except Exception as e:  # handed back to the caller's thread
                    reply.put(e)

    def _names(self, state: int) -> frozenset[str]:
        return frozenset(k for k in MODIFIER_KEYS if state & self._masks.get(k, 0))

    def _event(self, ev: Any) -> None:
        xi = self.xi
        if getattr(ev, "extension", None) != self.opcode:
            return
        data = ev.data
        if ev.evtype == xi.RawKeyPress:
            name = _key_names(self.d.keycode_to_keysym(data.detail, 0))
            if self.on_typed is not None and name is not None and (len(name) == 1 or name in ("space", "backspace")):
                self.on_typed(is_synthetic(self.devices.get(data.sourceid, "")))
            return
        if ev.evtype not in (xi.KeyPress, xi.KeyRelease):
            return
        pressed = ev.evtype == xi.KeyPress
        source = self.devices.get(data.sourceid)
        if source is None:  # a keyboard plugged in since start
            self.devices = {d.deviceid: str(d.name) for d in self.d.xinput_query_device(xi.AllDevices).devices}
            source = self.devices.get(data.sourceid, "")
        event = KeyEvent(key=_key_names(self.d.keycode_to_keysym(data.detail, 0)), pressed=pressed,
                         repeat=bool(data.flags & xi.KeyRepeat), synthetic=is_synthetic(source),
                         modifiers=self._names(data.mods.base_mods | data.mods.latched_mods),
                         at=self._mono(data.time), grabbed=False)
        if pressed and not event.repeat:
            # This press may have activated (and frozen) a passive grab: it is always answered. For a press
            # that arrives during an active grab XIAllowEvents has no effect, and the key is ours anyway.
            event = replace(event, grabbed=True)
        take = True
        try:
            take = bool(self.on_key(event))
        finally:
            if event.grabbed:
                self._allow(display=self.d.display, opcode=self.opcode, time=self.X.CurrentTime, deviceid=self.keyboard,
                            event_mode=xi.AsyncDevice if take else xi.ReplayDevice)
                self.d.flush()


def _allow_events_request(rq: Any) -> Any:
    """XIAllowEvents (XI 2.0 form), which python-xlib lacks: thaws a keyboard a sync grab froze."""

    class XIAllowEvents(rq.Request):
        _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(53), rq.RequestLength(), rq.Card32("time"),
                             rq.Card16("deviceid"), rq.Card8("event_mode"), rq.Pad(1))

    return XIAllowEvents
