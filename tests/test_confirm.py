"""Confirmation: the yes/no matcher, the prompt from prompts/confirm.md, and the race between answer
sources (console through a real pipe, Enter/Escape through pynput on Xvfb, voice through real Whisper)."""

from __future__ import annotations

import os
import subprocess
import threading
import time

import pytest

from tests.fixtures.xdisplay import find_window
from voxctl.agent.answer_sources import ConsoleSource, KeySource, StopSource, VoiceSource, how_to_answer
from voxctl.agent.answers import ANSWER_HOTWORDS, Answer, match_answer
from voxctl.agent.confirm import ask, render_prompt


@pytest.mark.parametrize("text, expected", [
    ("yes", True), ("Yes.", True), (" YES! ", True), ("Yeah.", True), ("Confirm.", True), ("okay", True),
    ("go ahead", True), ("y", True),
    ("no", False), ("No.", False), ("Cancel!", False), ("nope", False), ("don't", False), ("Do not.", False),
    ("stop", False), ("n", False), ("Don’t do it.", False),
    ("maybe", None), ("", None), ("yes, cancel", None), ("I don't know", False), ("the window", None),
    # A yes is the whole utterance (red team: overheard sentences, voxctl's own read-back cut short).
    ("yes please", True), ("Okay, thank you.", True), ("yes do it", True),
    ("Yes, I think we should go to the park.", None), ("about to focus the window okay", None), ("undo it", None),
])
def test_match_answer(text, expected):
    assert match_answer(text) is expected


PAYLOAD = {
    "thread_id": "t",
    "window": "bash - xterm",
    "plan": {"actions": [{"tool": "type_text", "args": {"text": "rm -rf build"}},
                         {"tool": "press_keys", "args": {"keys": ["enter"], "repeat": 1}}]},
    "decision": {"verdict": "confirm", "reasons": ["action 2 (press_keys) is high risk: policy.window_rules[0]"],
                 "actions": [{"index": 0, "risk": "medium"}, {"index": 1, "risk": "high"}]},
}


def test_prompt_states_exactly_what_will_run():
    text = render_prompt(PAYLOAD, "Press Enter for yes or Escape for no", 10)
    assert "about to run 2 action(s) in 'bash - xterm'" in text
    assert "1. type 'rm -rf build'  [medium]" in text
    assert "2. press enter  [high]" in text
    assert "policy.window_rules[0]" in text
    assert "Press Enter for yes or Escape for no. No answer within 10 s means no." in text
    assert "<!--" not in text and "$" not in text


def test_how_to_answer_lists_the_sources():
    assert how_to_answer([ConsoleSource(), StopSource(threading.Event())]) == "Type y or n and Enter"
    assert how_to_answer([KeySource(), ConsoleSource()]) == (
        "Press Enter for yes or Escape for no, or type y or n and Enter")


def test_console_answer_through_a_pipe_skips_unclear_lines():
    r, w = os.pipe()
    unclear = []
    src = ConsoleSource(r, on_unclear=unclear.append)
    threading.Timer(0.1, lambda: os.write(w, b"maybe\n")).start()
    threading.Timer(0.3, lambda: os.write(w, b"  YES \n")).start()
    t0 = time.monotonic()
    answer = ask([src], timeout=5)
    assert answer == Answer(True, "console", "YES")
    assert unclear == ["maybe"]
    assert time.monotonic() - t0 < 2
    os.close(r)
    os.close(w)


def test_no_answer_is_no_after_the_timeout_and_end_of_input_is_not_an_answer():
    r, w = os.pipe()
    os.close(w)  # end of input at once
    t0 = time.monotonic()
    answer = ask([ConsoleSource(r)], timeout=0.6)
    elapsed = time.monotonic() - t0
    assert answer == Answer(False, "timeout")
    assert 0.55 < elapsed < 1.5
    os.close(r)


def test_first_answer_wins_and_the_stop_hotkey_means_no():
    stop = threading.Event()
    r, w = os.pipe()
    threading.Timer(0.2, stop.set).start()
    threading.Timer(1.0, lambda: os.write(w, b"yes\n")).start()
    assert ask([ConsoleSource(r), StopSource(stop)], timeout=5) == Answer(False, "stop", "emergency stop")
    time.sleep(1.1)  # the late "yes" changes nothing and the console reader has let go
    os.close(r)
    os.close(w)


def test_a_broken_source_does_not_block_the_others():
    class Broken:
        name, hint = "voice", "say it"

        def listen(self, deliver, done):
            raise OSError("no microphone")

    errors = []
    stop = threading.Event()
    threading.Timer(0.1, stop.set).start()
    assert ask([Broken(), StopSource(stop)], timeout=3, on_error=errors.append).via == "stop"
    assert errors == ["voice answers are unavailable: no microphone"]


