"""Always listening: silero VAD cuts the recorder's continuous stream into utterances.

`Segmenter.feed(block)` takes the 16 kHz mono blocks the recorder delivers (its `on_block` hook) and,
per 32 ms window, asks silero (the copy shipped in faster-whisper, one ONNX thread) for a speech
probability. Speech starts at `threshold`; it ends after `end_silence_ms` below `threshold - 0.15` (the
hysteresis silero's own timestamps use). The utterance handed to `on_utterance` keeps `PAD_MS` before
the first speech window and after the last. Less than `min_speech_ms` of speech is dropped (a cough, a
click); an utterance longer than `max_seconds` is cut there and flagged `cut` (the caller drops it: a
command is short, a monologue is not one), and the rest of it, up to the next silence, is skipped.

`muted()` is asked per window: while voxctl itself speaks (its spoken feedback) the windows count as
silence, so voxctl never hears itself. A short mute is then a pause inside an utterance; after a mute
long enough to end an utterance that was going on, speech still going on is skipped to the next silence
(the tail of a sentence voxctl talked over is not a command).

Silero is a recurrent model: its state (h, c) is carried from one window to the next, as faster-whisper
does over a whole recording, so feeding window by window gives the probabilities of the offline
`speech_spans`. Without it (a fresh state per window) a soft onset scored below the threshold and the
end of a word ("scroll up", "copy that") fell below it early: the utterance lost its first and last
sounds and tiny.en heard "scroll in the left", "copy black", or a "stop" was never cut at all (102
spoken commands in a stream, 6 voices: 87 -> 90 right, 80 -> 83 with faint noise; docs/BENCHMARKS.md).
Cost: one ONNX call per 32 ms (about 0.1-0.3 ms each on a laptop core).

`quick` (on while a plan runs): a short utterance (at most `PAUSE_MAX_S` so far) whose level falls for
`QUIET_WINDOWS` windows below `QUIET_RATIO` of its own loudest window is handed to `on_pause(audio, index)`
at once, before silero's end of utterance: silero stays above its threshold 100-150 ms after a word and
then needs the end silence, so a spoken "stop" was cut 113-244 ms after its last loud sample; its level
falls within a window or two. The utterance itself goes on and ends as usual (same `index`).

`speculate` (always mode, no plan running; `handsfree.speculative`): once the level of a short utterance
(at most `SPECULATE_MAX_S` so far) has stayed down for `SPECULATE_WINDOWS`, the audio so far, with zeros up
to `PAD_MS` after the fall, goes to `on_speculate(audio, index, pause)`, so that reading it can start
while silero's lag and the end silence run out. The speculation stays good only while the level stays
down and silero sees no new onset: any louder window, speech after a window silero called silence, or
speech silero still hears `SPECULATE_LAG_WINDOWS` after it (a softer continuation) makes it stale (a later pause may start a newer one). The `Segment` says which pause's audio still holds
all of its speech (`speculated`, 0: none); nothing is judged, let alone acted on, before the end of
utterance, and an utterance that went on after a pause ("undo that later, I think") is read whole.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voxctl.agent.utterance import SAMPLE_RATE

WINDOW = 512  # samples silero takes at 16 kHz
CONTEXT = 64
PAD_MS = 200
QUIET_RATIO = 0.1  # a window this far (-20 dB RMS) below the utterance's loudest is a pause
QUIET_WINDOWS = 2  # this many such windows in a row (64 ms) hand the utterance so far to `on_pause`
PAUSE_MAX_S = 2.0  # only while the utterance is this short: "stop stop" is ~1.3 s with its padding
PAUSES_MAX = 3  # pauses handed on per utterance, at most
# Speculative reads only while the utterance (with its 200 ms before) is this short: the stream's commands and
# phrases in 6 voices were read ahead at 1.64 s at most; of 75 pauses in 60 passages 39 come before 2 s.
SPECULATE_MAX_S = 2.0
# A speculative read starts after this many quiet windows (128 ms): inside the stream's commands (5 voices) the
# level dips for 1-3 windows between words, rarely 4-6, and a read started there is wasted (read on, to
# no use, ~0.3 s; 2 s when the recogniser then reads the word alone on its full window).
SPECULATE_WINDOWS = 4
# Speech silero still hears this many windows after a speculation's pause (160 ms; its lag after a word is
# mostly over 128 ms after the level fell) is the utterance going on softly: the speculation is stale.
SPECULATE_LAG_WINDOWS = 5


@dataclass(frozen=True)
class Segment:
    audio: np.ndarray  # 16 kHz mono float32, padded
    speech_ms: float
    ended_at: float  # time.monotonic() when the end of speech was decided
    cut: bool = False  # reached max_seconds
    index: int = 0  # the utterance's number (1, 2, ...), shared with its `on_pause` hand-offs
    speculated: int = 0  # the `on_speculate` pause whose audio holds all of the speech (0: none does)


def load_silero():
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


class Segmenter:
    def __init__(self, on_utterance: Callable[[Segment], None], *, threshold: float = 0.5,
                 end_silence_ms: int = 300, min_speech_ms: int = 200, max_seconds: float = 8.0,
                 muted: Callable[[], bool] | None = None, model=None,
                 on_pause: Callable[[np.ndarray, int], None] | None = None,
                 on_speculate: Callable[[np.ndarray, int, int], None] | None = None) -> None:
        self.on_utterance = on_utterance
        self.on_pause = on_pause
        self.on_speculate = on_speculate
        self.quick = False  # hand short utterances to `on_pause` at their first pause (while a plan runs)
        self.speculate = False  # hand them to `on_speculate` at their pauses otherwise (module doc)
        self.threshold = threshold
        self.low = max(0.01, threshold - 0.15)
        self.set_end_silence(end_silence_ms)
        self.min_speech = min_speech_ms * SAMPLE_RATE // 1000
        self.max_samples = int(max_seconds * SAMPLE_RATE)
        self.pad = PAD_MS * SAMPLE_RATE // 1000
        self.muted = muted or (lambda: False)
        self.model = model or load_silero()
        self._lock = threading.Lock()
        self._before: collections.deque[np.ndarray] = collections.deque(
            maxlen=max(1, -(-self.pad // WINDOW)))  # windows kept before speech starts
        self.windows = 0
        self.index = 0  # utterances begun
        self._start_state()

    def _start_state(self) -> None:
        """The state of a segmenter that has heard nothing yet (its counts `windows` and `index` aside)."""
        self._pending = np.zeros(0, np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._h = np.zeros((1, 1, 128), np.float32)  # silero's recurrent state, carried window to window
        self._c = np.zeros((1, 1, 128), np.float32)
        self._before.clear()
        self._utt: list[np.ndarray] | None = None
        self._utt_len = 0
        self._speech = 0  # samples from the first speech window to the last one so far
        self._silent = 0  # consecutive non-speech windows
        self._tail = 0  # samples since the last speech window
        self.hearing = False  # inside an utterance (for the indicator)
        self._skip = 0  # after a cut: non-speech windows seen; the rest of a monologue is no new utterance
        self._skipping = False
        self._muted = 0  # consecutive muted windows
        self._talked_over = False  # an utterance was going on when the mute began
        self._peak = 0.0  # the loudest window (RMS) of the utterance so far
        self._quiet = 0  # consecutive windows far below it
        self._pauses = 0  # pauses handed to on_pause or on_speculate in this utterance
        self._spec = 0  # the pause of the speculation still good (no speech since it): 0 none
        self._spec_speech = 0  # `_speech` when it was handed on

    def speculating(self, index: int, pause: int) -> bool:
        """Whether the speculation `pause` of utterance `index` may still be the utterance's (not gone on)."""
        return self._utt is None or self.index != index or self._spec == pause

    def set_end_silence(self, ms: int) -> None:
        self.end_windows = max(1, round(ms * SAMPLE_RATE / 1000 / WINDOW))

    def probability(self, window: np.ndarray) -> float:
        batch = np.concatenate([self._context, window])[None, :].astype(np.float32)
        out, self._h, self._c = self.model.session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._context = window[-CONTEXT:]
        return float(np.asarray(out).reshape(-1)[0])

    def feed(self, block: np.ndarray) -> None:
        with self._lock:
            self._pending = np.concatenate([self._pending, np.asarray(block, np.float32).reshape(-1)])
            while len(self._pending) >= WINDOW:
                window, self._pending = self._pending[:WINDOW], self._pending[WINDOW:]
                self._window(window)

    def reset(self) -> None:
        """Forget the utterance in progress (muted, or listening turned off)."""
        self._utt, self._utt_len, self._speech, self._silent, self._tail = None, 0, 0, 0, 0
        self._spec = 0
        self.hearing = False

    def fresh(self) -> None:
        """As just started: silero's recurrent state and context, and the audio kept before speech, forgotten too.
        For the benchmarks that judge each clip alone: carried from clip to clip, the state moved a cut by a window
        and tiny.en read another text ("new year" heard "click here." after some clips, "press enter." after others)."""
        with self._lock:
            self._start_state()

    def _window(self, window: np.ndarray) -> None:
        self.windows += 1
        muted = self.muted()
        if muted:  # voxctl's own voice: heard as silence (a short one is a pause, a long one an end)
            if not self._muted:
                self._talked_over = self._utt is not None
            self._muted += 1
            window = np.zeros_like(window)
        p = self.probability(window)
        if not muted and self._muted:
            long, self._muted = self._muted >= self.end_windows, 0
            if long and self._talked_over and self._utt is None and p >= self.threshold:
                self._skipping, self._skip = True, 0  # the rest of a sentence voxctl talked over: not a command
        if self._skipping:
            self._skip = 0 if p >= self.low else self._skip + 1
            self._skipping = self._skip < self.end_windows
            return
        if self._utt is None:
            if p >= self.threshold:
                self._utt = [*self._before, window]
                self._utt_len = sum(len(w) for w in self._utt)
                self._speech, self._silent, self._tail = WINDOW, 0, 0
                self.hearing = True
                self._before.clear()
                self.index += 1
                self._peak, self._quiet, self._pauses, self._spec = _rms(window), 0, 0, 0
            else:
                self._before.append(window)
            return
        self._utt.append(window)
        self._utt_len += WINDOW
        onset = p >= self.threshold and self._silent > 0  # speech again after a window silero called silence
        if p >= self.low and (p >= self.threshold or self._silent == 0):
            self._speech += WINDOW * (self._silent + 1)  # from the first speech window to this one
            self._silent, self._tail = 0, 0
        else:
            self._silent += 1
            self._tail += WINDOW
        level = _rms(window)
        self._peak = max(self._peak, level)
        self._quiet = self._quiet + 1 if level < QUIET_RATIO * self._peak else 0
        if self._spec and (onset or not self._quiet
                           or self._speech - self._spec_speech > SPECULATE_LAG_WINDOWS * WINDOW):
            self._spec = 0  # it went on after the speculated pause: that reading is not the utterance's
        if self._silent >= self.end_windows:
            self._emit(cut=False)
        elif self._utt_len >= self.max_samples:
            self._emit(cut=True)
        else:
            self._pause()

    def _pause(self) -> None:
        """Hands the utterance so far to `on_pause` or `on_speculate` when its level has just fallen (module doc)."""
        if self._pauses >= PAUSES_MAX or self._speech < self.min_speech or self._utt is None:
            return
        if self.quick:
            if (self.on_pause is not None and self._quiet == QUIET_WINDOWS
                    and self._utt_len <= PAUSE_MAX_S * SAMPLE_RATE):
                self._pauses += 1
                self.on_pause(np.concatenate(self._utt), self.index)
        elif (self.speculate and self.on_speculate is not None and self._quiet == SPECULATE_WINDOWS
              and self._utt_len <= SPECULATE_MAX_S * SAMPLE_RATE):
            self._pauses += 1
            self._spec, self._spec_speech = self._pauses, self._speech
            after = max(0, self.pad - SPECULATE_WINDOWS * WINDOW)  # PAD_MS after the fall, as the utterance keeps
            self.on_speculate(np.concatenate([*self._utt, np.zeros(after, np.float32)]), self.index, self._spec)

    def _emit(self, cut: bool) -> None:
        assert self._utt is not None
        audio = np.concatenate(self._utt)
        if not cut:  # keep PAD_MS of the silence after the speech, drop the rest
            audio = audio[:len(audio) - max(0, self._tail - self.pad)]
        speech, spec = self._speech, (0 if cut else self._spec)
        self.reset()
        self._skipping, self._skip = cut, 0
        if speech < self.min_speech:
            return
        self.on_utterance(Segment(audio, speech * 1000 / SAMPLE_RATE, time.monotonic(), cut, self.index, spec))


def _rms(window: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(window, dtype=np.float32))))
