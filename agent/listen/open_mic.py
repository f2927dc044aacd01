"""The open microphone of `hotkey.mode: always`: utterances cut by the VAD, heard, judged and routed.

The recorder's worker thread feeds every block to the `Segmenter` (agent/listen/always.py); each
utterance it cuts is queued for this module's own thread, which transcribes it (the loop's Whisper),
asks `HandsFree.judge` what it is, and routes it through the callbacks the listen loop gives:

- a command the grammar reads exactly (`accept(text) -> reason`, "" when accepted) -> `on_command`;
- the answer to the open question -> `on_answer(audio)` (the confirmation transcribes it for yes/no);
- "stop" while a plan runs -> `on_stop()` at once, on this thread: the plan runs on the loop's thread;
- everything else -> `on_drop(text, reason, seconds)`, quiet apart from the history.

The main loop may be busy running a plan while all this goes on: the microphone keeps listening.
Nothing here touches the desktop or the graph.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from voxctl.agent.handsfree import HandsFree, Heard, Verdict
from voxctl.agent.listen.always import Segment, Segmenter
from voxctl.agent.utterance import SAMPLE_RATE

TICK_S = 1.0  # how often auto-sleep is looked at when nothing is heard
STOP_HINT = "Stop. Stop stop."
# End of utterance while a plan runs (handsfree.end_silence_ms otherwise). silero, its state carried,
# stays above its threshold ~100-150 ms after a word ends: 96 ms of silence more cut a spoken "stop"
# 113-245 ms after its last loud sample (6 voices, "stop" and "stop stop"), never inside it.
STOP_END_MS = 96


@dataclass(frozen=True)
class Spoken:
    """An utterance accepted as a command: its audio and the transcript the graph reuses."""

    audio: np.ndarray
    text: str
    heard_at: float  # time.monotonic() when its end of speech was decided


@dataclass
class Hooks:
    accept: Callable[[str], str]
    on_command: Callable[[Spoken], None]
    on_answer: Callable[[np.ndarray], None]
    on_stop: Callable[[], None]
    on_drop: Callable[[str, str, float], None]
    executing: Callable[[], bool]
    answering: Callable[[], bool]
    muted: Callable[[], bool] = lambda: False
    on_verdict: Callable[[Verdict], None] = lambda v: None


class OpenMic:
    """`feed` is the recorder's `on_block`; `start()` the worker; `close()`."""

    def __init__(self, transcriber: Any, handsfree: HandsFree, hooks: Hooks, *, vad_threshold: float = 0.5,
                 min_speech_ms: int = 200) -> None:
        cfg = handsfree.config
        self.transcriber = transcriber
        self.handsfree = handsfree
        self.hooks = hooks
        self.listening = True  # the talk key turns the open microphone off and on
        self.segmenter = Segmenter(self._cut, threshold=vad_threshold, end_silence_ms=cfg.end_silence_ms,
                                   min_speech_ms=min_speech_ms, max_seconds=cfg.max_utterance_s,
                                   muted=lambda: not self.listening or hooks.muted())
        self._queue: queue.Queue[Segment | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.heard = 0  # utterances judged

    def feed(self, block: np.ndarray) -> None:
        self.segmenter.feed(block)

    def quick_end(self, on: bool) -> None:
        """While a plan runs, an utterance ends after STOP_END_MS of silence: a "stop" is acted on sooner."""
        self.segmenter.set_end_silence(STOP_END_MS if on else self.handsfree.config.end_silence_ms)

    @property
    def hearing(self) -> bool:
        return self.segmenter.hearing

    def start(self) -> OpenMic:
        self._thread = threading.Thread(target=self._run, name="voxctl-open-mic", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(5.0)
            self._thread = None

    def _cut(self, segment: Segment) -> None:  # on the recorder's thread: nothing slow
        self._queue.put(segment)

    def _run(self) -> None:
        while True:
            try:
                segment = self._queue.get(timeout=TICK_S)
            except queue.Empty:
                self.handsfree.tick()
                continue
            if segment is None:
                return
            try:
                self.judge(segment)
            except Exception as e:  # one utterance's failure (the recogniser) never stops listening
                self.hooks.on_drop("", f"error: {type(e).__name__}: {e}", len(segment.audio) / SAMPLE_RATE)

    def judge(self, segment: Segment) -> Verdict:
        """One utterance from the VAD to where it goes; returns the verdict."""
        h = self.hooks
        seconds = len(segment.audio) / SAMPLE_RATE
        self.heard += 1
        if segment.cut:
            v = Verdict("drop", "", f"longer than {self.handsfree.config.max_utterance_s:g} s: not a command")
        elif h.answering() and not self.handsfree.asleep:
            v = Verdict("answer")  # the confirmation transcribes it with its yes/no hint
        else:
            # While a plan runs the likeliest useful word is "stop": tiny.en hears a lone one as "step" or
            # nothing without the hint.
            t = self.transcriber.transcribe(segment.audio, hotwords=STOP_HINT if h.executing() else None)
            heard = Heard(t.text, t.no_speech_prob if t.segments else 0.0, t.confidence if t.segments else 0.0)
            v = self.handsfree.judge(heard, executing=h.executing(), answering=h.answering())
            if v.kind == "command":
                why = h.accept(v.text)
                if why:
                    v = Verdict("drop", v.text, why)
        h.on_verdict(v)
        if v.kind == "command":
            self.handsfree.active()
            h.on_command(Spoken(segment.audio, v.text, segment.ended_at))
        elif v.kind == "answer":
            h.on_answer(segment.audio)
        elif v.kind == "stop":
            h.on_stop()
        elif v.kind == "drop" or v.reason:
            h.on_drop(v.text, v.reason, seconds)
        return v
