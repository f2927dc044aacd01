"""The open microphone's stop look: while a plan runs, a short utterance read as a stop phrase alone stops it.

The look runs on the stop-check thread at the utterance's first pause (the segmenter's `on_pause`, before the
end of utterance), and again on the whole utterance when it ends: one greedy decoding of a few tokens with the
stop hint (`quick_read`), once per utterance. A part of `OpenMic` (agent/listen/open_mic.py), whose
recogniser, hooks and stop state it uses.
"""

from __future__ import annotations

import threading

import numpy as np

from voxctl.agent.handsfree import Verdict

STOP_HINT = "Stop. Stop stop."
# The stop look's decoding runs on the speech's own encoding (not spliced in front of a full window's padding,
# window.py: a decoder step attends to ~40 positions instead of 1,500) and reads STOP_TOKENS + 1 tokens: a
# stop phrase alone shows in 4 ("Stop. Stop.", "Stop stop stop stop"; "Stop the music" does not). On 2,290
# first-pause and whole utterances (14 espeak-ng/flite voices x 3 perturbations, 7 voices held out): stop
# phrases read 236/247 (spliced, 9 tokens: 235), commands/answers/talk taken for one 0/1,327 (was 40:
# "select all", "type good morning"), like-sounding words 154/548 (was 388: "shop", "step"). docs/BENCHMARKS.md.
STOP_TOKENS = 3
LOOK_WAIT_S = 2.0  # the whole utterance waits at most this long for the stop look at its first pause
# Padding encoded after the speech in the stop look (the recogniser's own is 1 s, against loops): a loop
# of "Stop." is still a stop, and the encoder's time is what a stop waits for (24 short clips, median
# 226 ms -> 135 ms under load ~10; the readings of "stop", "stop stop" and two commands unchanged).
STOP_PAD_S = 0.3


class StopLook:
    """`OpenMic.stop_check(audio, index)` and the reading it makes (`quick_read`)."""

    def stop_check(self, audio: np.ndarray, index: int) -> bool:
        """While a plan runs: `audio` read as a stop phrase alone stops it (once per utterance `index`)."""
        if index and index == self._stopped:
            return True
        looked, done = self._looking
        checker = self._checker
        if index and looked == index and checker is not None and threading.current_thread() is not checker:
            done.wait(LOOK_WAIT_S)  # its pause is being read: that read first, alone
            if index == self._stopped:
                return True
        text, no_speech = self.quick_read(audio)
        if no_speech > self.handsfree.config.max_no_speech_prob:
            return False  # with the stop hint, tiny.en reads an earcon or noise as "Stop. Stop. Stop."
        if not self.handsfree.stop_said(text) or not self.hooks.executing():
            return False
        with self._stop_lock:
            if index and index == self._stopped:
                return True
            self._stopped = index
        self.hooks.on_verdict(Verdict("stop", text))
        self.hooks.on_stop()
        return True

    def quick_read(self, audio: np.ndarray) -> tuple[str, float]:
        """One greedy decoding of STOP_TOKENS + 1 tokens at most with the stop hint, on the encoding of the audio
        and STOP_PAD_S of padding alone (the recogniser's `transcribe` where it has no short window): the
        reading and Whisper's no-speech probability (spoken stops, 14 voices: p99 0.35, max 0.47; every
        earcon 0.71-0.98, which it may read as "Stop" or "Stop stop stop" all the same)."""
        if self._stop_decoder is None:
            window = getattr(self.transcriber, "window", None)
            if window is None or not hasattr(window, "whisper"):
                t = self.transcriber.transcribe(audio, hotwords=STOP_HINT)
                return t.text, (t.no_speech_prob if t.segments else 0.0)
            from voxctl.agent.listen.window import WindowDecoder

            self._stop_decoder = WindowDecoder(window.whisper, pad_s=STOP_PAD_S, key=window.key)
        decoded = self._stop_decoder.decode(audio, STOP_HINT, 1, max_new=STOP_TOKENS, spliced=False)
        return (decoded.hypotheses[0].text if decoded.hypotheses else ""), decoded.no_speech_prob
