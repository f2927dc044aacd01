"""The open microphone's speculative reading (`handsfree.speculative`, on by default).

When no plan runs, a short utterance is read on a thread of its own at its first pause (the segmenter's
`on_speculate`, 128 ms after its level falls), while silero's lag and the end silence (~300-450 ms after the
fall) run out. The reading is only a transcript kept aside: nothing is judged or acted on before the end of
utterance. When the utterance ends and the segmenter says no speech came after that pause
(`Segment.speculated`), `judge` takes the reading (waiting for it if it is under way, reading itself if it
has not started) and a command carries the audio that was read; a reading ahead that is no command is not
trusted to drop the utterance: it is read again as it ended (as without the speculation). If speech went on
after the pause, the reading is dropped and the whole utterance is read ("undo that later, I think" is never
an "undo").

A part of `OpenMic` (agent/listen/open_mic.py): the reading runs on its read-ahead thread.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from voxctl.agent.listen.always import Segment

SPEC_WAIT_S = 3.0  # the end of utterance waits at most this long for its speculative reading under way


@dataclass
class Guess:
    """A speculative reading of utterance `index` at its pause `pause` (always.py); `done` once read or skipped."""

    index: int
    pause: int
    audio: np.ndarray
    hint: str | None
    done: threading.Event
    heard: Any = None  # the Transcript, None until read (or when the read was skipped)
    state: str = "queued"  # "reading" once the read-ahead thread took it; "given up": the end came first
    error: str = ""  # why the reading failed (the end of utterance reads it again, and reports its own failure)


class ReadAhead:
    """`OpenMic`'s readings ahead: queued (`_speculated`), read (`_read_ahead`), used (`_speculation`)."""

    def _speculated(self, audio: np.ndarray, index: int, pause: int) -> None:  # on the recorder's thread
        guess = Guess(index, pause, audio, self._hint(), threading.Event())
        self._guess = guess
        self._post((audio, index, time.monotonic(), guess.done, guess))

    def _read_ahead(self, guess: Guess) -> None:
        """The speculative reading of `guess` (module doc), unless a newer one, a plan, a question or the end
        of its utterance came first. A failure leaves it unread: the end of utterance reads (and reports) it."""
        if (self._guess is not guess or not self.segmenter.speculating(guess.index, guess.pause)
                or self.hooks.executing() or self.hooks.answering()):
            return  # the utterance went on after that pause (or a plan, or a question, came): not worth a read
        with self._guess_lock:
            if guess.state != "queued":
                return
            guess.state = "reading"
        try:
            guess.heard = self.transcriber.transcribe(guess.audio, hotwords=guess.hint)
        except Exception as e:  # noqa: BLE001 - read again at the end of the utterance, where a failure is reported
            guess.heard, guess.error = None, f"{type(e).__name__}: {e}"

    def _speculation(self, segment: Segment) -> tuple[np.ndarray, Any]:
        """The audio to act on and its reading made at the utterance's last pause, if no speech came after
        that pause (the segmenter says so) and it was read with today's hint; else (segment audio, None)."""
        guess = self._guess
        if not segment.speculated:
            if guess is not None and guess.index == segment.index:
                self.speculated["stale"] += 1  # it went on after the pause: read whole
            return segment.audio, None
        if guess is None or (guess.index, guess.pause) != (segment.index, segment.speculated):
            self.speculated["missing"] += 1
            return segment.audio, None
        with self._guess_lock:  # still queued behind another read (a pause that was no end): read it here now
            if guess.state == "queued":
                guess.state = "given up"
        if guess.state == "reading":
            guess.done.wait(SPEC_WAIT_S)
        if guess.heard is None or guess.hint != self._hint():
            self.speculated["failed" if guess.error else "missing"] += 1
            return segment.audio, None
        self.speculated["used"] += 1
        return guess.audio, guess.heard
