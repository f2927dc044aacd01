"""The talk chord on a real X server (Xvfb): xdotool holds real keys, the real X grab (or, where asked,
pynput's real listener) sees them.

Covers hold and toggle mode, the stop chord, the guard (keys voxctl types itself, through pyautogui and
xdotool, never start a recording while suppressed), waiting for a press-and-release (voice
confirmation), that the held chord types nothing into the focused xterm (auto-repeat on), that a
chord another program holds is a one-line error, and that close() returns at once although pynput's
own stop()+join() would hang.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: programs
from tests.fixtures.xdisplay import activate, wait_for
from voxctl.agent.listen.hotkey import HotkeyListener, parse_chord

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
    # Never leave a key down for the next test (best effort: the test itself has passed or failed by now).
    subprocess.run(["xdotool", "keyup", "ctrl", "alt", "space", "period"], check=False, timeout=5)


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


@pytest.mark.parametrize("backend", ["x11 grab", "pynput"])
def test_close_returns_at_once_without_a_further_key_event(xdisplay, monkeypatch, backend):
    # pynput's own stop() + join() waits for the next key event (measured here: it hangs until one
    # comes); close() must not, whether or not keys were seen, and a new listener must work after it.
    if backend == "pynput":
        monkeypatch.setenv("VOXCTL_HOTKEY", "pynput")
    for seen_keys in (False, True, True):
        ev = Events()
        h = HotkeyListener("ctrl+alt+space", on_start=ev.cb("start"), on_stop=ev.cb("stop")).start()
        assert h.backend == backend
        if seen_keys:
            xdo("key", "ctrl+alt+space")
            assert wait_for(lambda ev=ev: ev.log == ["start", "stop"], 3), ev.log
        inner = h._listener or h._grabber._thread  # pynput's listener thread, or the grabber's
        t0 = time.monotonic()
        h.close()
        took = time.monotonic() - t0
        assert took < 0.5 + (backend == "x11 grab") * 0.5, f"close() took {took:.2f} s"
        assert not inner.is_alive(), "the key thread is still running after close()"
        assert not any(t.name in ("voxctl-hotkey", "voxctl-xgrab") for t in threading.enumerate())


def test_chord_names_are_normalised():
    assert parse_chord("Ctrl+Alt+Space") == {"ctrl", "alt", "space"}
    assert parse_chord("control+shift+F5") == {"ctrl", "shift", "f5"}
    assert parse_chord(["ctrl", "alt", "."]) == {"ctrl", "alt", "period"}
    with pytest.raises(ValueError):
        parse_chord("ctrl+hyperspace")


def test_key_names_from_pynput_objects(xdisplay):
    from pynput.keyboard import Key, KeyCode

    from voxctl.agent.listen.hotkey import key_name

    assert key_name(Key.ctrl_r) == "ctrl" and key_name(Key.alt_gr) == "alt" and key_name(Key.cmd) == "win"
    assert key_name(Key.space) == "space" and key_name(Key.page_down) == "pagedown"
    assert key_name(Key.f5) == "f5" and key_name(Key.esc) == "escape"
    assert key_name(KeyCode.from_char("A")) == "a" and key_name(KeyCode.from_char(".")) == "period"
    assert key_name(KeyCode.from_char("\x13")) == "s"  # ctrl+s as a control character
    assert key_name(KeyCode.from_vk(0x2E)) == "period"


@pytest.mark.parametrize("talk, held", [("ctrl+alt+space", ["ctrl", "alt", "space"]), ("f9", ["F9"])])
def test_a_held_chord_types_nothing_into_the_focused_xterm(xdisplay, window_manager, programs, tmp_path, talk,
                                                           held):
    """Issue 15.1: held for 1.5 s (past X's auto-repeat delay) over a shell, ctrl+alt+space typed ~40
    `\\xc2\\x80` and F9 typed `\\e[20~`. Owned by the grab, nothing reaches the xterm, and auto-repeat
    starts nothing more. The xterm's tty is not line-buffered, so each byte is seen as it arrives."""
    out = tmp_path / "typed.bin"
    programs.start(["xterm", "-T", "grab-target", "-geometry", "80x12+650+60", "-e", "sh", "-c",
                    f"stty -icanon -echo; exec cat > '{out}'"])
    ev = Events()
    h = HotkeyListener(talk, "hold", on_start=ev.cb("start"), on_stop=ev.cb("stop"),
                       stop_chord="ctrl+alt+period").start()
    got = lambda: out.read_bytes() if out.exists() else b""  # noqa: E731
    try:
        assert wait_for(out.exists, 20), "the xterm's shell never started cat"  # its tty is set up by then
        activate("grab-target")
        xdo("type", "before ")
        assert wait_for(lambda: got() == b"before ", 10), got()  # the xterm has the focus and is reading
        xdo("keydown", "+".join(held))
        assert wait_for(lambda: ev.log == ["start"], 3), ev.log
        time.sleep(1.5)
        xdo("keyup", *reversed(held))
        assert wait_for(lambda: ev.log == ["start", "stop"], 3), ev.log
        xdo("type", "after")
        assert wait_for(lambda: got().endswith(b"after"), 10), got()
    finally:
        h.close()
        xdo("keyup", "ctrl", "alt", "space", "F9")
    assert got() == b"before after"
    assert ev.log == ["start", "stop"]


def test_a_chord_another_program_holds_is_a_one_line_error(xdisplay):
    from voxctl.agent.listen.hotkey import HotkeyError

    first = HotkeyListener("ctrl+alt+space", on_start=lambda: None, stop_chord="ctrl+alt+period").start()
    try:
        with pytest.raises(HotkeyError) as e:
            HotkeyListener("ctrl+alt+space", on_start=lambda: None).start()
        assert "already taken by another program" in str(e.value) and "\n" not in str(e.value)
        # A one-shot command's listener wants only the stop chord; it must not need the talk chord.
        with pytest.raises(HotkeyError):
            HotkeyListener("ctrl+alt+space", stop_chord="ctrl+alt+period").start()
        only_stop = HotkeyListener("ctrl+alt+space", stop_chord="ctrl+alt+comma", on_stop_chord=lambda: None).start()
        only_stop.close()
    finally:
        first.close()
    # Released with the listener: the chord can be owned again.
    HotkeyListener("ctrl+alt+space", on_start=lambda: None).start().close()


def test_started_at_is_when_the_chord_went_down_not_when_the_callback_ran(listener):
    """The recorder's pre-roll counts back from the chord's moment: the X server's time of the key press,
    however late the dispatcher thread runs."""
    slow: list[float] = []
    h, ev = listener("hold")
    h.on_start = lambda: (time.sleep(0.4), slow.append(time.monotonic()))
    t0 = time.monotonic()
    xdo("keydown", "ctrl+alt+space")
    t1 = time.monotonic()
    assert wait_for(lambda: slow, 3)
    xdo("keyup", "space", "alt", "ctrl")
    assert t0 - 0.05 <= h.started_at <= t1 + 0.05, (t0, h.started_at, t1)
    assert slow[0] - h.started_at >= 0.35


def test_without_a_display_listening_says_so_in_one_line(monkeypatch):
    from voxctl.agent.listen.hotkey import HotkeyError

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("VOXCTL_HOTKEY", raising=False)
    with pytest.raises(HotkeyError) as e:
        HotkeyListener("ctrl+alt+space", on_start=lambda: None).start()
    assert "no X display (DISPLAY is not set)" in str(e.value) and "DisplayNameError" not in str(e.value)


def test_the_chord_works_with_numlock_and_capslock_on(listener):
    """A grab is for exact modifiers: the lock modifiers are grabbed in every combination (as sxhkd does)."""
    h, ev = listener("hold")
    try:
        xdo("key", "Num_Lock", "Caps_Lock")
        xdo("key", "ctrl+alt+space")
        assert wait_for(lambda: ev.log == ["start", "stop"], 3), ev.log
    finally:
        xdo("key", "Num_Lock", "Caps_Lock")
