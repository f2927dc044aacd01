"""Reading ahead (`handsfree.speculative`) on and off, clip by clip: `python -m voxctl.agent.benchmarks.handsfree_ahead`.

The stream's commands (agent/benchmarks/handsfree_stream.py) in the command voices, each said twice into one
`OpenMic` (the bundled Whisper, one stop-check and one open-microphone thread), paced at real time in 32 ms
windows with 0.5 s of silence before and 1 s after: once with the segmenter's reading ahead on, once off,
in alternating order, so that the load of a shared box falls on both alike. Reported per setting: end of
speech (the clip's last loud sample) -> utterance cut, and -> the verdict (reading and judging done:
what the graph then gets), p50 / p95, and how many verdicts were the command's words (accepted as
always mode does: the exact grammar's parse; a reading ahead that is no command is read again). Nothing
is run.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

import numpy as np

from voxctl.agent.benchmarks.stats import stats

WINDOW = 512


def measure(voices: tuple[str, ...], rounds: int = 1) -> dict[str, Any]:
    from voxctl.agent.benchmarks.handsfree_stream import COMMANDS
    from voxctl.agent.benchmarks.interpret import synthesize
    from voxctl.agent.config import Config
    from voxctl.agent.handsfree import HandsFree
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.mic_hooks import Hooks
    from voxctl.agent.listen.open_mic import OpenMic

    cfg = Config()
    whisper = Transcriber(cfg.asr)
    exact = GrammarInterpreter(cfg.model_copy(update={"interpreter": cfg.interpreter.model_copy(
        update={"fuzzy_threshold": 1.0, "macros_file": None})}))
    whisper.transcribe(synthesize("scroll down", "slt"))  # warm
    verdicts: list[tuple[float, str]] = []
    done = threading.Event()

    def judged(v: Any) -> None:
        verdicts.append((time.monotonic(), v.text))
        done.set()

    mic = OpenMic(whisper, HandsFree(), Hooks(
        accept=lambda text: "" if exact.parse(text).actions else "not a command", on_command=lambda s: None, on_answer=lambda a: None, on_stop=lambda: None,
        on_drop=lambda *a: None, executing=lambda: False, answering=lambda: False, on_verdict=judged)).start()
    cuts: list[float] = []
    cut = mic.segmenter.on_utterance
    mic.segmenter.on_utterance = lambda s: (cuts.append(time.monotonic()), cut(s))
    time.sleep(2)  # the stop look's decoder is made at start
    silence = np.zeros(8000, np.float32)
    rows: dict[bool, list[tuple[float, float, bool]]] = {True: [], False: []}
    differ: list[tuple[str, str, str, str]] = []  # (command, voice, verdict off, verdict on) where they differ
    loads = [os.getloadavg()[0]]
    k = 0
    for _ in range(rounds):
        for text in COMMANDS:
            for voice in voices:
                k += 1
                got: dict[bool, str] = {}
                for ahead in ((True, False) if k % 2 else (False, True)):
                    mic.segmenter.speculate = ahead
                    clip = synthesize(text, voice)
                    stream = np.concatenate([silence, clip, silence, silence])
                    last = len(silence) + int(np.flatnonzero(np.abs(clip) > 0.02)[-1])
                    n, m, end = len(verdicts), len(cuts), 0.0
                    done.clear()
                    t0 = time.monotonic()
                    for i in range(0, len(stream), WINDOW):
                        mic.feed(stream[i:i + WINDOW])
                        if i <= last < i + WINDOW:
                            end = time.monotonic()
                        time.sleep(max(0.0, t0 + (i + WINDOW) / 16000 - time.monotonic()))
                    deadline = time.monotonic() + 10
                    while len(verdicts) == n and time.monotonic() < deadline:
                        done.wait(0.05)
                    if len(verdicts) > n and len(cuts) > m:
                        said = verdicts[n][1].lower().strip(" .") == text
                        rows[ahead].append(((cuts[m] - end) * 1000, (verdicts[n][0] - end) * 1000, said))
                        got[ahead] = verdicts[n][1]
                if got.get(True) != got.get(False):
                    differ.append((text, voice, got.get(False, ""), got.get(True, "")))
        loads.append(os.getloadavg()[0])
    mic.close()
    out: dict[str, Any] = {"voices": list(voices), "loadavg_1min": [round(x, 1) for x in loads],
                           "read_ahead": dict(mic.speculated), "verdicts_that_differ": differ}
    for ahead, name in ((False, "off"), (True, "on")):
        r = rows[ahead]
        out[name] = {"end_to_cut_ms": stats([x[0] for x in r]), "end_to_verdict_ms": stats([x[1] for x in r]),
                     "read_right": f"{sum(x[2] for x in r)}/{len(r)}"}
    return out


if __name__ == "__main__":
    voices = tuple(sys.argv[1].split(",")) if len(sys.argv) > 1 else ("slt", "rms", "awb", "kal16")
    result = measure(voices, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    print(json.dumps(result, indent=1))
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as f:
            json.dump(result, f, indent=1)
