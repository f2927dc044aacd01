"""Recognition while the chord is held (agent/listen/streaming.py), with the bundled Whisper on real
synthesized speech fed chunk by chunk as the recorder would, paced like a microphone (20 ms blocks,
10x faster than real time: the worker sees the recording grow, not a finished file)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from voxctl.agent.config import AsrConfig, AudioConfig
from voxctl.agent.listen.asr import Transcriber
from voxctl.agent.listen.spoken_set import normalize
from voxctl.agent.listen.streaming import EarlyRecognizer
from voxctl.agent.listen.vad import gate

SR = 16000
BLOCK = SR // 50


class Counting:
    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def transcribe(self, audio, *a, **kw):
        self.calls += 1
        return self.inner.transcribe(audio, *a, **kw)


@pytest.fixture(scope="module")
def whisper():
    return Transcriber(AsrConfig())


@pytest.fixture
def asr(whisper):
    """The bundled Whisper, counting its decodings."""
    return Counting(whisper)


@pytest.fixture
def early(asr):
    rec = EarlyRecognizer(asr, AudioConfig(), endpoint_ms=150)
    yield rec
    rec.close()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), np.float32)


def feed(early: EarlyRecognizer, audio: np.ndarray, speed: float = 10.0) -> None:
    for i in range(0, len(audio), BLOCK):
        early.feed(audio[i:i + BLOCK])
        time.sleep(BLOCK / SR / speed)


def settle(early: EarlyRecognizer, timeout: float = 10.0) -> None:
    """Wait until the worker has looked at everything and finished any decoding."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if early.idle():
            return
        time.sleep(0.01)


def test_speech_then_a_pause_is_decoded_before_the_release(early, asr, speech):
    said = speech("press control s")
    audio = np.concatenate([silence(0.3), said, silence(0.4)])
    early.begin()
    feed(early, audio)
    settle(early)
    assert asr.calls == 1, "one decoding, made while the chord was still held"
    done = early.finish(audio)
    assert done.early and asr.calls == 1, "nothing is decoded again after the release"
    assert normalize(done.transcript.text) == ["press", "control", "s"]
    # The speech handed on is all of the speech, with less of the silence than the gate keeps
    # (the gate waits 600 ms before it calls a pause the end).
    assert done.speech is not None
    assert len(said) - SR // 20 <= len(done.speech) <= len(gate(audio, AudioConfig()))


def test_speech_after_the_early_decoding_is_not_lost(early, asr, speech):
    """A pause long enough to start a decoding, then more words: the answer has all of them."""
    first, second = speech("open the terminal"), speech("and type make test")
    early.begin()
    feed(early, np.concatenate([silence(0.2), first, silence(0.5)]))
    settle(early)
    assert asr.calls == 1
    rest = np.concatenate([second, silence(0.05)])  # released right after the last word
    feed(early, rest)
    audio = np.concatenate([silence(0.2), first, silence(0.5), rest])
    done = early.finish(audio)
    assert asr.calls == 2, "the first decoding is stale: the whole speech is decoded once more"
    words = normalize(done.transcript.text)
    assert words[:3] == ["open", "the", "terminal"] and words[-2:] == ["make", "test"], done.transcript.text


def test_release_without_a_pause_decodes_at_release(early, speech):
    audio = np.concatenate([silence(0.2), speech("scroll down five")])
    early.begin()
    feed(early, audio)
    done = early.finish(audio)
    assert not done.early
    assert normalize(done.transcript.text) == ["scroll", "down", "five"]


def test_silence_gives_no_speech_and_no_decoding(early, asr):
    audio = silence(1.5)
    early.begin()
    feed(early, audio)
    settle(early)
    done = early.finish(audio)
    assert done.speech is None and done.transcript is None and asr.calls == 0


def test_consecutive_utterances_do_not_mix(early, speech):
    """The second utterance never gets the first one's transcript."""
    results = []
    for phrase in ("press enter", "take a screenshot"):
        audio = np.concatenate([silence(0.2), speech(phrase), silence(0.4)])
        early.begin()
        feed(early, audio)
        settle(early)
        results.append(normalize(early.finish(audio).transcript.text))
    assert results == [["press", "enter"], ["take", "a", "screenshot"]]
