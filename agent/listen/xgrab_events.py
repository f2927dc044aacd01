"""The X key grabber's thread (agent/listen/xgrab.py): its loop over the X connection and the calls other
threads queue, and each XInput 2 key event turned into a `KeyEvent` for `on_key`, the frozen keyboard
then let go (taken or replayed). A part of `XGrabber`.
"""

from __future__ import annotations

import os
import select
from dataclasses import replace
from typing import Any

from voxctl.agent.listen.xkeys import MODIFIER_KEYS, KeyEvent, _key_names, is_synthetic


class GrabberEvents:
    """`XGrabber._loop` (the grabber's thread), `_names` and `_event`."""

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
