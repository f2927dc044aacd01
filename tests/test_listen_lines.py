"""What `voxctl listen` says while recording (issue 15.7: no sign it was recording; 15.6: toggle mode's
limit said "let go of the chord" though nothing is held). Real parts: the virtual microphone, the real
recorder, the real X grab driven by xdotool on Xvfb, the loop's own callbacks."""

from __future__ import annotations

import io
import subprocess
import time

import pytest

from tests.fixtures.xdisplay import wait_for
from voxctl.agent.config import Config
from voxctl.agent.feedback import Feedback

pytestmark = [pytest.mark.display, pytest.mark.audio]


def listening_loop(mode: str, max_seconds: float = 20.0):
    from rich.console import Console

    from voxctl.agent.listen.hotkey import HotkeyListener
    from voxctl.agent.listen.recorder import Recorder
    from voxctl.agent.loop import ListenLoop

    config = Config.model_validate({"hotkey": {"mode": mode}, "audio": {"max_seconds": max_seconds}})
    out = io.StringIO()
    loop = ListenLoop(config, dry_run=True, feedback=Feedback(config.feedback, console=Console(file=out, width=200)))
    loop.recorder = Recorder(config.audio, on_max=lambda: loop.feedback.note(
        f"longest utterance reached ({max_seconds:g} s); {loop._how_to_finish()}")).open()
    loop.hotkeys = HotkeyListener(config.hotkey.talk, mode, on_start=loop._talk_start, on_stop=loop._talk_stop,
                                  stop_chord=config.hotkey.stop).start()
    return loop, out


def test_hold_mode_says_when_recording_starts_and_ends(xdisplay, virtual_mic):
    loop, out = listening_loop("hold")
    try:
        subprocess.run(["xdotool", "keydown", "ctrl+alt+space"], check=True)
        assert wait_for(lambda: "recording" in out.getvalue(), 5), out.getvalue()
        assert "● recording… (let go of ctrl+alt+space to finish)" in out.getvalue()
        time.sleep(0.5)
        subprocess.run(["xdotool", "keyup", "space", "alt", "ctrl"], check=True)
        assert wait_for(lambda: "thinking" in out.getvalue(), 5), out.getvalue()
        assert wait_for(lambda: not loop.commands.empty(), 5)
    finally:
        loop.close()
    heard = next(line for line in out.getvalue().splitlines() if "thinking" in line)
    seconds = float(heard.split()[1])
    assert heard == f"heard {seconds:.1f} s, thinking…" and 0.5 <= seconds <= 2.0, heard


def test_toggle_mode_tells_to_press_again_also_at_the_length_limit(xdisplay, virtual_mic):
    loop, out = listening_loop("toggle", max_seconds=1.5)
    try:
        subprocess.run(["xdotool", "key", "ctrl+alt+space"], check=True)
        assert wait_for(lambda: "longest utterance" in out.getvalue(), 5), out.getvalue()
        subprocess.run(["xdotool", "key", "ctrl+alt+space"], check=True)
        assert wait_for(lambda: "thinking" in out.getvalue(), 5), out.getvalue()
    finally:
        loop.close()
    text = out.getvalue()
    assert "● recording… (press ctrl+alt+space again to finish)" in text
    assert "longest utterance reached (1.5 s); press ctrl+alt+space again to finish" in text
    assert "let go" not in text
