"""Whisper on the audio that exists: a mel window sized to the speech, decoded with CTranslate2 directly.

faster-whisper always encodes a 30 s window (3,000 mel frames), so a one-second command costs what
thirty seconds would. CTranslate2's Whisper encoder also takes shorter windows: here the window is the
speech's own frames plus `PAD_S` of the same zero padding the full window has after the speech, and the
decoder may write at most `max_tokens(duration)` tokens.

A decoder that attends to a short encoding loops ("press control s. press control s. ..."): it has
never seen a window end before 30 s. So the short encoding is spliced in front of the rest of a
full window's encoding of padding alone (computed once per model): the decoder sees speech, then
silence up to 30 s, as on the full window, while the encoder ran only on the speech. Measured on 20
spoken commands (docs/BENCHMARKS.md): loops 15/20 on the bare short window, 0/20 spliced; and padding
the window instead needs ~1,500 frames (half the full cost) to stop the loops.

`WindowDecoder(whisper_model).decode(audio, hint, beams)` gives the N best readings with their
length-normalised log-probabilities. The encoder outputs of the last few audios are kept, so a second look
at the same audio with a wider beam costs only the decoding, and `score(audio, texts)` (texts forced
through the decoder, for the grammar's candidates: interpret/rescore.py) costs only a batched decoder pass.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
FRAMES_PER_S = 100  # mel frames per second of audio
PAD_S = 1.0  # padding encoded after the speech: loops on 20 commands, spliced: 0.2 s 7, 0.5 s 4, 1 s 0
MAX_SHORT_S = 10.0  # longer audio (dictation) is decoded on the full 30 s window
FULL_FRAMES = 3000
TOKENS_PER_S = 6.0  # speech is <= ~4 words/s; a word is ~1.3 tokens with its punctuation
MIN_TOKENS = 10  # room for a one-word command ("Paste.") and its end
SCORE_BATCH = 32  # texts forced through the decoder in one call (`WindowDecoder.score`)
MAX_HINT_TOKENS = 223  # Whisper reads at most half its 448-token context as text said before (faster-whisper's bound)
ENCODINGS_KEPT = 4  # encoder outputs kept (an utterance and the parts of it a loop check reads): ~2.3 MB each


def max_tokens(duration_s: float) -> int:
    """The most text tokens `duration_s` of speech can hold: bounds a decoding stuck in a loop."""
    return int(MIN_TOKENS + TOKENS_PER_S * duration_s)


@dataclass(frozen=True)
class Hypothesis:
    """One reading of the audio: text and score = log-probability per token (CTranslate2, length
    penalty 1). Scores of readings of the same audio compare; 0 is certain, -1 is doubtful."""

    text: str
    score: float
    tokens: int = 0


@dataclass(frozen=True)
class Forced:
    """A text forced through the decoder on some audio: the log-probability of each of its tokens."""

    text: str
    token_logprobs: tuple[float, ...]
    tokens: int

    @property
    def score(self) -> float:
        """Log-probability per token, as `Hypothesis.score` (without the end token, which the forced
        decoding does not score)."""
        return float(np.mean(self.token_logprobs)) if self.token_logprobs else float("-inf")


@dataclass(frozen=True)
class Decoded:
    hypotheses: tuple[Hypothesis, ...]  # best first
    no_speech_prob: float
    frames: int  # mel frames encoded (3,000 = the full window)


class WindowDecoder:
    """`decode(audio, hint, beams)`: the `beams` best readings of `audio` on a window sized to it."""

    def __init__(self, whisper: Any, pad_s: float = PAD_S, key: Any = None) -> None:
        """`key` names the loaded weights (path, device, compute type): their encoding of padding alone
        is then computed once per process, not once per decoder."""
        from faster_whisper.tokenizer import Tokenizer

        self.whisper = whisper  # faster_whisper.WhisperModel
        self.model = whisper.model  # ctranslate2.models.Whisper
        self.tokenizer = Tokenizer(whisper.hf_tokenizer, self.model.is_multilingual, task="transcribe",
                                   language="en")
        self.pad_frames = int(round(pad_s * FRAMES_PER_S))
        self.suppress = _suppressed(self.tokenizer)
        self._lock = threading.Lock()
        # Encoder outputs of the last audios, newest last: (audio key, frames, spliced) -> output. More than one, so
        # that the pieces a loop check decodes (asr.py) do not push out the whole utterance's encoding
        # that the N-best look and the forced scoring reuse.
        self._cache: dict[tuple[bytes, int, bool], Any] = {}
        self.key = key
        self.splice = self.model.device == "cpu"  # on a GPU the full window is cheap: it is used always

    def frames_for(self, audio: np.ndarray, full: bool = False, pad_s: float | None = None) -> int:
        """Mel frames encoded for `audio`: its own and `pad_s` of padding (default PAD_S), or the full window."""
        if full or not self.splice or len(audio) / SAMPLE_RATE > MAX_SHORT_S:
            return FULL_FRAMES
        pad = self.pad_frames if pad_s is None else int(round(pad_s * FRAMES_PER_S))
        n = len(audio) * FRAMES_PER_S // SAMPLE_RATE + pad
        return min(FULL_FRAMES, n + n % 2)  # the encoder's convolution has stride 2

    def encode(self, audio: np.ndarray, frames: int, spliced: bool = True) -> Any:
        """The encoder's output for `audio` on `frames` mel frames; a short one spliced in front of the padding's
        (module doc) unless `spliced` is False: then only the speech's own positions (the stop look's read)."""
        key = (audio_key(audio), frames, spliced)
        with self._lock:
            if key in self._cache:
                self._cache[key] = self._cache.pop(key)  # the newest again
                return self._cache[key]
        mel = self.whisper.feature_extractor(audio)[:, :frames]  # as faster-whisper: 160 samples of padding
        if mel.shape[1] < frames:
            mel = np.pad(mel, ((0, 0), (0, frames - mel.shape[1])))  # its zero padding, just shorter
        out = self.model.encode(_storage(mel[None]), to_cpu=False)
        if frames < FULL_FRAMES and spliced:
            short = np.array(out)
            out = _storage(np.concatenate([short, self.silence()[:, short.shape[1]:]], axis=1))
        with self._lock:
            self._cache[key] = out
            while len(self._cache) > ENCODINGS_KEPT:
                del self._cache[next(iter(self._cache))]
        return out

    def forget(self) -> None:
        """Drop the kept encodings (they hold the last audios)."""
        with self._lock:
            self._cache.clear()

    def silence(self) -> np.ndarray:
        """The encoder's output for a full window of padding (the same for every audio: computed once)."""
        key = self.key if self.key is not None else id(self)
        if key not in _SILENCE:
            zeros = np.zeros((1, self.model.n_mels, FULL_FRAMES), np.float32)
            _SILENCE[key] = np.array(self.model.encode(_storage(zeros), to_cpu=True))
        return _SILENCE[key]

    def prompt(self, hint: str | None, prefix: str = "") -> list[int]:
        """The decoder's prompt: the `hint` as text said before, the start of a transcript, and `prefix` as the
        reading's own first words, forced (faster-whisper's get_prompt drops the hint when given a prefix)."""
        tok = self.tokenizer
        if not prefix:
            return self.whisper.get_prompt(tok, [], without_timestamps=True, hotwords=hint or None)
        said = [tok.sot_prev, *tok.encode(" " + hint.strip())[:MAX_HINT_TOKENS]] if hint else []
        return [*said, *tok.sot_sequence, tok.no_timestamps, *tok.encode(" " + prefix.strip())]

    def decode(self, audio: np.ndarray, hint: str | None = None, beams: int = 1, full: bool = False,
               max_new: int | None = None, spliced: bool = True, pad_s: float | None = None,
               prefix: str = "") -> Decoded:
        """`pad_s`: padding encoded after the speech before the splice (default PAD_S; asr.py's reread
        of a looping or unsure reading pads more: `asr.reread_pad_s`). `prefix`: the reading's first words, forced:
        each hypothesis is its continuation (the shell look, shell_look.py)."""
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        frames = self.frames_for(audio, full, pad_s)
        enc = self.encode(audio, frames, spliced)
        prompt = self.prompt(hint, prefix)
        new = max_new if max_new is not None else max_tokens(min(len(audio) / SAMPLE_RATE, 30.0))
        result = self.model.generate(
            enc, [prompt], beam_size=beams, num_hypotheses=beams, return_scores=True,
            return_no_speech_prob=True, max_length=min(len(prompt) + new, 448),
            suppress_blank=True, suppress_tokens=self.suppress)[0]
        hyps, seen = [], set()
        for ids, score in zip(result.sequences_ids, result.scores, strict=True):
            text = self.tokenizer.decode(ids).strip()
            if text not in seen:  # beams that differ only in tokenisation read the same
                seen.add(text)
                hyps.append(Hypothesis(text, float(score), len(ids)))
        return Decoded(tuple(hyps), float(result.no_speech_prob), frames)

    def score(self, audio: np.ndarray, texts: list[str], hint: str | None = None) -> list[Forced]:
        """How likely each of `texts` is as the reading of `audio`: the decoder forced through each
        text's tokens (CTranslate2's `align`), all in one batch. The encoder output is reused from
        `decode` and cut to the positions of the speech and its padding (1,500 positions cost ~10x the
        decoder time and changed a score by ~0.1 per token, not the order of the candidates).
        Without a `hint` the prompt is the bare start of a transcript: the vocabulary hint costs its
        ~75 tokens at every text of the batch (2.0 s vs 0.14 s for 8 texts on a busy box) and pulls
        towards its own words ("press control c" beat the "press control z" that was said)."""
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        if not texts:
            return []
        frames = self.frames_for(audio)
        enc = np.array(self.encode(audio, frames))[:, : max(1, frames // 2)]
        prompt = self.prompt(hint)
        out: list[Forced] = []
        for start in range(0, len(texts), SCORE_BATCH):
            chunk = texts[start:start + SCORE_BATCH]
            tokens = [self.tokenizer.encode(" " + t.strip()) for t in chunk]
            feats = _storage(np.repeat(enc, len(chunk), axis=0))
            results = self.model.align(feats, prompt, tokens, [frames] * len(chunk))
            for text, toks, r in zip(chunk, tokens, results, strict=True):
                logp = np.log(np.maximum(np.asarray(r.text_token_probs, dtype=np.float64), 1e-30))
                out.append(Forced(text, tuple(float(x) for x in logp), len(toks)))
        return out


_SILENCE: dict[Any, np.ndarray] = {}  # the encoding of padding alone, per loaded weights


def _storage(array: np.ndarray) -> Any:
    import ctranslate2

    return ctranslate2.StorageView.from_array(np.ascontiguousarray(array, dtype=np.float32))


def _suppressed(tokenizer: Any) -> list[int]:
    from faster_whisper.transcribe import get_suppressed_tokens

    return list(get_suppressed_tokens(tokenizer, [-1]))


def audio_key(audio: np.ndarray) -> bytes:
    """A short digest of the samples: the same audio has the same key."""
    import hashlib

    return hashlib.blake2b(np.ascontiguousarray(audio).tobytes(), digest_size=16).digest()
