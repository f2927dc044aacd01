"""How `voxctl listen` takes the answer to a confirmation: the sources it offers (agent/answer_sources.py),
the recordings `_route` hands to the open question (`answers`, not `commands`), and their reading with the
answer hint. A part of `ListenLoop` (agent/loop.py), whose recorder, transcriber and queues it reads.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from typing import Any

import numpy as np


class LoopAnswers:
    """`ListenLoop`'s side of the confirmation: `_answering(asker)`, `_sources()` and what they read."""

    def _answering(self, asker: Any) -> Any:
        def ask(payload: Any) -> Any:
            while not self.answers.empty():  # stale recordings are no answer to this question
                self.answers.get_nowait()
            self.asked_at = time.monotonic()
            self.answering = True
            try:
                return asker(payload)
            finally:
                self.answering = False

        return ask

    def _sources(self) -> list[Any]:
        from voxctl.agent.answer_sources import ConsoleSource, KeySource, StopSource, VoiceSource

        sources: list[Any] = [StopSource(self.stop)]
        if self.config.confirm.by_voice:
            sources.append(VoiceSource(self._capture_answer, self._transcribe_answer, self.config.hotkey.talk,
                                       on_unclear=lambda t: self.feedback.note(f"heard {t!r}: say yes or no"),
                                       hint="say yes or no" if self.config.hotkey.mode == "always" else None,
                                       unprimed=lambda audio: self.transcriber.transcribe(audio, hotwords="").text))
        if self.config.confirm.by_keys:
            sources.append(KeySource())
        if sys.stdin.isatty():
            sources.append(ConsoleSource(sys.stdin.fileno()))
        return sources

    def _capture_answer(self, done: threading.Event) -> np.ndarray | None:
        from voxctl.agent.listen.vad import gate

        while not done.is_set():
            try:
                item = self.answers.get(timeout=0.1)
            except queue.Empty:
                continue
            if isinstance(item, Exception):
                raise item
            return gate(item, self.config.audio)
        return None

    def _transcribe_answer(self, audio: np.ndarray) -> str:
        from voxctl.agent.answers import ANSWER_HOTWORDS

        return self.transcriber.transcribe(audio, hotwords=ANSWER_HOTWORDS).text
