"""`voxctl transcribe FILE...`: what the configured Whisper hears in audio files.

Each file goes the way live speech goes: read (any rate, any channels) -> silence gate -> Whisper.
With `--json`, one object per file: `text`, `score` (log-probability per token), `window` ("short": the
mel window sized to the audio; "full": 30 s), segments, what was filtered, and `recognition`: how the
grammar read it (the free and the chosen reading with their scores, every reading considered and its
verdict, and `rejected`: why none was taken as a command).
A file that cannot be used (missing, not audio, empty, too long) gets one line on stderr and the others
are still transcribed. Exit code: 0 all transcribed; 1 some held no speech ("heard nothing");
2 some could not be read (or the model could not be loaded).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from voxctl.agent.config import Config


def _record(path: str, t: Any, recognition: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "file": path, "text": t.text, "confidence": round(t.confidence, 4),
        "score": None if t.score is None else round(t.score, 4), "window": t.window,
        "no_speech_prob": round(t.no_speech_prob, 4), "duration": round(t.duration, 3),
        "segments": [{"text": s.text, "confidence": round(s.confidence, 4),
                      "no_speech_prob": round(s.no_speech_prob, 4)} for s in t.segments],
        "filtered": list(t.filtered),
        **({"recognition": recognition} if recognition is not None else {}),
    }


def run(args: Any, config: Config) -> int:
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.audio_io import AudioFileError, load_audio
    from voxctl.agent.listen.transcript import AsrError
    from voxctl.agent.listen.vad import HEARD_NOTHING, gate
    from voxctl.agent.macros import MacroError
    from voxctl.agent.session import Session

    unreadable = silent = False
    transcriber: Transcriber | None = None  # loaded at the first readable file: bad input alone is quick
    grammar: GrammarInterpreter | None = None
    many = len(args.files) > 1
    for path in args.files:
        try:
            audio = load_audio(path, max_seconds=config.audio.max_file_seconds)
        except AudioFileError as e:
            print(f"voxctl: {e}", file=sys.stderr)
            unreadable = True
            continue
        speech = gate(audio, config.audio)
        if speech is None:
            print(f"voxctl: {path}: {HEARD_NOTHING} (less than {config.audio.min_speech_ms} ms of speech)",
                  file=sys.stderr)
            silent = True
            if args.json:
                print(json.dumps({"file": path, "text": "", "heard_nothing": True}), flush=True)
            continue
        if transcriber is None:
            try:
                transcriber = Transcriber(config.asr)
            except AsrError as e:
                print(f"voxctl: {e}", file=sys.stderr)
                return 2
            try:
                session = Session.build(config)
            except MacroError:  # a broken macros file is reported where macros run, not here
                session = Session(config)
            transcriber.set_vocabulary(**session.vocabulary())
            grammar = GrammarInterpreter(config, session.macros, transcriber, spec=session.grammar)
        try:
            t = transcriber.transcribe(speech)
        except AsrError as e:
            print(f"voxctl: {path}: {e}", file=sys.stderr)
            unreadable = True
            continue
        if args.json:
            print(json.dumps(_record(path, t, grammar.read(speech).recognition())), flush=True)
        else:
            print(f"{path}: {t.text}" if many else t.text, flush=True)
    return 2 if unreadable else 1 if silent else 0
