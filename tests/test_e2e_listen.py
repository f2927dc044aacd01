"""`voxctl listen` end to end.

- The loop itself, in process: real synthesized speech through the real silence gate, Whisper and the
  grammar into the graph; a broken recording and a press with no speech do not end it; Ctrl+C does, with 0.
- The product, as a subprocess on Xvfb with the PulseAudio virtual microphone: xdotool holds the talk
  chord while synthesized speech is written into the microphone. "type hello world" appears in a real
  xterm; "close the window" pauses the graph at confirm (asserted on the shared SQLite checkpoint),
  a spoken "no" keeps the window, a spoken "yes" closes it; Ctrl+C exits 0.
"""

from __future__ import annotations

import _thread
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from rich.console import Console

from tests.fixtures.xdisplay import activate, wait_for
from voxctl.agent.config import Config
from voxctl.agent.feedback import Feedback
from voxctl.agent.graph import Agent
from voxctl.agent.listen.recorder import RecorderError
from voxctl.agent.loop import ListenLoop

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def ctrl_c_works():
    """Ctrl+C reaches this process and the listeners it starts, even when the suite runs with SIGINT ignored
    (a script's `&` job ignores it, and so do its children: both tests here then hung until their timeout)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)  # children get the default, not SIG_IGN
    yield
    signal.signal(signal.SIGINT, old)


def test_loop_survives_errors_and_exits_cleanly_on_ctrl_c(tmp_path, speech, ctrl_c_works):
    from voxctl.agent.interpret.factory import make_interpreter

    config = Config.model_validate(yaml.safe_load(f"""
history: {{path: "{tmp_path / 'h.sqlite'}"}}
interpreter: {{backend: grammar, macros_file: null}}
desktop: {{backend: dry_run}}
"""))
    out = io.StringIO()
    loop = ListenLoop(config, dry_run=True, feedback=Feedback(config.feedback, console=Console(file=out, width=200)))
    loop.agent = Agent(config, interpreter=make_interpreter(config, notify=lambda m: None), dry_run=True,
                       stop=loop.stop)
    loop.commands.put(RecorderError("the audio input device stopped delivering audio (unplugged?)"))
    loop.commands.put(np.zeros(16000, np.float32))  # a press with no speech
    loop.commands.put(speech("press control s"))

    def ctrl_c_when_done():
        for _ in range(300):
            if loop.commands.empty() and "done:" in out.getvalue():
                break
            threading.Event().wait(0.1)
        _thread.interrupt_main()  # what Ctrl+C does

    threading.Thread(target=ctrl_c_when_done, daemon=True).start()
    assert loop.run() == 0
    text = out.getvalue()
    assert "error: the audio input device stopped delivering audio (unplugged?)" in text
    assert "heard nothing" in text
    assert "1. low    press ctrl+s" in text and "done: 1 action ran" in text
    assert "stopped listening" in text
    assert loop.agent is not None and loop.agent._desktop.describe() == ["press(keys=['ctrl', 's'])"]


class Listening:
    """`voxctl listen` as a subprocess whose output is collected as it comes."""

    def __init__(self, config_path, cwd) -> None:
        env = {**os.environ, "VOXCTL_CONFIG": str(config_path), "PYTHONFAULTHANDLER": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "voxctl.agent", "listen"], env=env, cwd=cwd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()

    @property
    def out(self) -> str:
        return "".join(self.lines)

    def interrupt(self, timeout: float = 15) -> int | None:
        """Ctrl+C, then its exit status; None when it has not exited within `timeout` s: then it is aborted
        and its output ends with every thread's stack (faulthandler), for the failure message."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGABRT)
            self.proc.wait(10)
            time.sleep(0.5)  # the reader thread takes the last lines
            return None

    def wait_for(self, text: str, count: int = 1, timeout: float = 30) -> bool:
        wait_for(lambda: self.out.count(text) >= count or self.proc.poll() is not None, timeout)
        return self.out.count(text) >= count


def focused() -> str:
    got = subprocess.run(["xdotool", "getwindowfocus", "getwindowname"], capture_output=True, text=True, timeout=5)
    return got.stdout.strip()


def printable(path) -> str:
    # Holding ctrl+alt+space in an xterm types meta-NULs (the chord also reaches the focused window).
    return "".join(c for c in path.read_text(errors="replace") if c.isprintable()) if path.exists() else ""


