"""Confirmation: the yes/no matcher, the prompt from prompts/confirm.md, and the race between answer
sources (console through a real pipe, Enter/Escape through pynput on Xvfb, voice through real Whisper)."""

from __future__ import annotations

import os
import subprocess
import threading
import time

import pytest

from agent.confirm import (
    ANSWER_HOTWORDS,
    Answer,
    ConsoleSource,
    KeySource,
    StopSource,
    VoiceSource,
    ask,
    how_to_answer,
    match_answer,
    render_prompt,
)


@pytest.mark.parametrize("text, expected", [
    ("yes", True), ("Yes.", True), (" YES! ", True), ("Yeah.", True), ("Confirm.", True), ("okay", True),
    ("go ahead", True), ("y", True),
    ("no", False), ("No.", False), ("Cancel!", False), ("nope", False), ("don't", False), ("Do not.", False),
    ("stop", False), ("n", False), ("Don’t do it.", False),
    ("maybe", None), ("", None), ("yes, cancel", None), ("I don't know", False), ("the window", None),
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


@pytest.mark.display
@pytest.mark.parametrize("keys, expected", [(["Return"], True), (["Escape"], False), (["n", "Return", "Escape"], False)])
def test_enter_and_escape_on_a_real_display(xdisplay, keys, expected):
    """xdotool sends real X key events; pynput's listener is what hears them. A typed line's Enter is
    the console's, not a yes."""
    def press():
        for k in keys:
            subprocess.run(["xdotool", "key", k], check=True)
            time.sleep(0.05)

    threading.Timer(0.5, press).start()
    answer = ask([KeySource()], timeout=5)
    assert answer.via == "keys" and answer.approved is expected


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
    from agent.config import AsrConfig
    from agent.listen.asr import Transcriber

    return Transcriber(AsrConfig(vocabulary_bias=False))
