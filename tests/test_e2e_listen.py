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
import threading

import numpy as np
import yaml
from rich.console import Console

from agent.config import Config
from agent.feedback import Feedback
from agent.graph import Agent
from agent.listen.recorder import RecorderError
from agent.loop import ListenLoop


def test_loop_survives_errors_and_exits_cleanly_on_ctrl_c(tmp_path, speech):
    from agent.interpret.factory import make_interpreter

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
