"""Reading one clip for `voxctl bench recognition` (recognition.py): the interpreter or the grammar on its
audio, what the recogniser considered, the full-window decoding it is timed against, the transcriber
that remembers its readings (`Recorded`) and the grammar watched behind a model (`Watched`).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from typing import Any

import numpy as np

RECORDED = ("transcribe", "nbest", "score", "transcribe_full")  # the recogniser's answers `Recorded` replays
MAX_LISTED = 12  # readings and candidates listed per clip in the results (best first)


def full_window(transcriber: Any, audio: Any) -> str:
    """Greedy decoding of `audio` padded to Whisper's full 30 s window, as the app decoded before
    issue 9 (same options as Transcriber.transcribe: English, no timestamps, the vocabulary hint)."""
    real = transcriber.get() if hasattr(transcriber, "get") else transcriber
    model = getattr(real, "model", None)
    if model is None or not hasattr(model, "feature_extractor"):  # not faster-whisper: its own decoding
        return real.transcribe(audio, beam_size=1, without_timestamps=True).text
    seconds = len(audio) / 16000
    segments, _ = model.transcribe(
        audio, language="en", beam_size=1, temperature=0.0, without_timestamps=True,
        condition_on_previous_text=False, hotwords=getattr(real, "hint", None),
        max_new_tokens=min(int(8 * min(seconds, 30.0)) + 16, 200))
    return " ".join(s.text.strip() for s in segments)


class Recorded:
    """The transcriber, remembering every reading it gave (`transcribe`, `nbest`) per audio and options;
    with `replay` on, the same question is answered from memory: re-reading the set with another
    rejection margin then costs the grammar's time only, and uses the interpreter's own decision."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.memo: dict[tuple[str, str, str], Any] = {}
        self.replay = False

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name not in RECORDED:
            return attr

        def call(audio: Any, *a: Any, **kw: Any) -> Any:
            digest = hashlib.sha1(np.ascontiguousarray(audio, dtype=np.float32).tobytes()).hexdigest()
            key = (name, digest, repr((a, sorted(kw.items()))))
            if self.replay and key in self.memo:
                return self.memo[key]
            out = attr(audio, *a, **kw)
            self.memo[key] = out
            return out

        return call


def duplicated(actions: list[Any], expected: list[Any]) -> bool:
    """The plan holds some action more often than expected (and at least twice): a repetition."""
    from voxctl.agent.benchmarks.interpret import _canon

    def key(a: Any) -> str:
        return repr(_canon(a))

    got, want = Counter(map(key, actions)), Counter(map(key, expected))
    return any(n >= 2 and n > want.get(k, 0) for k, n in got.items())


def _reader(config: Any, transcriber: Any, macros: dict[str, Any], backend: str) -> tuple[Any, Any]:
    """(interpreter, grammar reader or None): the grammar reads audio itself when no LLM is behind it."""
    from voxctl.agent.benchmarks.interpret import _interpreter

    interp = _interpreter(backend, config, transcriber, macros)
    grammar = interp if hasattr(interp, "read") else getattr(interp, "grammar", None)
    if grammar is not None and getattr(interp, "llm", None) is None:
        return interp, grammar
    if grammar is not None:  # a model behind the grammar: its parse is still shown per clip
        interp.grammar = Watched(grammar)
    return interp, None


class Watched:
    """The grammar behind a model (hybrid), remembering its last parse of audio for the results."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.last = inner, None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read(self, *a: Any, **kw: Any) -> Any:
        self.last = self.inner.read(*a, **kw)
        return self.last


def _read(interp: Any, grammar: Any, audio: Any) -> tuple[Any, float, dict[str, Any]]:
    """(actions, recognition ms, what the recogniser considered) for one clip."""
    from voxctl.agent.utterance import Utterance

    t0 = time.perf_counter()
    if grammar is None:
        watched = getattr(interp, "grammar", None)
        if isinstance(watched, Watched):
            watched.last = None
        plan = interp.interpret(Utterance(audio=audio))
        info = {"heard": plan.transcript, "source": plan.source}
        if isinstance(watched, Watched) and watched.last is not None:
            info = {**_considered(watched.last), **info, "grammar_actions": len(watched.last.plan.actions)}
        if plan.reason and not plan.actions:
            info["reason"] = plan.reason
        return list(plan.actions), (time.perf_counter() - t0) * 1000, info
    parse = grammar.read(audio)
    wall = (time.perf_counter() - t0) * 1000
    asr_ms = getattr(parse, "asr_ms", None)
    return list(parse.plan.actions), float(asr_ms) if asr_ms else wall, _considered(parse)


def _considered(parse: Any) -> dict[str, Any]:
    """What the recogniser considered for one clip (the grammar's Parse), for the results."""
    info: dict[str, Any] = {"heard": parse.plan.transcript}
    for field in ("free_text", "free_score", "chosen_text", "chosen_score", "rejected", "retried"):
        value = getattr(parse, field, None)
        if value not in (None, "", False):
            info[field] = value if isinstance(value, str | bool | int | float) else str(value)
    if parse.plan.reason and not parse.plan.actions:
        info["reason"] = parse.plan.reason
    for field in ("hypotheses", "candidates"):  # every reading and candidate scored, with its verdict
        seen = getattr(parse, field, ())
        if seen:
            info[field] = [{"text": h.text, "score": None if h.score is None else round(h.score, 3),
                            "verdict": h.verdict} for h in seen[:MAX_LISTED]]
    return info


def _risky(grammar: Any, actions: list[Any]) -> bool:
    from voxctl.tools.base import Risk

    risk = getattr(grammar, "risk", None)
    return risk is not None and any(risk(a) >= Risk.HIGH for a in actions)
