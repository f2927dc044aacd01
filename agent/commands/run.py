"""`voxctl run AUDIO`: a recorded command (wav/flac/ogg/mp3) through the same path as live speech:
the silence gate (VAD), then the agent graph."""

from __future__ import annotations

import sys
from typing import Any

from voxctl.agent.config import Config


def run(args: Any, config: Config) -> int:
    from voxctl.agent.listen.audio_io import AudioFileError, load_audio
    from voxctl.agent.listen.vad import HEARD_NOTHING, gate
    from voxctl.agent.runner import one_shot
    from voxctl.agent.utterance import Utterance

    try:
        audio = load_audio(args.audio, max_seconds=config.audio.max_file_seconds)
    except AudioFileError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    speech = gate(audio, config.audio)
    if speech is None:
        print(f"{HEARD_NOTHING} in {args.audio} (less than {config.audio.min_speech_ms} ms of speech)")
        return 1
    return one_shot(config, dry_run=args.dry_run, yes=args.yes, utterance=Utterance(audio=speech))
