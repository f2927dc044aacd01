"""The recorder's worker thread: each block downmixed and resampled to 16 kHz mono, the pre-roll ring
buffer, and the recording cut from it. A part of `Recorder` (agent/listen/recorder.py).

The pre-roll is counted back from the moment the chord went down (`begin(at=...)`: the X server's time
of the key press), not from when begin() runs: on a busy machine the key event, the hotkey thread and
this worker can each be late by tens of milliseconds, and every one of them came out of the first
syllable (240 ms kept of 300 under a busy loop on both cores). The ring holds `LATE_S` more than the
pre-roll for that.

A block's time is when it was delivered, not when it was captured: after a stall (this process starved,
or a source that delivers a backlog at once) seconds of older audio arrive together, all stamped "now".
The recording never holds more than the clock allows since the chord (plus the pre-roll and `SLACK_S`):
the surplus is the oldest audio, captured before the chord, and is dropped. Without that a backlog
filled the recording to `max_seconds` within a second, and the speech after it was lost ("heard nothing").
"""

from __future__ import annotations

import time

import numpy as np

from voxctl.agent.utterance import SAMPLE_RATE

LATE_S = 1.0  # how late begin() may run after the chord went down, and still count back from the chord
SLACK_S = 0.5  # a recording longer than the clock allows by more than this holds a backlog (dropped)


class RecorderWorker:
    """`Recorder._work` (the worker thread's loop), `_start_recording` and `_add`."""

    def _work(self) -> None:
        keep = (self.config.preroll_ms * SAMPLE_RATE // 1000) + int(LATE_S * SAMPLE_RATE)
        while (item := self._queue.get()) is not None and not self._closing:
            block, delivered = item
            mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
            if self._resampler is not None:
                mono = self._resampler.resample_chunk(np.ascontiguousarray(mono, dtype=np.float32))
            mono = np.asarray(mono, dtype=np.float32)
            hit_max = False
            pre: np.ndarray | None = None
            out: np.ndarray | None = None
            with self._lock:
                self._ring.append((delivered, mono))
                self._ring_len += len(mono)
                while self._ring and self._ring_len - len(self._ring[0][1]) >= keep:
                    self._ring_len -= len(self._ring.popleft()[1])
                if self._begin_t is not None and delivered >= self._begin_t:
                    # The first block delivered after the chord: the recording is the pre-roll before the
                    # chord plus every block since (blocks still queued when begin() ran included).
                    pre, out = self._start_recording()
                elif self._rec is not None:
                    out = mono
                if out is not None and self._rec is not None and not self.max_reached:
                    out, hit_max = self._add(out, delivered)
                elif out is not None:
                    out = None
                self._processed_t = delivered
            if pre is not None and len(pre) and self.on_chunk is not None:
                self.on_chunk(pre)
            if out is not None and len(out) and self.on_chunk is not None:
                self.on_chunk(out)
            if hit_max and self.on_max is not None:
                self.on_max()
            if self.on_block is not None and len(mono):
                self.on_block(mono)

    def _start_recording(self) -> tuple[np.ndarray, np.ndarray]:
        """Split the ring at `_begin_t` (lock held): the recording starts with the last `preroll_ms` before
        it; returns (pre-roll, the audio after it so far, not yet added)."""
        keep = self.config.preroll_ms * SAMPLE_RATE // 1000
        at = self._begin_t if self._begin_t is not None else time.monotonic()
        before = [b for t, b in self._ring if t < at]
        after = [b for t, b in self._ring if t >= at]
        pre = np.concatenate(before) if before else np.zeros(0, np.float32)
        pre = pre[len(pre) - keep:] if keep else pre[:0]
        self._rec, self._rec_len, self._begin_t, self._from_t = [pre], len(pre), None, at
        return pre, np.concatenate(after) if after else np.zeros(0, np.float32)

    def _add(self, audio: np.ndarray, delivered: float) -> tuple[np.ndarray, bool]:
        """Append to the recording up to `max_seconds` (lock held); returns what was added, and whether
        the maximum was reached just now. `delivered`: when `audio` came (its end was captured by then)."""
        assert self._rec is not None
        # More than the clock allows since the chord: a backlog that came at once. Its oldest part was
        # captured before the chord; dropping it keeps the newest audio, which holds what is being said.
        allowed = self.config.preroll_ms * SAMPLE_RATE // 1000 + int((delivered - self._from_t + SLACK_S) * SAMPLE_RATE)
        excess = self._rec_len + len(audio) - max(allowed, 0)
        while excess > 0 and self._rec:
            head = self._rec[0]
            cut = min(excess, len(head))
            if cut == len(head):
                self._rec.pop(0)
            else:
                self._rec[0] = head[cut:]
            self._rec_len -= cut
            excess -= cut
        if excess > 0:
            audio = audio[excess:]
        limit = int(self.config.max_seconds * SAMPLE_RATE)
        out = audio[:max(0, limit - self._rec_len)]
        self._rec.append(out)
        self._rec_len += len(out)
        if self._rec_len >= limit:
            self.max_reached = True
            return out, True
        return out, False
