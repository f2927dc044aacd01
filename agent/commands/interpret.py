"""`voxctl interpret [--backend B] [--json] [--text "..."]... [AUDIO...]`: the plan for each input,
without running anything.

One plan per input, in order (`--text` commands first, then audio files); models are loaded once for
all of them. With `--json`, JSON Lines: one object per input with `file` (or `text`), `transcript`,
`source`, `actions`, and `reason` when nothing was understood; for audio read by the grammar (backends
grammar and hybrid) also `recognition`: the free reading and the chosen one with their scores (log-
probability per token), every reading considered with its verdict, and `rejected` (why none was taken). A file that cannot be read gets one line
on stderr and the exit status 2 at the end; the other inputs are still interpreted.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from voxctl.agent.config import Config


def _why(e: BaseException) -> str:
    text = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return " ".join(str(text).split())


def _describe(call: Any) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in call.args.model_dump(exclude_defaults=True).items())
    return f"{call.tool}({args})"


def _show(label: tuple[str, str], plan: Any, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        key, value = label
        print(json.dumps({key: value, **plan.to_json(), **(extra or {})}, ensure_ascii=False), flush=True)
        return
    print(f"{label[1]}: \"{plan.transcript}\"")
    if plan.actions:
        for call in plan.actions:
            print(f"  -> {_describe(call)}")
    else:
        print(f"  (nothing: {plan.reason})")
    sys.stdout.flush()


def run(args: Any, config: Config) -> int:
    from voxctl.agent.interpret.factory import InterpreterUnavailable, make_interpreter
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.audio_io import AudioFileError, load_audio
    from voxctl.agent.listen.transcript import AsrError
    from voxctl.agent.macros import MacroError
    from voxctl.agent.utterance import Utterance

    texts, files = list(args.text or []), list(args.audio or [])
    if not texts and not files:
        print("voxctl interpret: give audio files or --text \"a command\"", file=sys.stderr)
        return 2
    try:
        interpreter = make_interpreter(config)
    except (InterpreterUnavailable, MacroError) as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    grammar = interpreter if isinstance(interpreter, GrammarInterpreter) else getattr(interpreter, "grammar", None)
    status = 0
    for text in texts:
        _show(("text", text), interpreter.interpret(Utterance.from_text(text)), args.json)
    for path in files:
        try:
            audio = load_audio(path, max_seconds=config.audio.max_file_seconds)
        except AudioFileError as e:  # its message names the file and the problem
            print(f"voxctl: {_why(e)}", file=sys.stderr)
            status = 2
            continue
        except Exception as e:  # anything else unreadable: say which and why, go on with the others
            print(f"voxctl: {path}: cannot read: {_why(e)}", file=sys.stderr)
            status = 2
            continue
        try:
            plan = interpreter.interpret(Utterance(audio=audio))
            # What the grammar's recogniser considered (its encoding of this audio is reused).
            extra = {"recognition": grammar.read(audio).recognition()} if args.json and grammar else None
        except AsrError as e:  # the recogniser itself is unusable: no later file can do better
            print(f"voxctl: {e}", file=sys.stderr)
            return 2
        _show(("file", path), plan, args.json, extra)
    return status
