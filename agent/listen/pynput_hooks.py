"""Where there is no X11 grab (Windows, macOS, an X server without XInput 2): pynput's platform hooks
that can swallow an event, so the chord's last key does not reach the focused app.

Not exercised by the tests here (Linux only); what remains unsuppressed is listed in the README.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from voxctl.agent.listen.hotkey import key_name

if TYPE_CHECKING:
    from voxctl.agent.listen.hotkey import HotkeyListener


def suppressing_hooks(listener: HotkeyListener) -> dict[str, Any]:
    """pynput's platform hooks that can swallow an event, so the chord's last key does not reach the app.

    Windows (win32_event_filter) and macOS (darwin_intercept, which needs the accessibility permission):
    the non-modifier key of a chord is swallowed while the chord's modifiers are down; the modifiers
    themselves pass (the app sees Ctrl and Alt go down and up). Not exercised here (no such machines)."""
    chords = [c for c in (listener.chord, listener.stop_chord) if c]

    def swallow(name: str | None) -> bool:
        return name is not None and any(
            name in c and name not in ("ctrl", "alt", "shift", "win") and (c - {name}) <= listener._down
            for c in chords)

    if sys.platform == "win32":
        from pynput.keyboard import Key, KeyCode

        by_vk = {k.value.vk: key_name(k) for k in Key if getattr(k.value, "vk", None) is not None}

        def win32_filter(msg: int, data: Any) -> Any:
            name = by_vk.get(data.vkCode) or key_name(KeyCode.from_vk(data.vkCode))
            if swallow(name):
                listener.handle(name, msg in (0x100, 0x104))  # WM_KEYDOWN, WM_SYSKEYDOWN
                listener._listener.suppress_event()
            return True

        return {"win32_event_filter": win32_filter}
    if sys.platform == "darwin":
        from pynput.keyboard import Key, KeyCode

        by_vk = {k.value.vk: key_name(k) for k in Key if getattr(k.value, "vk", None) is not None}

        def darwin_intercept(event_type: Any, event: Any) -> Any:
            import Quartz

            vk = Quartz.CGEventGetIntegerValueField(event, Quartz.kCGKeyboardEventKeycode)
            name = by_vk.get(vk) or key_name(KeyCode.from_vk(vk))
            if event_type in (Quartz.kCGEventKeyDown, Quartz.kCGEventKeyUp) and swallow(name):
                listener.handle(name, event_type == Quartz.kCGEventKeyDown)
                return None
            return event

        return {"darwin_intercept": darwin_intercept}
    return {}
