"""Decoder loops told from real repetitions, on the audio: a part of the recogniser (agent/listen/asr.py).

A reading that repeats a sentence ("press control s. press control s." from one second) is a decoder loop
unless each k-th of the speech reads as one copy (hallucination.Repeat): the sentence is kept as often as the
audio holds it (hallucination.collapse_repeats). A short-window reading that ran into its length bound or
repeats itself is degenerate: not to be trusted.
"""

from __future__ import annotations

import numpy as np

from voxctl.agent.listen.hallucination import COMPRESSION_LIMIT, compression_ratio, repeat_of, same_words
from voxctl.agent.listen.window import SAMPLE_RATE, Hypothesis, max_tokens

MAX_COPIES_CHECKED = 4  # a sentence said more often than this in one breath is a loop
PART_SLACK_S = 0.1  # the first k-th of the speech, and a little more: a copy may run past the cut


class DecoderLoops:
    """`Transcriber`'s loop checks: `_degenerate`, `_resolve_loop` and each part's reading (`_reads_as`)."""

    def _degenerate(self, best: Hypothesis, duration: float) -> bool:
        """The short window's reading ran into its length bound or repeats itself: not to be trusted."""
        return best.tokens >= max_tokens(duration) or compression_ratio(best.text) > COMPRESSION_LIMIT

    def _resolve_loop(self, audio: np.ndarray, text: str, hint: str | None) -> tuple[str, list[str]]:
        """`text` with a repeated sentence kept as often as the audio holds it (hallucination.Repeat)."""
        rep = repeat_of(text)
        if rep is None:
            return text, []
        from voxctl.agent.listen.vad import speech_spans

        spans = speech_spans(audio, min_silence_ms=100)
        start, end = (spans[0][0], spans[-1][1]) if spans else (0, len(audio))
        seconds = (end - start) / SAMPLE_RATE
        keep = 1
        for k in range(min(rep.copies, MAX_COPIES_CHECKED), 1, -1):
            if not rep.plausible(k, seconds) or (len(rep.unit) == 1 and len(spans) < k):
                continue  # one word said k times has k bursts of speech: "click click" is two clicks
            # A real repetition: each k-th of the speech holds one copy. A loop: pieces of one copy.
            step, slack = (end - start) / k, PART_SLACK_S * SAMPLE_RATE
            parts = [audio[max(0, int(start + j * step - slack)):int(start + (j + 1) * step + slack)]
                     for j in range(k)]
            if all(self._reads_as(rep.unit, part, hint) for part in parts):
                keep = k
                break
        kept = rep.text_of(text, keep)
        return kept, ([text[len(kept):].strip()] if len(kept) < len(text.rstrip()) else [])

    def _reads_as(self, unit: tuple[str, ...], part: np.ndarray, hint: str | None) -> bool:
        """`part` of the audio reads as exactly one copy of `unit` (its own loops aside)."""
        with self.spent.step("loop"):
            first = self.window.decode(part, hint, 1).hypotheses
        got = first[0].text if first else ""
        rep = repeat_of(got)
        return same_words(unit, got[: rep.end_of_first] if rep else got, tolerance=0)