@pytest.mark.display
@pytest.mark.audio
def test_listen_hears_types_asks_and_obeys_yes_and_no(tmp_path, xdisplay, window_manager, virtual_mic, speech,
                                                     ctrl_c_works):
    from voxctl.tools.dryrun import DryRunDesktop

    typed = tmp_path / "typed.txt"
    xterm = subprocess.Popen(["xterm", "-T", "listen-target", "-geometry", "80x12+100+100", "-e", "sh", "-c",
                              f"stty -icanon; exec cat > '{typed}'"])
    try:
        activate("listen-target")  # the X keyboard focus too, not only _NET_ACTIVE_WINDOW
        cfg_path = tmp_path / "config.yaml"
        cfg_path.write_text(yaml.safe_dump({
            "history": {"path": str(tmp_path / "h.sqlite")},
            "interpreter": {"backend": "grammar", "macros_file": None},
            "confirm": {"timeout_s": 20, "by_keys": False}}))
        listen = Listening(cfg_path, ROOT)
        assert listen.wait_for("Ready: hold ctrl+alt+space and speak", timeout=60), listen.out
        assert "microphone" in listen.out and "Whisper tiny.en" in listen.out and "ctrl+alt+period" in listen.out
        # The banner says which files are in use and where recognition runs (issue 15.6).
        assert str(cfg_path) in listen.out and "macros" in listen.out and "on CPU, int8" in listen.out, listen.out
        # ... and which names Whisper's hint holds (ListenLoop.hint_names): the configured terminal among the apps.
        assert "apps terminal" in listen.out and "Whisper's hint" in listen.out, listen.out
        # What the first command would load on first use is loaded before Ready (agent/warmup.py).
        assert "start-up: models loaded ahead in" in listen.out, listen.out

        def say(text: str) -> None:
            subprocess.run(["xdotool", "keydown", "ctrl+alt+space"], check=True)
            time.sleep(0.3)
            assert virtual_mic.say(speech(text)).wait(15)
            time.sleep(0.3)
            subprocess.run(["xdotool", "keyup", "ctrl+alt+space"], check=True)

        say("type hello world")
        assert wait_for(lambda: printable(typed).strip().lower() == "hello world", 20), (
            typed.read_bytes().replace(b"\xc2\x80", b"") if typed.exists() else None, xterm.poll(), focused(),
            listen.out[-300:])
        # The talk chord is muted while a plan runs (voxctl's own keys reach the listener) and a moment after.
        assert listen.wait_for("done: 1 action ran"), listen.out
        time.sleep(0.5)

        config = Config.model_validate(yaml.safe_load(cfg_path.read_text()))
        observer = Agent(config, desktop=DryRunDesktop())  # reads the same checkpoints as the listener
        say("close the window")
        assert listen.wait_for("No answer within 20 s means no."), listen.out
        tid = observer.audit.recent(1)[0].thread_id
        assert observer.graph.get_state(observer.cfg(tid)).next == ("confirm",)
        say("no")
        assert listen.wait_for("cancelled, answered no (voice)"), listen.out
        assert observer.graph.get_state(observer.cfg(tid)).next == ()
        time.sleep(0.5)
        assert xterm.poll() is None, "the window was closed after a no"

        say("close the window")
        assert listen.wait_for("No answer within 20 s means no.", count=2), listen.out
        say("yes")
        assert wait_for(lambda: xterm.poll() is not None, 20), listen.out  # closed
        assert listen.wait_for("done: 1 action ran", count=2), listen.out

        listen.proc.send_signal(signal.SIGINT)  # Ctrl+C
        assert listen.proc.wait(15) == 0, listen.out
        assert "stopped listening" in listen.out and "Traceback" not in listen.out
        runs = list(reversed(observer.audit.recent(3)))
        assert [(r.status, (r.answer or {}).get("via")) for r in runs] == [
            ("done", None), ("cancelled", "voice"), ("done", "voice")]
        assert runs[0].input == "voice" and runs[0].audio_seconds > 0.5
        observer.close()
    finally:
        if xterm.poll() is None:
            xterm.terminate()
        if "listen" in locals() and listen.proc.poll() is None:
            listen.proc.kill()