def start_xterm(display: str, title: str, out) -> subprocess.Popen:
    """An xterm on `display` whose shell copies what is typed into it to `out`, focused."""
    env = {**os.environ, "DISPLAY": display}
    proc = subprocess.Popen(["xterm", "-T", title, "-geometry", "60x8+10+10", "-e", "sh", "-c", f"exec cat > '{out}'"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["xdotool", "windowfocus", "--sync", str(find_window(f"^{title}$", display))], env=env, check=True,
                   timeout=10)
    time.sleep(0.2)
    return proc


def finish_xterm(display: str, proc: subprocess.Popen, out) -> bytes:
    """Types "end", Enter and Ctrl+D into it (XTEST) and returns everything it received."""
    env = {**os.environ, "DISPLAY": display}
    subprocess.run(["xdotool", "type", "end"], env=env, check=True)
    subprocess.run(["xdotool", "key", "Return", "ctrl+d"], env=env, check=True)
    try:
        proc.wait(5)
    finally:
        proc.kill()
    return out.read_bytes()


@pytest.mark.display
@pytest.mark.parametrize("keys, expected, app_got, grab_delay", [(["Return"], True, b"", 1.0),
                                                                 (["Escape"], False, b"", 0.0),
                                                                 (["n", "Return", "Escape"], False, b"n\n", 0.0)])
def test_keys_typed_on_a_keyboard_answer_and_never_reach_the_app(nested_display, monkeypatch, tmp_path, keys,
                                                                 expected, app_got, grab_delay):
    """Keys from a keyboard device (Xephyr's, not XTEST) answer; the answer is grabbed, so the focused
    xterm never gets it (issue 15.1: a shell ran its line). A typed line's Enter is that line's. The keys
    are pressed the moment the question shows: it shows only once the grab is in place, even when the X
    server is slow to grant it (grab_delay; on a busy box an Enter typed after the prompt reached the shell)."""
    from voxctl.agent.listen.xgrab import XGrabber

    monkeypatch.setenv("DISPLAY", nested_display.display)
    grab = XGrabber.grab

    def slow_grab(self, *a, **kw):
        time.sleep(grab_delay)
        return grab(self, *a, **kw)

    monkeypatch.setattr(XGrabber, "grab", slow_grab)
    out = tmp_path / "typed.txt"
    xterm = start_xterm(nested_display.display, "answer-target", out)

    def press():
        for k in keys:
            nested_display.press(k)
            time.sleep(0.1)

    answer = ask([KeySource()], timeout=8, show=lambda: threading.Thread(target=press).start())
    assert answer.via == "keys" and answer.approved is expected, answer
    time.sleep(0.3)
    assert finish_xterm(nested_display.display, xterm, out) == app_got + b"end\n"


@pytest.mark.display
def test_keys_sent_by_programs_are_no_answer_and_still_reach_their_window(xdisplay, tmp_path):
    """Issue 17.6: a second `voxctl do "press enter"` answered a pending question. Keys sent through
    XTEST (xdotool; pyautogui, as voxctl itself types) answer nothing and go where they were sent."""
    import pyautogui

    out = tmp_path / "typed.txt"
    xterm = start_xterm(xdisplay, "xtest-target", out)

    def send():
        subprocess.run(["xdotool", "key", "Return"], check=True)
        time.sleep(0.2)
        pyautogui.press("enter")
        time.sleep(0.2)
        subprocess.run(["xdotool", "key", "Escape"], check=True)

    # sent once the grab is in place (the question shown): before it, letting them through proves nothing
    assert ask([KeySource()], timeout=3, show=lambda: threading.Thread(target=send).start()) == Answer(False, "timeout")
    assert finish_xterm(xdisplay, xterm, out) == b"\n\n\x1bend\n"  # both Enters and the Escape reached it


def test_xtest_devices_are_told_from_keyboards():
    from voxctl.agent.listen.xkeys import is_synthetic

    assert is_synthetic("Virtual core XTEST keyboard")
    assert not is_synthetic("Xephyr virtual keyboard") and not is_synthetic("AT Translated Set 2 keyboard")
    assert not is_synthetic("Virtual core keyboard")


@pytest.mark.audio
@pytest.mark.parametrize("spoken, voice, expected", [("yes", "slt", True), ("no", "awb", False),
                                                     ("confirm", "kal16", True), ("cancel", "rms", False),
                                                     ("cancel", "awb", False)])
def test_voice_answer_with_real_speech_and_whisper(spoken, voice, expected, speech, transcriber):
    clips = iter([speech("maybe later", voice), speech(spoken, voice)])
    unclear = []

    def capture(done):
        clip = next(clips, None)
        if clip is None:  # like a person who says nothing more: block until the question is over
            done.wait()
        return clip

    src = VoiceSource(capture, lambda a: transcriber.transcribe(a, hotwords=ANSWER_HOTWORDS).text,
                      on_unclear=unclear.append)
    answer = ask([src], timeout=30)
    assert answer.via == "voice" and answer.approved is expected, answer
    assert len(unclear) == 1  # "maybe later" was heard and not taken for an answer


@pytest.fixture(scope="module")
def transcriber():
    from voxctl.agent.config import AsrConfig
    from voxctl.agent.listen.asr import Transcriber

    return Transcriber(AsrConfig(vocabulary_bias=False))


def test_several_destructive_actions_are_counted_and_macro_steps_named():
    payload = {**PAYLOAD, "plan": {"actions": [{"tool": "press_keys", "args": {"keys": ["ctrl", "w"]}},
                                               {"tool": "press_keys", "args": {"keys": ["ctrl", "w"]}},
                                               {"tool": "close_window"}]},
               "decision": {"verdict": "confirm", "reasons": ["x"],
                            "actions": [{"index": i, "risk": "high"} for i in range(3)]},
               "origins": [[], [], ["tidy"]]}
    text = render_prompt(payload, "Type y or n and Enter", 10)
    assert "3 destructive actions: press ctrl+w (2 times); close the active window." in text
    assert "3. close the active window (macro 'tidy')  [high]" in text
    assert "\n\n" not in text and "destructive" not in render_prompt(PAYLOAD, "Type y or n and Enter", 10)
