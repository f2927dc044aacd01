"""The talk chord on a real X server (Xvfb): xdotool holds real keys, pynput's real listener sees them.

Covers hold and toggle mode, the stop chord, the guard (keys voxctl types itself, through pyautogui and
xdotool, never start a recording while suppressed), waiting for a press-and-release (voice
confirmation), and that close() returns at once although pynput's own stop()+join() would hang.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from agent.listen.hotkey import HotkeyListener, parse_chord
from tests.fixtures.xdisplay import wait_for

pytestmark = pytest.mark.display


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=5)


class Events:
    def __init__(self) -> None:
        self.log: list[str] = []

    def cb(self, name: str):
        return lambda: self.log.append(name)


@pytest.fixture
def listener(xdisplay):
    made: list[HotkeyListener] = []

    def make(mode: str = "hold", **kw) -> tuple[HotkeyListener, Events]:
        ev = Events()
        h = HotkeyListener("ctrl+alt+space", mode, on_start=ev.cb("start"), on_stop=ev.cb("stop"),
                           stop_chord="ctrl+alt+period", on_stop_chord=ev.cb("stop_chord"), **kw)
        made.append(h.start())
        return h, ev

    yield make
    for h in made:
        h.close()
    xdo("keyup", "ctrl", "alt", "space", "period")  # never leave a key down for the next test


def test_hold_starts_when_the_whole_chord_is_down_and_stops_on_any_release(listener):
    h, ev = listener("hold")
    xdo("keydown", "ctrl+alt")
    time.sleep(0.3)
    assert ev.log == [] and not h.active, "a partial chord must not start a recording"
    xdo("keydown", "space")
    assert wait_for(lambda: ev.log == ["start"], 3), ev.log
    time.sleep(0.8)  # held past X auto-repeat delay: repeated presses must not restart anything
    assert ev.log == ["start"]
    xdo("keyup", "alt")  # releasing any key of the chord ends it, not only the last one pressed
    assert wait_for(lambda: ev.log == ["start", "stop"], 3), ev.log
    xdo("keyup", "space", "ctrl")
    time.sleep(0.2)
    assert ev.log == ["start", "stop"]


def test_toggle_mode_starts_on_one_press_and_stops_on_the_next(listener):
    h, ev = listener("toggle")
    xdo("key", "ctrl+alt+space")
    assert wait_for(lambda: ev.log == ["start"], 3), ev.log
    time.sleep(0.3)
    assert ev.log == ["start"] and h.active, "releasing must not stop a toggle recording"
    xdo("key", "ctrl+alt+space")
    assert wait_for(lambda: ev.log == ["start", "stop"], 3), ev.log


def test_keys_voxctl_types_while_suppressed_never_start_a_recording(listener):
    import pyautogui

    h, ev = listener("hold")
    with h.suppressed():
        pyautogui.hotkey("ctrl", "alt", "space")  # what RealDesktop.press would send
        xdo("key", "ctrl+alt+space")
        pyautogui.keyDown("ctrl"), pyautogui.keyDown("alt"), pyautogui.keyDown("space")
        pyautogui.keyUp("space"), pyautogui.keyUp("alt"), pyautogui.keyUp("ctrl")
    # Synthetic events arrive after pyautogui returns; the guard covers them for a short tail.
    time.sleep(0.6)
    assert ev.log == [], ev.log
    # The guard is lifted afterwards: the person's chord works again.
    xdo("key", "ctrl+alt+space")
    assert wait_for(lambda: ev.log == ["start", "stop"], 3), ev.log


def test_stop_chord_is_heard_even_while_suppressed(listener):
    h, ev = listener("hold")
    with h.suppressed():
        xdo("key", "ctrl+alt+period")
        assert wait_for(lambda: ev.log == ["stop_chord"], 3), ev.log
    assert "start" not in ev.log


def test_wait_talk_returns_after_one_press_and_release(listener):
    h, ev = listener("hold")
    assert h.wait_talk(timeout=0.3) is False
    result: list[bool] = []
    t = threading.Thread(target=lambda: result.append(h.wait_talk(timeout=5)))
    t.start()
    time.sleep(0.1)
    xdo("keydown", "ctrl+alt+space")
    time.sleep(0.3)
    assert t.is_alive(), "wait_talk must wait for the release, not the press"
    xdo("keyup", "space", "alt", "ctrl")
    t.join(5)
    assert result == [True] and ev.log == ["start", "stop"]


def test_close_returns_at_once_without_a_further_key_event(xdisplay):
    # pynput's own stop() + join() waits for the next key event (measured here: it hangs until one
    # comes); close() must not, whether or not keys were seen, and a new listener must work after it.
    for seen_keys in (False, True, True):
        ev = Events()
        h = HotkeyListener("ctrl+alt+space", on_start=ev.cb("start"), on_stop=ev.cb("stop")).start()
        if seen_keys:
            xdo("key", "ctrl+alt+space")
            assert wait_for(lambda ev=ev: ev.log == ["start", "stop"], 3), ev.log
        inner = h._listener  # pynput's listener thread
        t0 = time.monotonic()
        h.close()
        took = time.monotonic() - t0
        assert took < 0.5, f"close() took {took:.2f} s"
        assert not inner.is_alive(), "pynput's thread is still running after close()"
        assert not any(t.name == "voxctl-hotkey" for t in threading.enumerate())


def test_chord_names_are_normalised():
    assert parse_chord("Ctrl+Alt+Space") == {"ctrl", "alt", "space"}
    assert parse_chord("control+shift+F5") == {"ctrl", "shift", "f5"}
    assert parse_chord(["ctrl", "alt", "."]) == {"ctrl", "alt", "period"}
    with pytest.raises(ValueError):
        parse_chord("ctrl+hyperspace")


def test_key_names_from_pynput_objects(xdisplay):
    from pynput.keyboard import Key, KeyCode

    from agent.listen.hotkey import key_name

    assert key_name(Key.ctrl_r) == "ctrl" and key_name(Key.alt_gr) == "alt" and key_name(Key.cmd) == "win"
    assert key_name(Key.space) == "space" and key_name(Key.page_down) == "pagedown"
    assert key_name(Key.f5) == "f5" and key_name(Key.esc) == "escape"
    assert key_name(KeyCode.from_char("A")) == "a" and key_name(KeyCode.from_char(".")) == "period"
    assert key_name(KeyCode.from_char("\x13")) == "s"  # ctrl+s as a control character
    assert key_name(KeyCode.from_vk(0x2E)) == "period"
