"""`voxctl devices`: the audio input devices, by index and name, for `audio.device` in config.yaml."""

from __future__ import annotations

import sys
from typing import Any

from voxctl.agent.config import Config


def run(args: Any, config: Config) -> int:
    from voxctl.agent.listen.mic_devices import RecorderError, input_devices, resolve_device

    try:
        devices = input_devices()
    except RecorderError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    if not devices:
        print("voxctl: no audio input device found (is a microphone connected, or PulseAudio running?)",
              file=sys.stderr)
        return 1
    try:
        chosen = resolve_device(config.audio.device)
    except RecorderError as e:
        chosen = None
        problem = str(e)
    else:
        problem = ""
    print("Audio input devices (* = system default, > = chosen by audio.device):")
    print(f"  {'':2}{'index':>5}  {'name':<40} {'host API':<12} {'ch':>3} {'rate':>7}")
    for d in devices:
        mark = (">" if chosen == d["index"] else " ") + ("*" if d["default"] else " ")
        print(f"  {mark}{d['index']:>5}  {d['name'][:40]:<40} {d['hostapi'][:12]:<12} "
              f"{d['channels']:>3} {d['rate']:>7.0f}")
    setting = config.audio.device
    print(f"\naudio.device: {setting!r}" + (" (the system default)" if setting is None else ""))
    if problem:
        print(f"voxctl: {problem}", file=sys.stderr)
        return 2
    return 0
