"""The open microphone of `hotkey.mode: always`: utterances cut by the VAD, heard, judged and routed.

The recorder's worker thread feeds every block to the `Segmenter` (agent/listen/always.py); each
utterance it cuts is queued for this module's own thread, which transcribes it (the loop's Whisper),
asks `HandsFree.judge` what it is, and routes it through the callbacks the listen loop gives:

- a command the grammar reads exactly (`accept(text) -> reason`, "" when accepted) -> `on_command`;
- the answer to the open question -> `on_answer(audio)` (the confirmation transcribes it for yes/no);
- "stop" while a plan runs -> `on_stop()` at once, on this thread: the plan runs on the loop's thread;
  sooner still, a short utterance is looked at on its own thread at its first pause (the segmenter's
  `on_pause`, before the end of utterance): one greedy decoding of a few tokens with the stop hint, and a
  reading that is a stop phrase alone stops the plan (once per utterance: the whole utterance, when it
  ends, waits for that look instead of decoding the same words beside it, and is not acted on again);
- everything else -> `on_drop(text, reason, seconds)`, quiet apart from the history.

Speculative reading (`handsfree.speculative`, on by default): agent/listen/read_ahead.py; the stop look at
an utterance's first pause: agent/listen/stop_look.py.

The main loop may be busy running a plan while all this goes on: the microphone keeps listening.
Nothing here touches the desktop or the graph.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from typing import Any

import numpy as np

from voxctl.agent.handsfree import HandsFree, Heard, Verdict, words
from voxctl.agent.listen.always import Segment, Segmenter
from voxctl.agent.listen.heap import bound_heap, give_back
from voxctl.agent.listen.mic_hooks import Hooks, Spoken
from voxctl.agent.listen.read_ahead import Guess, ReadAhead
from voxctl.agent.listen.stop_look import STOP_HINT, StopLook
from voxctl.agent.utterance import SAMPLE_RATE

TICK_S = 1.0  # how often auto-sleep is looked at when nothing is heard
# End of utterance while a plan runs (handsfree.end_silence_ms otherwise). silero, its state carried,
# stays above its threshold ~100-150 ms after a word ends: 96 ms of silence more cut a spoken "stop"
# 113-245 ms after its last loud sample (6 voices, "stop" and "stop stop"), never inside it.
STOP_END_MS = 96
STOP_MAX_S = 3.0  # a longer utterance is no stop phrase said alone: read whole at once
CLOSE_S = 3.0  # close() waits this long in all for a decoding under way; past it, see listen/leaving.py


class OpenMic(StopLook, ReadAhead):
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
                                   muted=lambda: not self.listening or hooks.muted(), on_pause=self._paused,
                                   on_speculate=self._speculated)
        self.segmenter.speculate = cfg.speculative
        self._queue: queue.Queue[Segment | None] = queue.Queue()
        # Pauses to read: (audio, index, seen at, done, guess), stop looks (`guess` None) on the stop-check thread,
        # speculative readings on their own: a reading ahead started before a plan (a stale one of the plan's own
        # command: 1-5 s under load) held a "stop" said 0.5 s into the plan until it ended (stops of 0.8-2.3 s).
        self._pauses: queue.Queue[tuple[np.ndarray, int, float, threading.Event, Guess | None] | None] = queue.Queue()
        self._aheads: queue.Queue[tuple[np.ndarray, int, float, threading.Event, Guess | None] | None] = queue.Queue()
        self._guess: Guess | None = None  # the newest speculative reading
        self._guess_lock = threading.Lock()
        self.speculated = collections.Counter()  # benchmarks and tests: "used", "stale", "missing", "failed", "read again"
        self._thread: threading.Thread | None = None
        self._checker: threading.Thread | None = None
        self._reader: threading.Thread | None = None  # the speculative readings' thread
        self._stop_lock = threading.Lock()
        self._stopped = 0  # the index of the last utterance a stop was acted on for
        self.heard = 0  # utterances judged
        self.early_stops = 0  # stops acted on at an utterance's first pause (benchmarks)
        self.stop_log: collections.deque[tuple[float, float]] = collections.deque(maxlen=256)  # (paused, stopped)
        self._stop_decoder: Any = None
        # The utterance whose pause the stop-check thread has to read, and the end of that read (set when read
        # or skipped): the whole utterance, judged meanwhile on the other thread, waits for it instead of
        # reading the same words at once (a second read beside it would take half the CPU the first needs).
        self._looking: tuple[int, threading.Event] = (0, threading.Event())
        self._used = False  # something was decoded since the heap last gave back its free pages
        self._closing = False  # close() was called: nothing more is decoded
        bound_heap()  # before this module's threads (and the graph's decodings) allocate: flat RSS

    def feed(self, block: np.ndarray) -> None:
        self.segmenter.feed(block)

    def quick_end(self, on: bool) -> None:
        """While a plan runs, an utterance ends after STOP_END_MS of silence: a "stop" is acted on sooner."""
        self.segmenter.set_end_silence(STOP_END_MS if on else self.handsfree.config.end_silence_ms)
        self.segmenter.quick = on
        self.segmenter.speculate = not on and self.handsfree.config.speculative

    @property
    def hearing(self) -> bool:
        return self.segmenter.hearing

    def start(self) -> OpenMic:
        self._thread = threading.Thread(target=self._run, name="voxctl-open-mic", daemon=True)
        self._thread.start()
        self._checker = threading.Thread(target=self._check_pauses, args=(self._pauses,), name="voxctl-stop-check",
                                         daemon=True)
        self._checker.start()
        self._reader = threading.Thread(target=self._check_pauses, args=(self._aheads,), name="voxctl-read-ahead",
                                        daemon=True)
        self._reader.start()
        return self

    def close(self, timeout: float = CLOSE_S) -> bool:
        """Stops both threads: what is still queued is not heard any more, a decoding under way ends first.
        Waits at most `timeout` s in all; False when a thread is still decoding then (whoever ends the
        process must not let Python finalize under it: listen/leaving.py)."""
        self._closing = True  # both threads told first: their last decodings end together
        self._queue.put(None)
        self._pauses.put(None)
        self._aheads.put(None)
        deadline = time.monotonic() + timeout
        threads = (self._thread, self._checker, self._reader)
        for t in threads:
            if t is not None:
                t.join(max(0.0, deadline - time.monotonic()))
        ended = not any(t is not None and t.is_alive() for t in threads)
        self._thread = self._checker = self._reader = None
        return ended

    def _cut(self, segment: Segment) -> None:  # on the recorder's thread: nothing slow
        self._queue.put(segment)

    def _paused(self, audio: np.ndarray, index: int) -> None:  # on the recorder's thread: nothing slow
        self._looking = (index, threading.Event())
        self._post((audio, index, time.monotonic(), self._looking[1], None))

    def _post(self, item: tuple[np.ndarray, int, float, threading.Event, Guess | None]) -> None:
        """Queues a pause to read in place of any not yet taken: only the newest is worth a look, and a queue
        that kept the others kept their audio too while the stop-check thread was busy or not started (the
        soak test's +5.5 MB over 36 utterances)."""
        pauses = self._pauses if item[4] is None else self._aheads
        while True:
            try:
                old = pauses.get_nowait()
            except queue.Empty:
                break
            if old is None:  # close() was called: its end stays queued, nothing more is read
                pauses.put(None)
                item[3].set()
                return
            old[3].set()
        pauses.put(item)

    def _hint(self) -> str | None:
        """The hotwords an utterance is read with: the stop hint while a plan runs, else the recogniser's own as
        it is now (the listen loop changes it after each plan: dictation mode's is not command mode's, so a
        reading made ahead with the other is no reading of this utterance); None: a recogniser without one."""
        return STOP_HINT if self.hooks.executing() else getattr(self.transcriber, "hint", None)

    def _check_pauses(self, pauses: queue.Queue[Any]) -> None:
        """The stop-check thread (stop looks) or the read-ahead thread (speculative readings), by `pauses`."""
        try:  # the stop look's decoder made and run once now: the first stop of a session pays nothing more
            if pauses is self._pauses:
                self.quick_read(np.zeros(SAMPLE_RATE // 2, np.float32))
        except Exception:  # noqa: BLE001 - a recogniser that fails here fails at the first utterance, reported there
            pass
        while not self._closing:
            item = pauses.get()
            while item is not None and not pauses.empty():
                item[3].set()
                item = pauses.get()  # only the newest pause is worth a look
            if item is None or self._closing:
                if item is not None:
                    item[3].set()
                return
            audio, index, at, looked, guess = item
            try:
                if guess is not None:
                    self._read_ahead(guess)
                elif self.hooks.executing() and index != self._stopped and self.stop_check(audio, index):
                    self.early_stops += 1
                    self.stop_log.append((at, time.monotonic()))  # when the pause was seen, when it stopped
            except Exception as e:  # the early look only saves time: the whole utterance is judged anyway
                self.hooks.on_drop("", f"error: {type(e).__name__}: {e}", 0.0)
            finally:
                looked.set()

    def _run(self) -> None:
        while not self._closing:
            try:
                segment = self._queue.get(timeout=TICK_S)
            except queue.Empty:
                self.handsfree.tick()
                if self._used:  # a quiet second: what the last utterances (and their plans) freed goes back
                    self._used = False
                    give_back()
                continue
            if segment is None or self._closing:  # utterances queued behind a slow one: not heard at exit
                return
            try:
                self.judge(segment)
            except Exception as e:  # one utterance's failure (the recogniser) never stops listening
                self.hooks.on_drop("", f"error: {type(e).__name__}: {e}", len(segment.audio) / SAMPLE_RATE)
            self._used = True
            give_back()

    def _verdict_of(self, t: Any, audio: np.ndarray) -> Verdict:
        """What a reading of `audio` is, its command accepted or not (`Hooks.accept`, then `Hooks.echo`)."""
        h = self.hooks
        heard = Heard(t.text, t.no_speech_prob if t.segments else 0.0, t.confidence if t.segments else 0.0)
        v = self.handsfree.judge(heard, executing=h.executing(), answering=h.answering())
        if v.kind == "command":
            why = h.accept(v.text)
            if not why and h.echo is not None:
                why = h.echo(audio, v.text, self._hint())
            if why:
                v = Verdict("drop", v.text, why)
        return v

    def _by_sound(self, audio: np.ndarray, read: Any, dropped: Verdict) -> Verdict:
        """A short command tiny.en misread ("undo" -> "and you.") heard by its sound (`Hooks.by_sound`), where the
        reading could be one: awake, no prefix, speech, and none of voice control's own phrases; the phrase
        found must pass the same strict acceptance as a reading. Else the drop stands, with what was weighed."""
        hf, h = self.handsfree, self.hooks
        if (h.by_sound is None or not hf.plain(words(read.text)) or not read.segments
                or read.no_speech_prob > hf.config.max_no_speech_prob):
            return dropped
        phrase, why = h.by_sound(audio, read.text)
        if phrase:
            v = hf.judge(phrase, executing=h.executing(), answering=h.answering())
            if v.kind == "command" and not h.accept(v.text):
                return Verdict("command", v.text, why)
        return Verdict("drop", dropped.text, f"{dropped.reason}; {why}") if why else dropped

    def judge(self, segment: Segment) -> Verdict:
        """One utterance from the VAD to where it goes; returns the verdict."""
        h = self.hooks
        seconds = len(segment.audio) / SAMPLE_RATE
        audio = segment.audio  # what a command carries: the audio its reading was made of
        self.heard += 1
        if segment.index and segment.index == self._stopped:
            v = Verdict("stop", "", "acted on at its first pause")
            h.on_verdict(v)
            return v
        if segment.cut:
            v = Verdict("drop", "", f"longer than {self.handsfree.config.max_utterance_s:g} s: not a command")
        elif h.answering() and not self.handsfree.asleep:
            # The confirmation transcribes it with its yes/no hint. An utterance that ended before the question
            # was put (judged late: this thread was busy) answers nothing: it would confirm what it never heard.
            v = (Verdict("answer") if segment.ended_at >= h.asked_at() else
                 Verdict("drop", "", "said before the question was asked"))
        elif (h.executing() and not self.handsfree.asleep and seconds <= STOP_MAX_S
              and self.stop_check(segment.audio, segment.index)):
            return Verdict("stop")  # the short reading (a "stop stop" read whole could look like a loop)
        else:
            # While a plan runs the likeliest useful word is "stop": tiny.en hears a lone one as "step" or
            # nothing without the hint.
            audio, early = self._speculation(segment)
            v = self._verdict_of(early, audio) if early is not None else Verdict("drop")
            if v.kind == "drop":  # no reading ahead, or one that is no command: the utterance read as it ended
                if early is not None:  # (a few ms more or less of its tail can turn "select all of" into a command)
                    self.speculated["read again"] += 1
                audio = segment.audio
                read = self.transcriber.transcribe(audio, hotwords=self._hint())
                v = self._verdict_of(read, audio)
                if v.kind == "drop":
                    v = self._by_sound(audio, read, v)
        h.on_verdict(v)
        if v.kind == "command":
            self.handsfree.active()
            h.on_command(Spoken(audio, v.text, segment.ended_at))
        elif v.kind == "answer":
            h.on_answer(segment.audio)
        elif v.kind == "stop":
            h.on_stop()
        elif v.kind == "drop" or v.reason:
            h.on_drop(v.text, v.reason, seconds)
        return v
