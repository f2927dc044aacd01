"""The recogniser behind the `grammar` backend: a part of `GrammarInterpreter` (grammar.py). Whisper loaded on
first audio, its second looks (the N best readings, a wider beam, the full 30 s window), and warming up.
"""

from __future__ import annotations

from typing import Any

from voxctl.agent.listen.window import MAX_SHORT_S

RETRY_BEAM = 5  # readings (beam width) of the second look at audio whose first reading is no command


class GrammarRecogniser:
    """The recogniser of a grammar interpreter and its second looks (uses its `asr_config` and `_transcriber`)."""

    def full_look(self, audio: Any) -> Any:
        """The recogniser's reading on its full 30 s window (.text, .score), or None when it has none
        (or read on the full window already)."""
        full = getattr(self.transcriber, "transcribe_full", None)
        return None if full is None or len(audio) / 16000 > MAX_SHORT_S else full(audio)

    def nbest(self, audio: Any) -> tuple[Any, ...] | None:
        """The recogniser's RETRY_BEAM best readings (objects with .text and .score), or None when it
        cannot give them (then `retranscribe` is the second look)."""
        nbest = getattr(self.transcriber, "nbest", None)
        return None if nbest is None else tuple(nbest(audio, RETRY_BEAM))

    def retranscribe(self, audio: Any) -> str | None:
        """The transcript with beam search, when the configured decoding is narrower; else None."""
        cfg = getattr(self.transcriber, "config", None)
        if cfg is None or getattr(cfg, "beam_size", RETRY_BEAM) >= RETRY_BEAM:
            return None
        # The same loaded model, decoding with a wider beam for this call only.
        return self.transcriber.transcribe(audio, beam_size=RETRY_BEAM).text

    @property
    def transcriber(self) -> Any:
        if self._transcriber is None:  # loaded on first audio, so text commands never load Whisper
            from voxctl.agent.listen.asr import Transcriber

            self._transcriber = Transcriber(self.asr_config)
        return self._transcriber

    def transcribe(self, audio: Any) -> str:
        return self.transcriber.transcribe(audio).text

    def warm(self) -> None:
        """Load now what the first spoken command would load on first use: the recogniser's first
        decodings (`Transcriber.warm`), the nominations of the second look, the dictation reader."""
        from voxctl.agent.interpret.forced_look import neighbours

        self.analyse("type hello then press enter")
        neighbours(self)
        warm = getattr(self.transcriber, "warm", None)
        if warm is not None:
            warm(RETRY_BEAM)
